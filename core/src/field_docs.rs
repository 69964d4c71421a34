//! The CRDs' field tables: every REC and REDB field with its type, the first sentence of its description, its enum
//! values and default, and the rules that name it; a compact table per kind compiled in (`field_docs.json`, 82 KB;
//! `redb/field_docs.json`, 13 KB). The preview's hover docs look fields up here by path ([`at_in`]), and the page
//! gets the whole table for its completion, hover and field panel from the ABI's `fieldTable` operation
//! ([`table_json`]): the one copy of the table the page downloads is the one in the core.
//!
//! Why a table and not the CRD: building the CRD's schema links schemars and the full Kubernetes API text of
//! k8s-openapi, about 1 MB of the browser module, and takes a second or two in a browser. The table holds only
//! what the preview shows, with every repeated sub-schema (the Kubernetes types appear many times) and every
//! repeated description stored once. It is generated from [`crate::crd::crd`] and the rule catalogue by
//! `crd::field_table`, and a test (`core/tests/field_docs.rs`) holds the committed file to them and every lookup
//! to the CRD's schema.
//!
//! Format: `{"kind", "descriptions": [text...], "nodes": [node...], "root": n, "object": n, "rules": {code:
//! severity}, "rulesAt": {pattern: [code...]}}`. A node is an object with `t` (type), `d` (index of its
//! description), `e` (enum values, without the null of a nullable enum), `f` (default, as text: the schema's
//! `default` as JSON, else the "(default ...)" its description states), `p` (property name -> node), `a` (the
//! node of map values: the schema's `additionalProperties`) and `i` (the node of list items), each present only
//! when the schema has it. `root` is the schema's root (`spec` and `status`); `object` is the object as a user
//! writes it: the Kubernetes envelope the CRD leaves implicit (`apiVersion` and `kind` with the values the CRD
//! serves, `metadata`'s usual fields) and `spec`. A pattern is a path of `object` with `[]` for list items and `*`
//! for map values (`spec.podTolerations[].key`); a rule is at a pattern when its summary in the catalogue (what
//! `docs/rules.md` says) names that field in backticks, and every field with enum values has the enum rule: a
//! documentation cross-reference, not a check.

use crate::kind::Kind;
use serde_json::Value;
use std::sync::OnceLock;

/// One step of a field path.
#[derive(Debug, PartialEq, Eq)]
pub enum Segment {
    /// A property name or a map key.
    Key(String),
    /// A list index (every item has the same schema).
    Index,
}

/// What the CRD says about one field.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FieldDoc {
    pub type_: Option<&'static str>,
    pub description: Option<&'static str>,
}

// Statics, not consts: a const's text is a constant of every function that names it, and the wasm build kept two
// copies of each table (one for `table`, one for the `fieldTable` answer: 96 KB raw, 28 KB gzip more).
static TABLE: &str = include_str!("field_docs.json");
/// The REDB's table (`redb::field_docs_json`), in the same format.
static REDB_TABLE: &str = include_str!("redb/field_docs.json");

/// The table of `kind` as committed: JSON text, in the format above.
pub fn table_json(kind: Kind) -> &'static str {
    match kind {
        Kind::Cluster => TABLE,
        Kind::Database => REDB_TABLE,
    }
}

fn table(kind: Kind) -> &'static Value {
    static REC: OnceLock<Value> = OnceLock::new();
    static REDB: OnceLock<Value> = OnceLock::new();
    let cell = match kind {
        Kind::Cluster => &REC,
        Kind::Database => &REDB,
    };
    // The table is checked by a test; an unreadable one documents nothing rather than failing the preview.
    cell.get_or_init(|| serde_json::from_slice(table_json(kind).as_bytes()).unwrap_or(Value::Null))
}

fn node(table: &'static Value, index: &Value) -> Option<&'static Value> {
    let index = usize::try_from(index.as_u64()?).ok()?;
    table.get("nodes")?.get(index)
}

/// The documentation of the REC field at `path` (following properties, map values and list items, as the CRD's
/// schema does); `None` when the schema has no such field.
pub fn at(path: &[Segment]) -> Option<FieldDoc> {
    at_in(Kind::Cluster, path)
}

/// [`at`] in the CRD of `kind`.
pub fn at_in(kind: Kind, path: &[Segment]) -> Option<FieldDoc> {
    let table = table(kind);
    let mut here = node(table, table.get("root")?)?;
    for segment in path {
        let next = match segment {
            Segment::Key(key) => here.get("p").and_then(|p| p.get(key)).or_else(|| here.get("a")),
            Segment::Index => here.get("i"),
        };
        here = node(table, next?)?;
    }
    let description = here
        .get("d")
        .and_then(|d| table.get("descriptions")?.get(usize::try_from(d.as_u64()?).ok()?));
    Some(FieldDoc {
        type_: here.get("t").and_then(Value::as_str),
        description: description.and_then(Value::as_str),
    })
}
