//! Section 3: engine start-up. Compiling the core module vs loading precompiled code (the engine's on-disk
//! cache), both as the whole `rec-engine` build (which also checks the ABI with one instance and two calls)
//! and as the bare wasmtime steps (from memory and mapped from a file); and the cost of a fresh instance
//! (a `Version` call), pooled and on demand.

use crate::table::Table;
use crate::timing::{Plan, measure, stats};
use rec_engine::{EMBEDDED_MODULE, Engine, Op, StartupTimes, Strategy};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECTION: &str = "3 start-up";

/// The CLI as a user runs it: `rec-operator validate` of the example REC in a new process, with an empty user
/// cache (the first call after a build compiles the core module and caches it) and then with the cache (every
/// later call). The release binary must be built (`cargo build --release -p rec-operator`).
pub fn cold_cli(table: &mut Table, workspace: &Path) {
    let what = "CLI validate example, a new process";
    let exe = workspace.join("target/release/rec-operator");
    let example = workspace.join("examples/rec.yaml");
    if !exe.exists() {
        return table.skipped(SECTION, what, "build it first: cargo build --release -p rec-operator");
    }
    let home = std::env::temp_dir().join(format!("rec-bench-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let call = || -> Result<Duration, String> {
        let started = Instant::now();
        let out = std::process::Command::new(&exe)
            .arg("validate")
            .arg(&example)
            .env_remove("REC_ENGINE_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME")
            .env("HOME", &home)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(started.elapsed())
    };
    match call() {
        Ok(first) => table.value(
            SECTION,
            format!("{what}: first call"),
            crate::timing::human(first),
            "one run",
            "an empty cache: compiles the core module and caches it in ~/.cache/rec-operator",
        ),
        Err(e) => return table.skipped(SECTION, what, e),
    }
    let later: Result<Vec<Duration>, String> = (0..20).map(|_| call()).collect();
    match later {
        Ok(times) => {
            let total = times.iter().sum();
            table.time(
                SECTION,
                format!("{what}: second call"),
                &stats(times, total),
                "the cached module, mapped (20 runs)",
            );
        }
        Err(e) => table.skipped(SECTION, format!("{what}: second call"), e),
    }
    let _ = std::fs::remove_dir_all(&home);
}

pub fn run(table: &mut Table, plan: Plan) {
    // Compiling takes a second or so: a tenth of a percent of the samples.
    let slow = plan.fewer(100);
    match measure(slow, || Engine::builder().embedded().map(drop)) {
        Ok(s) => table.time(
            SECTION,
            "rec-engine ready, compiling",
            &s,
            "Engine::builder().embedded(), no cache",
        ),
        Err(e) => table.skipped(SECTION, "rec-engine ready, compiling", e),
    }
    let dir = cache_dir();
    for (strategy, detail) in [
        (Strategy::default(), true),
        (Strategy::Pooling { slots: 4 }, false),
        (Strategy::OnDemand, false),
    ] {
        cached_start(table, plan, &dir, strategy, detail);
    }
    let _ = std::fs::remove_dir_all(&dir);
    bare(table, plan);
    for (what, strategy) in [
        ("fresh instance + Version call", Strategy::default()),
        ("fresh instance + Version call, on demand", Strategy::OnDemand),
    ] {
        match Engine::builder().strategy(strategy).embedded() {
            Ok(engine) => match measure(plan, || engine.call(Op::Version, b"{}").map(drop)) {
                Ok(s) => table.time(SECTION, what, &s, format!("what each Engine::call adds; {strategy:?}")),
                Err(e) => table.skipped(SECTION, what, e),
            },
            Err(e) => table.skipped(SECTION, what, e),
        }
    }
}

/// `rec-engine` built from its precompiled cache with `strategy`: ready (the build's own timing,
/// `ModuleInfo::startup`), then, apart, dropping it; with `detail`, each step of the build.
fn cached_start(table: &mut Table, plan: Plan, dir: &Path, strategy: Strategy, detail: bool) {
    let build = || Engine::builder().strategy(strategy).cache_dir(dir).embedded();
    let what = format!("rec-engine ready, precompiled (cache), {strategy:?}");
    if let Err(e) = build() {
        return table.skipped(SECTION, what, e);
    }
    let (mut steps, mut drops) = (Vec::new(), Vec::new());
    let measured = measure(plan.fewer(4), || {
        let engine = build().map_err(|e| e.to_string())?;
        if !engine.info().from_cache {
            return Err("the cache was not used".to_string());
        }
        steps.push(engine.info().startup);
        let started = Instant::now();
        drop(engine);
        drops.push(started.elapsed());
        Ok(())
    });
    if let Err(e) = measured {
        return table.skipped(SECTION, what, e);
    }
    let ready: Vec<Duration> = steps.iter().map(StartupTimes::total).collect();
    table.time(
        SECTION,
        what,
        &stats(ready.clone(), ready.iter().sum()),
        "mapped; includes the ABI check (1 instance, 2 calls); target < 1 ms",
    );
    if detail {
        breakdown(table, &steps);
    }
    table.time(
        SECTION,
        format!("  dropping it, {strategy:?}"),
        &stats(drops.clone(), drops.iter().sum()),
        "unmapping the pool and the module; not part of ready",
    );
}

/// One step's time out of the engine's start-up times.
type Step = fn(&StartupTimes) -> Duration;

/// Each step of the cached start, as the engine timed it (`ModuleInfo::startup`), over the same builds.
fn breakdown(table: &mut Table, steps: &[StartupTimes]) {
    let rows: [(&str, Step, &str); 5] = [
        (
            "wasmtime::Engine::new",
            |t| t.engine,
            "the configuration (the pooling allocator reserves its slots)",
        ),
        ("epoch ticker thread", |t| t.ticker, "spawning it"),
        (
            "cache::load",
            |t| t.load,
            "Module::deserialize_file of the precompiled artifact",
        ),
        ("link", |t| t.link, "imports checked, Linker::instantiate_pre"),
        (
            "ABI check",
            |t| t.abi_check,
            "first instance, rec_abi_version and a Version call",
        ),
    ];
    for (step, of, what) in rows {
        let times: Vec<Duration> = steps.iter().map(of).collect();
        let s = stats(times.clone(), times.iter().sum());
        table.time(SECTION, format!("  ready from cache, step: {step}"), &s, what);
    }
}

/// The wasmtime steps alone: `Module::new` vs `Module::deserialize` of `Engine::precompile_module` output.
fn bare(table: &mut Table, plan: Plan) {
    let engine = wasmtime::Engine::default();
    match measure(plan.fewer(100), || {
        wasmtime::Module::new(&engine, EMBEDDED_MODULE).map(drop)
    }) {
        Ok(s) => table.time(
            SECTION,
            "wasmtime Module::new (compile)",
            &s,
            "cranelift, default config",
        ),
        Err(e) => table.skipped(SECTION, "Module::new", e),
    }
    let artifact = match engine.precompile_module(EMBEDDED_MODULE) {
        Ok(a) => a,
        Err(e) => return table.skipped(SECTION, "Module::deserialize", e),
    };
    // SAFETY: the artifact was produced just above by this engine's own `precompile_module`.
    let load = || unsafe { wasmtime::Module::deserialize(&engine, &artifact) }.map(drop);
    match measure(plan.fewer(4), load) {
        Ok(s) => table.time(
            SECTION,
            "wasmtime Module::deserialize (precompiled)",
            &s,
            format!("artifact {} KiB, from memory", artifact.len() / 1024),
        ),
        Err(e) => table.skipped(SECTION, "Module::deserialize", e),
    }
    let file = cache_dir().with_extension("cwasm");
    if let Err(e) = std::fs::write(&file, &artifact) {
        return table.skipped(SECTION, "Module::deserialize_file", e);
    }
    // SAFETY: the file holds this engine's own `precompile_module` output and nothing changes it until it is
    // removed below, after the last module mapped from it is dropped.
    let map = || unsafe { wasmtime::Module::deserialize_file(&engine, &file) }.map(drop);
    match measure(plan.fewer(4), map) {
        Ok(s) => table.time(
            SECTION,
            "wasmtime Module::deserialize_file (precompiled)",
            &s,
            "the same artifact, mapped",
        ),
        Err(e) => table.skipped(SECTION, "Module::deserialize_file", e),
    }
    let _ = std::fs::remove_file(&file);
}

fn cache_dir() -> PathBuf {
    std::env::temp_dir().join(format!("rec-bench-cache-{}", std::process::id()))
}
