//! The policy module judging a REDB against the cluster that its waPC host serves through Kubewarden's Kubernetes
//! host capability (`rec_wasm_tests::kube_host`): an empty cluster, one REC, 10,000 REDBs. The corpus's context
//! cases run the same way in tests/policy.rs; here the cluster is made at scale and the calls themselves are
//! checked (which operation, which field masks, what the host sent back).

use rec_wasm_tests::kube_host::{KubernetesHost, Served};
use rec_wasm_tests::policy_host::{PolicyModule, module_path};
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

fn policy() -> &'static PolicyModule {
    static MODULE: OnceLock<PolicyModule> = OnceLock::new();
    MODULE.get_or_init(|| {
        let path = module_path().unwrap_or_else(|e| panic!("{e}"));
        PolicyModule::load(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn rec(name: &str, namespace: &str) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
           "metadata": {"name": name, "namespace": namespace, "uid": format!("uid-{name}"),
                        "managedFields": [{"manager": "kubectl", "operation": "Apply"}]},
           "spec": {"nodes": 3, "redisEnterpriseNodeResources": {"requests": {"cpu": "2", "memory": "4Gi"}},
                    "persistentSpec": {"enabled": true, "volumeSize": "20Gi"}},
           "status": {"state": "Running", "modules": [{"name": "search", "versions": ["2.10.0"]}]}})
}

/// A REDB as a cluster stores it: many more fields than the context rules read.
fn stored_redb(i: usize, namespace: &str, port: u16) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
           "metadata": {"name": format!("db-{i}"), "namespace": namespace, "uid": format!("uid-{i}"),
                        "labels": {"team": "cache"}, "resourceVersion": "1234"},
           "spec": {"redisEnterpriseCluster": {"name": "rec"}, "memorySize": "100MB", "databasePort": port,
                    "replication": false, "persistence": "aofEverySecond", "shardCount": 1,
                    "evictionPolicy": "volatile-lru", "tlsMode": "enabled", "rackAware": false,
                    "modulesList": [{"name": "search"}, {"name": "ReJSON"}],
                    "rolesPermissions": [{"role": "reader", "acl": "read-only", "type": "redis-enterprise"}],
                    "backup": {"interval": 24, "s3": {"bucketName": "backups", "subdir": format!("db-{i}"),
                                                      "awsSecretName": "aws-creds"}}},
           "status": {"status": "active", "databaseUID": format!("{i}"), "internalEndpoints": [
               {"host": format!("db-{i}.{namespace}.svc.cluster.local"), "port": port}],
                      "lastActionStatus": "OK", "observedGeneration": 1}})
}

fn admission(object: &Value) -> String {
    let gvk = json!({"group": "app.redislabs.com", "version": "v1alpha1", "kind": "RedisEnterpriseDatabase"});
    json!({"settings": {}, "request": {
        "uid": "1", "kind": gvk, "requestKind": gvk,
        "resource": {"group": "app.redislabs.com", "version": "v1alpha1", "resource": "redisenterprisedatabases"},
        "name": object["metadata"]["name"], "namespace": "redis", "operation": "CREATE",
        "userInfo": {"username": "alice"}, "object": object}})
    .to_string()
}

fn new_redb(port: Option<u16>) -> Value {
    let mut object = json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
                            "metadata": {"name": "orders"},
                            "spec": {"replication": true, "persistence": "aofEverySecond"}});
    if let Some(port) = port {
        object["spec"]["databasePort"] = json!(port);
    }
    object
}

/// The policy's answer to creating `object` in namespace `redis` of `host`'s cluster, and the calls it made.
fn create(object: &Value, host: &Arc<KubernetesHost>) -> (Value, Vec<Served>) {
    let answer = policy()
        .call_in("validate", admission(object).as_bytes(), host)
        .unwrap_or_else(|e| panic!("{e}"));
    (serde_json::from_slice(&answer).expect("JSON"), host.served())
}

/// Both lists asked for, cluster wide, each with a field mask of what the context rules read.
fn assert_listed_with_masks(calls: &[Served]) {
    let kinds: Vec<&str> = calls
        .iter()
        .map(|c| c.request["kind"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        kinds,
        ["RedisEnterpriseCluster", "RedisEnterpriseDatabase"],
        "{calls:?}"
    );
    for call in calls {
        assert_eq!(call.operation, "list_resources_all");
        let masks: Vec<&str> = call.request["field_masks"]
            .as_array()
            .expect("a field mask")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            masks.contains(&"metadata.name") && masks.contains(&"metadata.namespace"),
            "{masks:?}"
        );
        assert!(!masks.contains(&"spec") && !masks.contains(&"status"), "{masks:?}");
    }
}

#[test]
fn in_an_empty_cluster_a_redb_is_rejected_for_want_of_its_rec() {
    let host = Arc::new(KubernetesHost::new(vec![]));
    let (answer, calls) = create(&new_redb(None), &host);
    assert_eq!(answer["accepted"], false, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains("[redb-cluster-not-found]"), "{message}");
    assert!(
        message.contains("\"redis/orders\""),
        "the request's namespace filled in: {message}"
    );
    assert_listed_with_masks(&calls);
}

#[test]
fn with_one_rec_a_redb_is_accepted_and_the_rec_came_masked() {
    let host = Arc::new(KubernetesHost::new(vec![rec("rec", "redis")]));
    let (answer, calls) = create(&new_redb(Some(12000)), &host);
    assert_eq!(answer["accepted"], true, "{answer}");
    assert!(answer["warnings"].is_null(), "{answer}");
    assert_listed_with_masks(&calls);
    let served = &calls[0].sample["items"][0];
    assert_eq!(
        served["spec"]["redisEnterpriseNodeResources"],
        json!({"requests": {"memory": "4Gi"}})
    );
    assert_eq!(served["status"], json!({"modules": [{"name": "search"}]}));
    assert!(served["spec"].get("persistentSpec").is_none(), "{served}");
    assert!(served["metadata"].get("managedFields").is_none(), "{served}");
}

/// A host that cannot list (no `contextAwareResources`, the API server down): the REDB is judged without context,
/// accepted with the warning saying so; never rejected because of the host.
#[test]
fn when_the_host_refuses_the_redb_is_judged_without_context() {
    let host = Arc::new(KubernetesHost::unavailable());
    let (answer, calls) = create(&new_redb(None), &host);
    assert_eq!(answer["accepted"], true, "{answer}");
    assert_eq!(answer["warnings"].as_array().map(Vec::len), Some(1), "{answer}");
    assert!(
        answer["warnings"][0]
            .as_str()
            .unwrap_or_default()
            .ends_with("[redb-no-context]"),
        "{answer}"
    );
    assert_eq!(
        calls.len(),
        1,
        "the REDBs are not asked for once the RECs failed: {calls:?}"
    );
}

#[test]
fn among_10_000_redbs_a_port_clash_is_found_and_the_list_came_masked() {
    let mut objects = vec![rec("rec", "redis"), rec("other", "team-b")];
    let namespaces = ["redis", "team-a", "team-b"];
    objects.extend((0..10_000).map(|i| stored_redb(i, namespaces[i % 3], 10_000 + i as u16)));
    let full_bytes = serde_json::to_vec(&objects[2..]).expect("JSON").len();
    // The policy's time limit (policy-server's, 1-2 s) counts the host's time too: this debug-built host answers
    // from a cache filled beforehand with the requests the policy makes (those it made of an empty cluster).
    let (_, asked) = create(&new_redb(Some(11_234)), &Arc::new(KubernetesHost::new(vec![])));
    let host = Arc::new(KubernetesHost::new(objects).cached());
    host.warm(&asked);
    assert!(host.served().is_empty(), "warming is not serving");
    let started = Instant::now();
    // db-1234 (team-a, REC "rec" of namespace redis) holds port 11234.
    let (answer, calls) = create(&new_redb(Some(11_234)), &host);
    eprintln!("10,000 REDBs: answered in {:?}", started.elapsed());
    assert_eq!(answer["accepted"], false, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("[redb-port-taken]") && message.contains("\"db-1234\""),
        "{message}"
    );
    assert_listed_with_masks(&calls);
    let redbs = &calls[1];
    assert_eq!(redbs.items, 10_000);
    eprintln!(
        "REDB list: {} bytes masked, {full_bytes} bytes whole ({:.1}%)",
        redbs.bytes,
        100.0 * redbs.bytes as f64 / full_bytes as f64
    );
    // What stays is the metadata (policy-server keeps it whole) and four spec fields: about 300 bytes a REDB.
    assert!(
        redbs.bytes * 2 < full_bytes,
        "the masked list is {} bytes, the whole one {full_bytes}",
        redbs.bytes
    );
    let first = &redbs.sample;
    assert!(first.get("status").is_none(), "{first}");
    let mut spec: Vec<&str> = first["spec"]
        .as_object()
        .expect("a spec")
        .keys()
        .map(String::as_str)
        .collect();
    spec.sort_unstable();
    assert_eq!(
        spec,
        ["databasePort", "memorySize", "redisEnterpriseCluster", "replication"],
        "{first}"
    );
    let (accepted, _) = create(
        &new_redb(Some(12_000)),
        &Arc::new(KubernetesHost::new(vec![rec("rec", "redis")])),
    );
    assert_eq!(accepted["accepted"], true, "a free port: {accepted}");
}
