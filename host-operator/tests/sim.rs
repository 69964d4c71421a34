//! The controller simulation (`rec_operator::testing::sim`) on the strict API server: OrderedReady creation and
//! scale down, OnDelete versus RollingUpdate, adoption of orphaned pods by a re-created StatefulSet, claim
//! resizing, held pods, the invariant checker, and fault injection in front of the strict client.

mod strict;

use kube::api::{DeleteParams, PropagationPolicy};
use rec_operator::testing::World;
use rec_operator::testing::apiserver::object::{labels, name};
use rec_operator::testing::invariant::{Checker, at_most_down, down_pods};
use rec_operator::testing::sim::{Config, Event};
use serde_json::{Value, json};
use strict::*;

/// A world with StatefulSet `rec` (3 replicas, 10Gi claims) settled: every pod Ready.
async fn settled(config: Config) -> World {
    let mut world = World::with_config(config);
    apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("created");
    world.sim.settle(50).await.expect("settles");
    world
}

fn sts(world: &World) -> Value {
    world.object("StatefulSet", "rec").expect("the StatefulSet")
}

fn revision_of(pod: &Value) -> String {
    labels(pod).get("controller-revision-hash").cloned().unwrap_or_default()
}

/// The most node pods down at once, checked after every step until the world settles.
/// The pods the simulation deleted, in order.
fn deleted_pods(world: &World) -> Vec<String> {
    world
        .sim
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::PodDeleted { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

async fn settle_watching_down(world: &mut World, max_steps: usize) -> usize {
    let mut most = 0;
    for _ in 0..max_steps {
        let progress = world.sim.step().await.expect("a step");
        let down = down_pods(&world.server.view())
            .into_iter()
            .map(|(_, d)| d.len())
            .max()
            .unwrap_or(0);
        most = most.max(down);
        if progress.writes == 0 && !progress.waiting {
            return most;
        }
    }
    panic!("did not settle in {max_steps} steps");
}

#[tokio::test]
async fn ordered_ready_creates_one_pod_at_a_time_after_the_previous_is_ready() {
    let mut world = World::new();
    apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("created");
    for step in 1..=3 {
        world.sim.step().await.expect("a step");
        let pods = world.objects("Pod");
        assert_eq!(pods.len(), step, "step {step}: one new pod per step");
        let newest = pods.last().expect("a pod");
        assert_eq!(name(newest), format!("rec-{}", step - 1));
        assert!(
            pods[..step - 1].iter().all(rec_operator::testing::sim::kubelet::ready),
            "older pods are Ready first"
        );
    }
    world.sim.settle(10).await.expect("settles");
    assert_eq!(world.sim.pods_created(), ["rec-0", "rec-1", "rec-2"]);

    let set = sts(&world);
    let status = &set["status"];
    assert_eq!(status["observedGeneration"], set["metadata"]["generation"]);
    for field in [
        "replicas",
        "readyReplicas",
        "availableReplicas",
        "currentReplicas",
        "updatedReplicas",
    ] {
        assert_eq!(status[field], 3, "{field}: {status:#}");
    }
    let revision = status["updateRevision"].as_str().expect("a revision").to_string();
    assert!(revision.starts_with("rec-") && status["currentRevision"] == revision.as_str());
    for pod in world.objects("Pod") {
        let ordinal = name(&pod).trim_start_matches("rec-").to_string();
        assert_eq!(revision_of(&pod), revision);
        assert_eq!(labels(&pod)["apps.kubernetes.io/pod-index"], ordinal);
        assert_eq!(pod["metadata"]["ownerReferences"][0]["uid"], set["metadata"]["uid"]);
        assert_eq!(pod["metadata"]["ownerReferences"][0]["controller"], true);
        assert_eq!(pod["status"]["phase"], "Running");
        assert_eq!(
            pod["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"],
            format!("data-rec-{ordinal}")
        );
    }
    for claim in world.objects("PersistentVolumeClaim") {
        assert_eq!(claim["status"]["phase"], "Bound");
        assert_eq!(claim["status"]["capacity"]["storage"], "10Gi");
        assert!(
            claim["metadata"].get("ownerReferences").is_none(),
            "claims are not owned: {claim:#}"
        );
    }
    assert_eq!(
        names(&world, "PersistentVolumeClaim"),
        ["data-rec-0", "data-rec-1", "data-rec-2"]
    );
}

#[tokio::test]
async fn parallel_creates_every_pod_at_once_and_scale_down_removes_the_highest_first() {
    let mut world = World::new();
    let mut parallel = statefulset("par", 3, "1Gi", "redis:7");
    parallel["spec"]["podManagementPolicy"] = json!("Parallel");
    parallel["spec"]["selector"]["matchLabels"] = json!({ "app": "par" });
    parallel["spec"]["template"]["metadata"]["labels"] = json!({ "app": "par" });
    apply(&world, "StatefulSet", parallel).await.expect("created");
    world.sim.step().await.expect("a step");
    assert_eq!(names(&world, "Pod"), ["par-0", "par-1", "par-2"]);

    let mut world = settled(Config::default()).await;
    merge(&world, "StatefulSet", "rec", json!({ "spec": { "replicas": 1 } }))
        .await
        .expect("scaled down");
    let mut seen = Vec::new();
    for _ in 0..20 {
        world.sim.step().await.expect("a step");
        seen.push(names(&world, "Pod"));
    }
    seen.dedup();
    let expected: Vec<Vec<&str>> = vec![
        vec!["rec-0", "rec-1", "rec-2"], // rec-2 terminating
        vec!["rec-0", "rec-1"],
        vec!["rec-0"],
    ];
    assert_eq!(seen, expected);
    let deleted = deleted_pods(&world);
    assert_eq!(deleted, ["rec-2", "rec-1"]);
    assert_eq!(
        names(&world, "PersistentVolumeClaim").len(),
        3,
        "claims outlive scale down"
    );
}

#[tokio::test]
async fn on_delete_keeps_old_pods_and_recreates_a_deleted_pod_at_the_update_revision() {
    let mut world = settled(Config::default()).await;
    let old = sts(&world)["status"]["updateRevision"]
        .as_str()
        .expect("a revision")
        .to_string();
    let before = world.pod_uids();
    let change = json!({ "spec": {
        "updateStrategy": { "type": "OnDelete", "rollingUpdate": null },
        "template": { "spec": { "containers": [{ "name": "redis", "image": "redis:7.2" }] } },
    }});
    merge(&world, "StatefulSet", "rec", change).await.expect("changed");
    world.sim.settle(20).await.expect("settles");
    assert_eq!(world.pod_uids(), before, "OnDelete replaces nothing on its own");
    let status = sts(&world)["status"].clone();
    let new = status["updateRevision"].as_str().expect("a revision").to_string();
    assert_ne!(new, old);
    assert_eq!(
        (status["updatedReplicas"].as_i64(), status["currentReplicas"].as_i64()),
        (Some(0), Some(3))
    );

    delete(&world, "Pod", "rec-1", &DeleteParams::default())
        .await
        .expect("deleted");
    assert!(world.object("Pod", "rec-1").expect("terminating")["metadata"]["deletionTimestamp"].is_string());
    world.sim.settle(20).await.expect("settles");
    let pods = world.objects("Pod");
    let revisions: Vec<String> = pods.iter().map(revision_of).collect();
    assert_eq!(revisions, [old.clone(), new.clone(), old.clone()]);
    assert_ne!(world.pod_uids()["rec-1"], before["rec-1"]);
    assert_eq!(world.pod_uids()["rec-0"], before["rec-0"]);
    assert_eq!(pods[1]["spec"]["containers"][0]["image"], "redis:7.2");

    for pod in ["rec-0", "rec-2"] {
        delete(&world, "Pod", pod, &DeleteParams::default())
            .await
            .expect("deleted");
        world.sim.settle(20).await.expect("settles");
    }
    let status = sts(&world)["status"].clone();
    assert_eq!(status["updatedReplicas"], 3);
    // As on Kubernetes 1.33 (kubernetes/kubernetes#73492): OnDelete never moves currentRevision.
    assert_eq!(status["currentRevision"], old.as_str());
}

#[tokio::test]
async fn rolling_update_replaces_the_highest_ordinal_first_one_at_a_time() {
    let mut world = settled(Config {
        ready_after_steps: 2,
        ..Config::default()
    })
    .await;
    let before = world.pod_uids();
    let image =
        json!({ "spec": { "template": { "spec": { "containers": [{ "name": "redis", "image": "redis:7.2" }] } } } });
    merge(&world, "StatefulSet", "rec", image).await.expect("changed");
    let most_down = settle_watching_down(&mut world, 60).await;
    assert_eq!(most_down, 1, "a rolling update takes one pod down at a time");
    let deleted = deleted_pods(&world);
    assert_eq!(deleted, ["rec-2", "rec-1", "rec-0"]);
    let after = world.pod_uids();
    assert!(
        before.iter().all(|(pod, uid)| after[pod] != *uid),
        "every pod was replaced"
    );
    let status = sts(&world)["status"].clone();
    assert_eq!(
        status["currentRevision"], status["updateRevision"],
        "a completed roll moves currentRevision"
    );

    // A partition keeps the lower ordinals on the old revision.
    let partition = json!({ "spec": {
        "updateStrategy": { "rollingUpdate": { "partition": 2 } },
        "template": { "spec": { "containers": [{ "name": "redis", "image": "redis:8" }] } },
    }});
    merge(&world, "StatefulSet", "rec", partition).await.expect("changed");
    world.sim.settle(60).await.expect("settles");
    let images: Vec<Value> = world
        .objects("Pod")
        .iter()
        .map(|p| p["spec"]["containers"][0]["image"].clone())
        .collect();
    assert_eq!(images, [json!("redis:7.2"), json!("redis:7.2"), json!("redis:8")]);
}

#[tokio::test]
async fn a_recreated_statefulset_adopts_the_orphaned_pods_without_restarting_them() {
    let mut world = settled(Config::default()).await;
    let before = world.pod_uids();
    let claims = world.objects("PersistentVolumeClaim");
    let orphan = DeleteParams {
        propagation_policy: Some(PropagationPolicy::Orphan),
        ..Default::default()
    };
    delete(&world, "StatefulSet", "rec", &orphan).await.expect("orphaned");
    assert_eq!(world.pod_uids(), before);

    // The bigger claim template is what the PVC expansion flow re-creates the StatefulSet with.
    let recreated = apply(&world, "StatefulSet", statefulset("rec", 3, "20Gi", "redis:7"))
        .await
        .expect("re-created");
    world.sim.settle(20).await.expect("settles");
    assert_eq!(world.pod_uids(), before, "no pod was re-created");
    assert_eq!(
        world.sim.pods_created().len(),
        3,
        "only the first three pods were ever created"
    );
    let adopted = world
        .sim
        .events()
        .iter()
        .filter(|e| matches!(e, Event::PodAdopted { .. }))
        .count();
    assert_eq!(adopted, 3);
    for pod in world.objects("Pod") {
        assert_eq!(
            pod["metadata"]["ownerReferences"][0]["uid"],
            recreated["metadata"]["uid"]
        );
    }
    let status = sts(&world)["status"].clone();
    assert_eq!(
        (status["readyReplicas"].as_i64(), status["updatedReplicas"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        world.objects("PersistentVolumeClaim"),
        claims,
        "existing claims are used as they are"
    );
}

#[tokio::test]
async fn claim_capacity_follows_a_resize_after_the_configured_steps_unless_held() {
    let mut world = settled(Config {
        resize_after_steps: 2,
        ..Config::default()
    })
    .await;
    let grow = json!({ "spec": { "resources": { "requests": { "storage": "20Gi" } } } });
    merge(&world, "PersistentVolumeClaim", "data-rec-0", grow.clone())
        .await
        .expect("grown");
    let capacity = |world: &World, claim: &str| {
        world.object("PersistentVolumeClaim", claim).expect("a claim")["status"]["capacity"]["storage"].clone()
    };
    world.sim.step().await.expect("a step");
    let resizing = world.object("PersistentVolumeClaim", "data-rec-0").expect("a claim");
    assert_eq!(resizing["status"]["conditions"][0]["type"], "Resizing");
    assert_eq!(resizing["status"]["allocatedResources"]["storage"], "20Gi");
    assert_eq!(capacity(&world, "data-rec-0"), "10Gi");
    world.sim.step().await.expect("a step");
    assert_eq!(capacity(&world, "data-rec-0"), "10Gi");
    world.sim.step().await.expect("a step");
    assert_eq!(capacity(&world, "data-rec-0"), "20Gi");
    assert!(
        world.object("PersistentVolumeClaim", "data-rec-0").expect("a claim")["status"]
            .get("conditions")
            .is_none()
    );

    world.sim.hold_claim("data-rec-1");
    merge(&world, "PersistentVolumeClaim", "data-rec-1", grow)
        .await
        .expect("grown");
    world
        .sim
        .settle(10)
        .await
        .expect("a held claim does not keep the world busy");
    world.sim.steps(10).await.expect("steps");
    assert_eq!(capacity(&world, "data-rec-1"), "10Gi", "held: the operator must wait");
    world.sim.release_claim("data-rec-1");
    world.sim.steps(3).await.expect("steps");
    assert_eq!(capacity(&world, "data-rec-1"), "20Gi");
}

#[tokio::test]
async fn a_held_pod_is_not_ready_until_released() {
    let mut world = settled(Config::default()).await;
    world.sim.hold_pod("rec-1", "CrashLoopBackOff");
    world.sim.settle(10).await.expect("settles");
    let pod = world.object("Pod", "rec-1").expect("a pod");
    assert!(!rec_operator::testing::sim::kubelet::ready(&pod));
    assert_eq!(
        pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
        "CrashLoopBackOff"
    );
    assert_eq!(pod["status"]["containerStatuses"][0]["restartCount"], 1);
    assert_eq!(sts(&world)["status"]["readyReplicas"], 2);
    let down = down_pods(&world.server.view());
    assert_eq!(down, [("redis/rec".to_string(), vec!["rec-1 not Ready".to_string()])]);

    world.sim.release_pod("rec-1");
    world.sim.settle(10).await.expect("settles");
    assert_eq!(sts(&world)["status"]["readyReplicas"], 3);
    let ready = world.object("Pod", "rec-1").expect("a pod")["status"]["conditions"].clone();
    assert!(
        ready
            .as_array()
            .expect("conditions")
            .iter()
            .all(|c| c["lastTransitionTime"].is_string())
    );
}

#[tokio::test]
async fn the_invariant_checker_names_the_write_that_took_a_second_pod_down() {
    let world = settled(Config::default()).await;
    let checker = Checker::new(&world.server, at_most_down(1));
    let operator = checker.wrap(world.client.clone());
    let pods = kube::Api::<kube::api::DynamicObject>::namespaced_with(
        operator,
        rec_operator::testing::NS,
        &kube::api::ApiResource::erase::<k8s_openapi::api::core::v1::Pod>(&()),
    );
    pods.delete("rec-0", &DeleteParams::default()).await.expect("deleted");
    assert!(checker.violations().is_empty(), "one pod down is allowed");
    pods.delete("rec-1", &DeleteParams::default()).await.expect("deleted");
    let violations = checker.violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert_eq!(violations[0].write, 2);
    assert_eq!(violations[0].request, "DELETE /api/v1/namespaces/redis/pods/rec-1");
    assert_eq!(
        violations[0].message,
        "StatefulSet redis/rec: 2 node pods down (rec-0 being deleted, rec-1 being deleted)"
    );

    // Disarmed (while a cluster forms, say), writes are counted but not checked.
    checker.disarm();
    pods.delete("rec-2", &DeleteParams::default()).await.expect("deleted");
    assert_eq!((checker.writes(), checker.violations().len()), (3, 1));
}

#[tokio::test]
async fn deleting_the_owner_takes_the_statefulset_and_its_pods_but_not_the_claims() {
    let mut world = World::new();
    let set = rec_owning(&world, statefulset("rec", 3, "10Gi", "redis:7")).await;
    apply(&world, "StatefulSet", set).await.expect("created");
    world.sim.settle(50).await.expect("settles");
    assert_eq!(world.objects("ControllerRevision").len(), 1);

    delete(&world, "RedisEnterpriseCluster", "rec", &DeleteParams::default())
        .await
        .expect("deleted");
    assert!(world.object("StatefulSet", "rec").is_none() && world.objects("ControllerRevision").is_empty());
    assert!(
        world
            .objects("Pod")
            .iter()
            .all(|p| p["metadata"]["deletionTimestamp"].is_string()),
        "pods terminate gracefully"
    );
    world.sim.step().await.expect("the kubelet finishes");
    assert!(world.objects("Pod").is_empty());
    assert_eq!(names(&world, "PersistentVolumeClaim").len(), 3);
    let removed: Vec<&str> = world
        .sim
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::PodRemoved { uid, .. } => Some(uid.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(removed.len(), 3);
}
