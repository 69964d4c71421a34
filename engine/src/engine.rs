//! The engine: compiles (or loads from the cache) the core module once, checks its ABI version, and answers
//! calls, each in a fresh bounded store. Cheap to clone and safe to share between threads.
//!
//! Does not speak JSON beyond checking the answer's envelope; the typed helpers live in `typed`.

use crate::cache;
use crate::error::EngineError;
use crate::guest::{ExportIndex, Guest, Session};
use crate::limits::{Limits, Strategy};
use crate::slots::Slots;
use rec_core::abi::{ABI_VERSION, Op};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::{Enabled, InstanceAllocationStrategy, InstancePre, Linker, PoolingAllocationConfig};

/// The core module this crate was built with (see `build.rs`).
pub const EMBEDDED_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rec_core_module.wasm"));

/// Hex SHA-256 of [`EMBEDDED_MODULE`], computed by `build.rs`, so loading the embedded module from the cache
/// does not hash 6 MiB on every start.
pub const EMBEDDED_MODULE_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/rec_core_module.sha256"));

/// What the loaded module says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    pub abi_version: u32,
    /// The `rec-core` crate version the module was built from.
    pub core_version: String,
    /// Size of the `.wasm` in bytes.
    pub size: usize,
    /// Hex SHA-256 of the `.wasm`.
    pub sha256: String,
    /// Whether the compiled code came from the on-disk cache.
    pub from_cache: bool,
    /// How long each step of building the engine took.
    pub startup: StartupTimes,
}

/// Wall time of each step of [`EngineBuilder`]'s build, in order, measured once per engine (a handful of
/// `Instant::now` calls): what "ready in N ms" is made of, for logs and `rec-bench`'s start-up breakdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StartupTimes {
    /// `wasmtime::Engine::new` with this builder's configuration (the pooling allocator reserves its slots here).
    pub engine: Duration,
    /// Starting the epoch ticker thread.
    pub ticker: Duration,
    /// Compiling the module, or mapping its precompiled code from the cache (`Module::deserialize_file`).
    pub load: Duration,
    /// Checking the module imports nothing, finding its exports and linking it (`Linker::instantiate_pre`).
    pub link: Duration,
    /// The ABI check: one instance, `rec_abi_version` and a `Version` call.
    pub abi_check: Duration,
}

impl StartupTimes {
    /// The whole build.
    pub fn total(&self) -> Duration {
        self.engine + self.ticker + self.load + self.link + self.abi_check
    }
}

/// Runs the core module. Clones share the compiled module; limits are per clone (see [`Engine::with_limits`]).
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
    limits: Limits,
}

struct Shared {
    pre: InstancePre<Guest>,
    exports: ExportIndex,
    info: ModuleInfo,
    /// With the pooling allocator: one permit per pool slot, so a call waits rather than fails.
    slots: Option<Slots>,
}

/// How to build an [`Engine`]: limits, instantiation strategy, cache directory.
#[derive(Debug, Clone, Default)]
pub struct EngineBuilder {
    limits: Limits,
    strategy: Strategy,
    cache_dir: Option<PathBuf>,
}

impl EngineBuilder {
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Keep precompiled code in `dir` (created if missing). A cache that cannot be read or written is skipped,
    /// never an error. The directory must be trusted: its files are loaded as native code.
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Builds from the module embedded at build time.
    pub fn embedded(self) -> Result<Engine, EngineError> {
        self.build(EMBEDDED_MODULE, EMBEDDED_MODULE_SHA256.to_string())
    }

    /// Builds from a `.wasm` file.
    pub fn from_file(self, path: &Path) -> Result<Engine, EngineError> {
        let bytes = std::fs::read(path)
            .map_err(|e| EngineError::Compile(format!("cannot read the module {}: {e}", path.display())))?;
        self.from_bytes(&bytes)
    }

    /// Builds from `.wasm` bytes: compile (or load the cached compilation), link, check the ABI version.
    pub fn from_bytes(self, wasm: &[u8]) -> Result<Engine, EngineError> {
        self.build(wasm, cache::sha256_hex(wasm))
    }

    fn build(self, wasm: &[u8], sha256: String) -> Result<Engine, EngineError> {
        let mut clock = Clock::start();
        let mut startup = StartupTimes::default();
        let engine = wasmtime::Engine::new(&config(&self)).map_err(|e| EngineError::Compile(e.to_string()))?;
        startup.engine = clock.lap();
        crate::epoch::start_epoch_ticker(&engine, crate::TICK)
            .map_err(|e| EngineError::Compile(format!("cannot start the epoch ticker thread: {e}")))?;
        startup.ticker = clock.lap();
        let (module, from_cache) = cache::load(&engine, wasm, &sha256, self.cache_dir.as_deref())?;
        startup.load = clock.lap();
        if let Some(import) = module.imports().next() {
            return Err(EngineError::Compile(format!(
                "the module imports `{}::{}`; the core module must import nothing",
                import.module(),
                import.name()
            )));
        }
        let exports = ExportIndex::find(&module)?;
        let pre = Linker::<Guest>::new(&engine)
            .instantiate_pre(&module)
            .map_err(|e| EngineError::Compile(format!("cannot link the module: {e}")))?;
        startup.link = clock.lap();
        let info = ModuleInfo {
            abi_version: 0,
            core_version: String::new(),
            size: wasm.len(),
            sha256,
            from_cache,
            startup,
        };
        let slots = match self.strategy {
            Strategy::Pooling { slots } => Some(Slots::new(slots)),
            Strategy::OnDemand => None,
        };
        let mut shared = Shared {
            pre,
            exports,
            info,
            slots,
        };
        shared.info = check_version(&shared, &self.limits)?;
        shared.info.startup.abi_check = clock.lap();
        Ok(Engine {
            shared: Arc::new(shared),
            limits: self.limits,
        })
    }
}

/// Lap times for [`StartupTimes`].
struct Clock(Instant);

impl Clock {
    fn start() -> Self {
        Self(Instant::now())
    }

    /// The time since the last lap (or the start).
    fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let lap = now - self.0;
        self.0 = now;
        lap
    }
}

/// How much of a pool slot's linear memory and table stays resident (reset with `memset`, no page faults on
/// the next call) instead of being returned to the kernel: more than a validate or render of the large REC
/// touches (about 2 MiB).
///
/// Which pages to reset: without help, wasmtime resets the whole low `KEEP_RESIDENT_BYTES` of the memory that
/// is accessible (the core module's initial memory alone is over 1 MiB: its stack, data and arena), a memset
/// and memcpy that `rec-bench --profile fresh` found to be 27% of a pooled validate call. With `PAGEMAP_SCAN`
/// (Linux 6.7+, `Enabled::Auto`: used where the kernel has it, the full reset elsewhere) it resets only the
/// pages the call wrote.
const KEEP_RESIDENT_BYTES: usize = 8 << 20;

fn config(builder: &EngineBuilder) -> wasmtime::Config {
    let mut config = wasmtime::Config::new();
    config.epoch_interruption(true);
    if let Strategy::Pooling { slots } = builder.strategy {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling(
            slots,
            builder.limits.memory_bytes,
        )));
    }
    config
}

/// The pooling allocator as this engine runs it: `slots` instances with at most `memory_bytes` of linear memory
/// each, slots reset as [`KEEP_RESIDENT_BYTES`] says. Public for other wasmtime hosts of the workspace (the
/// bench's pooled policy host) so that they pool as the engine does.
pub fn pooling(slots: u32, memory_bytes: usize) -> PoolingAllocationConfig {
    let mut pool = PoolingAllocationConfig::new();
    // Every pool is sized to the slots, including the async stacks this engine never uses (it makes no
    // async calls): left at wasmtime's default, the pool reserved 1,000 stacks, each with a guard page of
    // its own (1,000 `mprotect` calls, 2 ms of every start and 1 ms of every drop, `rec-bench` section 3).
    pool.total_core_instances(slots)
        .total_memories(slots)
        .total_tables(slots)
        .total_stacks(0)
        .max_memory_size(memory_bytes)
        .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
        .table_keep_resident(KEEP_RESIDENT_BYTES)
        .pagemap_scan(Enabled::Auto);
    pool
}

/// Asks the module for its ABI version, both ways (export and `Version` op, in one instance), and checks them.
fn check_version(shared: &Shared, limits: &Limits) -> Result<ModuleInfo, EngineError> {
    let mut session = Session::new(&shared.pre, &shared.exports, limits)?;
    let found = session.abi_version()?;
    if found != ABI_VERSION {
        return Err(EngineError::AbiMismatch {
            expected: ABI_VERSION,
            found,
        });
    }
    let version = crate::typed::parse_version(&session.call(Op::Version as u32, b"{}")?)?;
    if version.abi_version != ABI_VERSION {
        return Err(EngineError::AbiMismatch {
            expected: ABI_VERSION,
            found: version.abi_version,
        });
    }
    Ok(ModuleInfo {
        abi_version: version.abi_version,
        core_version: version.core_version,
        ..shared.info.clone()
    })
}

/// Where [`Engine::embedded`], [`Engine::from_file`] and [`Engine::from_bytes`] keep compiled code:
/// `$REC_ENGINE_CACHE_DIR` when set (set and empty: no cache, the opt-out), else the user's cache directory by
/// the XDG rules, `$XDG_CACHE_HOME/rec-operator` or `$HOME/.cache/rec-operator`; `None` when none of these is
/// set (a container without a home: every start compiles).
///
/// Why a cache by default: compiling the module takes seconds and hundreds of MB in a debug build (what
/// `cargo run` gives), so every `rec-operator validate` paid that; a cached start maps the code in under a
/// millisecond. The file name carries the module's hash and wasmtime's, so a stale entry is never loaded.
pub fn default_cache_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).map(PathBuf::from);
    if let Some(dir) = var("REC_ENGINE_CACHE_DIR") {
        return (!dir.as_os_str().is_empty()).then_some(dir);
    }
    let absolute = |dir: PathBuf| dir.is_absolute().then_some(dir);
    var("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| var("HOME").and_then(absolute).map(|home| home.join(".cache")))
        .map(|dir| dir.join("rec-operator"))
}

impl Engine {
    /// A builder with default limits, on-demand instances and no cache.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The embedded module with default limits, its compilation cached in [`default_cache_dir`].
    pub fn embedded() -> Result<Engine, EngineError> {
        Self::default_builder().embedded()
    }

    /// A module from a file, with the defaults of [`Engine::embedded`].
    pub fn from_file(path: &Path) -> Result<Engine, EngineError> {
        Self::default_builder().from_file(path)
    }

    /// A module from bytes, with the defaults of [`Engine::embedded`].
    pub fn from_bytes(wasm: &[u8]) -> Result<Engine, EngineError> {
        Self::default_builder().from_bytes(wasm)
    }

    fn default_builder() -> EngineBuilder {
        let builder = EngineBuilder::default();
        match default_cache_dir() {
            Some(dir) => builder.cache_dir(dir),
            None => builder,
        }
    }

    /// The same compiled module with other per-call limits (cheap: nothing is recompiled).
    pub fn with_limits(&self, limits: Limits) -> Engine {
        Engine {
            shared: Arc::clone(&self.shared),
            limits,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn info(&self) -> &ModuleInfo {
        &self.shared.info
    }

    /// Answers one request: the raw answer bytes, byte-identical to `rec_core::abi::call(op, input)`.
    /// An `{"error": ...}` answer is `Ok` here (it is an answer); the typed helpers turn it into
    /// [`EngineError::Core`].
    pub fn call(&self, op: Op, input: &[u8]) -> Result<Vec<u8>, EngineError> {
        self.call_raw(op as u32, input)
    }

    /// Like [`Engine::call`] with an operation number (unknown numbers get an `UnknownOp` answer).
    pub fn call_raw(&self, op: u32, input: &[u8]) -> Result<Vec<u8>, EngineError> {
        let answer = self.answer(op, input)?;
        crate::typed::check_envelope(&answer)?;
        Ok(answer)
    }

    /// The answer bytes, envelope not checked (the typed helpers parse it anyway).
    pub(crate) fn answer(&self, op: u32, input: &[u8]) -> Result<Vec<u8>, EngineError> {
        let _slot = self.shared.slots.as_ref().map(Slots::acquire);
        Session::new(&self.shared.pre, &self.shared.exports, &self.limits)?.call(op, input)
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("info", &self.shared.info)
            .field("limits", &self.limits)
            .finish()
    }
}
