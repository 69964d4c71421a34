//! Today's reconcile on the strict API server and the simulation (`testing::World`) instead of kube-fake-client:
//! it converges, a quiet reconcile writes nothing, the cluster comes up and the status follows it, pruning and
//! garbage collection keep the claims. Two tests pin what the strict world reveals and the lenient one hid: a
//! changed volume size is refused by the API server, and scaling 3 -> 5 in one write takes two node pods down
//! at once. The day-2 flows (PVC expansion, one replica at a time) change those two: update them then.

mod common;

use common::*;
use kube::api::DeleteParams;
use rec_operator::testing::World;
use rec_operator::testing::invariant::{Checker, at_most_down};
use serde_json::json;

fn persistent(size: &str) -> serde_json::Value {
    let mut spec = spec();
    spec["persistentSpec"] = json!({ "enabled": true, "volumeSize": size });
    spec
}

/// A REC `rec` reconciled and its cluster brought up by the simulation.
async fn running(spec: serde_json::Value) -> World {
    let mut world = World::new();
    let ctx = context(&world.client);
    create(&world.client, rec("rec", spec)).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    world.sim.settle(100).await.expect("the cluster forms");
    reconcile(&ctx, "rec").await.expect("second reconcile");
    world
}

#[tokio::test]
async fn a_new_rec_comes_up_and_a_quiet_reconcile_writes_nothing() {
    let world = running(persistent("100Gi")).await;
    let ctx = context(&world.client);
    let rec = get_rec(&world.client, "rec").await;
    assert_eq!(
        (rec["status"]["state"].as_str(), rec["status"]["readyNodes"].as_i64()),
        (Some("Running"), Some(3))
    );
    assert_eq!(condition(&rec, "Ready")["status"], "True");
    let want = rendered(&rec);
    let stored = owned_objects(&world.client).await;
    assert_stored_as_rendered(&stored, &want, "on the strict API");
    assert_eq!(world.objects("Pod").len(), 3);
    for claim in world.objects("PersistentVolumeClaim") {
        assert_eq!(claim["status"]["capacity"]["storage"], "100Gi", "{claim:#}");
    }

    let objects = versions(&world.client).await;
    let rec_version = rec["metadata"]["resourceVersion"].clone();
    reconcile(&ctx, "rec").await.expect("a quiet reconcile");
    assert_eq!(versions(&world.client).await, objects, "owned objects were rewritten");
    assert_eq!(
        get_rec(&world.client, "rec").await["metadata"]["resourceVersion"],
        rec_version
    );
}

#[tokio::test]
async fn turning_the_broker_off_prunes_it_and_deleting_the_rec_keeps_every_claim() {
    let mut with_broker = spec();
    with_broker["serviceBrokerSpec"] = json!({ "enabled": true });
    let mut world = running(with_broker).await;
    let ctx = context(&world.client);
    assert!(world.object("Deployment", "rec-services-broker").is_some());
    patch_spec(
        &world.client,
        "rec",
        json!({ "serviceBrokerSpec": { "enabled": false } }),
    )
    .await;
    reconcile(&ctx, "rec").await.expect("reconciles");
    assert!(world.object("Deployment", "rec-services-broker").is_none());
    assert!(
        world.object("PersistentVolumeClaim", "rec-services-broker").is_some(),
        "the broker's data stays"
    );

    recs(&world.client)
        .delete("rec", &DeleteParams::default())
        .await
        .expect("deleted");
    world.sim.settle(10).await.expect("the pods go");
    assert!(
        world.objects("StatefulSet").is_empty()
            && world.objects("Pod").is_empty()
            && world.objects("Service").is_empty()
    );
    let mut claims = strict_names(&world, "PersistentVolumeClaim");
    claims.sort();
    // The broker's claim is owned by the REC (it goes with it); the node claims come from the claim template
    // and are owned by nobody.
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert!(
        claims
            .iter()
            .all(|c| c.ends_with("-rec-0") || c.ends_with("-rec-1") || c.ends_with("-rec-2")),
        "{claims:?}"
    );
}

#[tokio::test]
async fn today_a_changed_volume_size_is_refused_by_the_api_server() {
    let world = running(persistent("100Gi")).await;
    let ctx = context(&world.client);
    let before = world.object("StatefulSet", "rec").expect("the StatefulSet");
    patch_spec(
        &world.client,
        "rec",
        json!({ "persistentSpec": { "volumeSize": "120Gi" } }),
    )
    .await;
    let error = reconcile(&ctx, "rec")
        .await
        .expect_err("the claim template cannot change");
    assert_eq!(error.reason(), "ApplyFailed");
    assert!(
        error
            .to_string()
            .contains("spec: Forbidden: updates to statefulset spec for fields other than"),
        "{error}"
    );
    assert_eq!(
        world.object("StatefulSet", "rec"),
        Some(before),
        "the refused apply changed the StatefulSet"
    );
}

#[tokio::test]
async fn today_scaling_up_by_two_takes_two_node_pods_down_at_once() {
    let mut world = running(spec()).await;
    let checker = Checker::new(&world.server, at_most_down(1));
    let ctx = context(&checker.wrap(world.client.clone()));
    patch_spec(&world.client, "rec", json!({ "nodes": 5 })).await;
    reconcile(&ctx, "rec").await.expect("reconciles");
    let violations = checker.violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert_eq!(
        violations[0].request,
        "PATCH /apis/apps/v1/namespaces/redis/statefulsets/rec"
    );
    assert_eq!(
        violations[0].message,
        "StatefulSet redis/rec: 2 node pods down (rec-3 missing, rec-4 missing)"
    );
    world.sim.settle(50).await.expect("the new pods come up");
    assert_eq!(
        world.object("StatefulSet", "rec").expect("the StatefulSet")["status"]["readyReplicas"],
        5
    );
}

fn strict_names(world: &World, kind: &str) -> Vec<String> {
    world
        .objects(kind)
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}
