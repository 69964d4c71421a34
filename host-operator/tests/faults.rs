//! Fault injection against the in-memory API (`rec_operator::testing::faults`): requests that never answer,
//! objects deleted behind the operator's back, the REC deleted mid-reconcile, and a seeded random schedule of
//! all of them. Whatever happens: the end state converges to the rendered set, the credentials secret keeps its
//! password while it exists, and no PersistentVolumeClaim is ever deleted by the operator.
//!
//! Time is paused (`start_paused`): a hung request costs no wall time, the step timeout fires as soon as the
//! runtime has nothing else to do.

mod common;

use common::*;
use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, PostParams};
use kube::runtime::controller::Action;
use rec_operator::owned::{self, Kind};
use rec_operator::testing::faults::{Call, Fault, Injector, with_faults};
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The in-memory API twice: `faulty` (what the operator uses) goes through `inject`; `direct` does not.
async fn faulty_cluster(inject: Injector) -> (Client, Client) {
    let direct = cluster(Default::default()).await;
    (with_faults(direct.clone(), inject), direct)
}

/// Reconciles as the controller would, with the REC read through `direct` (the REC comes from the controller's
/// watch cache, not from a request the faults could hit).
async fn reconcile_via(
    ctx: &Arc<rec_operator::reconcile::Context>,
    direct: &Client,
    name: &str,
) -> Result<Action, rec_operator::reconcile::Error> {
    let rec = recs(direct).get(name).await.expect("the REC exists");
    rec_operator::reconcile::reconcile(Arc::new(rec), ctx.clone()).await
}

/// An injector that applies `fault` once: to the `nth` (0-based) request `matches` accepts.
fn once(nth: usize, matches: impl Fn(&Call<'_>) -> bool + Send + Sync + 'static, fault: Fault) -> Injector {
    let seen = AtomicUsize::new(0);
    Arc::new(move |call| (matches(call) && seen.fetch_add(1, Ordering::SeqCst) == nth).then(|| fault.clone()))
}

fn resource(kind: Kind) -> kube::api::ApiResource {
    owned::api_resource(kind.info())
}

/// The credentials secret's stored password (base64, as the API holds it), if the secret exists.
async fn password(client: &Client) -> Option<String> {
    owned_objects(client).await.get("Secret/rec").map(|s| {
        s["data"]["password"]
            .as_str()
            .expect("the secret has a password")
            .to_string()
    })
}

/// Asserts the owned objects are the rendered set (plus `kept` claims) and the REC says Reconciled.
async fn assert_converged(client: &Client, kept: &[String], context: &str) {
    let stored = owned_objects(client).await;
    let rec = get_rec(client, "rec").await;
    let want = rendered(&rec);
    let mut keys = keys(&want);
    keys.extend(kept.iter().cloned());
    keys.sort();
    keys.dedup();
    assert_eq!(stored.keys().cloned().collect::<Vec<_>>(), keys, "{context}");
    assert_stored_as_rendered(&stored, &want, context);
    assert_eq!(
        condition(&rec, "Reconciled")["status"],
        "True",
        "{context}: {:#}",
        rec["status"]
    );
    assert_eq!(rec["status"]["specStatus"], "Valid", "{context}");
}

/// Stand-ins for the claims the StatefulSet's volumeClaimTemplates make (the fake has no StatefulSet controller),
/// labelled like the pods and even controlled by the REC: the worst case for a careless prune.
async fn stand_in_claims(client: &Client) -> Vec<String> {
    let rec = get_rec(client, "rec").await;
    let uid = rec["metadata"]["uid"].as_str().expect("a uid").to_string();
    let sts = rendered(&rec)
        .into_iter()
        .find(|o| o["kind"] == "StatefulSet")
        .expect("a StatefulSet is rendered");
    let replicas = sts["spec"]["replicas"].as_u64().unwrap_or(0);
    let templates = sts["spec"]["volumeClaimTemplates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !templates.is_empty() && replicas > 0,
        "the StatefulSet has no claim templates: {sts:#}"
    );
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &resource(Kind::PersistentVolumeClaim));
    let mut names = Vec::new();
    for template in templates {
        for ordinal in 0..replicas {
            let name = format!(
                "{}-{}-{ordinal}",
                template["metadata"]["name"].as_str().unwrap_or("data"),
                sts["metadata"]["name"].as_str().unwrap_or("rec")
            );
            let claim = json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {
                    "name": name,
                    "namespace": NS,
                    "labels": sts["spec"]["selector"]["matchLabels"],
                    "ownerReferences": [{
                        "apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
                        "name": "rec", "uid": uid, "controller": true,
                    }],
                },
                "spec": template["spec"],
            });
            let claim: DynamicObject = serde_json::from_value(claim).expect("a claim");
            api.create(&PostParams::default(), &claim)
                .await
                .expect("the stand-in claim is created");
            names.push(format!("PersistentVolumeClaim/{name}"));
        }
    }
    names
}

#[tokio::test(start_paused = true)]
async fn a_request_that_never_answers_fails_its_step_and_the_retry_converges() {
    type Matcher = fn(&Call<'_>) -> bool;
    // (step, which request hangs, the how-many-th of those, the reason the reconcile fails with)
    let cases: [(&str, Matcher, usize, &str); 5] = [
        ("secret lookup", |c| c.is("GET", "secrets"), 0, "SecretFailed"),
        ("apply", |c| c.is("PATCH", "statefulsets"), 0, "ApplyFailed"),
        (
            "prune",
            |c| c.is("GET", "services") && c.name("services").is_none(),
            0,
            "PruneFailed",
        ),
        // The first GET of the StatefulSet is the plan's observation of the cluster (apply's comes after it;
        // prune's list of StatefulSets has no name).
        (
            "observe",
            |c| c.is("GET", "statefulsets") && c.name("statefulsets").is_some(),
            0,
            "ObserveFailed",
        ),
        (
            "status write",
            |c| c.is("PATCH", "redisenterpriseclusters"),
            0,
            "StatusFailed",
        ),
    ];
    for (step, matches, nth, reason) in cases {
        let (faulty, direct) = faulty_cluster(once(nth, matches, Fault::Hang)).await;
        let ctx = context(&faulty);
        create(&direct, rec("rec", spec())).await;
        let error = reconcile_via(&ctx, &direct, "rec").await.expect_err(step);
        assert_eq!(error.reason(), reason, "{step}: {error}");
        assert!(
            error.to_string().contains("did not answer within 30s"),
            "{step}: {error}"
        );
        let failed = get_rec(&direct, "rec").await;
        assert_eq!(condition(&failed, "Reconciled")["reason"], reason, "{step}");
        assert_eq!(failed["status"]["state"], "Error", "{step}");
        reconcile_via(&ctx, &direct, "rec").await.expect("the retry succeeds");
        assert_converged(&direct, &[], step).await;
    }
}

#[tokio::test(start_paused = true)]
async fn owned_objects_and_the_secret_deleted_behind_its_back_come_back() {
    // While the Deployment is applied, someone deletes the StatefulSet (applied just before) and a Service.
    let deletes = Arc::new(Mutex::new(vec![
        Fault::DeleteFirst {
            resource: resource(Kind::StatefulSet),
            name: "rec".into(),
        },
        Fault::DeleteFirst {
            resource: resource(Kind::Service),
            name: "rec-ui".into(),
        },
    ]));
    let armed = Arc::new(AtomicBool::new(false));
    let inject: Injector = {
        let (deletes, armed) = (deletes.clone(), armed.clone());
        Arc::new(move |call| {
            // Apply reads each object before it writes; the Deployment comes after the StatefulSet.
            if !armed.load(Ordering::SeqCst) || !call.is("GET", "deployments") {
                return None;
            }
            deletes.lock().expect("lock").pop()
        })
    };
    let (faulty, direct) = faulty_cluster(inject).await;
    let ctx = context(&faulty);
    create(&direct, rec("rec", spec())).await;
    reconcile_via(&ctx, &direct, "rec").await.expect("first reconcile");
    let first_password = password(&direct).await.expect("the secret is made");

    armed.store(true, Ordering::SeqCst);
    patch_spec(
        &direct,
        "rec",
        json!({ "redisEnterprisePodAnnotations": { "team": "cache" } }),
    )
    .await;
    reconcile_via(&ctx, &direct, "rec")
        .await
        .expect("the reconcile does not notice the deletions");
    reconcile_via(&ctx, &direct, "rec")
        .await
        .expect("the watch brings the next reconcile");
    reconcile_via(&ctx, &direct, "rec").await.expect("and the one after");
    assert!(deletes.lock().expect("lock").is_empty(), "both deletions happened");
    assert_converged(&direct, &[], "after the deletions").await;
    assert_eq!(password(&direct).await.as_deref(), Some(first_password.as_str()));

    // The secret deleted by someone, on a cluster that already ran with it: no new password (the nodes would be
    // locked out); the change is refused, said in the status and an event, and nothing else is written.
    let before = versions(&direct).await;
    let secrets: Api<DynamicObject> = Api::namespaced_with(direct.clone(), NS, &resource(Kind::Secret));
    let saved = secrets.get("rec").await.expect("the secret");
    secrets.delete("rec", &DeleteParams::default()).await.expect("deleted");
    reconcile_via(&ctx, &direct, "rec")
        .await
        .expect("a refusal is not a failure");
    assert_eq!(password(&direct).await, None, "no secret with a new password");
    let after = versions(&direct).await;
    for (key, version) in &before {
        if key != "Secret/rec" {
            assert_eq!(after.get(key), Some(version), "{key} was rewritten");
        }
    }
    let refused = get_rec(&direct, "rec").await;
    assert_eq!(condition(&refused, "Reconciled")["reason"], "ChangeRefused");
    assert!(
        condition(&refused, "Valid")["message"]
            .as_str()
            .is_some_and(|m| m.contains("credentials-secret-missing")),
        "{:#}",
        refused["status"]
    );
    assert!(
        events(&direct)
            .await
            .iter()
            .any(|(t, reason, _)| t == "Warning" && reason == "ChangeRefused")
    );
    // Restored by its owner: the cluster carries on with its password.
    let mut restore = saved.clone();
    restore.metadata.resource_version = None;
    restore.metadata.uid = None;
    secrets
        .create(&PostParams::default(), &restore)
        .await
        .expect("restored");
    reconcile_via(&ctx, &direct, "rec").await.expect("reconciles");
    assert_eq!(password(&direct).await, Some(first_password), "the same password");
    assert_converged(&direct, &[], "after the restore").await;
}

/// The REC deleted at the moment a request matching `when` is made: the reconcile ends quietly.
async fn rec_deleted_mid_reconcile(when: fn(&Call<'_>) -> bool, step: &str) {
    let fault = Fault::DeleteFirst {
        resource: owned::rec_resource(),
        name: "rec".into(),
    };
    let (faulty, direct) = faulty_cluster(once(0, when, fault)).await;
    let ctx = context(&faulty);
    create(&direct, rec("rec", spec())).await;
    let uid = get_rec(&direct, "rec").await["metadata"]["uid"].clone();

    let action = reconcile_via(&ctx, &direct, "rec")
        .await
        .expect("a REC that is gone is not a failure");
    assert_eq!(
        action,
        Action::await_change(),
        "{step}: no requeue for a REC that is gone"
    );
    assert!(
        recs(&direct).get_opt("rec").await.expect("get").is_none(),
        "{step}: the REC came back"
    );
    let warnings: Vec<_> = events(&direct)
        .await
        .into_iter()
        .filter(|(t, ..)| t == "Warning")
        .collect();
    assert!(warnings.is_empty(), "{step}: {warnings:?}");
    let metrics = ctx.metrics.encode().expect("metrics");
    assert!(
        metrics.contains("reconciles_total{outcome=\"gone\"} 1"),
        "{step}: {metrics}"
    );
    assert!(!metrics.contains("reconcile_failures_total{"), "{step}: {metrics}");
    // What was applied names the deleted REC as its controller: Kubernetes' garbage collector removes it.
    for (key, object) in owned_objects(&direct).await {
        let owners = object["metadata"]["ownerReferences"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            owners.iter().any(|o| o["uid"] == uid && o["controller"] == true),
            "{step}: {key} has no owner"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_rec_deleted_between_validate_and_apply_ends_the_reconcile_quietly() {
    rec_deleted_mid_reconcile(|c| c.is("GET", "secrets"), "between validate and apply").await;
}

#[tokio::test(start_paused = true)]
async fn the_rec_deleted_between_apply_and_status_ends_the_reconcile_quietly() {
    rec_deleted_mid_reconcile(|c| c.is("PATCH", "redisenterpriseclusters"), "between apply and status").await;
}

#[tokio::test(start_paused = true)]
async fn claims_are_never_deleted_not_even_when_the_broker_is_turned_off() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    let mut with_broker = spec();
    with_broker["serviceBrokerSpec"] = json!({ "enabled": true });
    create(&client, rec("rec", with_broker)).await;
    let mut claims = stand_in_claims(&client).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    claims.push("PersistentVolumeClaim/rec-services-broker".into());
    assert_converged(&client, &claims, "broker on").await;
    let broker_claim = |stored: &std::collections::BTreeMap<String, serde_json::Value>| {
        stored["PersistentVolumeClaim/rec-services-broker"]["metadata"]["uid"].clone()
    };
    let uid = broker_claim(&owned_objects(&client).await);

    patch_spec(&client, "rec", json!({ "serviceBrokerSpec": { "enabled": false } })).await;
    reconcile(&ctx, "rec").await.expect("broker off");
    let stored = owned_objects(&client).await;
    assert!(
        !stored.contains_key("Deployment/rec-services-broker"),
        "the broker itself is pruned"
    );
    assert_converged(&client, &claims, "broker off").await;

    patch_spec(&client, "rec", json!({ "serviceBrokerSpec": { "enabled": true } })).await;
    reconcile(&ctx, "rec").await.expect("broker on again");
    assert_converged(&client, &claims, "broker on again").await;
    assert_eq!(
        broker_claim(&owned_objects(&client).await),
        uid,
        "the broker gets its old claim back"
    );
}

/// One random schedule: reconciles under random faults (and spec changes), then fault-free until converged.
async fn random_schedule(seed: u64) {
    const FAULTY_RECONCILES: usize = 8;
    let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)));
    let armed = Arc::new(AtomicBool::new(true));
    let deletable = [
        (Kind::StatefulSet, "rec"),
        (Kind::Service, "rec-ui"),
        (Kind::Service, "rec"),
        (Kind::Service, "rec-prom"),
        (Kind::Deployment, "rec-services-rigger"),
        (Kind::Deployment, "rec-services-broker"),
        (Kind::RoleBinding, "rec"),
        (Kind::Role, "rec"),
        (Kind::ServiceAccount, "rec"),
        (Kind::PodDisruptionBudget, "rec"),
    ];
    let inject: Injector = {
        let (rng, armed) = (rng.clone(), armed.clone());
        Arc::new(move |_call| {
            if !armed.load(Ordering::SeqCst) {
                return None;
            }
            let mut rng = rng.lock().expect("lock");
            // About 1 request in 40 gets a fault: half the reconciles meet one, at any step.
            match rng.u32(..1000) {
                0..6 => Some(Fault::Status(409)),
                6..12 => Some(Fault::Status(500)),
                12..16 => Some(Fault::Hang),
                16..25 => {
                    let (kind, name) = deletable[rng.usize(..deletable.len())];
                    Some(Fault::DeleteFirst {
                        resource: resource(kind),
                        name: name.into(),
                    })
                }
                _ => None,
            }
        })
    };
    let (faulty, direct) = faulty_cluster(inject).await;
    let ctx = context(&faulty);
    create(&direct, rec("rec", spec())).await;
    let mut claims = stand_in_claims(&direct).await;
    let mut kept_password: Option<String> = None;
    let mut outcomes = Vec::new();
    for step in 0..FAULTY_RECONCILES {
        // A pod template change or not, the broker on or off (scaling is the day-2 tests', with pods).
        let (broker, team) = {
            let mut rng = rng.lock().expect("lock");
            (rng.bool(), ["a", "b"][rng.usize(..2)])
        };
        patch_spec(
            &direct,
            "rec",
            json!({ "redisEnterprisePodAnnotations": { "team": team }, "serviceBrokerSpec": { "enabled": broker } }),
        )
        .await;
        let outcome = reconcile_via(&ctx, &direct, "rec").await;
        outcomes.push(outcome.as_ref().map(|_| "ok").unwrap_or_else(|e| e.reason()));
        let stored = owned_objects(&direct).await;
        if stored.contains_key("PersistentVolumeClaim/rec-services-broker") {
            claims.push("PersistentVolumeClaim/rec-services-broker".into());
        }
        for claim in &claims {
            assert!(
                stored.contains_key(claim),
                "seed {seed}, step {step}: {claim} was deleted"
            );
        }
        let now = password(&direct).await;
        match (&kept_password, now) {
            (Some(kept), Some(now)) => assert_eq!(kept, &now, "seed {seed}, step {step}: the password changed"),
            (Some(_), None) => panic!("seed {seed}, step {step}: the secret disappeared"),
            (None, now) => kept_password = now,
        }
    }
    armed.store(false, Ordering::SeqCst);
    for _ in 0..2 {
        reconcile_via(&ctx, &direct, "rec")
            .await
            .unwrap_or_else(|e| panic!("seed {seed}: a fault-free reconcile failed: {e}"));
    }
    claims.sort();
    claims.dedup();
    let context = format!("seed {seed} (outcomes {outcomes:?})");
    assert_converged(&direct, &claims, &context).await;
    let end = password(&direct).await;
    assert!(end.is_some(), "{context}: no secret");
    if kept_password.is_some() {
        assert_eq!(end, kept_password, "{context}: the password changed");
    }
    let before = versions(&direct).await;
    reconcile_via(&ctx, &direct, "rec").await.expect("a quiet reconcile");
    assert_eq!(
        versions(&direct).await,
        before,
        "{context}: not converged, a quiet reconcile wrote"
    );
    eprintln!("seed {seed}: {outcomes:?}");
}

#[tokio::test(start_paused = true)]
async fn random_fault_schedules_converge_and_lose_nothing() {
    for seed in 0..20 {
        random_schedule(seed).await;
    }
}

/// The claims the converged check expects are all the claims there are: the check itself can fail.
#[tokio::test(start_paused = true)]
async fn the_convergence_check_notices_a_lost_claim() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    let claims = stand_in_claims(&client).await;
    reconcile(&ctx, "rec").await.expect("reconciles");
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &resource(Kind::PersistentVolumeClaim));
    let name = claims[0].trim_start_matches("PersistentVolumeClaim/");
    api.delete(name, &DeleteParams::default()).await.expect("deleted");
    let check = tokio::spawn(async move { assert_converged(&client, &claims, "a claim deleted").await });
    assert!(check.await.is_err(), "the check missed a deleted claim");
}
