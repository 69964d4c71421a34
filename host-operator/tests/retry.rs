//! Failure tests: API errors injected into the in-memory API server (409 Conflict, 500 Internal) fail the
//! reconcile with the step's reason, are requeued with backoff, and the retry converges with no object lost.
//! Also: an owned object deleted behind the operator's back comes back on the next reconcile.

mod common;

use common::*;
use kube::api::{Api, DeleteParams, DynamicObject};
use kube::runtime::controller::Action;
use kube_fake_client::{Error as FakeError, interceptor};
use rec_operator::owned;
use rec_operator::reconcile::error_policy;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// True for the first `n` calls, then false.
fn first(n: usize) -> impl Fn() -> bool + Send + Sync + 'static {
    let left = Arc::new(AtomicUsize::new(n));
    move || {
        left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(1))
            .is_ok()
    }
}

async fn converged(client: &kube::Client) {
    let stored = owned_objects(client).await;
    assert_eq!(
        stored.keys().cloned().collect::<Vec<_>>(),
        keys(&rendered(&get_rec(client, "rec").await))
    );
    let rec = get_rec(client, "rec").await;
    assert_eq!(condition(&rec, "Reconciled")["status"], "True");
    assert_eq!(rec["status"]["specStatus"], "Valid");
}

#[tokio::test]
async fn a_conflict_is_retried_with_backoff_and_nothing_is_lost() {
    let fail = first(2);
    let funcs = interceptor::Funcs::new().patch(move |call| {
        if call.patch["kind"] == "StatefulSet" && fail() {
            return Err(FakeError::Conflict("injected: the object has been modified".into()));
        }
        Ok(None)
    });
    let client = cluster(funcs).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;

    let rec_object = Arc::new(recs(&client).get("rec").await.expect("REC"));
    let error = reconcile(&ctx, "rec")
        .await
        .expect_err("the injected 409 fails the first reconcile");
    assert_eq!(error.reason(), "ApplyFailed");
    assert!(error.to_string().contains("StatefulSet"), "{error}");
    assert_eq!(
        error_policy(rec_object.clone(), &error, ctx.clone()),
        Action::requeue(Duration::from_secs(5))
    );

    let failed = get_rec(&client, "rec").await;
    let reconciled = condition(&failed, "Reconciled");
    assert_eq!(
        (reconciled["status"].as_str(), reconciled["reason"].as_str()),
        (Some("False"), Some("ApplyFailed"))
    );
    assert!(
        events(&client)
            .await
            .iter()
            .any(|(t, reason, _)| t == "Warning" && reason == "ApplyFailed")
    );

    let error = reconcile(&ctx, "rec").await.expect_err("the second 409 fails again");
    assert_eq!(
        error_policy(rec_object, &error, ctx.clone()),
        Action::requeue(Duration::from_secs(10))
    );
    reconcile(&ctx, "rec").await.expect("the retry succeeds");
    converged(&client).await;
}

#[tokio::test]
async fn internal_errors_are_retried_and_nothing_is_lost() {
    let fail_secret = first(1);
    let fail_service = first(1);
    let funcs = interceptor::Funcs::new()
        .create(move |call| {
            if call.object["kind"] == "Secret" && fail_secret() {
                return Err(FakeError::Internal("injected: etcd timeout".into()));
            }
            Ok(None)
        })
        .patch(move |call| {
            if call.patch["kind"] == "Service" && fail_service() {
                return Err(FakeError::Internal("injected: etcd timeout".into()));
            }
            Ok(None)
        });
    let client = cluster(funcs).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;

    let error = reconcile(&ctx, "rec")
        .await
        .expect_err("the injected 500 on the secret fails");
    assert_eq!(error.reason(), "ApplyFailed", "{error}");
    assert!(error.to_string().contains("creating secret rec failed"), "{error}");
    let error = reconcile(&ctx, "rec")
        .await
        .expect_err("the injected 500 on a service fails");
    assert_eq!(error.reason(), "ApplyFailed", "{error}");
    reconcile(&ctx, "rec").await.expect("the retry succeeds");
    converged(&client).await;
    let metrics = ctx.metrics.encode().expect("metrics");
    assert!(
        metrics.contains("reconcile_failures_total{reason=\"ApplyFailed\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("wasm_call_duration_seconds_count{op=\"plan\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_deleted_service_comes_back() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    let services: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), NS, &owned::api_resource(owned::Kind::Service.info()));
    services
        .delete("rec-ui", &DeleteParams::default())
        .await
        .expect("deleted");
    assert!(!owned_objects(&client).await.contains_key("Service/rec-ui"));

    reconcile(&ctx, "rec")
        .await
        .expect("the watch on Services triggers this reconcile");
    converged(&client).await;
}
