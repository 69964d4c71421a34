//! The REDB's generated CRD: the committed `deploy/crd-redb.yaml` is current, and identity, printer columns and
//! every published property (name and type, at every depth) match the published CRD.

use rec_core::redb::{crd, crd_yaml};
use serde_json::Value;
mod committed;
mod crd_support;
use committed::committed_is;
use crd_support::{missing, published, shape, version_schema};

#[test]
fn committed_crd_is_current() {
    committed_is(
        "deploy/crd-redb.yaml",
        &crd_yaml(),
        "`REC_BLESS=1 cargo test -p rec-core --test crd_redb`",
    );
}

#[test]
fn identity_version_and_columns() {
    let crd = crd();
    assert_eq!(
        crd.metadata.name.as_deref(),
        Some("redisenterprisedatabases.app.redislabs.com")
    );
    assert_eq!(crd.spec.group, "app.redislabs.com");
    assert_eq!(crd.spec.scope, "Namespaced");
    assert_eq!(crd.spec.names.kind, "RedisEnterpriseDatabase");
    assert_eq!(crd.spec.names.plural, "redisenterprisedatabases");
    assert_eq!(crd.spec.names.singular.as_deref(), Some("redisenterprisedatabase"));
    assert_eq!(crd.spec.names.list_kind.as_deref(), Some("RedisEnterpriseDatabaseList"));
    assert_eq!(crd.spec.names.short_names, Some(vec!["redb".to_string()]));
    let versions: Vec<_> = crd
        .spec
        .versions
        .iter()
        .map(|v| (v.name.as_str(), v.served, v.storage))
        .collect();
    assert_eq!(versions, [("v1alpha1", true, true)]);
    let version = &crd.spec.versions[0];
    assert!(version.subresources.as_ref().and_then(|s| s.status.as_ref()).is_some());
    let columns: Vec<_> = version
        .additional_printer_columns
        .iter()
        .flatten()
        .map(|c| (c.name.as_str(), c.type_.as_str(), c.json_path.as_str()))
        .collect();
    assert_eq!(
        columns,
        [
            ("Version", "string", ".status.version"),
            ("Port", "string", ".status.internalEndpoints[*].port"),
            ("Cluster", "string", ".status.redisEnterpriseCluster"),
            ("Shards", "string", ".status.shardStatuses.active"),
            ("Status", "string", ".status.status"),
            ("Spec Status", "string", ".status.specStatus"),
            ("Age", "date", ".metadata.creationTimestamp"),
        ]
    );
}

#[test]
fn published_identity_and_columns_are_ours() {
    let Some(published) = published("redis-redb-crd-8.0.20-23.yaml") else {
        return;
    };
    let ours = serde_json::to_value(crd()).unwrap();
    for pointer in ["/spec/group", "/spec/scope", "/spec/names", "/metadata/name"] {
        assert_eq!(ours.pointer(pointer), published.pointer(pointer), "{pointer}");
    }
    assert_eq!(
        ours.pointer("/spec/versions/0/additionalPrinterColumns"),
        published.pointer("/spec/versions/0/additionalPrinterColumns")
    );
}

#[test]
fn spec_has_the_36_published_fields_and_no_other() {
    let Some(published) = published("redis-redb-crd-8.0.20-23.yaml") else {
        return;
    };
    let keys = |crd: &Value| -> Vec<String> {
        let mut keys: Vec<String> = version_schema(crd)["properties"]["spec"]["properties"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    let (ours, theirs) = (keys(&serde_json::to_value(crd()).unwrap()), keys(&published));
    assert_eq!(theirs.len(), 36, "the published CRD has 36 spec fields");
    assert_eq!(ours, theirs);
}

#[test]
fn property_trees_match_at_every_depth() {
    let Some(published) = published("redis-redb-crd-8.0.20-23.yaml") else {
        return;
    };
    let ours_crd = serde_json::to_value(crd()).unwrap();
    for part in ["spec", "status"] {
        let ours = shape(&version_schema(&ours_crd)["properties"][part], part);
        let theirs = shape(&version_schema(&published)["properties"][part], part);
        let mut differ = missing(&ours, &theirs);
        // Ours on purpose: the status conditions the operator writes (`redb/status.rs` says why).
        differ.extend(
            ours.keys()
                .filter(|k| !theirs.contains_key(*k) && !k.starts_with("status.conditions"))
                .map(|k| format!("{k}: only ours")),
        );
        assert!(differ.is_empty(), "{part} paths that differ:\n{differ:#?}");
    }
}

/// The operator's `SpecValid` condition survives the API server's pruning: the schema lists it.
#[test]
fn status_lists_the_conditions_the_operator_writes() {
    let ours = shape(
        &version_schema(&serde_json::to_value(crd()).unwrap())["properties"]["status"],
        "status",
    );
    for path in [
        "type",
        "status",
        "reason",
        "message",
        "observedGeneration",
        "lastTransitionTime",
    ] {
        let key = format!("status.conditions[].{path}");
        assert!(ours.contains_key(&key), "{key} is not in the schema");
    }
}

#[test]
fn schema_keeps_the_published_enums_and_range() {
    let ours = version_schema(&serde_json::to_value(crd()).unwrap());
    let spec = &ours["properties"]["spec"]["properties"];
    assert_eq!(spec["rofRamRatio"]["minimum"], 0.0);
    assert_eq!(spec["rofRamRatio"]["maximum"], 100.0);
    let values = |v: &Value| -> Vec<String> {
        v["enum"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    assert_eq!(values(&spec["tlsMode"]), ["disabled", "enabled", "replica_ssl"]);
    assert_eq!(values(&spec["type"]), ["redis", "memcached"]);
    assert_eq!(values(&spec["shardsPlacement"]), ["dense", "sparse"]);
    assert_eq!(values(&spec["persistence"]).len(), 6);
    assert!(spec["alertSettings"]["properties"]["bdb_size"]["x-kubernetes-preserve-unknown-fields"] == true);
}
