//! Links the module with a 256 KiB shadow stack instead of Rust's default 1 MiB.
//!
//! Why: the stack comes first in linear memory (`--stack-first`), so it is part of the initial memory, and after
//! every fresh instance's call wasmtime's pool resets the slot with a `PAGEMAP_SCAN` of every accessible page:
//! the kernel walks each page-table entry of the stack too. With 1 MiB that walk was a sixth of a fresh
//! validate call's time more than with 256 KiB (`perf`, `rec-bench --profile fresh`: the kernel's share 31.5% ->
//! 26.2%; bench/README.md). The deepest call of the whole corpus, the 10 MiB cases included, uses 95 KiB;
//! `wasm-tests/tests/stack.rs` holds that to at most half the stack, so a deeper call fails a test before it
//! reaches a user, and a call that still ran deeper would trap (below address 0), never corrupt memory.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={}", 256 << 10);
    }
}
