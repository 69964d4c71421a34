//! The REDB's generated CRD: the committed `deploy/crd-redb.yaml` is current, and identity, printer columns and
//! every published property (name and type, at every depth) match the published CRD.

use rec_core::redb::{crd, crd_yaml};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn committed_crd_is_current() {
    let path = repo().join("deploy/crd-redb.yaml");
    let generated = crd_yaml();
    if std::env::var_os("REC_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write deploy/crd-redb.yaml");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "deploy/crd-redb.yaml is stale: regenerate it with `REC_BLESS=1 cargo test -p rec-core --test crd_redb`"
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

/// Every property path of a schema with its JSON type.
fn shape(schema: &Value, path: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(schema, path, &mut out);
    out
}

fn walk(schema: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("any").to_string();
    if !path.is_empty() {
        out.insert(path.to_string(), ty);
    }
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (name, child) in props {
            walk(child, &format!("{path}.{name}"), out);
        }
    }
    if let Some(items) = schema.get("items") {
        walk(items, &format!("{path}[]"), out);
    }
    if let Some(Value::Object(_)) = schema.get("additionalProperties") {
        walk(&schema["additionalProperties"], &format!("{path}{{}}"), out);
    }
}

/// The published CRD, when `../shared` is beside the checkout.
fn published() -> Option<Value> {
    let path = repo().join("../shared/reference/redis-redb-crd-8.0.20-23.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} is absent; the comparison with the published CRD did not run",
            path.display()
        );
        return None;
    };
    let parsed = rec_core::yaml::parse(&indent_quoted_continuations(&text));
    assert_eq!(parsed.error, None, "the published CRD reads");
    parsed.value
}

/// As in `tests/crd.rs`: the published file continues multi-line single-quoted descriptions at their key's
/// indentation, which YAML 1.2 forbids. Indent those continuation lines two more spaces.
fn indent_quoted_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    let mut open = false;
    for line in text.lines() {
        if open {
            out.push_str("  ");
        }
        out.push_str(line);
        out.push('\n');
        let quotes = line.matches('\'').count();
        let starts = line.trim_start().split_once(": '").is_some();
        if open {
            open = quotes % 2 == 0;
        } else if starts {
            open = quotes % 2 == 1;
        }
    }
    out
}

fn version_schema(crd: &Value) -> Value {
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

#[test]
fn published_identity_and_columns_are_ours() {
    let Some(published) = published() else { return };
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
    let Some(published) = published() else { return };
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
    let Some(published) = published() else { return };
    let ours_crd = serde_json::to_value(crd()).unwrap();
    for part in ["spec", "status"] {
        let ours = shape(&version_schema(&ours_crd)["properties"][part], part);
        let theirs = shape(&version_schema(&published)["properties"][part], part);
        let differ: Vec<String> = theirs
            .iter()
            .filter(|(k, v)| ours.get(*k) != Some(v))
            .map(|(k, v)| format!("{k}: {v} (ours: {})", ours.get(k).map_or("missing", String::as_str)))
            .chain(
                ours.keys()
                    .filter(|k| !theirs.contains_key(*k))
                    .map(|k| format!("{k}: only ours")),
            )
            .collect();
        assert!(differ.is_empty(), "{part} paths that differ:\n{differ:#?}");
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
