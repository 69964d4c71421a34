//! Section 1: validate and render, native core vs the core module in wasmtime (one reused instance, and
//! `rec-engine`'s fresh instance per call), on each fixture; the wasm/native and fresh/reused ratios.
//!
//! Native uses the system allocator, the module its own (Rust's default `dlmalloc` on wasm32); the ratio
//! includes that difference.

use crate::fixtures::Fixture;
use crate::reused::Reused;
use crate::table::{Table, ratio, ratio_spread};
use crate::timing::{Plan, measure};
use rec_core::abi::Op;
use rec_engine::{EMBEDDED_MODULE, Engine};

const SECTION: &str = "1 core";

pub fn run(table: &mut Table, plan: Plan, fixtures: &[Fixture]) {
    let engine = match Engine::embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "engine", e),
    };
    let mut reused = match Reused::new(EMBEDDED_MODULE, true) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance", e),
    };
    let mut bare = match Reused::new(EMBEDDED_MODULE, false) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance without fuel", e),
    };
    for fixture in fixtures {
        for op in [Op::Validate, Op::Render] {
            let request = fixture.request(op);
            let name = |how: &str| format!("{} {} — {how}", op_name(op), fixture.name);
            let expected = rec_core::abi::call(op as u32, &request);
            let native = measure(plan, || {
                std::hint::black_box(rec_core::abi::call(op as u32, std::hint::black_box(&request)));
                Ok::<(), String>(())
            });
            let kept = measure(plan, || {
                same(&expected, reused.call(op as u32, &request).map_err(|e| e.to_string()))
            });
            let kept_bare = measure(plan, || {
                same(&expected, bare.call(op as u32, &request).map_err(|e| e.to_string()))
            });
            let fresh = measure(plan, || {
                same(&expected, engine.call(op, &request).map_err(|e| e.to_string()))
            });
            let (native, kept, kept_bare, fresh) = match (native, kept, kept_bare, fresh) {
                (Ok(a), Ok(b), Ok(c), Ok(d)) => (a, b, c, d),
                (a, b, c, d) => {
                    let why = [a.err(), b.err(), c.err(), d.err()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>();
                    table.skipped(SECTION, name("all"), why.join("; "));
                    continue;
                }
            };
            let size = format!("request {} B, answer {} B", request.len(), expected.len());
            table.time(SECTION, name("native"), &native, format!("{}; {size}", fixture.about));
            table.time(
                SECTION,
                name("wasm, reused instance"),
                &kept,
                "fuel metering on, as rec-engine runs",
            );
            table.time(
                SECTION,
                name("wasm, reused instance, no fuel"),
                &kept_bare,
                "the module alone",
            );
            table.time(
                SECTION,
                name("wasm, fresh instance (rec-engine)"),
                &fresh,
                "Engine::call",
            );
            table.value(
                SECTION,
                name("ratio wasm reused / native"),
                ratio(&kept, &native),
                ratio_spread(&kept, &native),
                format!("target <= 1.2x; without fuel {}", ratio(&kept_bare, &native)),
            );
            table.value(
                SECTION,
                name("ratio fresh / reused"),
                ratio(&fresh, &kept),
                ratio_spread(&fresh, &kept),
                "target <= 2x",
            );
        }
    }
}

/// Checks the answer is the native one, so a benchmark never times a failing call.
fn same(expected: &[u8], answer: Result<Vec<u8>, String>) -> Result<(), String> {
    let answer = answer?;
    if answer != expected {
        return Err("the module's answer differs from the native one".into());
    }
    Ok(())
}

pub fn op_name(op: Op) -> &'static str {
    match op {
        Op::Render => "render",
        _ => "validate",
    }
}
