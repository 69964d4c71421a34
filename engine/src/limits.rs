//! The bounds every call runs under: an instruction budget (fuel) and a memory cap.
//!
//! Fuel rather than an epoch deadline: it needs no ticker thread, and the same request is stopped at the same
//! point on every machine, so a runaway is reproducible in a test. The price is a few percent of guest speed.

/// Per-call limits. Each call runs in a fresh store, so a call can never use up the budget of the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wasm instructions (roughly) a call may execute before it is stopped with `EngineError::Timeout`.
    pub fuel: u64,
    /// Bytes of linear memory the guest may grow to; beyond that the call fails with `EngineError::OutOfMemory`.
    pub memory_bytes: usize,
}

impl Limits {
    /// Default fuel: generous for the largest real request (the CRD, a full render) — those take well under a
    /// tenth of it — while stopping a loop in about a second.
    pub const DEFAULT_FUEL: u64 = 2_000_000_000;
    /// Default memory cap: 256 MiB, room for a few MiB of request plus the parsed copies the core makes.
    pub const DEFAULT_MEMORY_BYTES: usize = 256 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            fuel: Self::DEFAULT_FUEL,
            memory_bytes: Self::DEFAULT_MEMORY_BYTES,
        }
    }
}

/// How each call gets its instance (see the crate docs for the measured figures behind the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// A fresh instance from the pre-linked module in a fresh store, memory mapped copy-on-write from the
    /// module image. No shared state between calls, no pool to size.
    #[default]
    OnDemand,
    /// Wasmtime's pooling allocator: instance slots reserved up front and reused. At most `slots` calls run at
    /// once; further concurrent calls fail to instantiate.
    Pooling { slots: u32 },
}
