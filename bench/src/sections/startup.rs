//! Section 3: engine start-up. Compiling the core module vs loading precompiled code (the engine's on-disk
//! cache), both as the whole `rec-engine` build (which also checks the ABI with one instance and two calls)
//! and as the bare wasmtime steps (from memory and mapped from a file); and the cost of a fresh instance
//! (a `Version` call), pooled and on demand.

use crate::table::Table;
use crate::timing::{Plan, measure};
use rec_engine::{EMBEDDED_MODULE, Engine, Op, Strategy};
use std::path::PathBuf;

const SECTION: &str = "3 start-up";

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
    let cached = || Engine::builder().cache_dir(&dir).embedded();
    match cached().map(|e| e.info().from_cache) {
        Ok(_) => match measure(plan.fewer(4), || match cached() {
            Ok(e) if e.info().from_cache => Ok(()),
            Ok(_) => Err("the cache was not used".to_string()),
            Err(e) => Err(e.to_string()),
        }) {
            Ok(s) => table.time(
                SECTION,
                "rec-engine ready, precompiled (cache)",
                &s,
                "mapped; includes the ABI check (1 instance, 2 calls); target < 1 ms",
            ),
            Err(e) => table.skipped(SECTION, "rec-engine ready, precompiled", e),
        },
        Err(e) => table.skipped(SECTION, "rec-engine ready, precompiled", e),
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
