//! The ticker behind [`crate::Limits::timeout`]: one thread per wasmtime engine that advances the engine's
//! epoch every [`TICK`], so an epoch deadline set on a store means "this many ticks from now".
//!
//! The thread holds only a weak reference: it ends by itself at the first tick after the engine (every
//! `Engine` clone, module and instance of it) is dropped. It does nothing else and takes no lock.

use crate::error::EngineError;
use crate::limits::TICK;

/// Starts the ticker for `engine`.
pub(crate) fn start(engine: &wasmtime::Engine) -> Result<(), EngineError> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("rec-engine-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => return,
                }
            }
        })
        .map(drop)
        .map_err(|e| EngineError::Compile(format!("cannot start the epoch ticker thread: {e}")))
}
