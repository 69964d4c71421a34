//! `rec-bench --profile WHAT FIXTURE [SECONDS]`: one call in a loop, for a sampling profiler, e.g.
//! `perf record -g -- target/release/rec-bench --profile reused example 10`, then `perf report`.
//!
//! WHAT is `native` (`rec_core::abi::call`, validate), `native-render`, `reused` (the core module, one reused
//! instance with an epoch deadline, validate), `reused-render`, `startup` (`rec-engine` built from its precompiled
//! cache), `fresh` (`rec-engine`'s `Engine::call`, a fresh pooled instance per call, validate), `fresh-render`,
//! `policy` (the waPC policy, a fresh on-demand instance per request, as policy-server runs it) or
//! `policy-pooled` (the same, each instance from the pooling allocator). `reused` compiles the module with
//! wasmtime's perf map (`/tmp/perf-<pid>.map`), so the guest's functions have names in the report; `fresh` and
//! `policy` run the engines as they ship, so their guest code shows as one anonymous block and the
//! report shows the host side (instantiation, WASI, copies). Prints the number of calls; measures nothing.
//!
//! `REC_BENCH_MODULE=path.wasm` runs `reused*` and `fresh*` on that core module instead of the embedded one: a
//! variant of the module (a linker flag, an allocator setting) is compared in a minute, without rebuilding the
//! bench (which embeds the module, several minutes).

use crate::fixtures::Fixture;
use crate::reused::{Bound, Reused};
use rec_core::abi::Op;
use std::time::{Duration, Instant};

/// Runs the loop; an error message for a bad argument or a failing call.
pub fn run(args: &[String], fixtures: &[Fixture]) -> Result<(), String> {
    let usage = "usage: rec-bench --profile native|native-render|reused|reused-render|startup|fresh|fresh-render|policy|policy-pooled example|large [SECONDS]";
    let what = args.first().ok_or(usage)?;
    let fixture = args
        .get(1)
        .and_then(|name| fixtures.iter().find(|f| f.name == name))
        .ok_or(usage)?;
    let seconds = args.get(2).map_or(Ok(10), |s| s.parse::<u64>()).map_err(|_| usage)?;
    // `*-render` loops a render, the others a validation.
    let op = if what.ends_with("-render") {
        Op::Render
    } else {
        Op::Validate
    };
    let request = fixture.request(op);
    let mut calls = 0u64;
    // The clock starts at the first call, after the set-up (compiling a module takes seconds).
    let mut each = |call: &mut dyn FnMut() -> Result<(), String>| -> Result<(), String> {
        let until = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < until {
            call()?;
            calls += 1;
        }
        Ok(())
    };
    match what.as_str() {
        "native" | "native-render" => each(&mut || {
            std::hint::black_box(rec_core::abi::call(op as u32, &request));
            Ok(())
        })?,
        "reused" | "reused-render" => {
            let wasm = match std::env::var_os("REC_BENCH_MODULE") {
                Some(path) => std::fs::read(path).map_err(|e| e.to_string())?,
                None => rec_engine::EMBEDDED_MODULE.to_vec(),
            };
            let mut reused = Reused::with_perf_map(&wasm, Bound::Epoch).map_err(|e| e.to_string())?;
            each(&mut || reused.call(op as u32, &request).map(drop).map_err(|e| e.to_string()))?
        }
        "startup" => {
            let dir = std::env::temp_dir().join(format!("rec-bench-profile-{}", std::process::id()));
            let build = || {
                rec_engine::Engine::builder()
                    .cache_dir(&dir)
                    .embedded()
                    .map_err(|e| e.to_string())
            };
            build()?;
            each(&mut || build().map(drop))?;
            let _ = std::fs::remove_dir_all(&dir);
        }
        "fresh" | "fresh-render" => {
            let engine = match std::env::var_os("REC_BENCH_MODULE") {
                Some(path) => rec_engine::Engine::from_file(path.as_ref()),
                None => rec_engine::Engine::embedded(),
            }
            .map_err(|e| e.to_string())?;
            each(&mut || engine.call(op, &request).map(drop).map_err(|e| e.to_string()))?
        }
        "policy" | "policy-pooled" => {
            use rec_wasm_tests::policy_host::{Instances, PolicyModule, module_path};
            let instances = if what == "policy" {
                Instances::OnDemand
            } else {
                Instances::Pooling
            };
            let path = module_path().map_err(|e| e.to_string())?;
            let policy = PolicyModule::load_with(&path, instances).map_err(|e| e.to_string())?;
            let payload = crate::sections::policy::admission(&fixture.object)
                .to_string()
                .into_bytes();
            each(&mut || policy.call("validate", &payload).map(drop).map_err(|e| e.to_string()))?
        }
        _ => return Err(usage.into()),
    }
    eprintln!("rec-bench: {calls} calls of {what} {} in {seconds} s", fixture.name);
    Ok(())
}
