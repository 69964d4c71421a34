//! Section 2, REDB with context: the policy judging a new REDB in a cluster of one REC and 1,000 REDBs, the context
//! served by the waPC host through Kubewarden's Kubernetes host capability (`rec_wasm_tests::kube_host`: the two
//! `list_resources_all` calls the policy makes, answered with the field masks applied), a fresh instance per
//! request as in the rest of the section. Beside it: the host's own share (answering the two lists, timed alone:
//! policy-server's would be serializing its watch cache), the same REDB with a host that refuses (no context: the
//! floor), and the native core on the same object and context (what the wasm and the host calls add).

use crate::table::Table;
use crate::timing::{Plan, human, measure};
use rec_wasm_tests::kube_host::KubernetesHost;
use rec_wasm_tests::policy_host::{Instances, PolicyModule};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

const SECTION: &str = "2 policy";
/// The REDBs of the cluster besides the new one.
pub const REDBS: usize = 1_000;

/// The cluster: one REC (9 nodes of 64Gi, room for every database) and [`REDBS`] REDBs of it in three namespaces,
/// each as a cluster stores it (far more fields than the context rules read, and a status).
pub fn cluster() -> Vec<Value> {
    let rec = json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "redis", "uid": "8d3f7c1e-rec"},
        "spec": {"nodes": 9, "redisEnterpriseNodeResources": {"requests": {"cpu": "8", "memory": "64Gi"},
                                                               "limits": {"cpu": "8", "memory": "64Gi"}},
                 "persistentSpec": {"enabled": true, "volumeSize": "200Gi"}},
        "status": {"state": "Running", "modules": [{"name": "search", "versions": ["2.10.0"]}]}});
    let namespaces = ["redis", "team-a", "team-b"];
    let redbs = (0..REDBS).map(|i| {
        let namespace = namespaces[i % namespaces.len()];
        json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
            "metadata": {"name": format!("db-{i}"), "namespace": namespace, "uid": format!("uid-{i}"),
                         "labels": {"team": namespace}, "resourceVersion": format!("{}", 1000 + i), "generation": 1},
            "spec": {"redisEnterpriseCluster": {"name": "rec"}, "memorySize": "100MB", "databasePort": 10_000 + i,
                     "replication": true, "persistence": "aofEverySecond", "shardCount": 1,
                     "evictionPolicy": "volatile-lru", "tlsMode": "enabled",
                     "modulesList": [{"name": "search"}, {"name": "ReJSON"}],
                     "backup": {"interval": 24, "s3": {"bucketName": "backups", "subdir": format!("db-{i}"),
                                                       "awsSecretName": "aws-creds"}}},
            "status": {"status": "active", "databaseUID": format!("{i}"), "observedGeneration": 1,
                       "internalEndpoints": [{"host": format!("db-{i}.{namespace}.svc"), "port": 10_000 + i}]}})
    });
    std::iter::once(rec).chain(redbs).collect()
}

/// The REDB being created: namespace `redis`, a port no other database has.
pub fn new_redb() -> Value {
    json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
           "metadata": {"name": "orders", "namespace": "redis"},
           "spec": {"redisEnterpriseCluster": {"name": "rec"}, "memorySize": "1GB", "databasePort": 15_000,
                    "replication": true, "persistence": "aofEverySecond"}})
}

fn admission(object: &Value) -> Vec<u8> {
    let gvk = json!({"group": "app.redislabs.com", "version": "v1alpha1", "kind": "RedisEnterpriseDatabase"});
    let gvr = json!({"group": "app.redislabs.com", "version": "v1alpha1", "resource": "redisenterprisedatabases"});
    json!({"settings": {}, "request": {
        "uid": "00000000-0000-0000-0000-000000000000", "kind": gvk, "requestKind": gvk,
        "resource": gvr, "requestResource": gvr, "name": object["metadata"]["name"], "namespace": "redis",
        "operation": "CREATE", "userInfo": {"username": "rec-bench", "groups": ["system:authenticated"]},
        "object": object}})
    .to_string()
    .into_bytes()
}

/// Times the REDB admission in `path`'s policy, each instance as `instances` says.
pub fn run(table: &mut Table, plan: Plan, path: &Path, instances: Instances, how: &str) {
    let policy = match PolicyModule::load_with(path, instances) {
        Ok(policy) => policy,
        Err(e) => return table.skipped(SECTION, format!("REDB with context — {how}"), e),
    };
    let payload = admission(&new_redb());
    let host = Arc::new(KubernetesHost::new(cluster()));
    let refusing = Arc::new(KubernetesHost::unavailable());
    let verdict = |host: &Arc<KubernetesHost>, want_warnings: usize| -> Result<(), String> {
        let answer = policy.call_in("validate", &payload, host).map_err(|e| e.to_string())?;
        let answer: Value = serde_json::from_slice(&answer).map_err(|e| e.to_string())?;
        let warnings = answer["warnings"].as_array().map_or(0, Vec::len);
        match answer.get("accepted") {
            Some(Value::Bool(true)) if warnings == want_warnings => Ok(()),
            _ => Err(format!("unexpected answer: {answer}")),
        }
    };
    let what = format!("validate a REDB, {REDBS} REDBs in context from the host — {how}");
    match measure(plan, || verdict(&host, 0)) {
        Ok(s) => table.time(
            SECTION,
            what,
            &s,
            format!(
                "p99 {}; two list_resources_all calls, {} bytes answered (masked)",
                human(s.p99),
                answered_bytes(&host)
            ),
        ),
        Err(e) => return table.skipped(SECTION, what, e),
    }
    let what = format!("validate a REDB, the host refuses (no context) — {how}");
    match measure(plan, || verdict(&refusing, 1)) {
        Ok(s) => table.time(SECTION, what, &s, format!("p99 {}; redb-no-context", human(s.p99))),
        Err(e) => table.skipped(SECTION, what, e),
    }
}

/// The bytes of one request's two answers.
fn answered_bytes(host: &KubernetesHost) -> usize {
    let served = host.served();
    served.iter().rev().take(2).map(|s| s.bytes).sum()
}

/// The host's share and the native core, once (they do not depend on the instance allocator).
pub fn baselines(table: &mut Table, plan: Plan) {
    let host = KubernetesHost::new(cluster());
    let requests: Vec<Vec<u8>> = [
        (
            "app.redislabs.com/v1",
            "RedisEnterpriseCluster",
            rec_core::redb::CONTEXT_REC_FIELDS,
        ),
        (
            "app.redislabs.com/v1alpha1",
            "RedisEnterpriseDatabase",
            rec_core::redb::CONTEXT_REDB_FIELDS,
        ),
    ]
    .iter()
    .map(|(api_version, kind, masks)| {
        json!({"api_version": api_version, "kind": kind, "label_selector": null, "field_selector": null,
               "field_masks": masks})
        .to_string()
        .into_bytes()
    })
    .collect();
    let what = format!("the host answering the two lists alone ({REDBS} REDBs, masked)");
    match measure(plan, || {
        requests.iter().try_for_each(|r| {
            host.answer("kubewarden", "kubernetes", "list_resources_all", r)
                .map(drop)
        })
    }) {
        Ok(s) => table.time(SECTION, what, &s, "part of the figure above: JSON out of the test host"),
        Err(e) => table.skipped(SECTION, what, e),
    }
    let object = new_redb();
    let context = cluster();
    let options = Default::default();
    let what = format!("validate the same REDB natively, {REDBS} REDBs in context (whole objects)");
    let result = measure(plan, || {
        let report = rec_core::kind::validate(&object, None, Some(&context), &options);
        if report.valid {
            Ok(())
        } else {
            Err(format!("{:?}", report.violations))
        }
    });
    match result {
        Ok(s) => table.time(SECTION, what, &s, "rec_core::kind::validate"),
        Err(e) => table.skipped(SECTION, what, e),
    }
}
