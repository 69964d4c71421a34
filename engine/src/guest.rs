//! One call into the module: a fresh store with its limits, an instance, the request written in, the answer
//! read out, and every failure classified into an [`EngineError`].
//!
//! Knows the module's export names and calling convention (see `rec-core-module`); knows nothing about JSON.

use crate::error::EngineError;
use crate::limits::Limits;
use wasmtime::{
    Extern, Instance, InstancePre, Memory, Module, ModuleExport, ResourceLimiter, Store, Trap, TypedFunc, WasmParams,
    WasmResults,
};

/// Epoch ticks granted to read the panic message out of a trapped instance (the copy takes microseconds).
const PANIC_READ_TICKS: u64 = 10;
/// Longest panic message copied out of the guest.
const PANIC_MESSAGE_MAX: u32 = 16 << 10;

/// The store's data: the memory cap, and whether the guest ran into it.
pub(crate) struct Guest {
    memory_bytes: usize,
    hit_memory_limit: bool,
}

impl ResourceLimiter for Guest {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            // Trap at once (rather than `memory.grow` returning -1) so the call ends here, with a clear cause.
            self.hit_memory_limit = true;
            wasmtime::bail!("memory limit of {} bytes reached (wanted {desired})", self.memory_bytes);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }

    fn memories(&self) -> usize {
        1
    }
}

/// One export of the module: its name (for errors) and where it is, found once when the engine is built.
struct Export {
    name: &'static str,
    index: ModuleExport,
}

/// The module's exports, found by name once per engine: a fresh instance per call then takes each by index
/// (no name hashing), and only the ones the call uses (`rec_panic_message` only after a trap).
pub(crate) struct ExportIndex {
    memory: Export,
    alloc: Export,
    call: Export,
    panic_message: Export,
    abi_version: Export,
}

impl ExportIndex {
    /// Finds every export the engine calls; a module that lacks any is refused at load (naming all it lacks),
    /// not at its first call.
    pub(crate) fn find(module: &Module) -> Result<Self, EngineError> {
        let mut missing = Vec::new();
        let mut find = |name: &'static str| {
            let index = module.get_export_index(name);
            if index.is_none() {
                missing.push(format!("`{name}`"));
            }
            index.map(|index| Export { name, index })
        };
        let found = (
            find("memory"),
            find("rec_alloc"),
            find("rec_call"),
            find("rec_panic_message"),
            find("rec_abi_version"),
        );
        match found {
            (Some(memory), Some(alloc), Some(call), Some(panic_message), Some(abi_version)) => Ok(Self {
                memory,
                alloc,
                call,
                panic_message,
                abi_version,
            }),
            _ => Err(EngineError::Compile(format!(
                "the module lacks the exports {}",
                missing.join(", ")
            ))),
        }
    }
}

/// A store with the limits applied and an instance of the module in it.
pub(crate) struct Session<'a> {
    store: Store<Guest>,
    instance: Instance,
    exports: &'a ExportIndex,
}

impl<'a> Session<'a> {
    pub(crate) fn new(
        pre: &InstancePre<Guest>,
        exports: &'a ExportIndex,
        limits: &Limits,
    ) -> Result<Self, EngineError> {
        let guest = Guest {
            memory_bytes: limits.memory_bytes,
            hit_memory_limit: false,
        };
        let mut store = Store::new(pre.module().engine(), guest);
        store.limiter(|guest| guest);
        store.set_epoch_deadline(limits.deadline_ticks());
        let instance = match pre.instantiate(&mut store) {
            Ok(instance) => instance,
            Err(e) if store.data().hit_memory_limit => return Err(classify_plain(&store, e)),
            Err(e) => return Err(EngineError::Compile(format!("instantiation failed: {e}"))),
        };
        Ok(Self {
            store,
            instance,
            exports,
        })
    }

    fn export(&mut self, export: &Export) -> Result<Extern, EngineError> {
        self.instance
            .get_module_export(&mut self.store, &export.index)
            .ok_or_else(|| EngineError::Compile(format!("export `{}` is not in this instance", export.name)))
    }

    fn func<P: WasmParams, R: WasmResults>(&mut self, export: &Export) -> Result<TypedFunc<P, R>, EngineError> {
        self.export(export)?
            .into_func()
            .ok_or_else(|| EngineError::Compile(format!("export `{}` is not a function", export.name)))?
            .typed(&self.store)
            .map_err(|e| EngineError::Compile(format!("export `{}`: {e}", export.name)))
    }

    fn memory(&mut self) -> Result<Memory, EngineError> {
        let exports = self.exports;
        self.export(&exports.memory)?
            .into_memory()
            .ok_or_else(|| EngineError::Compile("export `memory` is not a memory".into()))
    }

    /// The ABI version from `rec_abi_version`.
    pub(crate) fn abi_version(&mut self) -> Result<u32, EngineError> {
        let exports = self.exports;
        let f: TypedFunc<(), u32> = self.func(&exports.abi_version)?;
        f.call(&mut self.store, ()).map_err(|e| classify_plain(&self.store, e))
    }

    /// Calls operation `op` with `input`; the raw answer bytes. Ends the session: the instance is dropped with
    /// the request and the answer still allocated in it (the ABI allows it), since freeing them would be two
    /// more calls into the guest for memory that no later call reuses (its pool slot is reset).
    pub(crate) fn call(mut self, op: u32, input: &[u8]) -> Result<Vec<u8>, EngineError> {
        let exports = self.exports;
        let memory = self.memory()?;
        let alloc: TypedFunc<u32, u32> = self.func(&exports.alloc)?;
        let call: TypedFunc<(u32, u32, u32), u64> = self.func(&exports.call)?;
        let len = u32::try_from(input.len()).map_err(|_| EngineError::OutOfMemory)?;
        let ptr = alloc.call(&mut self.store, len).map_err(|e| self.classify(memory, e))?;
        memory
            .write(&mut self.store, ptr as usize, input)
            .map_err(|e| EngineError::BadAnswer(format!("rec_alloc returned an unusable buffer: {e}")))?;
        let packed = call
            .call(&mut self.store, (op, ptr, len))
            .map_err(|e| self.classify(memory, e))?;
        let (answer_ptr, answer_len) = rec_core_module::unpack(packed);
        read(&self.store, memory, answer_ptr, answer_len)
    }

    /// Turns a failed guest call into a typed error, reading the panic message when the guest aborted.
    fn classify(&mut self, memory: Memory, error: wasmtime::Error) -> EngineError {
        if error.downcast_ref::<Trap>() == Some(&Trap::UnreachableCodeReached)
            && !self.store.data().hit_memory_limit
            && let Some(message) = self.panic_message(memory)
        {
            return EngineError::Panic(message);
        }
        classify_plain(&self.store, error)
    }

    fn panic_message(&mut self, memory: Memory) -> Option<String> {
        let exports = self.exports;
        let f: TypedFunc<(), u64> = self.func(&exports.panic_message).ok()?;
        self.store.set_epoch_deadline(PANIC_READ_TICKS);
        let packed = f.call(&mut self.store, ()).ok()?;
        if packed == 0 {
            return None;
        }
        let (ptr, len) = rec_core_module::unpack(packed);
        let bytes = read(&self.store, memory, ptr, len.min(PANIC_MESSAGE_MAX)).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Classifies a failure without asking the guest anything.
fn classify_plain(store: &Store<Guest>, error: wasmtime::Error) -> EngineError {
    if store.data().hit_memory_limit {
        return EngineError::OutOfMemory;
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) | Some(Trap::OutOfFuel) => EngineError::Timeout,
        Some(trap) => EngineError::Trap(trap.to_string()),
        None => EngineError::Trap(error.to_string()),
    }
}

/// Copies `len` bytes at `ptr` out of guest memory.
fn read(store: &Store<Guest>, memory: Memory, ptr: u32, len: u32) -> Result<Vec<u8>, EngineError> {
    let data = memory.data(store);
    let start = ptr as usize;
    let end = start
        .checked_add(len as usize)
        .filter(|end| *end <= data.len())
        .ok_or_else(|| {
            EngineError::BadAnswer(format!(
                "answer at {ptr}+{len} lies outside guest memory of {} bytes",
                data.len()
            ))
        })?;
    Ok(data[start..end].to_vec())
}
