//! The preview's field tables (`core/src/field_docs.json` for the REC, `core/src/redb/field_docs.json` for the
//! REDB) are their CRDs': each committed file is what its generator writes; every field of the CRD's schema
//! (properties, map values and list items, to any depth) is documented by the table exactly as the schema
//! documents it, with its enum values and default; the object a user writes is the schema's plus the Kubernetes
//! envelope; and the rules it lists are the catalogue's, each at fields of the object.
//! Regenerate with `REC_BLESS=1 cargo test -p rec-core --test field_docs`.

use rec_core::field_docs::{Segment, at, at_in, table_json};
use rec_core::kind::Kind;
use serde_json::{Value, json};
mod committed;
use committed::committed_is;

#[test]
fn committed_tables_are_current() {
    let regenerate = "`REC_BLESS=1 cargo test -p rec-core --test field_docs`";
    committed_is(
        "core/src/field_docs.json",
        &rec_core::crd::field_docs_json(),
        regenerate,
    );
    committed_is(
        "core/src/redb/field_docs.json",
        &rec_core::redb::field_docs_json(),
        regenerate,
    );
}

/// The committed table of `kind`, read.
fn table(kind: Kind) -> Value {
    serde_json::from_str(table_json(kind)).expect("the table is JSON")
}

/// The node at `index` of `table`.
fn node(table: &Value, index: &Value) -> Value {
    let index = index.as_u64().expect("a node index") as usize;
    table["nodes"][index].clone()
}

/// Checks `kind`'s table (its node `here`) against the schema at `path` and below: the lookup the preview's hover
/// makes, and the enum values and default the page shows. Returns how many fields were compared.
fn compare(kind: Kind, table: &Value, here: &Value, schema: &Value, path: &mut Vec<Segment>) -> usize {
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    let got = at_in(kind, path).map(|d| (d.type_, d.description));
    assert_eq!(got, Some((text("type"), text("description"))), "{kind:?} at {path:?}");
    let values = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter(|v| !v.is_null()).collect::<Vec<_>>());
    let table_values = here.get("e").and_then(Value::as_array).map(|v| v.iter().collect());
    assert_eq!(table_values, values, "{kind:?} enum at {path:?}");
    let default = here.get("f").map(|f| f.as_str().expect("a default is text"));
    match (schema.get("default"), text("description")) {
        (Some(value), _) => assert_eq!(default, Some(value.to_string().as_str()), "{kind:?} at {path:?}"),
        (None, Some(d)) if d.contains("(default ") || d.contains("(default: ") => {
            let stated = default.unwrap_or_else(|| panic!("{kind:?} at {path:?}: no default from {d:?}"));
            assert!(d.replace('`', "").contains(stated), "{kind:?} at {path:?}");
        }
        (None, _) => assert_eq!(default, None, "{kind:?} at {path:?}"),
    }
    let mut count = 1;
    for (key, child) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        path.push(Segment::Key(key.clone()));
        count += compare(kind, table, &node(table, &here["p"][key]), child, path);
        path.pop();
    }
    if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        path.push(Segment::Key("any-key-not-a-property".into()));
        count += compare(kind, table, &node(table, &here["a"]), values, path);
        path.pop();
    }
    if let Some(items) = schema.get("items") {
        path.push(Segment::Index);
        count += compare(kind, table, &node(table, &here["i"]), items, path);
        path.pop();
    }
    count
}

/// `crd` as JSON.
fn json_of(crd: impl serde::Serialize) -> Value {
    serde_json::to_value(crd).expect("the CRD is JSON")
}

/// How many fields of `crd`'s first version `kind`'s table documents as the schema does.
fn compare_crd(kind: Kind, crd: &Value) -> usize {
    let schema = crd
        .pointer("/spec/versions/0/schema/openAPIV3Schema")
        .expect("a schema");
    let table = table(kind);
    compare(kind, &table, &node(&table, &table["root"]), schema, &mut Vec::new())
}

#[test]
fn every_field_of_the_crds_is_documented_as_the_crd_documents_it() {
    let compared = compare_crd(Kind::Cluster, &json_of(rec_core::crd::crd()));
    assert!(compared > 2500, "only {compared} REC fields compared");
    let compared = compare_crd(Kind::Database, &json_of(rec_core::redb::crd()));
    assert!(compared > 100, "only {compared} REDB fields compared");
}

#[test]
fn the_object_is_the_envelope_and_the_schema_s_fields_but_status() {
    for (kind, crd) in [
        (Kind::Cluster, json_of(rec_core::crd::crd())),
        (Kind::Database, json_of(rec_core::redb::crd())),
    ] {
        let table = table(kind);
        assert_eq!(table["kind"], json!(kind.name()));
        let object = node(&table, &table["object"]);
        let root = node(&table, &table["root"]);
        let mut fields = root["p"].as_object().expect("root fields").clone();
        fields.shift_remove("status");
        let written = object["p"].as_object().expect("object fields");
        let keys: Vec<&str> = written.keys().map(String::as_str).collect();
        assert_eq!(keys[..3], ["apiVersion", "kind", "metadata"], "{kind:?}");
        assert!(written.iter().skip(3).eq(fields.iter()), "{kind:?}: {keys:?}");

        let versions = crd["spec"]["versions"].as_array().expect("versions");
        let served: Vec<Value> = versions
            .iter()
            .filter(|v| v["served"] == json!(true))
            .map(|v| {
                json!(format!(
                    "{}/{}",
                    crd["spec"]["group"].as_str().unwrap_or_default(),
                    v["name"].as_str().unwrap_or_default()
                ))
            })
            .collect();
        assert_eq!(node(&table, &written["apiVersion"])["e"], json!(served), "{kind:?}");
        assert_eq!(node(&table, &written["kind"])["e"], json!([kind.name()]), "{kind:?}");
        let metadata = node(&table, &written["metadata"]);
        let metadata: Vec<&String> = metadata["p"].as_object().expect("metadata fields").keys().collect();
        assert_eq!(metadata, ["name", "namespace", "labels", "annotations"], "{kind:?}");
    }
}

/// The node of `table`'s object at `pattern` (`spec.podTolerations[].key`, `spec.extraLabels.*`).
fn at_pattern(table: &Value, pattern: &str) -> Option<Value> {
    let mut here = node(table, &table["object"]);
    for step in pattern.split('.') {
        let (key, items) = match step.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (step, false),
        };
        let next = if key == "*" {
            here.get("a")
        } else {
            here.get("p").and_then(|p| p.get(key))
        };
        here = node(table, next?);
        if items {
            here = node(table, here.get("i")?);
        }
    }
    Some(here)
}

/// Every field of `table`'s object with enum values, by pattern.
fn enum_fields(table: &Value, here: &Value, path: &str, out: &mut Vec<String>) {
    for (key, child) in here.get("p").and_then(Value::as_object).into_iter().flatten() {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let child = node(table, child);
        if child.get("e").is_some() {
            out.push(at.clone());
        }
        enum_fields(table, &child, &at, out);
    }
    if let Some(values) = here.get("a") {
        enum_fields(table, &node(table, values), &format!("{path}.*"), out);
    }
    if let Some(items) = here.get("i") {
        enum_fields(table, &node(table, items), &format!("{path}[]"), out);
    }
}

#[test]
fn the_rules_are_the_catalogue_s_each_at_fields_of_the_object() {
    for (kind, enum_rule) in [(Kind::Cluster, "enum-value"), (Kind::Database, "redb-enum-value")] {
        let table = table(kind);
        let rules = table["rules"].as_object().expect("rules");
        let catalogue: Vec<(&str, &str)> = rec_core::validate::rules_of(kind)
            .map(|r| (r.code, r.severity.name()))
            .collect();
        let listed: Vec<(&str, &str)> = rules
            .iter()
            .map(|(code, severity)| (code.as_str(), severity.as_str().unwrap_or_default()))
            .collect();
        assert_eq!(listed, catalogue, "{kind:?}");
        let rules_at = table["rulesAt"].as_object().expect("rulesAt");
        for (pattern, codes) in rules_at {
            assert!(
                at_pattern(&table, pattern).is_some(),
                "{kind:?}: {pattern} is no field of the object"
            );
            for code in codes.as_array().expect("codes") {
                assert!(
                    rules.contains_key(code.as_str().unwrap_or_default()),
                    "{kind:?}: {code} at {pattern}"
                );
            }
        }
        let mut with_enum = Vec::new();
        enum_fields(&table, &node(&table, &table["object"]), "", &mut with_enum);
        assert!(with_enum.len() > 5, "{kind:?}: {with_enum:?}");
        for pattern in with_enum {
            let codes = rules_at.get(&pattern).and_then(Value::as_array);
            assert!(
                codes.is_some_and(|c| c.contains(&json!(enum_rule))),
                "{kind:?}: {pattern} has enum values but not {enum_rule}"
            );
        }
    }
    let rec = table(Kind::Cluster);
    let codes = json!(["nodes-even", "nodes-too-few", "nodes-too-many", "nodes-decreased"]);
    assert_eq!(rec["rulesAt"]["spec.nodes"], codes);
    assert_eq!(
        at_pattern(&rec, "spec.nodes").and_then(|n| n.get("f").cloned()),
        Some(json!("3"))
    );
    let redb = table(Kind::Database);
    let persistence = redb["rulesAt"]["spec.persistence"].as_array().expect("codes").clone();
    assert!(persistence.contains(&json!("redb-enum-value")), "{persistence:?}");
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
