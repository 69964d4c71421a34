//! Every corpus case through the native core and the core module in wasmtime: byte-identical answers that
//! meet the case's expectation.

use rec_wasm_tests::{EntryPoint, Native, Wasmtime, corpus_dir, load, run_case};
use std::time::Instant;

fn engine() -> rec_engine::Engine {
    rec_engine::Engine::builder()
        .cache_dir(concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache"))
        .embedded()
        .expect("the embedded core module loads")
}

#[test]
fn every_case_agrees_on_every_entry_point() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let wasmtime = Wasmtime(engine());
    let others: [&dyn EntryPoint; 1] = [&wasmtime];
    let started = Instant::now();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run_case(case, &others)
                .err()
                .map(|problems| format!("{}: {}", case.name, problems.join("; ")))
        })
        .collect();
    eprintln!(
        "{} cases through {} and {} in {:?}",
        cases.len(),
        Native.name(),
        others.iter().map(|e| e.name()).collect::<Vec<_>>().join(", "),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
