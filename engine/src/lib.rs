//! rec-engine: runs the core WebAssembly module (`rec-core-module`) in wasmtime, for the operator.
//!
//! - **Compile once.** The module is compiled when the [`Engine`] is built — or loaded precompiled from a cache
//!   directory keyed by the module's SHA-256 and wasmtime's compatibility hash — and linked once
//!   (`InstancePre`). The module embedded at build time ([`EMBEDDED_MODULE`]) is the default; a module can
//!   also be loaded from a file or from bytes.
//! - **Checked on load.** A module that imports anything, lacks an export, or speaks another ABI version
//!   ([`rec_core::abi::ABI_VERSION`]) is refused.
//! - **Bounded calls.** Every call runs in a fresh store with a deadline (epoch interruption) and a memory cap
//!   ([`Limits`]); a runaway guest ends in [`EngineError::Timeout`] or [`EngineError::OutOfMemory`] and the
//!   next call is unaffected.
//! - **Typed failures.** Traps, panics (message recorded by the module's panic hook, see `rec-core-module`),
//!   bad answers and the core's own error answers are [`EngineError`] variants with a stable `reason()`.
//! - **Thread-safe.** `Engine: Clone + Send + Sync`; calls never share a store, so any number run at once.
//!   Calls are synchronous and CPU-bound: async callers should run them on a blocking thread.
//!
//! Instantiation strategy: a fresh instance per call from `InstancePre`, from wasmtime's pooling allocator
//! ([`Strategy::Pooling`], default; a call waits for a free slot) or mapped on demand ([`Strategy::OnDemand`]).
//! See README.md in this crate for the measured figures behind that choice.
//!
//! Does not: validate or render anything itself (that is the core's job), or retry.

mod cache;
mod engine;
mod epoch;
mod error;
mod guest;
mod limits;
mod slots;
mod typed;

pub use engine::{
    EMBEDDED_MODULE, EMBEDDED_MODULE_SHA256, Engine, EngineBuilder, ModuleInfo, StartupTimes, default_cache_dir,
    pooling,
};
pub use epoch::start_epoch_ticker;
pub use error::EngineError;
pub use limits::{Limits, Strategy, TICK};
pub use rec_core::abi::Op;
/// The operations the embedded module answers (the others answer `Unsupported`).
pub use rec_core_module::MODULE_OPS;
pub use typed::Version;
