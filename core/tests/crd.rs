//! The generated CRD: the committed copy under `deploy/` is current, and its schema covers the published CRD.

use rec_core::crd::{crd, crd_yaml};
use std::collections::BTreeMap;
mod committed;
mod crd_support;
use committed::committed_is;
use crd_support::{missing, published, shape, version_schema};

#[test]
fn committed_crd_is_current() {
    committed_is(
        "deploy/crd.yaml",
        &crd_yaml(),
        "`REC_BLESS=1 cargo test -p rec-core --test crd` (or `cargo run -p rec-operator -- crd > deploy/crd.yaml`)",
    );
}

#[test]
fn identity_versions_and_columns() {
    let crd = crd();
    assert_eq!(
        crd.metadata.name.as_deref(),
        Some("redisenterpriseclusters.app.redislabs.com")
    );
    assert_eq!(crd.spec.group, "app.redislabs.com");
    assert_eq!(crd.spec.scope, "Namespaced");
    assert_eq!(crd.spec.names.kind, "RedisEnterpriseCluster");
    assert_eq!(crd.spec.names.list_kind.as_deref(), Some("RedisEnterpriseClusterList"));
    assert_eq!(crd.spec.names.short_names, Some(vec!["rec".to_string()]));
    let versions: Vec<_> = crd
        .spec
        .versions
        .iter()
        .map(|v| (v.name.as_str(), v.served, v.storage))
        .collect();
    assert_eq!(versions, [("v1", true, true), ("v1alpha1", true, false)]);
    for version in &crd.spec.versions {
        assert!(version.subresources.as_ref().and_then(|s| s.status.as_ref()).is_some());
        let columns: Vec<_> = version
            .additional_printer_columns
            .iter()
            .flatten()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(columns, ["Nodes", "Version", "State", "Spec Status", "Ready", "Age"]);
    }
    let [v1, alpha] = &crd.spec.versions[..] else {
        panic!("two versions")
    };
    let (a, b) = (
        serde_json::to_value(&v1.schema).unwrap(),
        serde_json::to_value(&alpha.schema).unwrap(),
    );
    assert_eq!(
        shape(&a, ""),
        shape(&b, ""),
        "v1alpha1 is served with the same schema as v1"
    );
}

#[test]
fn spec_has_every_published_top_level_field_with_its_type() {
    let Some(published) = published("redis-rec-crd-8.0.20-23.yaml") else {
        return;
    };
    let ours = shape(
        &version_schema(&serde_json::to_value(crd()).unwrap())["properties"]["spec"],
        "spec",
    );
    let theirs = shape(&version_schema(&published)["properties"]["spec"], "spec");
    let top = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.iter()
            .filter(|(k, _)| k.matches('.').count() == 1 && !k.contains(['[', '{']))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let (ours_top, theirs_top) = (top(&ours), top(&theirs));
    assert_eq!(theirs_top.len(), 64, "the published CRD has 64 top-level spec fields");
    let missing: Vec<_> = theirs_top.iter().filter(|(k, v)| ours_top.get(*k) != Some(v)).collect();
    assert!(
        missing.is_empty(),
        "top-level spec fields missing or of another type: {missing:#?}"
    );
    assert!(
        ours_top.contains_key("spec.serviceBrokerSpec"),
        "plus our serviceBrokerSpec"
    );
}

/// The whole property tree, at every depth: every published path is in ours with its type. The Kubernetes types
/// come from k8s-openapi's v1_35 API (the published CRD was generated from a Kubernetes newer than 1.33: env from
/// a file key, container restart rules, pod certificate projections), so nothing is left out.
#[test]
fn property_trees_match_at_every_depth() {
    let Some(published) = published("redis-rec-crd-8.0.20-23.yaml") else {
        return;
    };
    let ours_crd = serde_json::to_value(crd()).unwrap();
    for part in ["spec", "status"] {
        let ours = shape(&version_schema(&ours_crd)["properties"][part], part);
        let theirs = shape(&version_schema(&published)["properties"][part], part);
        let missing = missing(&ours, &theirs);
        eprintln!("{part}: {} published paths, {} differ", theirs.len(), missing.len());
        assert!(
            missing.is_empty(),
            "{part} paths missing or of another type:\n{missing:#?}"
        );
    }
}
