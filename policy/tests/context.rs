//! A REDB judged against its context, natively, with a fake cluster in place of Kubewarden's host capability (the
//! same decisions through the module and a waPC host that serves the lists: wasm-tests/tests/policy_context.rs).

use rec_policy::admission::{Decision, decide};
use rec_policy::settings::Settings;
use serde_json::{Value, json};
use support::FakeCluster;

mod support;

fn rec(namespace: &str) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
           "metadata": {"name": "rec", "namespace": namespace}, "spec": {"nodes": 3}})
}

/// A valid REDB of namespace `redis` (1GB, replicated, persistent) with `extra` fields in its spec.
fn redb(name: &str, extra: Value) -> Value {
    let mut spec = json!({"replication": true, "persistence": "aofEverySecond", "memorySize": "1GB"});
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
           "metadata": {"name": name, "namespace": "redis"}, "spec": spec})
}

fn create(object: Value, settings: &Settings, cluster: &FakeCluster) -> Decision {
    let gvk = json!({"group": "app.redislabs.com", "version": "v1alpha1", "kind": "RedisEnterpriseDatabase"});
    let request = json!({
        "uid": "1", "kind": gvk, "requestKind": gvk,
        "resource": {"group": "app.redislabs.com", "version": "v1alpha1", "resource": "redisenterprisedatabases"},
        "name": "redb", "namespace": "redis", "operation": "CREATE",
        "userInfo": {"username": "alice"}, "object": object, "oldObject": null,
    });
    decide(&serde_json::from_value(request).unwrap(), settings, cluster)
}

#[test]
fn in_an_empty_cluster_a_redb_is_rejected_for_want_of_its_rec() {
    let cluster = FakeCluster::with(vec![]);
    let Decision::Reject { message, code, .. } = create(redb("redb", json!({})), &Settings::default(), &cluster) else {
        panic!("no REC: rejected")
    };
    assert!(message.contains("[redb-cluster-not-found]"), "{message}");
    assert_eq!(code, 422);
    assert_eq!(cluster.calls.get(), 2, "one list of RECs, one of REDBs");
}

#[test]
fn with_its_rec_a_redb_is_accepted_without_warnings() {
    let cluster = FakeCluster::with(vec![rec("redis")]);
    let decision = create(redb("redb", json!({})), &Settings::default(), &cluster);
    assert_eq!(decision, Decision::Accept { warnings: vec![] });
}

#[test]
fn a_port_of_another_database_of_the_rec_is_refused() {
    let cluster = FakeCluster::with(vec![rec("redis"), redb("cache", json!({"databasePort": 12000}))]);
    let Decision::Reject { message, .. } = create(
        redb("redb", json!({"databasePort": 12000})),
        &Settings::default(),
        &cluster,
    ) else {
        panic!("the port is taken")
    };
    assert!(
        message.contains("[redb-port-taken]") && message.contains("\"cache\""),
        "{message}"
    );
}

/// A failing host is no context: the REDB is judged by its own rules, and the warning says what was skipped. It
/// is not rejected because of the host, even with warnings as errors (`redb-no-context` is never an error).
#[test]
fn when_the_host_fails_the_redb_is_judged_without_context_never_rejected_for_it() {
    let cluster = FakeCluster::failing();
    let Decision::Accept { warnings } = create(redb("redb", json!({})), &Settings::default(), &cluster) else {
        panic!("accepted without context")
    };
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].ends_with("[redb-no-context]"), "{warnings:?}");
    let strict: Settings = serde_json::from_value(json!({"warningsAsErrors": true})).unwrap();
    let decision = create(redb("redb", json!({})), &strict, &cluster);
    assert!(matches!(decision, Decision::Accept { .. }), "{decision:?}");
    let Decision::Reject { message, .. } = create(redb("redb", json!({"memorySize": "1MB"})), &strict, &cluster) else {
        panic!("its own rules still apply")
    };
    assert!(message.contains("[redb-memory-too-low]"), "{message}");
}

/// The object's namespace is the request's when it names none (the API server's view): the REC of another
/// namespace is then not its REC. Read without a namespace, the REDB would match any.
#[test]
fn a_redb_without_a_namespace_is_in_the_requests_namespace() {
    let mut object = redb("redb", json!({}));
    object["metadata"].as_object_mut().unwrap().remove("namespace");
    let elsewhere = FakeCluster::with(vec![rec("other")]);
    let Decision::Reject { message, .. } = create(object.clone(), &Settings::default(), &elsewhere) else {
        panic!("the only REC is in another namespace")
    };
    assert!(
        message.contains("\"redis/redb\"") && message.contains("[redb-cluster-not-found]"),
        "{message}"
    );
    let here = FakeCluster::with(vec![rec("redis")]);
    assert_eq!(
        create(object, &Settings::default(), &here),
        Decision::Accept { warnings: vec![] }
    );
}
