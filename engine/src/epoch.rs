//! The ticker behind [`crate::Limits::timeout`]: one thread per wasmtime engine that advances the engine's
//! epoch every [`crate::TICK`], so an epoch deadline set on a store means "this many ticks from now".
//!
//! The thread holds only a weak reference: it ends by itself at the first tick after the engine (every
//! `Engine` clone, module and instance of it) is dropped. It does nothing else and takes no lock.

use std::time::Duration;

/// Starts a thread that advances `engine`'s epoch every `tick` until the engine is dropped. Public for the other
/// wasmtime host of this project: the waPC policy host in wasm-tests ticks every second, as policy-server does.
pub fn start_epoch_ticker(engine: &wasmtime::Engine, tick: Duration) -> std::io::Result<()> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("rec-engine-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(tick);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => return,
                }
            }
        })
        .map(drop)
}
