//! The preview's field documentation table (`core/src/field_docs.json`) is the CRD's: the committed file is what
//! `crd::field_docs_json` generates, and every field of the CRD's `v1` schema (properties, map values and list
//! items, to any depth) is documented by the table exactly as the schema documents it.
//! Regenerate with `REC_BLESS=1 cargo test -p rec-core --test field_docs`.

use rec_core::crd::{crd, field_docs_json};
use rec_core::field_docs::{FieldDoc, Segment, at};
use serde_json::Value;
use std::path::Path;

#[test]
fn committed_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/field_docs.json");
    let generated = field_docs_json();
    if std::env::var_os("REC_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write core/src/field_docs.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "core/src/field_docs.json is stale: regenerate it with `REC_BLESS=1 cargo test -p rec-core --test field_docs`"
    );
}

/// Checks the table against the schema at `path` and below; returns how many fields were compared.
fn compare(schema: &Value, path: &mut Vec<Segment>) -> usize {
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    let got = at(path).map(|d: FieldDoc| (d.type_, d.description));
    assert_eq!(got, Some((text("type"), text("description"))), "at {path:?}");
    let mut count = 1;
    for (key, child) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        path.push(Segment::Key(key.clone()));
        count += compare(child, path);
        path.pop();
    }
    if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        path.push(Segment::Key("any-key-not-a-property".into()));
        count += compare(values, path);
        path.pop();
    }
    if let Some(items) = schema.get("items") {
        path.push(Segment::Index);
        count += compare(items, path);
        path.pop();
    }
    count
}

#[test]
fn every_field_of_the_crd_is_documented_as_the_crd_documents_it() {
    let crd = serde_json::to_value(crd()).expect("the CRD is JSON");
    let schema = crd
        .pointer("/spec/versions/0/schema/openAPIV3Schema")
        .expect("a v1 schema");
    let compared = compare(schema, &mut Vec::new());
    assert!(compared > 2500, "only {compared} fields compared");
}

#[test]
fn a_path_the_schema_does_not_have_is_not_documented() {
    let spec = |more: &str| vec![Segment::Key("spec".into()), Segment::Key(more.into())];
    assert_eq!(at(&spec("noSuchField")), None);
    assert_eq!(at(&[Segment::Key("spec".into()), Segment::Index]), None);
    assert!(at(&spec("nodes")).is_some_and(|d| d.type_ == Some("integer")));
}

/// The REDB's table, as the REC's: what `redb::field_docs_json` generates, and every field of its CRD's schema.
mod redb {
    use rec_core::field_docs::{Segment, at_in};
    use rec_core::kind::Kind;
    use serde_json::Value;
    use std::path::Path;

    #[test]
    fn committed_table_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/redb/field_docs.json");
        let generated = rec_core::redb::field_docs_json();
        if std::env::var_os("REC_BLESS").is_some() {
            std::fs::write(&path, &generated).expect("write core/src/redb/field_docs.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "core/src/redb/field_docs.json is stale: regenerate it with `REC_BLESS=1 cargo test -p rec-core --test field_docs`"
        );
    }

    fn compare(schema: &Value, path: &mut Vec<Segment>) -> usize {
        let text = |key: &str| schema.get(key).and_then(Value::as_str);
        let got = at_in(Kind::Database, path).map(|d| (d.type_, d.description));
        assert_eq!(got, Some((text("type"), text("description"))), "at {path:?}");
        let mut count = 1;
        for (key, child) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            path.push(Segment::Key(key.clone()));
            count += compare(child, path);
            path.pop();
        }
        if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            path.push(Segment::Key("any-key-not-a-property".into()));
            count += compare(values, path);
            path.pop();
        }
        if let Some(items) = schema.get("items") {
            path.push(Segment::Index);
            count += compare(items, path);
            path.pop();
        }
        count
    }

    #[test]
    fn every_field_of_the_crd_is_documented_as_the_crd_documents_it() {
        let crd = serde_json::to_value(rec_core::redb::crd()).expect("the CRD is JSON");
        let schema = crd
            .pointer("/spec/versions/0/schema/openAPIV3Schema")
            .expect("a v1alpha1 schema");
        let compared = compare(schema, &mut Vec::new());
        assert!(compared > 100, "only {compared} fields compared");
        let spec = |field: &str| vec![Segment::Key("spec".into()), Segment::Key(field.into())];
        assert_eq!(
            at_in(Kind::Database, &spec("memorySize")).and_then(|d| d.type_),
            Some("string")
        );
        assert_eq!(at_in(Kind::Database, &spec("nodes")), None);
    }
}
