//! The core module with ONE instance reused for every call: the baseline that isolates what `rec-engine`'s
//! fresh instance per call costs. Speaks the module ABI directly (`rec_alloc`, `rec_call`, `rec_free`, answer
//! packed as `ptr << 32 | len`; see `core/module`).
//!
//! Benchmark only: no memory cap, no trap recovery, no panic message. The engine deliberately does not reuse
//! instances (see engine/README.md); this exists to measure what that choice costs.

use wasmtime::{Config, Engine, Instance, Memory, Module, Store, TypedFunc};

/// How the guest code is bounded in time: the instrumentation compiled into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Nothing: the module alone.
    None,
    /// An epoch deadline, as `rec-engine` runs (a check at function entries and loop heads).
    Epoch,
    /// Fuel metering, as `rec-engine` ran before (a counter update per basic block).
    Fuel,
}

/// What can go wrong in a reused-instance call.
#[derive(Debug, thiserror::Error)]
pub enum ReusedError {
    #[error("wasmtime: {0}")]
    Wasmtime(String),
    #[error("the module lacks the export `{0}`")]
    Export(&'static str),
    #[error("the answer lies outside guest memory")]
    OutOfBounds,
    #[error("the request is larger than 4 GiB")]
    TooLarge,
}

impl From<wasmtime::Error> for ReusedError {
    fn from(e: wasmtime::Error) -> Self {
        ReusedError::Wasmtime(format!("{e:#}"))
    }
}

/// One store, one instance, kept for every call.
pub struct Reused {
    store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    call: TypedFunc<(u32, u32, u32), u64>,
    bound: Bound,
}

impl Reused {
    /// Compiles `wasm` with the instrumentation of `bound` and instantiates it once.
    pub fn new(wasm: &[u8], bound: Bound) -> Result<Self, ReusedError> {
        Self::with_config(wasm, bound, Config::new())
    }

    /// Like [`Reused::new`], and wasmtime writes `/tmp/perf-<pid>.map` so `perf report` names the guest's
    /// functions (`rec-bench --profile`; wasmtime 48 needs no cargo feature for the perf map).
    pub fn with_perf_map(wasm: &[u8], bound: Bound) -> Result<Self, ReusedError> {
        let mut config = Config::new();
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        Self::with_config(wasm, bound, config)
    }

    fn with_config(wasm: &[u8], bound: Bound, mut config: Config) -> Result<Self, ReusedError> {
        config.consume_fuel(bound == Bound::Fuel);
        config.epoch_interruption(bound == Bound::Epoch);
        let engine = Engine::new(&config)?;
        let module = Module::new(&engine, wasm)?;
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[])?;
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or(ReusedError::Export("memory"))?;
        let mut reused = Self {
            alloc: instance.get_typed_func(&mut store, "rec_alloc")?,
            free: instance.get_typed_func(&mut store, "rec_free")?,
            call: instance.get_typed_func(&mut store, "rec_call")?,
            store,
            memory,
            bound,
        };
        reused.rearm()?;
        Ok(reused)
    }

    /// A budget no benchmark call reaches (nothing advances the epoch here; the checks still run).
    fn rearm(&mut self) -> Result<(), ReusedError> {
        match self.bound {
            Bound::None => {}
            Bound::Epoch => self.store.set_epoch_deadline(u64::MAX / 2),
            Bound::Fuel => self.store.set_fuel(u64::MAX)?,
        }
        Ok(())
    }

    /// Answers one request in the kept instance; the raw answer bytes.
    pub fn call(&mut self, op: u32, input: &[u8]) -> Result<Vec<u8>, ReusedError> {
        self.rearm()?;
        let len = u32::try_from(input.len()).map_err(|_| ReusedError::TooLarge)?;
        let ptr = self.alloc.call(&mut self.store, len)?;
        self.memory
            .write(&mut self.store, ptr as usize, input)
            .map_err(|_| ReusedError::OutOfBounds)?;
        let packed = self.call.call(&mut self.store, (op, ptr, len))?;
        let (answer_ptr, answer_len) = ((packed >> 32) as u32, packed as u32);
        let start = answer_ptr as usize;
        let answer = self
            .memory
            .data(&self.store)
            .get(start..start + answer_len as usize)
            .ok_or(ReusedError::OutOfBounds)?
            .to_vec();
        self.free.call(&mut self.store, (ptr, len))?;
        self.free.call(&mut self.store, (answer_ptr, answer_len))?;
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::abi::Op;

    #[test]
    fn answers_like_the_native_core_call_after_call() {
        let request = br#"{"object": {"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
            "metadata": {"name": "rec"}, "spec": {"nodes": 4}}}"#;
        // One bound only: each compiles the 6 MiB module (the bench checks every answer of the others).
        let mut reused = Reused::new(rec_engine::EMBEDDED_MODULE, Bound::Epoch).unwrap();
        for _ in 0..3 {
            let answer = reused.call(Op::Validate as u32, request).unwrap();
            assert_eq!(answer, rec_core::abi::call(Op::Validate as u32, request));
        }
    }
}
