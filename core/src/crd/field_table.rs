//! Writes a CRD's field table (`core/src/field_docs.json` for the REC, `core/src/redb/field_docs.json` for the
//! REDB; format and meaning in [`crate::field_docs`]) from the CRD's schema and the kind's rules in the catalogue.
//! Generation only: the tables are committed and compiled in, and `core/tests/field_docs.rs` holds them to this
//! writer and to the CRDs.

use crate::kind::Kind;
use crate::validate::catalogue::{ENUM_VALUE, REDB_ENUM_VALUE};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The table of `crd`, whose objects are of `kind` (its rules are the catalogue's for that kind), from its first
/// version's schema: one line per description, per node, per rule and per field with rules, so a change of the
/// CRD or of the catalogue shows as a readable diff of the committed file.
pub(crate) fn table_json(crd: &CustomResourceDefinition, kind: Kind) -> String {
    let schema = serde_json::to_value(crd)
        .ok()
        .and_then(|crd| crd.pointer("/spec/versions/0/schema/openAPIV3Schema").cloned())
        .unwrap_or(Value::Null);
    let mut table = DocsTable::default();
    let root = table.node(&schema);
    let object = table.object(crd, root);
    let fields = fields(&schema);
    let rules = rules_at(kind, &fields);

    let lines = |items: Vec<String>| items.join(",\n");
    let text = |s: &str| Value::from(s).to_string();
    let descriptions = table.descriptions.iter().map(|d| text(d)).collect();
    let severities = crate::validate::rules_of(kind)
        .map(|r| format!("{}: {}", text(r.code), text(r.severity.name())))
        .collect();
    let rules_at = rules
        .iter()
        .map(|(pattern, codes)| format!("{}: {}", text(pattern), json!(codes)))
        .collect();
    format!(
        "{{\"kind\": {},\n\"descriptions\": [\n{}\n],\n\"nodes\": [\n{}\n],\n\"root\": {root},\n\"object\": {object},\n\
         \"rules\": {{\n{}\n}},\n\"rulesAt\": {{\n{}\n}}}}\n",
        text(&crd.spec.names.kind),
        lines(descriptions),
        lines(table.nodes),
        lines(severities),
        lines(rules_at),
    )
}

/// Nodes and descriptions, each stored once (a node is keyed by its own JSON text, children being indices).
#[derive(Default)]
struct DocsTable {
    nodes: Vec<String>,
    node_index: HashMap<String, usize>,
    descriptions: Vec<String>,
    description_index: HashMap<String, usize>,
}

impl DocsTable {
    /// The node of `schema` and, first, of every schema below it.
    fn node(&mut self, schema: &Value) -> usize {
        let mut node = Map::new();
        if let Some(t) = schema.get("type").filter(|t| t.is_string()) {
            node.insert("t".into(), t.clone());
        }
        let description = schema.get("description").and_then(Value::as_str);
        if let Some(text) = description {
            node.insert("d".into(), self.describe(text).into());
        }
        // A nullable enum lists null among its values; it is no value to write.
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            node.insert("e".into(), values.into());
        }
        let default = match schema.get("default") {
            Some(value) => Some(value.to_string()),
            None => description.and_then(stated_default).map(|d| d.replace('`', "")),
        };
        if let Some(default) = default {
            node.insert("f".into(), default.into());
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let p: Map<String, Value> = properties
                .iter()
                .map(|(k, v)| (k.clone(), self.node(v).into()))
                .collect();
            node.insert("p".into(), p.into());
        }
        if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            node.insert("a".into(), self.node(values).into());
        }
        if let Some(items) = schema.get("items") {
            node.insert("i".into(), self.node(items).into());
        }
        self.store(node)
    }

    fn store(&mut self, node: Map<String, Value>) -> usize {
        let text = Value::Object(node).to_string();
        let next = self.nodes.len();
        let index = *self.node_index.entry(text.clone()).or_insert(next);
        if index == next {
            self.nodes.push(text);
        }
        index
    }

    fn describe(&mut self, text: &str) -> usize {
        let next = self.descriptions.len();
        let d = *self.description_index.entry(text.to_string()).or_insert(next);
        if d == next {
            self.descriptions.push(text.to_string());
        }
        d
    }

    /// A node of type `t` with `description`.
    fn leaf(&mut self, t: &str, description: &str) -> Map<String, Value> {
        let mut node = Map::new();
        node.insert("t".into(), t.into());
        node.insert("d".into(), self.describe(description).into());
        node
    }

    /// The node of the object as a user writes it: the schema's root (node `root`) with the envelope every
    /// Kubernetes object has and a CRD's schema leaves implicit (apiVersion and kind, with the values the CRD
    /// serves; metadata's usual fields) and without `status` (never written by a user, and not checked).
    fn object(&mut self, crd: &CustomResourceDefinition, root: usize) -> usize {
        let mut envelope = Map::new();
        let mut api_version = self.leaf("string", "The API group and version of the object.");
        let served = crd.spec.versions.iter().filter(|v| v.served);
        let served: Vec<String> = served.map(|v| format!("{}/{}", crd.spec.group, v.name)).collect();
        api_version.insert("e".into(), served.into());
        envelope.insert("apiVersion".into(), self.store(api_version).into());
        let mut kind = self.leaf("string", "The kind of the object.");
        kind.insert("e".into(), json!([crd.spec.names.kind]));
        envelope.insert("kind".into(), self.store(kind).into());
        let any_text = self.store(Map::from_iter([("t".into(), "string".into())]));
        let mut metadata = Map::new();
        for (field, description, map) in METADATA {
            let mut node = self.leaf(if map { "object" } else { "string" }, description);
            if map {
                node.insert("a".into(), any_text.into());
            }
            metadata.insert(field.into(), self.store(node).into());
        }
        let mut metadata_node = self.leaf("object", "Standard object metadata.");
        metadata_node.insert("p".into(), metadata.into());
        envelope.insert("metadata".into(), self.store(metadata_node).into());

        let mut node: Map<String, Value> = serde_json::from_str(&self.nodes[root]).unwrap_or_default();
        let written = node.get("p").and_then(Value::as_object).into_iter().flatten();
        envelope.extend(
            written
                .filter(|(k, _)| *k != "status")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        node.insert("p".into(), envelope.into());
        self.store(node)
    }
}

/// The envelope's `metadata` fields the table documents: name, description, and whether it is a map of strings
/// (else a string).
const METADATA: [(&str, &str, bool); 4] = [
    ("name", "The object's name, unique in its namespace.", false),
    ("namespace", "The namespace of the object.", false),
    ("labels", "Labels of the object.", true),
    ("annotations", "Annotations of the object.", true),
];

/// The default a description states: the text of its first "(default ...)" or "(default: ...)".
fn stated_default(description: &str) -> Option<&str> {
    description.match_indices("(default").find_map(|(at, opening)| {
        let rest = &description[at + opening.len()..];
        let rest = rest.strip_prefix(':').unwrap_or(rest).strip_prefix(' ')?;
        let end = rest.find(')')?;
        (end > 0).then(|| &rest[..end])
    })
}

/// Every field of the object (below the schema's root but `status`, then the envelope's), by its pattern: a path
/// with `[]` for list items and `*` for map values (`spec.podTolerations[].key`), and whether it has enum values.
fn fields(schema: &Value) -> Vec<(String, bool)> {
    fn walk(schema: &Value, path: &str, out: &mut Vec<(String, bool)>) {
        for (key, child) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if path.is_empty() && key == "status" {
                continue;
            }
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            out.push((at.clone(), child.get("enum").is_some_and(Value::is_array)));
            walk(child, &at, out);
        }
        if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            walk(values, &format!("{path}.*"), out);
        }
        if let Some(items) = schema.get("items") {
            walk(items, &format!("{path}[]"), out);
        }
    }
    let mut out = Vec::new();
    walk(schema, "", &mut out);
    out.extend([("apiVersion", true), ("kind", true), ("metadata", false)].map(|(f, e)| (f.to_string(), e)));
    out.extend(METADATA.map(|(field, _, _)| (format!("metadata.{field}"), false)));
    out
}

/// The codes of `kind`'s rules at each field pattern that has any, in the catalogue's order (`docs/rules.md`'s),
/// the enum rule last where a rule's summary did not name the field already.
fn rules_at(kind: Kind, fields: &[(String, bool)]) -> Vec<(String, Vec<&'static str>)> {
    let mut at: Vec<(String, Vec<&'static str>)> = Vec::new();
    let mut add = |pattern: &str, code: &'static str| match at.iter_mut().find(|(p, _)| p == pattern) {
        Some((_, codes)) if codes.contains(&code) => {}
        Some((_, codes)) => codes.push(code),
        None => at.push((pattern.to_string(), vec![code])),
    };
    let patterns: Vec<&str> = fields.iter().map(|(p, _)| p.as_str()).collect();
    for rule in crate::validate::rules_of(kind) {
        for named in backticked(rule.summary) {
            let name = named.split(':').next().unwrap_or_default().trim();
            for pattern in resolve(&patterns, name) {
                add(pattern, rule.code);
            }
        }
    }
    let enum_rule = match kind {
        Kind::Cluster => ENUM_VALUE.code,
        Kind::Database => REDB_ENUM_VALUE.code,
    };
    for (pattern, _) in fields.iter().filter(|(_, has_enum)| *has_enum) {
        add(pattern, enum_rule);
    }
    at
}

/// The field patterns a name in backticks names: the field at that path (at the root, else under `spec`);
/// failing that, a name that looks like a field (camelCase or dotted, so plain words such as `http` or `node:`
/// never match) names the field of that name wherever it is.
fn resolve<'a>(patterns: &[&'a str], name: &str) -> Vec<&'a str> {
    let under_spec = format!("spec.{name}");
    let exact: Vec<&str> = [name, under_spec.as_str()]
        .into_iter()
        .filter_map(|want| patterns.iter().copied().find(|p| *p == want))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    if !name.contains(|c: char| c.is_ascii_uppercase() || c == '.') {
        return Vec::new();
    }
    let suffix = format!(".{name}");
    patterns.iter().copied().filter(|p| p.ends_with(&suffix)).collect()
}

/// The texts between backticks (a pair of backticks with nothing between them opens nothing: the second one
/// opens the next text).
fn backticked(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        if close == 0 {
            rest = after;
            continue;
        }
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stated_default_is_the_first_parenthesis_that_states_one() {
        assert_eq!(stated_default("Nodes (default 3)."), Some("3"));
        assert_eq!(stated_default("Name (default: the REC name)."), Some("the REC name"));
        assert_eq!(stated_default("(default:none) then (default 5)"), Some("5"));
        assert_eq!(stated_default("(default )"), None);
        assert_eq!(stated_default("No default here."), None);
    }

    #[test]
    fn backticked_texts_pair_up_as_a_regular_expression_would() {
        assert_eq!(backticked("a `b` c `d:`"), ["b", "d:"]);
        assert_eq!(backticked("``x` y"), ["x"]);
        assert_eq!(backticked("an `unclosed"), Vec::<&str>::new());
    }

    #[test]
    fn a_name_resolves_at_its_path_then_under_spec_then_anywhere_if_it_looks_like_a_field() {
        let patterns = [
            "metadata.name",
            "spec",
            "spec.nodes",
            "spec.a.digestHash",
            "spec.b.digestHash",
        ];
        assert_eq!(resolve(&patterns, "metadata.name"), ["metadata.name"]);
        assert_eq!(resolve(&patterns, "nodes"), ["spec.nodes"]);
        assert_eq!(
            resolve(&patterns, "digestHash"),
            ["spec.a.digestHash", "spec.b.digestHash"]
        );
        assert_eq!(resolve(&patterns, "name"), Vec::<&str>::new());
    }
}
