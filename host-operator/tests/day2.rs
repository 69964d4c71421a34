//! Day 2, carried out: the operator runs the core's plan against the strict in-memory API server and the
//! simulated StatefulSet controller and kubelet (`testing::World`), one reconcile and one simulation step at a
//! time, as the controller and the cluster would interleave them. After every write the operator makes, the
//! invariant "never two node pods down" is checked (`testing::invariant`).
//!
//! Each scenario reads the world, not a list of calls: pods (their uids and templates), claims, the REC's status
//! and the events.

mod common;

use common::*;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use rec_operator::reconcile::{Context, Settings};
use rec_operator::testing::World;
use rec_operator::testing::faults::{Fault, Injector, with_faults};
use rec_operator::testing::invariant::{Checker, at_most_down};
use rec_operator::testing::sim::Config;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A cluster, the operator's view of it (through the invariant checker) and the checker.
struct Harness {
    world: World,
    checker: Checker,
    ctx: Arc<Context>,
}

impl Harness {
    fn new(settings: Settings) -> Self {
        Self::with(Config::default(), settings, None)
    }

    fn with(config: Config, settings: Settings, faults: Option<Injector>) -> Self {
        let world = World::with_config(config);
        let checker = Checker::new(&world.server, at_most_down(1));
        checker.disarm();
        let mut client = checker.wrap(world.client.clone());
        if let Some(inject) = faults {
            client = with_faults(client, inject);
        }
        let ctx = Arc::new(world.context(&client, engine()).with_settings(settings));
        Harness { world, checker, ctx }
    }

    /// A new operator (a restart, or another replica taking over) on the same cluster: nothing carried over.
    fn restart(&mut self, settings: Settings) {
        let client = self.checker.wrap(self.world.client.clone());
        self.ctx = Arc::new(self.world.context(&client, engine()).with_settings(settings));
    }

    fn rec(&self) -> Value {
        self.world.object("RedisEnterpriseCluster", "rec").expect("the REC")
    }

    fn state(&self) -> String {
        self.rec()["status"]["state"].as_str().unwrap_or_default().to_string()
    }

    /// Reconcile, then one simulation step, until `done` holds for the REC (or `max` rounds): the states seen.
    async fn drive(&mut self, max: usize, done: impl Fn(&Value) -> bool) -> Vec<String> {
        let mut states: Vec<String> = Vec::new();
        for _ in 0..max {
            // A failed reconcile is retried by the controller; here, by the next round.
            let _ = self.reconcile().await;
            let state = self.state();
            if states.last() != Some(&state) {
                states.push(state);
            }
            if done(&self.rec()) {
                return states;
            }
            self.world.sim.step().await.expect("the simulation steps");
        }
        panic!(
            "not done after {max} rounds; states {states:?}; status {:#}",
            self.rec()["status"]
        );
    }

    /// Creates `rec` and drives it to Running; the invariant is armed from then on.
    async fn running(&mut self, spec: Value) {
        create(&self.world.client, rec("rec", spec)).await;
        self.drive(200, running).await;
        self.checker.arm();
    }

    fn pods(&self) -> BTreeMap<String, Value> {
        self.world
            .objects("Pod")
            .into_iter()
            .map(|p| (p["metadata"]["name"].as_str().unwrap_or_default().to_string(), p))
            .collect()
    }

    fn created(&self) -> Vec<String> {
        self.world.sim.pods_created().iter().map(|s| s.to_string()).collect()
    }

    /// How often an Event of `reason` happened (kube's recorder folds repeats into one Event's series).
    async fn events(&self, reason: &str) -> i32 {
        let api: Api<k8s_openapi::api::events::v1::Event> = Api::namespaced(self.world.client.clone(), NS);
        let list = api.list(&Default::default()).await.expect("events");
        list.items
            .iter()
            .filter(|e| e.reason.as_deref() == Some(reason))
            .map(|e| e.series.as_ref().map_or(1, |s| s.count))
            .sum()
    }

    /// One reconcile as the controller runs it: the REC from its watch cache (here, read past the faults).
    async fn reconcile(&self) -> Result<kube::runtime::controller::Action, rec_operator::reconcile::Error> {
        let rec = recs(&self.world.client).get("rec").await.expect("the REC exists");
        rec_operator::reconcile::reconcile(Arc::new(rec), self.ctx.clone()).await
    }

    async fn patch(&self, spec: Value) {
        patch_spec(&self.world.client, "rec", spec).await;
    }

    fn assert_invariant(&self) {
        assert_eq!(self.checker.violations(), [], "two node pods were down at once");
    }
}

fn running(rec: &Value) -> bool {
    rec["status"]["state"] == "Running"
        && rec["status"]["observedGeneration"] == rec["metadata"]["generation"]
        && condition(rec, "Ready")["status"] == "True"
}

fn nodes(n: i64) -> Value {
    let mut s = spec();
    s["nodes"] = json!(n);
    s["persistentSpec"] = json!({ "enabled": true, "volumeSize": "40Gi" });
    s
}

fn template_hash(object: &Value) -> String {
    let annotations = object
        .pointer("/spec/template/metadata/annotations")
        .or_else(|| object.pointer("/metadata/annotations"));
    annotations
        .and_then(|a| a["redis.io/template-hash"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn create_runs_gated_on_readiness() {
    let mut h = Harness::with(
        Config {
            ready_after_steps: 3,
            ..Config::default()
        },
        Settings::default(),
        None,
    );
    create(&h.world.client, rec("rec", nodes(3))).await;
    let states = h.drive(200, running).await;
    assert_eq!(
        states.first().map(String::as_str),
        Some("PendingCreation"),
        "{states:?}"
    );
    assert!(states.iter().any(|s| s == "BootstrappingFirstPod"), "{states:?}");
    assert!(states.iter().any(|s| s == "Initializing"), "{states:?}");
    assert_eq!(states.last().map(String::as_str), Some("Running"));
    assert_eq!(h.created(), ["rec-0", "rec-1", "rec-2"], "one node at a time, in order");
    let rec = h.rec();
    assert_eq!(rec["status"]["readyNodes"], 3);
    assert_eq!(rec["status"]["applied"]["bootstrapped"], true);
    assert_eq!(rec["status"]["applied"]["versions"]["redisEnterprise"], "8.0.20-44");
    assert!(
        rec["status"].get("progress").is_none_or(Value::is_null),
        "{:#}",
        rec["status"]
    );
    assert_eq!(condition(&rec, "Progressing")["reason"], "Done");
}

#[tokio::test]
async fn a_tag_change_on_five_nodes_restarts_one_at_a_time_highest_first() {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(5)).await;
    let before = h.pods();
    let created_before = h.created().len();

    let mut tagged = nodes(5);
    tagged["redisEnterpriseImageSpec"] = json!({ "versionTag": "8.0.22-1" });
    h.patch(tagged).await;
    let states = h.drive(300, running).await;
    h.assert_invariant();
    assert!(states.contains(&"Upgrade".to_string()), "{states:?}");
    assert_eq!(
        h.created()[created_before..],
        ["rec-4", "rec-3", "rec-2", "rec-1", "rec-0"],
        "each node restarted once, highest ordinal first"
    );
    let sts = h.world.object("StatefulSet", "rec").expect("the StatefulSet");
    assert_eq!(sts["spec"]["updateStrategy"]["type"], "OnDelete");
    for (name, pod) in h.pods() {
        assert_ne!(
            pod["metadata"]["uid"], before[&name]["metadata"]["uid"],
            "{name} was not restarted"
        );
        assert_eq!(
            template_hash(&pod),
            template_hash(&sts),
            "{name} is not on the new template"
        );
        assert!(
            pod["spec"]["containers"][0]["image"]
                .as_str()
                .is_some_and(|i| i.ends_with(":8.0.22-1"))
        );
    }
    assert_eq!(h.events("Upgrade").await, 1);
    assert_eq!(h.events("NodeRestarted").await, 5);
    assert_eq!(h.rec()["status"]["applied"]["versions"]["redisEnterprise"], "8.0.22-1");
    let metrics = h.ctx.metrics.encode().expect("metrics");
    assert!(metrics.contains("rec_operator_roll_nodes_remaining 0"), "{metrics}");
}

#[tokio::test]
async fn a_node_that_never_becomes_ready_halts_the_roll_and_the_roll_resumes_when_it_recovers() {
    let settings = Settings {
        roll_timeout_seconds: Some(60),
        ..Settings::default()
    };
    let mut h = Harness::new(settings);
    h.running(nodes(3)).await;
    let created_before = h.created().len();
    // rec-2's new container will crash-loop.
    h.world.sim.hold_pod("rec-2", "CrashLoopBackOff");
    h.patch(json!({ "redisEnterprisePodAnnotations": { "rollout": "1" } }))
        .await;
    h.drive(200, |rec| rec["status"]["progress"]["halted"].is_string())
        .await;
    let rec = h.rec();
    let halted = rec["status"]["progress"]["halted"].as_str().expect("a reason");
    assert!(
        halted.contains("rec-2") && halted.contains("CrashLoopBackOff"),
        "{halted}"
    );
    assert_eq!(rec["status"]["state"], "RunningRollingUpdate");
    assert_eq!(condition(&rec, "Progressing")["reason"], "Halted");
    assert_eq!(h.created()[created_before..], ["rec-2"], "no other node was touched");
    assert_eq!(h.events("RollHalted").await, 1);
    // Still halted a while later: reported once, nothing more restarted.
    for _ in 0..5 {
        let _ = h.reconcile().await;
        h.world.sim.step().await.expect("steps");
    }
    assert_eq!(h.events("RollHalted").await, 1);
    assert_eq!(h.created()[created_before..], ["rec-2"]);
    let metrics = h.ctx.metrics.encode().expect("metrics");
    assert!(metrics.contains("rec_operator_rolls_halted_total 1"), "{metrics}");

    h.world.sim.release_pod("rec-2");
    h.drive(200, running).await;
    h.assert_invariant();
    assert_eq!(h.created()[created_before..], ["rec-2", "rec-1", "rec-0"]);
    assert!(h.rec()["status"].get("progress").is_none_or(Value::is_null));
}

#[tokio::test]
async fn pvc_expansion_from_20_to_40gi_restarts_no_pod() {
    let mut small = nodes(3);
    small["persistentSpec"] = json!({ "enabled": true, "volumeSize": "20Gi", "enablePersistentVolumeResize": true });
    small["redisEnterpriseNodeResources"] =
        json!({ "requests": { "cpu": "2", "memory": "4Gi" }, "limits": { "cpu": "2", "memory": "4Gi" } });
    let mut h = Harness::with(
        Config {
            resize_after_steps: 2,
            ..Config::default()
        },
        Settings::default(),
        None,
    );
    h.running(small).await;
    let uids = h.world.pod_uids();
    h.patch(json!({ "persistentSpec": { "volumeSize": "40Gi" } })).await;
    let states = h.drive(200, running).await;
    h.assert_invariant();
    assert_eq!(
        states.first().map(String::as_str),
        Some("ExpandingVolumes"),
        "{states:?}"
    );
    assert_eq!(h.world.pod_uids(), uids, "no pod was restarted");
    for claim in h.world.objects("PersistentVolumeClaim") {
        assert_eq!(claim["spec"]["resources"]["requests"]["storage"], "40Gi", "{claim:#}");
        assert_eq!(claim["status"]["capacity"]["storage"], "40Gi", "{claim:#}");
    }
    let sts = h.world.object("StatefulSet", "rec").expect("re-created");
    assert_eq!(
        sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "40Gi"
    );
    for pod in h.pods().values() {
        let owner = &pod["metadata"]["ownerReferences"][0];
        assert_eq!(
            (owner["kind"].as_str(), owner["uid"].as_str()),
            (Some("StatefulSet"), sts["metadata"]["uid"].as_str())
        );
    }
    assert_eq!(h.events("VolumesExpanded").await, 1);
    assert_eq!(h.rec()["status"]["applied"]["volumeSize"], "40Gi");
}

#[tokio::test]
async fn a_storage_class_change_is_refused_without_a_write() {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(3)).await;
    let before = h.world.objects("StatefulSet");
    let pods = h.world.pod_uids();
    let writes = h.checker.writes();
    h.patch(json!({ "persistentSpec": { "storageClassName": "fast" } }))
        .await;
    let action = h.reconcile().await.expect("a refusal is no failure");
    assert_eq!(action, kube::runtime::controller::Action::await_change());
    let rec = h.rec();
    assert_eq!(rec["status"]["specStatus"], "Invalid");
    assert_eq!(condition(&rec, "Reconciled")["reason"], "SpecInvalid");
    assert!(
        condition(&rec, "Valid")["message"]
            .as_str()
            .is_some_and(|m| m.contains("storage-class-changed")),
        "{:#}",
        rec["status"]
    );
    // The status patch and its event: nothing else.
    let status_and_event = 2;
    assert_eq!(h.checker.writes() - writes, status_and_event);
    assert_eq!(h.world.objects("StatefulSet"), before);
    assert_eq!(h.world.pod_uids(), pods);
    assert_eq!(h.events("SpecInvalid").await, 1);
    // Against what runs, even when the status lost its record: the plan's own refusal.
    let status_api = recs(&h.world.client);
    status_api
        .patch_status(
            "rec",
            &PatchParams::default(),
            &Patch::Merge(&json!({ "status": { "applied": null } })),
        )
        .await
        .expect("status edited");
    h.reconcile().await.expect("refused again");
    assert_eq!(condition(&h.rec(), "Reconciled")["reason"], "ChangeRefused");
    assert_eq!(h.world.objects("StatefulSet"), before);
}

/// A roll interrupted after `restarts` nodes: the rest is carried out by `finish` (a restarted operator or a new
/// leader) at the right node, each node restarted exactly once.
async fn interrupted_roll(restarts: usize, finish: impl AsyncFnOnce(&mut Harness)) {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(5)).await;
    let created_before = h.created().len();
    h.patch(json!({ "redisEnterprisePodAnnotations": { "rollout": "1" } }))
        .await;
    while h.created().len() < created_before + restarts {
        let _ = h.reconcile().await;
        h.world.sim.step().await.expect("steps");
    }
    finish(&mut h).await;
    h.drive(300, running).await;
    h.assert_invariant();
    assert_eq!(
        h.created()[created_before..],
        ["rec-4", "rec-3", "rec-2", "rec-1", "rec-0"]
    );
}

#[tokio::test]
async fn an_operator_restart_mid_roll_resumes_at_the_right_node() {
    interrupted_roll(2, async |h: &mut Harness| h.restart(Settings::default())).await;
}

#[tokio::test]
async fn a_leader_failover_mid_roll_lets_the_new_leader_finish_it() {
    use k8s_openapi::api::coordination::v1::Lease;
    use rec_operator::leader::{Elector, LeaseConfig};
    interrupted_roll(3, async |h: &mut Harness| {
        // a led the roll so far and stops renewing (it crashed); b takes the lease once it expired, and carries
        // on as a new process.
        let leases: Api<Lease> = Api::namespaced(h.world.client.clone(), "rec-operator");
        let a = Elector::new(leases.clone(), LeaseConfig::new("leader", "a"));
        let b = Elector::new(leases, LeaseConfig::new("leader", "b"));
        let now = jiff::Timestamp::now();
        assert!(a.try_acquire(now).await.expect("a acquires"));
        let later = now + jiff::SignedDuration::from_secs(30);
        assert!(
            b.try_acquire(later).await.expect("b acquires"),
            "b takes over after a's lease expires"
        );
        assert!(
            !a.try_acquire(later).await.expect("a tries"),
            "a is no longer the leader"
        );
        h.restart(Settings::default());
    })
    .await;
}

#[tokio::test]
async fn scale_from_3_to_5_adds_one_node_at_a_time() {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(3)).await;
    let uids = h.world.pod_uids();
    h.patch(json!({ "nodes": 5 })).await;
    let states = h.drive(200, running).await;
    h.assert_invariant();
    assert!(states.contains(&"ScalingUp".to_string()), "{states:?}");
    let after = h.world.pod_uids();
    assert_eq!(after.len(), 5);
    for (name, uid) in &uids {
        assert_eq!(after.get(name), Some(uid), "{name} was restarted");
    }
    assert_eq!(h.world.objects("PersistentVolumeClaim").len(), 5);
    // Scaling down is refused: nothing is removed.
    h.patch(json!({ "nodes": 3 })).await;
    h.reconcile().await.expect("refused");
    assert_eq!(h.rec()["status"]["specStatus"], "Invalid");
    assert_eq!(
        h.world.object("StatefulSet", "rec").expect("sts")["spec"]["replicas"],
        5
    );
}

#[tokio::test]
async fn a_rec_being_deleted_gets_no_writes_but_its_status() {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(3)).await;
    // A finalizer holds the REC while it is deleted (as `kubectl delete --cascade=foreground` would).
    recs(&h.world.client)
        .patch(
            "rec",
            &PatchParams::default(),
            &Patch::Merge(&json!({ "metadata": { "finalizers": ["example.com/hold"] } })),
        )
        .await
        .expect("finalizer");
    recs(&h.world.client)
        .delete("rec", &DeleteParams::default())
        .await
        .expect("deleting");
    assert!(h.rec()["metadata"]["deletionTimestamp"].is_string());
    let services: Api<DynamicObject> = h.world.api("Service").expect("services");
    services
        .delete("rec-ui", &DeleteParams::default())
        .await
        .expect("deleted");
    let writes = h.checker.writes();
    h.reconcile().await.expect("reconciles");
    h.reconcile().await.expect("reconciles");
    assert_eq!(h.state(), "Deleting");
    assert!(
        h.world.object("Service", "rec-ui").is_none(),
        "no child is re-created while the REC goes"
    );
    assert_eq!(h.checker.writes() - writes, 1, "the status, once");
}

#[tokio::test]
async fn an_operator_upgrade_rolls_no_cluster_without_auto_upgrade() {
    let mut h = Harness::new(Settings::default());
    h.running(nodes(3)).await;
    let uids = h.world.pod_uids();
    let upgraded = Settings {
        versions: rec_core::defaults::Versions {
            operator_tag: "8.0.22-5".into(),
            redis_enterprise_tag: "8.0.22-1".into(),
            ..Default::default()
        },
        ..Settings::default()
    };
    h.restart(upgraded.clone());
    for _ in 0..10 {
        h.reconcile().await.expect("reconciles");
        h.world.sim.step().await.expect("steps");
    }
    assert_eq!(h.world.pod_uids(), uids, "no node restarted");
    let rec = h.rec();
    assert_eq!(rec["status"]["state"], "Running");
    assert_eq!(rec["status"]["applied"]["versions"]["redisEnterprise"], "8.0.20-44");
    assert!(
        condition(&rec, "Progressing")["message"].as_str().is_some(),
        "{:#}",
        rec["status"]
    );
    // Opted in: the bundled version rolls in, one node at a time.
    h.patch(json!({ "upgradeSpec": { "autoUpgradeRedisEnterprise": true } }))
        .await;
    let states = h.drive(200, running).await;
    h.assert_invariant();
    assert!(states.contains(&"Upgrade".to_string()), "{states:?}");
    assert_eq!(h.rec()["status"]["applied"]["versions"]["redisEnterprise"], "8.0.22-1");
    for pod in h.pods().values() {
        assert!(
            pod["spec"]["containers"][0]["image"]
                .as_str()
                .is_some_and(|i| i.ends_with(":8.0.22-1"))
        );
    }
}

/// The rolling scenario under API faults (409, 500, requests that never answer) between its steps, 20 times
/// with different schedules: the invariant holds every time, every node ends on the new template, nothing is
/// lost (claims, the password).
#[tokio::test(start_paused = true)]
async fn a_roll_under_api_faults_twenty_times_keeps_the_invariant_and_loses_nothing() {
    for seed in 0..20u64 {
        let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)));
        let armed = Arc::new(AtomicBool::new(false));
        let inject: Injector = {
            let (rng, armed) = (rng.clone(), armed.clone());
            Arc::new(move |_call| {
                if !armed.load(Ordering::SeqCst) {
                    return None;
                }
                match rng.lock().expect("lock").u32(..100) {
                    0..4 => Some(Fault::Status(409)),
                    4..8 => Some(Fault::Status(500)),
                    8..10 => Some(Fault::Hang),
                    _ => None,
                }
            })
        };
        let mut h = Harness::with(Config::default(), Settings::default(), Some(inject));
        h.running(nodes(5)).await;
        let password = h.world.object("Secret", "rec").expect("secret")["data"]["password"].clone();
        let claims: Vec<String> = h
            .world
            .objects("PersistentVolumeClaim")
            .iter()
            .map(|c| c["metadata"]["uid"].as_str().unwrap_or_default().to_string())
            .collect();
        let created_before = h.created().len();
        armed.store(true, Ordering::SeqCst);
        h.patch(json!({ "redisEnterprisePodAnnotations": { "rollout": seed.to_string() } }))
            .await;
        h.drive(600, running).await;
        armed.store(false, Ordering::SeqCst);
        assert_eq!(h.checker.violations(), [], "seed {seed}: two node pods down at once");
        let mut restarted = h.created()[created_before..].to_vec();
        restarted.sort();
        assert_eq!(
            restarted,
            ["rec-0", "rec-1", "rec-2", "rec-3", "rec-4"],
            "seed {seed}: each node once"
        );
        let sts = h.world.object("StatefulSet", "rec").expect("sts");
        for pod in h.pods().values() {
            assert_eq!(template_hash(pod), template_hash(&sts), "seed {seed}");
        }
        assert_eq!(
            h.world.object("Secret", "rec").expect("secret")["data"]["password"],
            password,
            "seed {seed}"
        );
        let now: Vec<String> = h
            .world
            .objects("PersistentVolumeClaim")
            .iter()
            .map(|c| c["metadata"]["uid"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(now, claims, "seed {seed}: a claim was lost");
    }
}
