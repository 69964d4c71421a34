//! Arbitrary bytes into `rec_core::abi::call` for every operation (the first byte picks it; one past the last is an unknown
//! operation). Invariant: the answer is JSON with exactly `ok` or `error` (a known kind and a message), never a
//! panic (libfuzzer-sys aborts on any panic, even one the ABI would catch and answer as `Panic`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rec_core::abi::{Op, call};

fuzz_target!(|data: &[u8]| {
    let Some((first, input)) = data.split_first() else {
        return;
    };
    let op = u32::from(*first) % (Op::ALL.len() as u32 + 1);
    // The CRD ignores its input and is rebuilt on every call (slow, and the same every time): the corpus and
    // `tests` cover it; here it would only eat the time budget.
    if op == Op::Crd as u32 {
        return;
    }
    let answer = call(op, input);
    rec_fuzz::check_envelope(op, &answer);
});
