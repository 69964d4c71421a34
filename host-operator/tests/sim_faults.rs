//! A roll under fault injection: `testing::faults::with_faults` in front of the strict API server (through the
//! invariant checker), a minimal OnDelete roll driver standing in for the operator's flow, and the simulation
//! stepped between its passes. Conflicts, internal errors and a request that never answers (time is paused, the
//! driver's timeout ends it) only delay the roll: it converges, every pod is replaced exactly once, and never
//! are two node pods down.

mod strict;

use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Preconditions};
use rec_operator::testing::World;
use rec_operator::testing::apiserver::object::{labels, name, uid};
use rec_operator::testing::faults::{Call, Fault, Injector, with_faults};
use rec_operator::testing::invariant::{Checker, at_most_down};
use rec_operator::testing::sim::Event;
use rec_operator::testing::sim::kubelet::ready;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use strict::*;

#[derive(Debug, PartialEq)]
enum Pass {
    Waiting,
    Deleted(String),
    Done,
}

/// One pass of an OnDelete roll: wait until every node pod is up, then delete the highest ordinal not on the
/// update revision (conditioned on its uid, so a pod re-created meanwhile is never deleted by mistake).
async fn roll_pass(client: &Client) -> Result<Pass, kube::Error> {
    let sets: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        rec_operator::testing::NS,
        &resource("apps", "StatefulSet", "statefulsets"),
    );
    let pods: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), rec_operator::testing::NS, &resource("", "Pod", "pods"));
    let set = serde_json::to_value(sets.get("rec").await?).unwrap_or_default();
    let (Some(replicas), Some(update)) = (
        set.pointer("/spec/replicas").and_then(Value::as_i64),
        set.pointer("/status/updateRevision").and_then(Value::as_str),
    ) else {
        return Ok(Pass::Waiting);
    };
    let listed = pods.list(&ListParams::default().labels("app=redis")).await?;
    let pods_now: Vec<Value> = listed
        .items
        .into_iter()
        .map(|p| serde_json::to_value(p).unwrap_or_default())
        .collect();
    let up = pods_now
        .iter()
        .filter(|p| ready(p) && p["metadata"].get("deletionTimestamp").is_none())
        .count();
    if up < replicas as usize {
        return Ok(Pass::Waiting);
    }
    let mut stale: Vec<&Value> = pods_now
        .iter()
        .filter(|p| labels(p).get("controller-revision-hash").map(String::as_str) != Some(update))
        .collect();
    stale.sort_by_key(|p| std::cmp::Reverse(name(p).trim_start_matches("rec-").parse::<i64>().unwrap_or(0)));
    let Some(pod) = stale.first() else {
        return Ok(Pass::Done);
    };
    let params = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some(uid(pod).to_string()),
            resource_version: None,
        }),
        ..Default::default()
    };
    pods.delete(name(pod), &params).await?;
    Ok(Pass::Deleted(name(pod).to_string()))
}

fn resource(group: &str, kind: &str, plural: &str) -> kube::api::ApiResource {
    kube::api::ApiResource::from_gvk_with_plural(&kube::api::GroupVersionKind::gvk(group, "v1", kind), plural)
}

#[tokio::test(start_paused = true)]
async fn an_on_delete_roll_converges_through_conflicts_errors_and_hangs() {
    let mut world = World::new();
    let mut set = statefulset("rec", 3, "10Gi", "redis:7");
    set["spec"]["updateStrategy"] = json!({ "type": "OnDelete" });
    apply(&world, "StatefulSet", set).await.expect("created");
    world.sim.settle(50).await.expect("the cluster forms");
    let image =
        json!({ "spec": { "template": { "spec": { "containers": [{ "name": "redis", "image": "redis:7.2" }] } } } });
    merge(&world, "StatefulSet", "rec", image)
        .await
        .expect("the template changes");
    world.sim.settle(10).await.expect("nothing rolls on its own");

    // The schedule: the 1st pod delete answers 409, the 2nd StatefulSet read 500, the 3rd pod list hangs, the
    // 4th pod delete 500.
    let seen = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0)]);
    let injected = Arc::new(AtomicUsize::new(0));
    let inject: Injector = {
        let (seen, injected) = (seen.clone(), injected.clone());
        Arc::new(move |call: &Call<'_>| {
            let count = |i: usize| seen[i].fetch_add(1, Ordering::SeqCst) + 1;
            let fault = if call.is("DELETE", "pods") {
                match count(0) {
                    1 => Some(Fault::Status(409)),
                    4 => Some(Fault::Status(500)),
                    _ => None,
                }
            } else if call.is("GET", "statefulsets") {
                (count(1) == 2).then_some(Fault::Status(500))
            } else if call.is("GET", "pods") {
                (count(2) == 3).then_some(Fault::Hang)
            } else {
                None
            };
            if fault.is_some() {
                injected.fetch_add(1, Ordering::SeqCst);
            }
            fault
        })
    };
    let checker = Checker::new(&world.server, at_most_down(1));
    let operator = with_faults(checker.wrap(world.server.client()), inject);

    let mut deleted = Vec::new();
    let mut failures = 0;
    for _ in 0..100 {
        match tokio::time::timeout(Duration::from_secs(30), roll_pass(&operator)).await {
            Ok(Ok(Pass::Done)) => break,
            Ok(Ok(Pass::Deleted(pod))) => deleted.push(pod),
            Ok(Ok(Pass::Waiting)) => {}
            Ok(Err(_)) | Err(_) => failures += 1,
        }
        world.sim.step().await.expect("a step");
    }
    assert_eq!(injected.load(Ordering::SeqCst), 4, "every scheduled fault was hit");
    assert_eq!(failures, 4);
    assert_eq!(
        deleted,
        ["rec-2", "rec-1", "rec-0"],
        "each pod replaced once, highest first"
    );
    assert_eq!(checker.violations(), [], "two node pods were down at once");
    let set = world.object("StatefulSet", "rec").expect("the StatefulSet");
    assert_eq!(set["status"]["updatedReplicas"], 3);
    assert_eq!(set["status"]["readyReplicas"], 3);
    let created = world
        .sim
        .events()
        .iter()
        .filter(|e| matches!(e, Event::PodCreated { .. }))
        .count();
    assert_eq!(created, 6, "three pods at first, three replacements");
}
