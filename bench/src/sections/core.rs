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
use crate::timing::{Plan, interleaved, samples};
use rec_core::abi::Op;
use rec_engine::{EMBEDDED_MODULE, Engine, Strategy};

const SECTION: &str = "1 core";

/// Turns per figure: each thing measured takes a tenth of its samples in each.
const ROUNDS: usize = 10;

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
            // Every figure of this op and fixture is taken in interleaved rounds, so the ratios compare samples
            // taken at the same times (two runs a minute apart, one figure after the other, once gave 1.13x and
            // 1.82x for the same fresh/reused ratio).
            let mut native = |warmup, n| {
                samples(warmup, n, || {
                    std::hint::black_box(rec_core::abi::call(op as u32, std::hint::black_box(&request)));
                    Ok(())
                })
            };
            let mut kept = |warmup, n| samples(warmup, n, || same(&expected, reused.call(op as u32, &request)));
            let mut kept_bare = |warmup, n| samples(warmup, n, || same(&expected, bare.call(op as u32, &request)));
            let mut kept_fuel = |warmup, n| samples(warmup, n, || same(&expected, fueled.call(op as u32, &request)));
            let mut fresh = |warmup, n| samples(warmup, n, || same(&expected, engine.call(op, &request)));
            let mut fresh_on_demand = |warmup, n| samples(warmup, n, || same(&expected, on_demand.call(op, &request)));
            // A new process each round, so it warms up each time.
            let mut native_dlmalloc =
                |_, n| crate::same_allocator::samples(plan.warmup, n, op as u32, &request, &expected);
            let [
                native,
                kept,
                kept_bare,
                kept_fuel,
                fresh,
                fresh_on_demand,
                native_dlmalloc,
            ] = interleaved(
                plan,
                ROUNDS,
                [
                    &mut native,
                    &mut kept,
                    &mut kept_bare,
                    &mut kept_fuel,
                    &mut fresh,
                    &mut fresh_on_demand,
                    &mut native_dlmalloc,
                ],
            );
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

/// The plan of a tag change on each fixture's cluster, as the policy and the CLI ask it (a healthy cluster running
/// the old spec, every node to restart), natively and in the core module through `rec-engine`.
pub fn plans(table: &mut Table, plan: Plan, fixtures: &[Fixture]) {
    let engine = match Engine::embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "plan: engine", e),
    };
    for fixture in fixtures {
        let mut new = fixture.object.clone();
        new["spec"]["redisEnterpriseImageSpec"] = serde_json::json!({ "versionTag": "8.0.22-1" });
        let request = serde_json::json!({
            "object": new,
            "applied": { "spec": fixture.object["spec"], "bootstrapped": true },
        })
        .to_string()
        .into_bytes();
        let expected = rec_core::abi::call(Op::Plan as u32, &request);
        let steps = serde_json::from_slice::<serde_json::Value>(&expected)
            .ok()
            .and_then(|a| a.pointer("/ok/steps").and_then(|s| s.as_array()).map(Vec::len))
            .unwrap_or(0);
        let name = |how: &str| format!("plan tag change {} — {how}", fixture.name);
        let native = crate::timing::measure(plan, || {
            std::hint::black_box(rec_core::abi::call(Op::Plan as u32, std::hint::black_box(&request)));
            Ok::<(), String>(())
        });
        let wasm = crate::timing::measure(plan, || same(&expected, engine.call(Op::Plan, &request)));
        match (native, wasm) {
            (Ok(native), Ok(wasm)) => {
                let note = format!("{}; {steps} steps; answer {} B", fixture.about, expected.len());
                table.time(SECTION, name("native"), &native, note);
                table.time(
                    SECTION,
                    name("wasm, fresh instance (rec-engine)"),
                    &wasm,
                    "Engine::call",
                );
                table.value(
                    SECTION,
                    name("ratio wasm / native"),
                    ratio(&wasm, &native),
                    ratio_spread(&wasm, &native),
                    "",
                );
            }
            (native, wasm) => table.skipped(
                SECTION,
                name("both"),
                [native.err(), wasm.err()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }
    }
}

/// Checks the answer is the native one, so a benchmark never times a failing call.
pub(crate) fn same<E: std::fmt::Display>(expected: &[u8], answer: Result<Vec<u8>, E>) -> Result<(), String> {
    let answer = answer.map_err(|e| e.to_string())?;
    if answer != expected {
        return Err("the module's answer differs from the native one".into());
    }
    Ok(())
}
