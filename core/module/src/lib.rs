//! The core as one WebAssembly module: [`rec_core::abi::call_only`] behind a handful of exports, importing nothing.
//!
//! Built for `wasm32-unknown-unknown` by `engine/build.rs` (release profile: LTO, `opt-level = 3`,
//! `panic = "abort"`). A pure function of its input: no WASI, no wasm-bindgen glue, no clock, no randomness.
//! Its allocator (`alloc.rs`) serves a call from an arena in the initial memory before it grows memory.
//!
//! # Module ABI (version [`rec_core::abi::ABI_VERSION`])
//! All integers are wasm `i32`/`i64`; pointers are offsets into the exported `memory`.
//!
//! | export | signature | meaning |
//! |---|---|---|
//! | `memory` | memory | the linear memory requests and answers live in |
//! | `rec_abi_version` | `() -> i32` | [`rec_core::abi::ABI_VERSION`]; a host refuses a version it does not know |
//! | `rec_alloc` | `(len: i32) -> i32` | a buffer of `len` bytes the host writes a request into |
//! | `rec_free` | `(ptr: i32, len: i32)` | frees a request buffer or an answer |
//! | `rec_call` | `(op: i32, ptr: i32, len: i32) -> i64` | answers the request at `ptr..ptr+len` |
//! | `rec_panic_message` | `() -> i64` | the message of the last panic, or 0 |
//!
//! `rec_call` returns the answer as `(answer_ptr << 32) | answer_len`; for the operations the module answers,
//! the answer is the exact bytes [`rec_core::abi::call`] returns natively (`{"ok": ...}` or
//! `{"error": {"kind", "message"}}`). The host owns both buffers afterwards and frees them with `rec_free` (or
//! drops the whole instance).
//!
//! # Panics
//! Bad input is an error answer, never a trap. Should the core still panic, `panic = "abort"` on this target
//! means the panic cannot be caught: the panic hook installed by `rec_call` records the message, the abort
//! traps (`unreachable`), and the host reads the message with `rec_panic_message` on the trapped instance
//! (`rec-engine` turns this into `EngineError::Panic(message)`).
//!
//! # Operations
//! The module answers [`MODULE_OPS`]: every operation but `Crd`, which answers `Unsupported`.
//!
//! The exports exist only on `wasm32` (they pack 32-bit pointers); natively this crate is empty apart from
//! [`pack`], [`unpack`] and [`MODULE_OPS`], which the engine and the tests share.

use rec_core::abi::{ALL_OPS, Op, op_set};

/// What the module answers: every operation but `Crd`.
///
/// Why not `Crd`: the CRD is the same text for every request of a core version, and nothing asks a running
/// engine for it (`rec-operator crd` prints it from the native core; the manifests in `deploy/` are built from
/// it). Generating it links schemars, the Kubernetes API's documentation text and a `Debug` impl for every
/// type: 48% of the module (3.7 -> 1.9 MB) and 697 of its 973 indirect-call table entries. Every fresh
/// instance paid for them: a table over one page is reset with a second `PAGEMAP_SCAN` ioctl, and the data
/// segments are part of the memory the reset walks (`rec-bench --profile fresh`, bench/README.md). Compiling
/// the module takes 1.9 s instead of 2.2 s and its precompiled artifact is 4.7 instead of 8.8 MiB; the cold
/// start's memory peak did not move measurably (378-387 MiB: the largest functions set it).
pub const MODULE_OPS: u32 = ALL_OPS & !op_set(&[Op::Crd]);

/// Packs an answer's pointer and length into the `i64` `rec_call` returns.
pub fn pack(ptr: u32, len: u32) -> u64 {
    (u64::from(ptr) << 32) | u64::from(len)
}

/// Splits a packed answer into `(ptr, len)`.
pub fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

#[cfg(target_arch = "wasm32")]
mod alloc;
#[cfg(target_arch = "wasm32")]
mod exports;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_round_trips() {
        for (ptr, len) in [(0, 0), (1, 2), (u32::MAX, 7), (65_536, u32::MAX)] {
            assert_eq!(unpack(pack(ptr, len)), (ptr, len));
        }
        assert_eq!(pack(1, 2), 0x1_0000_0002);
    }
}
