//! The reconcile on the strict API server and the simulation (`testing::World`) instead of kube-fake-client: it
//! converges, a quiet reconcile writes nothing, the cluster comes up and the status follows it, pruning and
//! garbage collection keep the claims. The day-2 flows (rolls, volume growth, scale up, restarts mid-change)
//! are in `day2.rs`.

mod common;

use common::*;
use kube::api::DeleteParams;
use rec_operator::testing::World;
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

fn strict_names(world: &World, kind: &str) -> Vec<String> {
    world
        .objects(kind)
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}
