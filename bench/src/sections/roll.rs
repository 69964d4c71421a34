//! Section 5 (cont.): a rolling change of a 35-node cluster, carried out by the operator against the strict
//! in-memory API and the simulated StatefulSet controller and kubelet (`rec_operator::testing::World`, the harness
//! of the day-2 tests): the cluster is brought up, then its tag changed, and reconciles and simulation steps
//! alternate until every node runs the new template. Reported: reconciles, the operator's API writes, the time
//! of one reconcile (the plan, the apply, the step) and the peak memory of the process, which runs alone (a child,
//! `rec-bench --roll-child NODES`) so its VmHWM is its own.

use crate::table::Table;
use crate::timing::{human, stats};
use rec_engine::Engine;
use rec_operator::reconcile::{self, Settings};
use rec_operator::testing::invariant::{Checker, at_most_down};
use rec_operator::testing::{self, World};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SECTION: &str = "5 operator";
/// The argument that makes `rec-bench` the roll's child.
pub const CHILD_FLAG: &str = "--roll-child";
const NODES: usize = 35;

pub fn run(table: &mut Table) {
    let what = format!("rolling change, {NODES} nodes");
    let output =
        std::env::current_exe().and_then(|exe| Command::new(exe).args([CHILD_FLAG, &NODES.to_string()]).output());
    let output = match output {
        Ok(o) => o,
        Err(e) => return table.skipped(SECTION, what, e),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(line) = text.lines().find(|l| l.starts_with("reconciles=")) else {
        let why = String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .unwrap_or("no result")
            .to_string();
        return table.skipped(SECTION, what, why);
    };
    let field = |key: &str| {
        line.split(' ')
            .find_map(|f| f.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_string()
    };
    let times: Vec<Duration> = field("times")
        .split(',')
        .filter_map(|v| v.parse().ok())
        .map(Duration::from_nanos)
        .collect();
    let total: Duration = times.iter().sum();
    let s = stats(times.clone(), total);
    table.value(
        SECTION,
        format!("{what}: per reconcile"),
        human(s.median),
        format!("p10 {} / p90 {} (n={})", human(s.p10), human(s.p90), times.len()),
        format!(
            "{} reconciles ({} restarts, each waited for), {} API writes by the operator, {} in reconciles; \
             never two nodes down: {}",
            field("reconciles"),
            field("restarts"),
            field("writes"),
            human(total),
            field("invariant")
        ),
    );
    table.value(
        SECTION,
        format!("{what}: peak memory"),
        format!("{:.1} MiB", field("peak_kib").parse::<f64>().unwrap_or(0.0) / 1024.0),
        "VmHWM of the child process",
        "the operator, the engine, the in-memory API and the simulation of 35 pods and claims",
    );
}

/// The child: brings up the cluster, changes its tag, carries out the roll; prints one result line.
pub fn child(args: &[String]) -> std::process::ExitCode {
    let nodes = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(NODES);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rec-bench: no runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(roll(nodes)) {
        Ok(line) => {
            println!("{line}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rec-bench: roll child: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn roll(nodes: usize) -> Result<String, String> {
    let engine = Engine::builder()
        .cache_dir(std::env::temp_dir().join("rec-bench-operator-cache"))
        .embedded()
        .map_err(|e| e.to_string())?;
    let mut world = World::new();
    let checker = Checker::new(&world.server, at_most_down(1));
    checker.disarm();
    let ctx = Arc::new(
        world
            .context(&checker.wrap(world.client.clone()), engine)
            .with_settings(Settings::default()),
    );
    let mut spec = testing::spec();
    spec["nodes"] = nodes.into();
    testing::create(&world.client, testing::rec("rec", spec))
        .await
        .map_err(|e| e.to_string())?;
    let running = |world: &World| {
        world.object("RedisEnterpriseCluster", "rec").is_some_and(|r| {
            r["status"]["state"] == "Running" && r["status"]["observedGeneration"] == r["metadata"]["generation"]
        })
    };
    let reconcile_once = || async {
        let rec = testing::recs(&world.client)
            .get("rec")
            .await
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let _ = reconcile::reconcile(Arc::new(rec), ctx.clone()).await;
        Ok::<Duration, String>(started.elapsed())
    };
    for _ in 0..20 * nodes {
        reconcile_once().await?;
        if running(&world) {
            break;
        }
        world.sim.step().await.map_err(|e| e.to_string())?;
    }
    if !running(&world) {
        return Err("the cluster did not come up".into());
    }
    checker.arm();
    let created = world.sim.pods_created().len();
    let writes = checker.writes();
    let patch = serde_json::json!({ "spec": { "redisEnterpriseImageSpec": { "versionTag": "8.0.22-1" } } });
    testing::recs(&world.client)
        .patch(
            "rec",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&patch),
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    for _ in 0..20 * nodes {
        times.push(reconcile_once().await?);
        if running(&world) {
            break;
        }
        world.sim.step().await.map_err(|e| e.to_string())?;
    }
    if !running(&world) {
        return Err("the roll did not finish".into());
    }
    let ns: Vec<String> = times.iter().map(|t| t.as_nanos().to_string()).collect();
    Ok(format!(
        "reconciles={} restarts={} writes={} invariant={} peak_kib={} times={}",
        times.len(),
        world.sim.pods_created().len() - created,
        checker.writes() - writes,
        if checker.violations().is_empty() {
            "held"
        } else {
            "BROKEN"
        },
        super::operator::vm_hwm_kib(),
        ns.join(",")
    ))
}
