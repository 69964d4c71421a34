//! Back-pressure for the pooling allocator: one permit per pool slot, so a call beyond the pool's size waits
//! for a slot instead of failing to instantiate ("pool exhausted" is not a failure callers should see).
//!
//! A plain counting semaphore (mutex + condvar): the engine is synchronous, and a wait here is as long as one
//! call. Permits are released on drop, so a trap or an early return never leaks a slot.

use std::sync::{Condvar, Mutex, MutexGuard};

/// Free pool slots.
pub(crate) struct Slots {
    free: Mutex<u32>,
    freed: Condvar,
}

/// A held slot, given back on drop.
pub(crate) struct Permit<'a>(&'a Slots);

impl Slots {
    pub(crate) fn new(count: u32) -> Self {
        Self {
            free: Mutex::new(count),
            freed: Condvar::new(),
        }
    }

    /// Takes a slot, waiting for one to be given back when none is free.
    pub(crate) fn acquire(&self) -> Permit<'_> {
        let mut free = self.lock();
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *free -= 1;
        Permit(self)
    }

    // The count is a plain integer, valid whatever a panicking holder was doing: poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, u32> {
        self.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.lock() += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn never_more_holders_than_slots_and_every_waiter_gets_one() {
        let slots = Slots::new(2);
        let holding = AtomicU32::new(0);
        let most = AtomicU32::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        let _permit = slots.acquire();
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        holding.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*slots.lock(), 2);
    }
}
