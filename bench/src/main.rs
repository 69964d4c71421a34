//! `rec-bench`: what the Wasm design costs, measured side by side in one run, printed as a markdown table.
//!
//! `cargo run --release -p rec-bench` (all sections) or `-- --quick` (few samples: proves the command works;
//! its figures are not worth quoting); `-- --only operator` runs one section (core, redb, start-up, policy, browser,
//! operator, sizes); `-- --profile WHAT FIXTURE` loops one call for a profiler (`profile.rs`). Sections that need a piece not on this branch, or a tool not installed,
//! print "skipped: <why>" instead of failing. Timings are printed, never asserted.

mod fixtures;
mod profile;
mod reused;
mod same_allocator;
mod sections;
mod table;
mod timing;

use sections::{browser, core, operator, policy, redb, roll, sizes, startup};
use std::path::PathBuf;
use table::Table;
use timing::Plan;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(operator::CHILD_FLAG) {
        return operator::child(&args[1..]);
    }
    if args.first().map(String::as_str) == Some(roll::CHILD_FLAG) {
        return roll::child(&args[1..]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    // `--only NAME` runs one section (core, redb, start-up, policy, browser, operator, sizes).
    let only = args.windows(2).find(|w| w[0] == "--only").map(|w| w[1].clone());
    let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let plan = if quick {
        Plan { warmup: 3, samples: 30 }
    } else {
        Plan {
            warmup: 50,
            samples: 1000,
        }
    };
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = match fixtures::example().and_then(|e| Ok(vec![e, fixtures::large()?])) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("rec-bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(at) = args.iter().position(|a| a == "--profile") {
        return match profile::run(&args[at + 1..], &fixtures) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("rec-bench: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let mut table = Table::default();
    if wants("core") {
        eprintln!("rec-bench: 1 core (native vs wasm)");
        core::run(&mut table, plan, &fixtures);
        core::plans(&mut table, plan, &fixtures);
    }
    if wants("redb") {
        eprintln!("rec-bench: 7 redb (native vs wasm, with context)");
        redb::run(&mut table, plan, &workspace);
    }
    if wants("start-up") {
        eprintln!("rec-bench: 3 start-up");
        startup::run(&mut table, plan);
        startup::cold_cli(&mut table, &workspace);
    }
    let mut policy = None;
    if wants("policy") || wants("sizes") {
        eprintln!("rec-bench: 2 policy");
        policy = policy::run(&mut table, plan, &fixtures);
    }
    if wants("browser") {
        eprintln!("rec-bench: 4 browser");
        browser::run(&mut table, plan.fewer(4), &fixtures, &workspace);
    }
    if wants("operator") {
        eprintln!("rec-bench: 5 operator");
        operator::run(&mut table, quick);
        roll::run(&mut table);
        if let Some(large) = fixtures.iter().find(|f| f.name == "large") {
            sections::guest_memory::run(&mut table, large);
        }
    }
    if wants("sizes") {
        eprintln!("rec-bench: 6 sizes");
        sizes::run(&mut table, &workspace, policy.as_deref());
    }
    println!("{}", machine());
    println!("{}", table.markdown());
    std::process::ExitCode::SUCCESS
}

/// One line describing the machine: CPU model, cores, memory, rustc.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown memory".into(),
            |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0),
        );
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "Machine: {cpu}, {cores} cores, {mem}, {rustc}; release profile; {}\n",
        std::env::consts::ARCH
    )
}
