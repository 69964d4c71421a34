//! Section 1: validate and render, native core vs the core module in wasmtime (one reused instance, and
//! `rec-engine`'s fresh instance per call, pooled as by default and on demand), on each fixture; the
//! wasm/native and fresh/reused ratios.
//!
//! The reused instance runs with an epoch deadline as `rec-engine` does; the same module without any
//! interruption check and with fuel metering (what `rec-engine` used before) show what each bound costs.
//! The native core also runs on the guest's allocator (`rec-bench-dlmalloc`), for the like-for-like ratio.

use crate::fixtures::Fixture;
use crate::reused::{Bound, Reused};
use crate::table::{Table, ratio, ratio_spread};
use crate::timing::{Plan, measure};
use rec_core::abi::Op;
use rec_engine::{EMBEDDED_MODULE, Engine, Strategy};

const SECTION: &str = "1 core";

pub fn run(table: &mut Table, plan: Plan, fixtures: &[Fixture]) {
    let engine = match Engine::embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "engine", e),
    };
    let on_demand = match Engine::builder().strategy(Strategy::OnDemand).embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "engine, on demand", e),
    };
    let mut reused = match Reused::new(EMBEDDED_MODULE, Bound::Epoch) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance", e),
    };
    let mut bare = match Reused::new(EMBEDDED_MODULE, Bound::None) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance without interruption", e),
    };
    let mut fueled = match Reused::new(EMBEDDED_MODULE, Bound::Fuel) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance with fuel", e),
    };
    for fixture in fixtures {
        for op in [Op::Validate, Op::Render] {
            let request = fixture.request(op);
            let name = |how: &str| format!("{} {} — {how}", op.name(), fixture.name);
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
            let kept_fuel = measure(plan, || {
                same(&expected, fueled.call(op as u32, &request).map_err(|e| e.to_string()))
            });
            let fresh = measure(plan, || {
                same(&expected, engine.call(op, &request).map_err(|e| e.to_string()))
            });
            let fresh_on_demand = measure(plan, || {
                same(&expected, on_demand.call(op, &request).map_err(|e| e.to_string()))
            });
            let native_dlmalloc = crate::same_allocator::measure(plan, op as u32, &request, &expected);
            let all = [native, kept, kept_bare, kept_fuel, fresh, fresh_on_demand];
            let [native, kept, kept_bare, kept_fuel, fresh, fresh_on_demand] = match all {
                [Ok(a), Ok(b), Ok(c), Ok(d), Ok(e), Ok(f)] => [a, b, c, d, e, f],
                all => {
                    let why = all.into_iter().filter_map(Result::err).collect::<Vec<_>>();
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
                "epoch deadline, as rec-engine runs",
            );
            table.time(
                SECTION,
                name("wasm, reused instance, no deadline"),
                &kept_bare,
                "the module alone",
            );
            table.time(
                SECTION,
                name("wasm, reused instance, fuel"),
                &kept_fuel,
                "fuel metering, as rec-engine ran before",
            );
            table.time(
                SECTION,
                name("wasm, fresh instance (rec-engine)"),
                &fresh,
                "Engine::call, pooling allocator (the default)",
            );
            table.time(
                SECTION,
                name("wasm, fresh instance, on demand"),
                &fresh_on_demand,
                "Engine::call, Strategy::OnDemand",
            );
            table.value(
                SECTION,
                name("ratio wasm reused / native"),
                ratio(&kept, &native),
                ratio_spread(&kept, &native),
                format!(
                    "target <= 1.2x; no deadline {}, fuel {}",
                    ratio(&kept_bare, &native),
                    ratio(&kept_fuel, &native)
                ),
            );
            table.value(
                SECTION,
                name("ratio fresh / reused"),
                ratio(&fresh, &kept),
                ratio_spread(&fresh, &kept),
                format!("target <= 2x; on demand {}", ratio(&fresh_on_demand, &kept)),
            );
            match native_dlmalloc {
                Ok(dl) => {
                    table.time(
                        SECTION,
                        name("native, dlmalloc"),
                        &dl,
                        "the guest's allocator (dlmalloc 0.2.11, as std on wasm32), bin rec-bench-dlmalloc",
                    );
                    table.value(
                        SECTION,
                        name("ratio wasm reused / native, same allocator"),
                        ratio(&kept, &dl),
                        ratio_spread(&kept, &dl),
                        format!(
                            "target <= 1.2x (same allocator on both sides); no deadline {}",
                            ratio(&kept_bare, &dl)
                        ),
                    );
                }
                Err(e) => table.skipped(SECTION, name("native, dlmalloc"), e),
            }
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
