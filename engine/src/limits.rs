//! The bounds every call runs under: a wall-clock deadline (wasmtime epoch interruption) and a memory cap.
//!
//! An epoch deadline rather than fuel. Fuel counts instructions: the same request stops at the same point on
//! every machine, but the guest pays for the counting on every basic block (fuel made the core module 36–56%
//! slower than no bound, measured by `rec-bench`, see bench/README.md). An epoch check is a load and compare
//! at function entries and loop heads (15–23% in the same run), and a ticker thread per engine (`epoch.rs`)
//! advances the epoch every [`TICK`]. The price: the bound is time, not work, so a call near its limit may pass on an idle machine and
//! time out on a loaded one, and a runaway stops after `timeout` plus at most one tick. Calls take micro- to
//! milliseconds and the default allows seconds, so only a runaway ever meets it. A zero timeout stops a call at
//! its first function entry (tests use it for a deterministic `Timeout`).

use std::time::Duration;

/// How often the engine's ticker advances the epoch: the granularity of [`Limits::timeout`].
pub const TICK: Duration = Duration::from_millis(10);

/// Per-call limits. Each call runs in a fresh store, so a call can never use up the budget of the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time a call may run before it is stopped with `EngineError::Timeout` (rounded up to
    /// [`TICK`]s, plus at most one tick).
    pub timeout: Duration,
    /// Bytes of linear memory the guest may grow to; beyond that the call fails with `EngineError::OutOfMemory`.
    pub memory_bytes: usize,
}

impl Limits {
    /// Default timeout: the largest real request (the CRD, a full render of 35 nodes) takes about a
    /// millisecond, so this only ever stops a runaway, even on a heavily loaded machine.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
    /// Default memory cap: 256 MiB, room for a few MiB of request plus the parsed copies the core makes.
    pub const DEFAULT_MEMORY_BYTES: usize = 256 << 20;

    /// The epoch deadline for [`Limits::timeout`], in ticks beyond the current epoch. The current tick may be
    /// about to end, so one tick is added: a call always gets at least `timeout`. Zero stays zero (stop at once).
    pub(crate) fn deadline_ticks(&self) -> u64 {
        if self.timeout.is_zero() {
            return 0;
        }
        // Capped far beyond any real timeout (2^62 ticks are over a billion years) so that wasmtime's
        // `current epoch + ticks` cannot overflow.
        const MOST: u64 = 1 << 62;
        let ticks = self.timeout.as_nanos().div_ceil(TICK.as_nanos());
        u64::try_from(ticks).unwrap_or(MOST).saturating_add(1).min(MOST)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            memory_bytes: Self::DEFAULT_MEMORY_BYTES,
        }
    }
}

/// How each call gets its instance (see engine/README.md for the measured figures behind the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// A fresh instance from the pre-linked module in a fresh store, memory mapped copy-on-write from the
    /// module image and unmapped afterwards: every page the call touches is a page fault. No pool to size.
    OnDemand,
    /// Wasmtime's pooling allocator: `slots` instance slots reserved up front (virtual memory only) and reused;
    /// a slot's memory is reset with `memset` and stays resident, so a call takes no page faults. At most
    /// `slots` calls run at once; a further call waits for a slot to free up (it never fails for want of one).
    Pooling { slots: u32 },
}

impl Strategy {
    /// The default pool: enough slots for the operator's workers and the webhook running at once.
    pub const DEFAULT_SLOTS: u32 = 32;
}

impl Default for Strategy {
    fn default() -> Self {
        Strategy::Pooling {
            slots: Self::DEFAULT_SLOTS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_covers_the_timeout_plus_one_tick() {
        let limits = |ms| Limits {
            timeout: Duration::from_millis(ms),
            ..Limits::default()
        };
        assert_eq!(limits(0).deadline_ticks(), 0);
        assert_eq!(limits(1).deadline_ticks(), 2);
        assert_eq!(limits(10).deadline_ticks(), 2);
        assert_eq!(limits(11).deadline_ticks(), 3);
        assert_eq!(Limits::default().deadline_ticks(), 201);
        let forever = Limits {
            timeout: Duration::MAX,
            ..Limits::default()
        };
        assert_eq!(forever.deadline_ticks(), 1 << 62);
    }
}
