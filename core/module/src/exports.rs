//! The module's exports (wasm32 only): memory hand-over, the call, the ABI version and the last panic message.
//!
//! Pointers are `u32` offsets into linear memory; every buffer crossing the boundary is a boxed byte slice
//! whose capacity equals its length, so `rec_free(ptr, len)` can rebuild and drop it.

use crate::pack;
use std::sync::{Mutex, Once};

/// The message of the last panic, set by the hook just before the abort traps.
static PANIC_MESSAGE: Mutex<Option<Box<[u8]>>> = Mutex::new(None);
static HOOK: Once = Once::new();

fn record_panic(info: &std::panic::PanicHookInfo<'_>) {
    let text = info.payload_as_str().unwrap_or("the core panicked");
    let message = match info.location() {
        Some(at) => format!("{text} (at {}:{})", at.file(), at.line()),
        None => text.to_string(),
    };
    let mut slot = PANIC_MESSAGE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    *slot = Some(message.into_bytes().into_boxed_slice());
}

/// Hands a boxed slice to the host as `(ptr, len)`.
fn leak(bytes: Box<[u8]>) -> (u32, u32) {
    let len = bytes.len() as u32;
    let ptr = Box::into_raw(bytes) as *mut u8 as usize as u32;
    (ptr, len)
}

/// The ABI version this module speaks.
#[unsafe(no_mangle)]
pub extern "C" fn rec_abi_version() -> u32 {
    rec_core::abi::ABI_VERSION
}

/// A zeroed buffer of `len` bytes for the host to write a request into.
#[unsafe(no_mangle)]
pub extern "C" fn rec_alloc(len: u32) -> u32 {
    leak(vec![0u8; len as usize].into_boxed_slice()).0
}

/// Frees a buffer from `rec_alloc` or an answer from `rec_call`.
///
/// # Safety
/// `ptr` and `len` must describe a buffer this module handed out and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rec_free(ptr: u32, len: u32) {
    let slice = std::ptr::slice_from_raw_parts_mut(ptr as usize as *mut u8, len as usize);
    // SAFETY: the caller guarantees the buffer came from `leak` with exactly this length.
    drop(unsafe { Box::from_raw(slice) });
}

/// Answers the request at `ptr..ptr+len` with operation `op` (one of [`crate::MODULE_OPS`]; any other answers
/// `Unsupported`); returns the packed answer.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory (a buffer from `rec_alloc`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rec_call(op: u32, ptr: u32, len: u32) -> u64 {
    HOOK.call_once(|| std::panic::set_hook(Box::new(record_panic)));
    // SAFETY: the caller guarantees the range is a live buffer.
    let input = unsafe { std::slice::from_raw_parts(ptr as usize as *const u8, len as usize) };
    let (ptr, len) = leak(rec_core::abi::call_only::<{ crate::MODULE_OPS }>(op, input).into_boxed_slice());
    pack(ptr, len)
}

/// The message of the last panic as a packed `(ptr, len)`, or 0 when nothing panicked. The module keeps
/// ownership: the host copies it and does not free it.
#[unsafe(no_mangle)]
pub extern "C" fn rec_panic_message() -> u64 {
    let slot = PANIC_MESSAGE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match slot.as_deref() {
        Some(message) => pack(message.as_ptr() as usize as u32, message.len() as u32),
        None => 0,
    }
}
