//! The module's global allocator: dlmalloc, the allocator std itself uses on wasm32, whose first region is an
//! arena in the module's initial memory instead of pages from `memory.grow`.
//!
//! Why: the engine answers every call with a fresh instance (`rec-engine`'s pooling allocator). std's dlmalloc
//! gets all its memory from `memory.grow`, so every fresh instance grew its memory on its first allocation;
//! wasmtime makes grown pages of a pool slot accessible with `mprotect`, and the next instance in that slot
//! makes them inaccessible again. `rec-bench --profile fresh` found that `mprotect` to be 15% of a fresh
//! validate call. The arena is a zeroed static, so it lies in the module's initial memory (`.bss`: it adds no
//! byte to the module file) and a call that fits in it never grows memory. A call that needs more grows memory
//! as before: dlmalloc adds the grown pages as a further segment.
//!
//! What this deliberately does not do: replace dlmalloc (its reuse of freed chunks keeps a call's peak memory
//! where std's allocator had it), or give memory back (neither did std's: a call's instance is dropped whole).

use dlmalloc::{Allocator, Dlmalloc};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::{Cell, UnsafeCell};

// One thread only: without the `atomics` target feature a wasm32 module has no threads, which is what makes the
// unsynchronised `Sync` impls below sound.
#[cfg(target_feature = "atomics")]
compile_error!("the core module's allocator assumes a single-threaded wasm32 target");

/// The arena's size: twice what a call on a real REC allocates (`rec-bench` section 5: the 35-node render
/// peaks a quarter MiB above the initial memory). Not larger: the whole arena counts against every call's memory
/// cap (the operator's 32 MiB), used or not.
const ARENA_BYTES: usize = 512 << 10;

/// Size of a wasm page, the unit of `memory.grow`.
const WASM_PAGE: usize = 64 * 1024;

/// The arena's bytes; only [`ArenaFirst::alloc`] hands them out, once, to dlmalloc.
#[repr(C, align(16))]
struct Arena(UnsafeCell<[u8; ARENA_BYTES]>);

// SAFETY: single-threaded target (see the `compile_error!` above); dlmalloc owns the bytes after the hand-over.
unsafe impl Sync for Arena {}

static ARENA: Arena = Arena(UnsafeCell::new([0; ARENA_BYTES]));

/// dlmalloc's system allocator: the arena first, then `memory.grow` (as dlmalloc's own wasm `System` does).
struct ArenaFirst {
    arena_given: Cell<bool>,
}

/// dlmalloc's flag for a region it did not get from the system and must never release or merge.
const EXTERN_SEGMENT: u32 = 1;

// SAFETY: `alloc` returns regions that are unused, writable and zeroed (the arena is a zeroed static handed out
// once; wasm zeroes grown pages), and never overlap; nothing is ever released.
unsafe impl Allocator for ArenaFirst {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        if !self.arena_given.get() && size <= ARENA_BYTES {
            self.arena_given.set(true);
            return (ARENA.0.get().cast(), ARENA_BYTES, EXTERN_SEGMENT);
        }
        let pages = size.div_ceil(WASM_PAGE);
        let previous = core::arch::wasm32::memory_grow(0, pages);
        if previous == usize::MAX {
            return (std::ptr::null_mut(), 0, 0);
        }
        let (base, size) = (previous * WASM_PAGE, pages * WASM_PAGE);
        // As dlmalloc's own wasm `System`: a region ending at the very top of the 32-bit address space would
        // make `base + size` wrap to 0, which no Rust pointer may do; leave its last bytes unused.
        let size = if base.wrapping_add(size) == 0 { size - 16 } else { size };
        (base as *mut u8, size, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        std::ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        WASM_PAGE
    }
}

/// The `#[global_allocator]`: one dlmalloc over [`ArenaFirst`].
struct Global(UnsafeCell<Dlmalloc<ArenaFirst>>);

// SAFETY: single-threaded target (see the `compile_error!` above), and no allocation re-enters the allocator.
unsafe impl Sync for Global {}

#[global_allocator]
static GLOBAL: Global = Global(UnsafeCell::new(Dlmalloc::new_with_allocator(ArenaFirst {
    arena_given: Cell::new(false),
})));

impl Global {
    /// The one dlmalloc.
    ///
    /// # Safety
    /// No other reference to it may be live: true on one thread, as no dlmalloc call re-enters the allocator.
    #[allow(clippy::mut_from_ref)]
    unsafe fn dlmalloc(&self) -> &mut Dlmalloc<ArenaFirst> {
        // SAFETY: see the function's contract.
        unsafe { &mut *self.0.get() }
    }
}

// SAFETY: forwards to dlmalloc, which keeps `GlobalAlloc`'s contract (its own `GlobalDlmalloc` does the same).
unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread; the caller keeps `GlobalAlloc::alloc`'s contract.
        unsafe { self.dlmalloc().malloc(layout.size(), layout.align()) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { self.dlmalloc().calloc(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`; `ptr` came from this allocator with `layout`.
        unsafe { self.dlmalloc().free(ptr, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`.
        unsafe { self.dlmalloc().realloc(ptr, layout.size(), layout.align(), new_size) }
    }
}
