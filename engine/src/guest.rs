//! One call into the module: a fresh store with its limits, an instance, the request written in, the answer
//! read out, and every failure classified into an [`EngineError`].
//!
//! Knows the module's export names and calling convention (see `rec-core-module`); knows nothing about JSON.

use crate::error::EngineError;
use crate::limits::Limits;
use wasmtime::{Instance, InstancePre, Memory, ResourceLimiter, Store, Trap, TypedFunc};

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

/// The module's exports, looked up once per instance.
struct Exports {
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    call: TypedFunc<(u32, u32, u32), u64>,
    panic_message: TypedFunc<(), u64>,
}

impl Exports {
    fn get(store: &mut Store<Guest>, instance: &Instance) -> Result<Self, EngineError> {
        let missing = |what: &str, e: wasmtime::Error| EngineError::Compile(format!("export `{what}`: {e}"));
        Ok(Self {
            memory: instance
                .get_memory(&mut *store, "memory")
                .ok_or_else(|| EngineError::Compile("the module exports no `memory`".into()))?,
            alloc: instance
                .get_typed_func(&mut *store, "rec_alloc")
                .map_err(|e| missing("rec_alloc", e))?,
            call: instance
                .get_typed_func(&mut *store, "rec_call")
                .map_err(|e| missing("rec_call", e))?,
            panic_message: instance
                .get_typed_func(&mut *store, "rec_panic_message")
                .map_err(|e| missing("rec_panic_message", e))?,
        })
    }
}

/// A store with the limits applied and an instance of the module in it.
pub(crate) struct Session {
    store: Store<Guest>,
    instance: Instance,
}

impl Session {
    pub(crate) fn new(pre: &InstancePre<Guest>, limits: &Limits) -> Result<Self, EngineError> {
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
        Ok(Self { store, instance })
    }

    /// The ABI version from `rec_abi_version`.
    pub(crate) fn abi_version(&mut self) -> Result<u32, EngineError> {
        let f: TypedFunc<(), u32> = self
            .instance
            .get_typed_func(&mut self.store, "rec_abi_version")
            .map_err(|e| EngineError::Compile(format!("export `rec_abi_version`: {e}")))?;
        f.call(&mut self.store, ()).map_err(|e| classify_plain(&self.store, e))
    }

    /// Calls operation `op` with `input`; the raw answer bytes. Ends the session: the instance is dropped with
    /// the request and the answer still allocated in it (the ABI allows it), since freeing them would be two
    /// more calls into the guest for memory that no later call reuses (its pool slot is reset).
    pub(crate) fn call(mut self, op: u32, input: &[u8]) -> Result<Vec<u8>, EngineError> {
        let ex = Exports::get(&mut self.store, &self.instance)?;
        let len = u32::try_from(input.len()).map_err(|_| EngineError::OutOfMemory)?;
        let ptr = ex.alloc.call(&mut self.store, len).map_err(|e| self.classify(&ex, e))?;
        ex.memory
            .write(&mut self.store, ptr as usize, input)
            .map_err(|e| EngineError::BadAnswer(format!("rec_alloc returned an unusable buffer: {e}")))?;
        let packed = ex
            .call
            .call(&mut self.store, (op, ptr, len))
            .map_err(|e| self.classify(&ex, e))?;
        let (answer_ptr, answer_len) = rec_core_module::unpack(packed);
        read(&self.store, ex.memory, answer_ptr, answer_len)
    }

    /// Turns a failed guest call into a typed error, reading the panic message when the guest aborted.
    fn classify(&mut self, ex: &Exports, error: wasmtime::Error) -> EngineError {
        if error.downcast_ref::<Trap>() == Some(&Trap::UnreachableCodeReached)
            && !self.store.data().hit_memory_limit
            && let Some(message) = self.panic_message(ex)
        {
            return EngineError::Panic(message);
        }
        classify_plain(&self.store, error)
    }

    fn panic_message(&mut self, ex: &Exports) -> Option<String> {
        self.store.set_epoch_deadline(PANIC_READ_TICKS);
        let packed = ex.panic_message.call(&mut self.store, ()).ok()?;
        if packed == 0 {
            return None;
        }
        let (ptr, len) = rec_core_module::unpack(packed);
        let bytes = read(&self.store, ex.memory, ptr, len.min(PANIC_MESSAGE_MAX)).ok()?;
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
