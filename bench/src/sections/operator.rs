//! Section 5: the operator. Reconcile throughput and peak memory for 1, 100 and 1,000 RECs against the in-memory
//! API (`rec_operator::testing`, the harness the reconcile tests use): every REC reconciled once (first pass:
//! everything is created), then once more (second pass: the steady state, where nothing is written).
//!
//! Each size runs in a child process (`rec-bench --operator-child N RUNS`), so its peak resident set (VmHWM)
//! is its own and not the high-water mark of the sections before it; a counting allocator would have slowed
//! the native figures of section 1. Peak memory includes the in-memory API, which holds every object the
//! operator wrote (about 12 per REC): the growth per REC is what shows whether memory stays linear.
//!
//! First a cold start: a child with an empty precompiled-module cache, so it compiles the core module (the pod's
//! first start on an empty emptyDir). That peak is far above a warm start's and sets the pod's memory limit; the
//! sizes then map the artifact it cached, so their figures are the operator's, not the compiler's.
//!
//! Each REC lives in its own namespace, as Redis Enterprise deploys them (one cluster per namespace). All in one
//! namespace, the figures would time the in-memory API, not the operator: its label-selector lists (prune lists
//! each owned kind once per reconcile) clone every object of the namespace before filtering, so a pass grew with
//! the square of the RECs (1,000 RECs: over 10 minutes, 60% of it cloning JSON maps in kube-fake-client).

use crate::table::Table;
use crate::timing::{human, stats};
use kube::api::{Api, DynamicObject, PostParams};
use rec_engine::Engine;
use rec_operator::testing;
use rec_operator::{owned, reconcile};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SECTION: &str = "5 operator";
/// The argument that makes `rec-bench` a child measuring one size.
pub const CHILD_FLAG: &str = "--operator-child";
const SIZES: [usize; 3] = [1, 100, 1_000];
/// wasmtime's compiler threads in every child: `deploy/deployment.yaml`'s `RAYON_NUM_THREADS`.
const COMPILER_THREADS: &str = "2";

/// The children's precompiled-module cache: emptied for the cold start, then shared by every size.
fn cache_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("rec-bench-operator-cache")
}

/// What one child measured: per run, the two passes' wall times; failures; peak memory.
#[derive(Debug, Default)]
struct Measured {
    first: Vec<Duration>,
    second: Vec<Duration>,
    failures: Vec<String>,
    baseline_kib: u64,
    peak_kib: u64,
}

pub fn run(table: &mut Table, quick: bool) {
    let runs = if quick { 3 } else { 5 };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return table.skipped(SECTION, "reconcile 1 / 100 / 1,000 RECs", e),
    };
    cold_start(table, &exe);
    let mut per_rec = Vec::new();
    for n in SIZES {
        eprintln!("rec-bench: 5 operator, {n} REC(s) x {runs} runs");
        let measured = match spawn(&exe, n, runs) {
            Ok(m) => m,
            Err(e) => {
                table.skipped(SECTION, format!("reconcile {n} RECs"), e);
                continue;
            }
        };
        let failures = if measured.failures.is_empty() {
            "0 failed reconciles, no wasm trap".to_string()
        } else {
            format!("{} FAILED: {}", measured.failures.len(), measured.failures.join("; "))
        };
        for (pass, times, what) in [
            ("first pass", &measured.first, "creates every object"),
            (
                "second pass",
                &measured.second,
                "the cluster waits for its nodes (this API runs no pods): status only",
            ),
        ] {
            let s = stats(times.clone(), times.iter().sum());
            let per = |d: Duration| human(d / n as u32);
            table.value(
                SECTION,
                format!("reconcile {n} REC(s), {pass}: per REC"),
                per(s.median),
                format!("p10 {} / p90 {} (n={runs} runs)", per(s.p10), per(s.p90)),
                format!(
                    "{:.0} RECs/s; whole pass {}; {what}; {failures}",
                    n as f64 / s.median.as_secs_f64().max(f64::MIN_POSITIVE),
                    human(s.median)
                ),
            );
        }
        per_rec.push((n, measured.peak_kib, measured.baseline_kib));
    }
    let base = per_rec.first().map(|(_, peak, _)| *peak);
    for (n, peak, baseline) in &per_rec {
        let growth = match base {
            Some(base) if *n > 1 => format!(
                "{:.1} KiB per REC above the 1-REC run",
                (*peak as f64 - base as f64) / (*n as f64 - 1.0)
            ),
            _ => format!("engine and API loaded: {} MiB", baseline / 1024),
        };
        table.value(
            SECTION,
            format!("peak memory, {n} REC(s)"),
            format!("{:.1} MiB", *peak as f64 / 1024.0),
            "VmHWM of the child process",
            format!("{growth}; includes the in-memory API holding every object"),
        );
    }
}

/// A child for `n` RECs and `runs` runs, its compiler threads bounded as `deploy/deployment.yaml` bounds them.
fn spawn(exe: &std::path::Path, n: usize, runs: usize) -> Result<Measured, String> {
    let output = Command::new(exe)
        .args([CHILD_FLAG, &n.to_string(), &runs.to_string()])
        .env("RAYON_NUM_THREADS", COMPILER_THREADS)
        .output()
        .map_err(|e| e.to_string())?;
    parse(&output.stdout, &output.stderr)
}

/// The operator's first start, with no cached artifact: the child compiles the core module (and writes the cache
/// every later child maps). Its peak is what the pod's memory limit must hold besides the reconciles' budget.
fn cold_start(table: &mut Table, exe: &std::path::Path) {
    let what = "peak memory, cold start (no cached module: compiling it)";
    if let Err(e) = std::fs::remove_dir_all(cache_dir())
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return table.skipped(SECTION, what, e);
    }
    eprintln!("rec-bench: 5 operator, cold start");
    match spawn(exe, 0, 1) {
        Ok(m) => table.value(
            SECTION,
            what,
            format!("{:.1} MiB", m.peak_kib as f64 / 1024.0),
            "VmHWM of the child process",
            format!("{COMPILER_THREADS} compiler threads (RAYON_NUM_THREADS, as deployed); before any reconcile"),
        ),
        Err(e) => table.skipped(SECTION, what, e),
    }
}

/// Reads the child's one result line: `first=<ns,...> second=<ns,...> baseline_kib=.. peak_kib=.. failures=..`.
fn parse(stdout: &[u8], stderr: &[u8]) -> Result<Measured, String> {
    let text = String::from_utf8_lossy(stdout);
    let line = text.lines().find(|l| l.starts_with("first=")).ok_or_else(|| {
        format!(
            "the child printed no result: {}",
            String::from_utf8_lossy(stderr).lines().last().unwrap_or("")
        )
    })?;
    let mut m = Measured::default();
    for field in line.split(' ') {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        let durations = || -> Vec<Duration> {
            value
                .split(',')
                .filter_map(|v| v.parse().ok())
                .map(Duration::from_nanos)
                .collect()
        };
        match key {
            "first" => m.first = durations(),
            "second" => m.second = durations(),
            "baseline_kib" => m.baseline_kib = value.parse().unwrap_or(0),
            "peak_kib" => m.peak_kib = value.parse().unwrap_or(0),
            "failures" => m.failures = value.split(',').filter(|v| !v.is_empty()).map(str::to_string).collect(),
            _ => {}
        }
    }
    if m.first.is_empty() || m.second.is_empty() {
        return Err(format!("the child's result has no timings: {line}"));
    }
    Ok(m)
}

/// The child: `runs` times, a fresh in-memory API with `n` RECs, two passes; prints one result line.
pub fn child(args: &[String]) -> std::process::ExitCode {
    let number = |i: usize| args.get(i).and_then(|a| a.parse::<usize>().ok());
    let (Some(n), Some(runs)) = (number(0), number(1)) else {
        eprintln!("usage: rec-bench {CHILD_FLAG} RECS RUNS");
        return std::process::ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rec-bench: no runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(measure(n, runs)) {
        Ok(m) => {
            let ns = |d: &[Duration]| d.iter().map(|d| d.as_nanos().to_string()).collect::<Vec<_>>().join(",");
            println!(
                "first={} second={} baseline_kib={} peak_kib={} failures={}",
                ns(&m.first),
                ns(&m.second),
                m.baseline_kib,
                m.peak_kib,
                m.failures.join(",")
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rec-bench: operator child: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum ChildError {
    #[error("the core module: {0}")]
    Engine(#[from] rec_engine::EngineError),
    #[error("the in-memory API: {0}")]
    Testing(#[from] testing::Error),
}

async fn measure(n: usize, runs: usize) -> Result<Measured, ChildError> {
    let engine = Engine::builder().cache_dir(cache_dir()).embedded()?;
    let mut m = Measured {
        baseline_kib: vm_hwm_kib(),
        ..Measured::default()
    };
    for _ in 0..runs {
        let client = testing::cluster(Default::default()).await?;
        let ctx = Arc::new(testing::context(&client, engine.clone()));
        for i in 0..n {
            let namespace = format!("rec-bench-{i}");
            let mut object = testing::rec("rec", testing::spec());
            object["metadata"]["namespace"] = namespace.clone().into();
            let object: DynamicObject = serde_json::from_value(object).map_err(testing::Error::from)?;
            Api::<DynamicObject>::namespaced_with(client.clone(), &namespace, &owned::rec_resource())
                .create(&PostParams::default(), &object)
                .await
                .map_err(testing::Error::from)?;
        }
        for pass in [&mut m.first, &mut m.second] {
            // The RECs as the controller's watch cache holds them (with the status the last pass wrote).
            let recs = Api::<DynamicObject>::all_with(client.clone(), &owned::rec_resource())
                .list(&Default::default())
                .await
                .map_err(testing::Error::from)?;
            let started = Instant::now();
            for rec in recs.items {
                let name = rec.metadata.namespace.clone().unwrap_or_default();
                if let Err(e) = reconcile::reconcile(Arc::new(rec), ctx.clone()).await {
                    m.failures.push(format!("{name}:{}", e.reason()));
                }
            }
            pass.push(started.elapsed());
        }
    }
    m.peak_kib = vm_hwm_kib();
    Ok(m)
}

/// This process's peak resident set (`VmHWM`), in KiB; 0 where /proc is not there.
pub(crate) fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}
