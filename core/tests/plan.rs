//! The plan, across the cases that matter: creation, a healthy cluster, a rolling change before, during and after
//! each node, a node that does not come back, volume growth with and without the flag, refused changes, scale up
//! and down, version pinning across an operator upgrade, deletion. Assertions are on the plan value.

use rec_core::api::{AppliedState, Progress, ResolvedVersions};
use rec_core::defaults::Versions;
use rec_core::plan::{Action, Plan, PlanRequest, State, StepStatus, plan};
use rec_core::render::{ExistingSecret, Owned, RenderContext};
use serde_json::{Value, json};

const NOW: &str = "2026-12-04T12:00:00Z";

fn spec() -> Value {
    json!({
        "nodes": 3,
        "redisEnterpriseNodeResources": {"requests": {"cpu": "2", "memory": "8Gi"}, "limits": {"cpu": "2", "memory": "8Gi"}},
        "persistentSpec": {"volumeSize": "40Gi"}
    })
}

fn rec(spec: Value) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
           "metadata": {"name": "rec", "namespace": "ns", "uid": "u-1", "generation": 2}, "spec": spec})
}

/// What the operator recorded for `spec`, running the bundled 8.0.20 tags.
fn applied(spec: Value) -> AppliedState {
    AppliedState {
        generation: Some(1),
        spec,
        versions: Some(ResolvedVersions {
            redis_enterprise: "8.0.20-44".into(),
            operator: "8.0.20-23".into(),
        }),
        volume_size: Some("40Gi".into()),
        bootstrapped: true,
    }
}

fn request(desired: Value, applied: Option<AppliedState>, observed: Option<Value>) -> PlanRequest {
    PlanRequest {
        object: rec(desired),
        applied,
        observed,
        context: RenderContext {
            existing_secret: Some(ExistingSecret { name: "rec".into() }),
            ..Default::default()
        },
        now: Some(NOW.into()),
        objects: true,
        ..Default::default()
    }
}

fn the_statefulset(plan: &Plan<Owned>) -> Value {
    let objects = plan.objects.as_ref().expect("objects");
    let sts = objects
        .iter()
        .find(|o| matches!(o, Owned::StatefulSet(..)))
        .expect("a StatefulSet");
    sts.to_value().expect("JSON")
}

/// A pod template the plan renders: its hash, and the template as the StatefulSet stores it.
#[derive(Clone)]
struct Template {
    hash: String,
    template: Value,
}

/// The pod template the plan renders for `desired` on a running cluster recorded as `applied`.
fn template(desired: Value, applied: Option<AppliedState>) -> Template {
    let p = plan(&request(desired, applied, None));
    let template = the_statefulset(&p)["spec"]["template"].clone();
    let hash = template["metadata"]["annotations"]["redis.io/template-hash"]
        .as_str()
        .expect("a hash")
        .to_string();
    Template { hash, template }
}

fn sts(replicas: i32, t: &Template, claim: Option<&str>) -> Value {
    let templates = claim.map(|size| {
        json!([{"metadata": {"name": "redis-enterprise-storage", "labels": {"app": "redis-enterprise", "pinned": "yes"}},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}])
    });
    json!({"kind": "StatefulSet", "metadata": {"name": "rec"},
           "spec": {"replicas": replicas, "serviceName": "rec", "volumeClaimTemplates": templates,
                    "template": t.template}})
}

/// Pod `rec-<i>` created from `t`: its annotations and containers.
fn pod(i: i32, t: &Template, ready: bool) -> Value {
    let hash = &t.hash;
    let mut status =
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]});
    if !ready {
        status["containerStatuses"] = json!([{"name": "redis-enterprise-node",
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}}}]);
    }
    json!({"kind": "Pod", "metadata": {"name": format!("rec-{i}"), "annotations": {"redis.io/template-hash": hash}},
           "spec": t.template["spec"], "status": status})
}

fn pvc(i: i32, requested: &str, capacity: &str) -> Value {
    json!({"kind": "PersistentVolumeClaim", "metadata": {"name": format!("redis-enterprise-storage-rec-{i}")},
           "spec": {"resources": {"requests": {"storage": requested}}}, "status": {"capacity": {"storage": capacity}}})
}

fn world(sts: Option<Value>, pods: Vec<Value>, claims: Vec<Value>) -> Value {
    json!({"statefulSet": sts, "pods": pods, "persistentVolumeClaims": claims})
}

fn healthy(t: &Template, size: &str) -> Value {
    world(
        Some(sts(3, t, Some(size))),
        (0..3).map(|i| pod(i, t, true)).collect(),
        (0..3).map(|i| pvc(i, size, size)).collect(),
    )
}

fn actions(plan: &Plan<Owned>) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| {
            let target = match &s.action {
                Action::Apply { .. } | Action::ReplaceStatefulSet => String::new(),
                Action::ExpandVolume { claim, size } => format!(" {claim} {size}"),
                Action::WaitVolumes { size } => format!(" {size}"),
                Action::RestartNode { pod } | Action::AddNode { pod } | Action::WaitNode { pod } => format!(" {pod}"),
            };
            let name = serde_json::to_value(&s.action).expect("JSON")["action"]
                .as_str()
                .unwrap_or("")
                .to_string();
            format!("{name}{target}")
        })
        .collect()
}

fn with_tag(tag: &str) -> Value {
    let mut s = spec();
    s["redisEnterpriseImageSpec"] = json!({"versionTag": tag});
    s
}

#[test]
fn a_new_cluster_is_created_and_its_nodes_awaited_one_by_one() {
    let p = plan(&request(spec(), None, Some(world(None, vec![], vec![]))));
    assert_eq!(p.state, State::PendingCreation);
    assert_eq!(
        actions(&p),
        ["apply", "waitNode rec-0", "waitNode rec-1", "waitNode rec-2"]
    );
    assert_eq!(p.steps[0].status, StepStatus::Run);
    assert_eq!(the_statefulset(&p)["spec"]["replicas"], 3);
    assert_eq!(the_statefulset(&p)["spec"]["updateStrategy"]["type"], "OnDelete");
    let record = p.applied.expect("a record");
    assert_eq!(
        record.versions.map(|v| v.redis_enterprise).as_deref(),
        Some("8.0.20-44")
    );
    assert_eq!(record.volume_size.as_deref(), Some("40Gi"));
    assert!(!record.bootstrapped);
}

#[test]
fn first_nodes_coming_up_are_bootstrapping_then_initializing_then_running() {
    let h = template(spec(), None);
    let mut record = applied(spec());
    record.bootstrapped = false;
    let observe = |ready: &[bool]| {
        let pods = ready.iter().enumerate().map(|(i, r)| pod(i as i32, &h, *r)).collect();
        world(Some(sts(3, &h, Some("40Gi"))), pods, vec![])
    };
    let p = plan(&request(spec(), Some(record.clone()), Some(observe(&[false]))));
    assert_eq!(p.state, State::BootstrappingFirstPod);
    assert_eq!(actions(&p), ["waitNode rec-0", "waitNode rec-1", "waitNode rec-2"]);
    let p = plan(&request(spec(), Some(record.clone()), Some(observe(&[true, false]))));
    assert_eq!((p.state, p.nodes.ready), (State::Initializing, 1));
    let p = plan(&request(spec(), Some(record), Some(observe(&[true, true, true]))));
    assert_eq!(p.state, State::Running);
    assert!(p.steps.is_empty());
    assert!(
        p.applied.expect("record").bootstrapped,
        "Running once: bootstrapped from now on"
    );
}

#[test]
fn a_healthy_cluster_with_nothing_changed_has_no_steps() {
    let h = template(spec(), Some(applied(spec())));
    let p = plan(&request(spec(), Some(applied(spec())), Some(healthy(&h, "40Gi"))));
    assert_eq!(p.state, State::Running);
    assert!(p.steps.is_empty(), "{:?}", p.steps);
    assert_eq!(p.summary, ["no change to the running nodes"]);
    assert_eq!(p.progress, None);
}

#[test]
fn a_tag_change_rolls_one_node_at_a_time_highest_first() {
    let old = template(spec(), Some(applied(spec())));
    let p = plan(&request(
        with_tag("8.0.22-1"),
        Some(applied(spec())),
        Some(healthy(&old, "40Gi")),
    ));
    assert_eq!(p.state, State::Upgrade);
    assert_eq!(
        actions(&p),
        [
            "apply",
            "restartNode rec-2",
            "waitNode rec-2",
            "restartNode rec-1",
            "waitNode rec-1",
            "restartNode rec-0",
            "waitNode rec-0"
        ]
    );
    assert_eq!(p.steps[0].status, StepStatus::Run);
    assert!(p.steps[1..].iter().all(|s| s.status == StepStatus::Pending));
    assert!(
        p.summary[0].starts_with(
            "upgrades Redis Enterprise 8.0.20-44 -> 8.0.22-1: restarts 3 node(s) one at a time (rec-2, rec-1, rec-0)"
        ),
        "{:?}",
        p.summary
    );
    assert!(p.summary[0].contains("redis-enterprise-node image redislabs/redis:8.0.20-44 -> redislabs/redis:8.0.22-1"));
}

#[test]
fn during_a_roll_the_plan_restarts_the_next_node_only_when_every_other_is_ready() {
    let old = template(spec(), Some(applied(spec())));
    let new = template(with_tag("8.0.22-1"), Some(applied(spec())));
    let observe = |pods: Vec<Value>| world(Some(sts(3, &new, Some("40Gi"))), pods, vec![]);

    // rec-2 restarted and back: rec-1 is next, and runs now.
    let back = observe(vec![pod(0, &old, true), pod(1, &old, true), pod(2, &new, true)]);
    let p = plan(&request(
        with_tag("8.0.22-1"),
        Some(applied(with_tag("8.0.22-1"))),
        Some(back),
    ));
    assert_eq!(
        actions(&p),
        [
            "restartNode rec-1",
            "waitNode rec-1",
            "restartNode rec-0",
            "waitNode rec-0"
        ]
    );
    assert_eq!(p.steps[0].status, StepStatus::Run);
    assert_eq!(
        p.state,
        State::Upgrade,
        "rec-1 and rec-0 still run 8.0.20-44, whatever the record says"
    );
    assert!(
        p.summary[0].starts_with("upgrades Redis Enterprise 8.0.20-44 -> 8.0.22-1: restarts 2 node(s)"),
        "{:?}",
        p.summary
    );

    // rec-2 restarted and not yet back: wait for it; nothing else moves.
    let down = observe(vec![pod(0, &old, true), pod(1, &old, true), pod(2, &new, false)]);
    let p = plan(&request(
        with_tag("8.0.22-1"),
        Some(applied(with_tag("8.0.22-1"))),
        Some(down),
    ));
    assert_eq!(actions(&p)[..2], ["waitNode rec-2", "restartNode rec-1"]);
    assert_eq!(p.steps[0].status, StepStatus::Wait);
    assert!(
        p.steps[0]
            .waiting
            .as_deref()
            .is_some_and(|w| w.contains("CrashLoopBackOff")),
        "{:?}",
        p.steps[0]
    );
    assert_eq!(the_statefulset(&p)["spec"]["replicas"], 3);

    // A node on the old template that is down is restarted first: it is down already.
    let crashed = observe(vec![pod(0, &old, false), pod(1, &old, true), pod(2, &new, true)]);
    let p = plan(&request(
        with_tag("8.0.22-1"),
        Some(applied(with_tag("8.0.22-1"))),
        Some(crashed),
    ));
    assert_eq!(
        actions(&p)[..3],
        ["restartNode rec-0", "waitNode rec-0", "restartNode rec-1"]
    );
    assert_eq!(p.steps[0].status, StepStatus::Run);

    // Two nodes down: no restart may take a third... or a second.
    let two = observe(vec![pod(0, &old, false), pod(1, &old, false), pod(2, &new, true)]);
    let p = plan(&request(
        with_tag("8.0.22-1"),
        Some(applied(with_tag("8.0.22-1"))),
        Some(two),
    ));
    assert_eq!(p.steps[0].status, StepStatus::Wait);
    assert!(
        p.steps[0]
            .waiting
            .as_deref()
            .is_some_and(|w| w.contains("never two nodes are down at once")),
        "{:?}",
        p.steps[0]
    );
}

#[test]
fn a_node_that_does_not_come_back_halts_the_roll_and_it_resumes_when_the_node_is_ready() {
    let old = template(spec(), Some(applied(spec())));
    let new = template(with_tag("8.0.22-1"), Some(applied(spec())));
    let down = world(
        Some(sts(3, &new, Some("40Gi"))),
        vec![pod(0, &old, true), pod(1, &old, true), pod(2, &new, false)],
        vec![],
    );
    let mut r = request(with_tag("8.0.22-1"), Some(applied(with_tag("8.0.22-1"))), Some(down));
    r.progress = Some(Progress {
        step: "node rec-2".into(),
        since: "2026-12-04T11:40:00Z".into(),
        halted: None,
    });
    let p = plan(&r);
    assert_eq!(p.steps[0].status, StepStatus::Halted);
    let halted = p.halted.clone().expect("halted");
    assert!(
        halted.contains("rec-2 has not come back for 20m (since 2026-12-04T11:40:00Z)"),
        "{halted}"
    );
    assert!(halted.contains("CrashLoopBackOff"), "{halted}");
    assert_eq!(p.progress.as_ref().and_then(|p| p.halted.clone()), Some(halted));
    assert_eq!(
        p.progress.as_ref().map(|p| p.since.as_str()),
        Some("2026-12-04T11:40:00Z")
    );

    // Within the bound it only waits; a longer bound does not halt.
    r.roll_timeout_seconds = Some(3600);
    assert_eq!(plan(&r).steps[0].status, StepStatus::Wait);

    // Back: the roll moves on to rec-1.
    r.observed = Some(world(
        Some(sts(3, &new, Some("40Gi"))),
        vec![pod(0, &old, true), pod(1, &old, true), pod(2, &new, true)],
        vec![],
    ));
    r.roll_timeout_seconds = None;
    let p = plan(&r);
    assert_eq!((p.steps[0].status, p.halted.as_deref()), (StepStatus::Run, None));
    assert_eq!(actions(&p)[0], "restartNode rec-1");
    assert_eq!(
        p.progress.map(|p| (p.step, p.since)),
        Some(("node rec-1".into(), NOW.into()))
    );
}

#[test]
fn volume_growth_expands_each_claim_waits_then_replaces_the_statefulset_keeping_its_pods() {
    let grown = {
        let mut s = spec();
        s["persistentSpec"] = json!({"volumeSize": "80Gi", "enablePersistentVolumeResize": true});
        s
    };
    let record = applied(spec());
    let h = template(grown.clone(), Some(record.clone()));
    let pods = || (0..3).map(|i| pod(i, &h, true)).collect::<Vec<_>>();

    let p = plan(&request(
        grown.clone(),
        Some(record.clone()),
        Some(world(
            Some(sts(3, &h, Some("40Gi"))),
            pods(),
            (0..3).map(|i| pvc(i, "40Gi", "40Gi")).collect(),
        )),
    ));
    assert_eq!(p.state, State::ExpandingVolumes);
    assert_eq!(
        actions(&p),
        [
            "expandVolume redis-enterprise-storage-rec-0 80Gi",
            "expandVolume redis-enterprise-storage-rec-1 80Gi",
            "expandVolume redis-enterprise-storage-rec-2 80Gi",
            "waitVolumes 80Gi",
            "replaceStatefulSet",
            "apply"
        ]
    );
    assert!(
        p.summary[0].starts_with("expands 3 volume(s) from 40Gi to 80Gi"),
        "{:?}",
        p.summary
    );
    let sts_object = the_statefulset(&p);
    assert_eq!(
        sts_object["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"], "40Gi",
        "the StatefulSet keeps its claim template until it is replaced"
    );
    assert_eq!(
        sts_object["spec"]["volumeClaimTemplates"][0]["metadata"]["labels"]["pinned"],
        "yes"
    );

    // Requests raised, one capacity still behind: wait, naming it.
    let claims = vec![pvc(0, "80Gi", "80Gi"), pvc(1, "80Gi", "40Gi"), pvc(2, "80Gi", "80Gi")];
    let p = plan(&request(
        grown.clone(),
        Some(record.clone()),
        Some(world(Some(sts(3, &h, Some("40Gi"))), pods(), claims)),
    ));
    assert_eq!(actions(&p)[0], "waitVolumes 80Gi");
    assert_eq!(p.steps[0].status, StepStatus::Wait);
    assert!(
        p.steps[0]
            .waiting
            .as_deref()
            .is_some_and(|w| w.contains("redis-enterprise-storage-rec-1 has 40Gi"))
    );

    // Every volume grown: replace the StatefulSet.
    let claims = (0..3).map(|i| pvc(i, "80Gi", "80Gi")).collect();
    let p = plan(&request(
        grown.clone(),
        Some(record.clone()),
        Some(world(Some(sts(3, &h, Some("40Gi"))), pods(), claims)),
    ));
    assert_eq!(actions(&p), ["replaceStatefulSet", "apply"]);
    assert_eq!(p.steps[0].status, StepStatus::Run);

    // Deleted, its pods orphaned and running: re-create it with the bigger template; no node restarts.
    let claims = (0..3).map(|i| pvc(i, "80Gi", "80Gi")).collect();
    let p = plan(&request(
        grown.clone(),
        Some(record.clone()),
        Some(world(None, pods(), claims)),
    ));
    assert_eq!(actions(&p), ["apply"]);
    let sts_object = the_statefulset(&p);
    assert_eq!(
        sts_object["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "80Gi"
    );
    assert_eq!(sts_object["spec"]["replicas"], 3);
    assert_eq!(p.applied.and_then(|a| a.volume_size).as_deref(), Some("80Gi"));

    // Re-created: done.
    let claims = (0..3).map(|i| pvc(i, "80Gi", "80Gi")).collect();
    let mut record = record;
    record.volume_size = Some("80Gi".into());
    record.spec = grown.clone();
    let p = plan(&request(
        grown,
        Some(record),
        Some(world(Some(sts(3, &h, Some("80Gi"))), pods(), claims)),
    ));
    assert_eq!((p.state, p.steps.len()), (State::Running, 0));
}

#[test]
fn growth_without_the_flag_and_any_shrink_are_refused() {
    let mut s = spec();
    s["persistentSpec"]["volumeSize"] = json!("80Gi");
    let p = plan(&request(s, Some(applied(spec())), None));
    assert_eq!(p.state, State::Invalid);
    assert_eq!(
        p.refused.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
        ["volume-grow-without-resize"]
    );
    assert!(p.summary[0].starts_with("refused: spec.persistentSpec.volumeSize [volume-grow-without-resize]"));
    assert!(p.objects.is_none() && p.applied.is_none() && p.steps.is_empty());

    // Judged against what runs, even when the record says otherwise (a status lost or edited).
    let mut s = spec();
    s["persistentSpec"]["volumeSize"] = json!("30Gi");
    let h = template(spec(), Some(applied(spec())));
    let p = plan(&request(s.clone(), Some(applied(s)), Some(healthy(&h, "40Gi"))));
    assert_eq!(
        p.refused.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
        ["volume-shrunk"]
    );
}

#[test]
fn a_memory_change_never_changes_the_volumes() {
    let mut s = spec();
    s["persistentSpec"] = json!({});
    let mut record = applied(s.clone());
    let h = template(s.clone(), Some(record.clone()));
    s["redisEnterpriseNodeResources"] =
        json!({"requests": {"cpu": "2", "memory": "16Gi"}, "limits": {"cpu": "2", "memory": "16Gi"}});
    record.volume_size = Some("40Gi".into());
    let p = plan(&request(s, Some(record), Some(healthy(&h, "40Gi"))));
    assert!(p.refused.is_empty(), "{:?}", p.refused);
    assert_eq!(p.state, State::RunningRollingUpdate);
    assert!(!actions(&p).iter().any(|a| a.starts_with("expandVolume")));
    assert_eq!(
        the_statefulset(&p)["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "40Gi"
    );
    assert!(
        p.summary[0].contains("redis-enterprise-node resources"),
        "{:?}",
        p.summary
    );
}

#[test]
fn changes_no_plan_can_carry_out_are_refused_naming_the_field() {
    let h = template(spec(), Some(applied(spec())));
    let cases = [
        (
            json!({"persistentSpec": {"volumeSize": "40Gi", "storageClassName": "fast"}}),
            "storage-class-changed",
            "spec.persistentSpec.storageClassName",
        ),
        (
            json!({"persistentSpec": {"enabled": false}}),
            "persistence-turned-off",
            "spec.persistentSpec.enabled",
        ),
        (json!({"nodes": 1}), "nodes-decreased", "spec.nodes"),
    ];
    for (patch, code, path) in cases {
        let mut s = spec();
        for (k, v) in patch.as_object().expect("object") {
            s[k] = v.clone();
        }
        let p = plan(&request(s.clone(), Some(applied(spec())), Some(healthy(&h, "40Gi"))));
        assert_eq!(p.state, State::Invalid, "{code}");
        assert!(
            p.refused.iter().any(|v| v.code == code && v.path == path),
            "{code}: {:?}",
            p.refused
        );
        assert!(p.objects.is_none(), "{code}: nothing is applied");
    }
    // Against the observed StatefulSet too: 5 replicas running, the record says 3.
    let p = plan(&request(
        spec(),
        Some(applied(spec())),
        Some(world(Some(sts(5, &h, Some("40Gi"))), vec![], vec![])),
    ));
    assert!(p.refused.iter().any(|v| v.code == "nodes-decreased"), "{:?}", p.refused);
    // A cluster without persistence cannot gain it.
    let mut off = spec();
    off["persistentSpec"] = json!({"enabled": false});
    let p = plan(&request(spec(), Some(applied(off)), None));
    assert!(
        p.refused.iter().any(|v| v.code == "persistence-turned-on"),
        "{:?}",
        p.refused
    );
}

#[test]
fn scale_up_adds_one_node_at_a_time() {
    let mut five = spec();
    five["nodes"] = json!(5);
    let h = template(five.clone(), Some(applied(spec())));
    let p = plan(&request(five.clone(), Some(applied(spec())), Some(healthy(&h, "40Gi"))));
    assert_eq!(p.state, State::ScalingUp);
    assert_eq!(
        actions(&p),
        ["addNode rec-3", "waitNode rec-3", "addNode rec-4", "waitNode rec-4"]
    );
    assert_eq!(p.steps[0].status, StepStatus::Run);
    assert_eq!(the_statefulset(&p)["spec"]["replicas"], 4, "one more node, not two");
    assert!(p.summary[0].starts_with("adds 2 node(s) one at a time (rec-3, rec-4)"));

    // rec-3 added and not yet Ready: wait, and keep 4 replicas.
    let mut pods: Vec<Value> = (0..3).map(|i| pod(i, &h, true)).collect();
    pods.push(pod(3, &h, false));
    let p = plan(&request(
        five.clone(),
        Some(applied(five.clone())),
        Some(world(Some(sts(4, &h, Some("40Gi"))), pods, vec![])),
    ));
    assert_eq!(actions(&p)[..2], ["waitNode rec-3", "addNode rec-4"]);
    assert_eq!(p.steps[0].status, StepStatus::Wait);
    assert_eq!(the_statefulset(&p)["spec"]["replicas"], 4);
    assert_eq!(p.state, State::ScalingUp);

    // A node down: no node is added.
    let pods = vec![pod(0, &h, true), pod(1, &h, false), pod(2, &h, true)];
    let p = plan(&request(
        five,
        Some(applied(spec())),
        Some(world(Some(sts(3, &h, Some("40Gi"))), pods, vec![])),
    ));
    assert_eq!(actions(&p)[0], "waitNode rec-1");
    assert_eq!(the_statefulset(&p)["spec"]["replicas"], 3);
}

#[test]
fn an_operator_upgrade_rolls_nothing_unless_auto_upgrade_or_an_edited_tag() {
    let record = applied(spec());
    let h = template(spec(), Some(record.clone()));
    let upgraded = |mut r: PlanRequest| {
        r.context.versions = Versions {
            redis_enterprise_tag: "8.0.22-1".into(),
            operator_tag: "8.0.22-5".into(),
            ..Versions::default()
        };
        r
    };
    let p = plan(&upgraded(request(
        spec(),
        Some(record.clone()),
        Some(healthy(&h, "40Gi")),
    )));
    assert_eq!((p.state, p.steps.len()), (State::Running, 0), "{:?}", p.steps);
    assert!(
        p.summary
            .iter()
            .any(|l| l.starts_with("stays on Redis Enterprise 8.0.20-44: this operator bundles 8.0.22-1")),
        "{:?}",
        p.summary
    );
    assert_eq!(p.applied.and_then(|a| a.versions), record.versions);

    let mut auto = spec();
    auto["upgradeSpec"] = json!({"autoUpgradeRedisEnterprise": true});
    let p = plan(&upgraded(request(
        auto,
        Some(record.clone()),
        Some(healthy(&h, "40Gi")),
    )));
    assert_eq!(p.state, State::Upgrade);
    assert_eq!(actions(&p).len(), 7);
    assert!(
        p.summary[0].starts_with("upgrades Redis Enterprise 8.0.20-44 -> 8.0.22-1"),
        "{:?}",
        p.summary
    );

    let p = plan(&upgraded(request(
        with_tag("8.0.21-3"),
        Some(record),
        Some(healthy(&h, "40Gi")),
    )));
    assert_eq!(p.state, State::Upgrade);
}

#[test]
fn a_version_going_down_is_an_invalid_upgrade() {
    let p = plan(&request(with_tag("7.22.0-216"), Some(applied(spec())), None));
    assert_eq!(p.state, State::InvalidUpgrade);
    assert_eq!(p.refused[0].code, "version-downgrade");
    assert_eq!(p.refused[0].path, "spec.redisEnterpriseImageSpec.versionTag");
}

#[test]
fn a_rec_being_deleted_gets_nothing_applied() {
    let mut r = request(spec(), Some(applied(spec())), Some(world(None, vec![], vec![])));
    r.object["metadata"]["deletionTimestamp"] = json!(NOW);
    let p = plan(&r);
    assert_eq!(p.state, State::Deleting);
    assert!(p.steps.is_empty() && p.objects.is_none() && p.applied.is_none());
}

#[test]
fn a_running_cluster_whose_credentials_secret_is_gone_is_refused_not_given_a_new_password() {
    let h = template(spec(), Some(applied(spec())));
    let mut r = request(spec(), Some(applied(spec())), Some(healthy(&h, "40Gi")));
    r.context.existing_secret = None;
    r.context.entropy = Some(rec_core::render::Entropy("ab".repeat(32)));
    let p = plan(&r);
    assert_eq!(
        p.refused.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
        ["credentials-secret-missing"]
    );
    assert!(p.objects.is_none());
    // A new cluster makes its Secret.
    let mut r = request(spec(), None, Some(world(None, vec![], vec![])));
    r.context.existing_secret = None;
    r.context.entropy = Some(rec_core::render::Entropy("ab".repeat(32)));
    let p = plan(&r);
    assert!(
        p.objects
            .expect("objects")
            .iter()
            .any(|o| matches!(o, Owned::Secret(_)))
    );
}

#[test]
fn without_observations_the_plan_predicts_every_step_of_a_change() {
    let mut r = request(with_tag("8.0.22-1"), Some(applied(spec())), None);
    r.now = None;
    r.objects = false;
    let p = plan(&r);
    assert_eq!(p.state, State::Upgrade);
    assert_eq!(actions(&p)[..3], ["apply", "restartNode rec-2", "waitNode rec-2"]);
    assert_eq!((p.progress, p.objects), (None, None));
    // No change predicted when nothing changes.
    let mut r = request(spec(), Some(applied(spec())), None);
    r.now = None;
    assert!(plan(&r).steps.is_empty());
}

#[test]
fn extra_labels_reach_the_pods_but_not_the_pinned_claim_template() {
    let mut s = spec();
    s["extraLabels"] = json!({"team": "cache"});
    let h = template(spec(), Some(applied(spec())));
    let p = plan(&request(s, Some(applied(spec())), Some(healthy(&h, "40Gi"))));
    let sts_object = the_statefulset(&p);
    assert_eq!(sts_object["spec"]["template"]["metadata"]["labels"]["team"], "cache");
    assert_eq!(
        sts_object["spec"]["volumeClaimTemplates"][0]["metadata"]["labels"]["pinned"],
        "yes"
    );
    assert!(
        sts_object["spec"]["volumeClaimTemplates"][0]["metadata"]["labels"]
            .get("team")
            .is_none()
    );
    assert_eq!(p.state, State::RunningRollingUpdate);
}

#[test]
fn the_abi_answers_the_plan_as_the_function_does() {
    let r = request(with_tag("8.0.22-1"), Some(applied(spec())), None);
    let bytes = serde_json::to_vec(&r).expect("request");
    let answer: Value =
        serde_json::from_slice(&rec_core::abi::call(rec_core::abi::Op::Plan as u32, &bytes)).expect("JSON");
    assert_eq!(answer["ok"], serde_json::to_value(plan(&r)).expect("plan"));
    let back: Plan = serde_json::from_value(answer["ok"].clone()).expect("a plan reads back");
    assert_eq!(back.steps, plan(&r).steps);
    let bad: Value = serde_json::from_slice(&rec_core::abi::call(8, br#"{"object": {}, "nope": 1}"#)).expect("JSON");
    assert_eq!(bad["error"]["kind"], "BadRequest");
}
