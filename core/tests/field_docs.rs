//! The preview's field documentation tables (`core/src/field_docs.json` for the REC, `core/src/redb/field_docs.json`
//! for the REDB) are their CRDs': each committed file is what its generator writes, and every field of the CRD's
//! schema (properties, map values and list items, to any depth) is documented by the table exactly as the schema
//! documents it.
//! Regenerate with `REC_BLESS=1 cargo test -p rec-core --test field_docs`.

use rec_core::field_docs::{Segment, at, at_in};
use rec_core::kind::Kind;
use serde_json::Value;
use std::path::Path;

/// The committed table at `file` (under `core/`) is what `generated` is.
fn committed_is(file: &str, generated: String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    if std::env::var_os("REC_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("write core/{file}: {e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "core/{file} is stale: regenerate it with `REC_BLESS=1 cargo test -p rec-core --test field_docs`"
    );
}

#[test]
fn committed_tables_are_current() {
    committed_is("src/field_docs.json", rec_core::crd::field_docs_json());
    committed_is("src/redb/field_docs.json", rec_core::redb::field_docs_json());
}

/// Checks `kind`'s table against the schema at `path` and below; returns how many fields were compared.
fn compare(kind: Kind, schema: &Value, path: &mut Vec<Segment>) -> usize {
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    let got = at_in(kind, path).map(|d| (d.type_, d.description));
    assert_eq!(got, Some((text("type"), text("description"))), "{kind:?} at {path:?}");
    let mut count = 1;
    for (key, child) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        path.push(Segment::Key(key.clone()));
        count += compare(kind, child, path);
        path.pop();
    }
    if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        path.push(Segment::Key("any-key-not-a-property".into()));
        count += compare(kind, values, path);
        path.pop();
    }
    if let Some(items) = schema.get("items") {
        path.push(Segment::Index);
        count += compare(kind, items, path);
        path.pop();
    }
    count
}

/// How many fields of `crd`'s first version `kind`'s table documents as the schema does.
fn compare_crd(kind: Kind, crd: impl serde::Serialize) -> usize {
    let crd = serde_json::to_value(crd).expect("the CRD is JSON");
    let schema = crd
        .pointer("/spec/versions/0/schema/openAPIV3Schema")
        .expect("a schema");
    compare(kind, schema, &mut Vec::new())
}

#[test]
fn every_field_of_the_crds_is_documented_as_the_crd_documents_it() {
    let compared = compare_crd(Kind::Cluster, rec_core::crd::crd());
    assert!(compared > 2500, "only {compared} REC fields compared");
    let compared = compare_crd(Kind::Database, rec_core::redb::crd());
    assert!(compared > 100, "only {compared} REDB fields compared");
}

#[test]
fn a_path_the_schema_does_not_have_is_not_documented() {
    let spec = |more: &str| vec![Segment::Key("spec".into()), Segment::Key(more.into())];
    assert_eq!(at(&spec("noSuchField")), None);
    assert_eq!(at(&[Segment::Key("spec".into()), Segment::Index]), None);
    assert!(at(&spec("nodes")).is_some_and(|d| d.type_ == Some("integer")));
    assert_eq!(
        at_in(Kind::Database, &spec("memorySize")).and_then(|d| d.type_),
        Some("string")
    );
    assert_eq!(at_in(Kind::Database, &spec("nodes")), None);
}
