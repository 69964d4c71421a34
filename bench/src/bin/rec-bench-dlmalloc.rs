//! `rec-bench-dlmalloc`: the native core on the allocator the core module runs on, for section 1's
//! like-for-like wasm/native ratio. The core module (`wasm32-unknown-unknown`) allocates with `dlmalloc`
//! 0.2.11, the version std uses on wasm32 (over an arena in its initial memory: `core/module/src/alloc.rs`);
//! natively `rec-bench` runs on glibc's malloc, so a wasm/native ratio mixes the code generator with the
//! allocator. This binary is the same native core with that `dlmalloc` as its global allocator.
//!
//! A process has one global allocator, hence a separate binary: `rec-bench` starts it once per figure with
//! `OP WARMUP SAMPLES` and the request on standard input; it prints the samples (nanoseconds, comma separated)
//! on the first line and the answer bytes after it, which `rec-bench` checks against its own native answer.
//! One difference stays: natively `GlobalDlmalloc` takes an uncontended pthread mutex per allocation (two
//! atomic operations), which the single-threaded wasm32 build does without.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

fn main() -> ExitCode {
    let args: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let [op, warmup, samples] = args[..] else {
        eprintln!("usage: rec-bench-dlmalloc OP WARMUP SAMPLES < request");
        return ExitCode::FAILURE;
    };
    let mut request = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut request) {
        eprintln!("rec-bench-dlmalloc: cannot read the request: {e}");
        return ExitCode::FAILURE;
    }
    for _ in 0..warmup {
        std::hint::black_box(rec_core::abi::call(op, std::hint::black_box(&request)));
    }
    let mut times = Vec::with_capacity(samples as usize);
    for _ in 0..samples {
        let started = Instant::now();
        std::hint::black_box(rec_core::abi::call(op, std::hint::black_box(&request)));
        times.push(started.elapsed().as_nanos().to_string());
    }
    let answer = rec_core::abi::call(op, &request);
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{}", times.join(","))
        .and_then(|()| out.write_all(&answer))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rec-bench-dlmalloc: cannot write the result: {e}");
            ExitCode::FAILURE
        }
    }
}
