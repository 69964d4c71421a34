//! The credentials password is never logged, recorded in an Event or written into the REC's status.
//!
//! Every log line of a run of reconciles (create, update, an injected failure, an invalid spec) is captured at
//! TRACE level for every crate, then scanned for the password and for its base64 form (what the API stores).
//! The scan is shown to work: a line that does carry the password is found.

mod common;

use common::*;
use kube::api::Api;
use rec_operator::testing::faults::{Fault, Injector, with_faults};
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tracing_subscriber::EnvFilter;

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

/// Where in `haystack` (one named text per entry) any of `secrets` occurs.
fn leaks(haystack: &[(&str, String)], secrets: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, text) in haystack {
        for (number, line) in text.lines().enumerate() {
            for secret in secrets {
                if line.contains(secret) {
                    found.push(format!("{name} line {}: {line}", number + 1));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn the_password_is_in_no_log_line_event_or_status() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    // The test runs on one thread (current-thread runtime): every reconcile logs into this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);

    let fail_next = Arc::new(AtomicBool::new(false));
    let inject: Injector = {
        let fail_next = fail_next.clone();
        Arc::new(move |call| {
            (call.is("PATCH", "statefulsets") && fail_next.swap(false, Ordering::SeqCst)).then_some(Fault::Status(500))
        })
    };
    let direct = cluster(Default::default()).await;
    let ctx = context(&with_faults(direct.clone(), inject));
    create(&direct, rec("rec", spec())).await;
    reconcile(&ctx, "rec").await.expect("create");
    patch_spec(&direct, "rec", json!({ "redisEnterprisePodAnnotations": { "a": "1" } })).await;
    reconcile(&ctx, "rec").await.expect("update");
    patch_spec(&direct, "rec", json!({ "redisEnterprisePodAnnotations": { "a": "2" } })).await;
    fail_next.store(true, Ordering::SeqCst);
    let error = reconcile(&ctx, "rec").await.expect_err("the injected 500");
    assert_eq!(error.reason(), "ApplyFailed");
    patch_spec(&direct, "rec", json!({ "nodes": 4 })).await;
    reconcile(&ctx, "rec")
        .await
        .expect("an invalid spec is reported, not failed");
    assert_eq!(get_rec(&direct, "rec").await["status"]["specStatus"], "Invalid");

    let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(direct.clone(), NS);
    let secret = secrets.get("rec").await.expect("the credentials secret");
    let password = secret
        .data
        .as_ref()
        .and_then(|d| d.get("password"))
        .map(|p| String::from_utf8(p.0.clone()).expect("a text password"))
        .expect("a password");
    let stored = serde_json::to_value(&secret).expect("JSON")["data"]["password"]
        .as_str()
        .expect("base64 in the API")
        .to_string();
    assert!(password.len() >= 32 && stored != password);

    let events: Api<k8s_openapi::api::events::v1::Event> = Api::namespaced(direct.clone(), NS);
    let events =
        serde_json::to_string_pretty(&events.list(&Default::default()).await.expect("events").items).expect("JSON");
    let status = serde_json::to_string_pretty(&get_rec(&direct, "rec").await["status"]).expect("JSON");
    let log = logs.text();
    assert!(
        log.lines().count() > 20,
        "too few log lines captured to mean anything:\n{log}"
    );
    assert!(log.contains("reconcile failed") && log.contains("ApplyFailed"), "{log}");
    assert!(
        events.contains("ApplyFailed") && events.contains("SpecInvalid"),
        "{events}"
    );
    let haystack = [("log", log), ("events", events), ("status", status)];
    let found = leaks(&haystack, &[&password, &stored]);
    assert!(found.is_empty(), "the password leaked:\n{}", found.join("\n"));

    // The scan finds a leak when there is one: the same capture, a line that carries the password.
    tracing::trace!(password = %password, "deliberately logged by the test");
    tracing::debug!(data = %stored, "deliberately logged by the test");
    let found = leaks(&[("log", logs.text())], &[&password, &stored]);
    assert_eq!(found.len(), 2, "the scan missed a logged password: {found:?}");
}
