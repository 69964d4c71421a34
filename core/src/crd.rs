//! The CustomResourceDefinition, generated from the Rust types (never copied from the published one).
//!
//! The k8s-openapi types carry the full Kubernetes API documentation, which would make the CRD over 1.4 MB
//! (etcd refuses objects over 1.5 MB). So `v1` keeps each description's first sentence, and `v1alpha1`, served
//! with the same schema for old clients, carries none.

use crate::api::RedisEnterpriseCluster;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{CustomResourceDefinition, JSONSchemaProps};
use kube::CustomResourceExt;
use serde_json::Value;

/// The CRD: `v1` (served, storage) and `v1alpha1` (served, same schema, no conversion).
pub fn crd() -> CustomResourceDefinition {
    let mut crd = RedisEnterpriseCluster::crd();
    crd.spec.names.list_kind = Some("RedisEnterpriseClusterList".into());
    let mut alpha = crd.spec.versions[0].clone();
    alpha.name = "v1alpha1".into();
    alpha.storage = false;
    for (version, keep) in [(&mut crd.spec.versions[0], true), (&mut alpha, false)] {
        if let Some(schema) = version.schema.as_mut().and_then(|s| s.open_api_v3_schema.as_mut()) {
            trim_descriptions(schema, keep);
        }
    }
    crd.spec.versions.push(alpha);
    crd
}

/// The CRD as YAML, exactly as committed under `deploy/`.
pub fn crd_yaml() -> String {
    let json = serde_json::to_value(crd()).unwrap_or_default();
    crate::yaml::to_yaml(&json)
}

/// The preview's field documentation table (see [`crate::field_docs`]) built from the `v1` schema: one line per
/// description and per node, so a change of the CRD shows as a readable diff of the committed file.
pub fn field_docs_json() -> String {
    field_docs_json_of(&crd())
}

/// [`field_docs_json`] of any CRD (the REDB's too: `redb::field_docs_json`), from its first version's schema.
pub(crate) fn field_docs_json_of(crd: &CustomResourceDefinition) -> String {
    let schema = serde_json::to_value(crd)
        .ok()
        .and_then(|crd| crd.pointer("/spec/versions/0/schema/openAPIV3Schema").cloned())
        .unwrap_or(Value::Null);
    let mut table = DocsTable::default();
    let root = table.node(&schema);
    let lines = |items: Vec<String>| items.join(",\n");
    let descriptions = table
        .descriptions
        .iter()
        .map(|d| Value::String(d.clone()).to_string())
        .collect();
    format!(
        "{{\"descriptions\": [\n{}\n],\n\"nodes\": [\n{}\n],\n\"root\": {root}}}\n",
        lines(descriptions),
        lines(table.nodes)
    )
}

/// Nodes and descriptions, each stored once (a node is keyed by its own JSON text, children being indices).
#[derive(Default)]
struct DocsTable {
    nodes: Vec<String>,
    node_index: std::collections::HashMap<String, usize>,
    descriptions: Vec<String>,
    description_index: std::collections::HashMap<String, usize>,
}

impl DocsTable {
    fn node(&mut self, schema: &Value) -> usize {
        let mut node = serde_json::Map::new();
        if let Some(t) = schema.get("type").filter(|t| t.is_string()) {
            node.insert("t".into(), t.clone());
        }
        if let Some(text) = schema.get("description").and_then(Value::as_str) {
            let next = self.descriptions.len();
            let d = *self.description_index.entry(text.to_string()).or_insert(next);
            if d == next {
                self.descriptions.push(text.to_string());
            }
            node.insert("d".into(), d.into());
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let p: serde_json::Map<String, Value> = properties
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
        let text = Value::Object(node).to_string();
        let next = self.nodes.len();
        let index = *self.node_index.entry(text.clone()).or_insert(next);
        if index == next {
            self.nodes.push(text);
        }
        index
    }
}

fn trim_descriptions(schema: &mut JSONSchemaProps, keep_first_paragraph: bool) {
    let Ok(mut value) = serde_json::to_value(&*schema) else {
        return;
    };
    trim(&mut value, keep_first_paragraph);
    if let Ok(trimmed) = serde_json::from_value(value) {
        *schema = trimmed;
    }
}

fn trim(value: &mut Value, keep: bool) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get_mut("description") {
                if keep {
                    let end = [text.find('\n'), text.find(". ").map(|i| i + 1)]
                        .into_iter()
                        .flatten()
                        .min();
                    if let Some(end) = end {
                        text.truncate(end);
                    }
                } else {
                    map.shift_remove("description");
                }
            }
            // `properties` maps field names to schemas: a field named "description" is not a description.
            map.values_mut().for_each(|v| trim(v, keep));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| trim(v, keep)),
        _ => {}
    }
}
