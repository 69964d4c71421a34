//! The CustomResourceDefinition, generated from the Rust types (never copied from the published one).
//!
//! The k8s-openapi types carry the full Kubernetes API documentation, which would make the CRD over 1.4 MB
//! (etcd refuses objects over 1.5 MB). So `v1` keeps each description's first sentence, and `v1alpha1`, served
//! with the same schema for old clients, carries none.

use crate::api::RedisEnterpriseCluster;
use crate::kind::Kind;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{CustomResourceDefinition, JSONSchemaProps};
use kube::CustomResourceExt;
use serde_json::Value;

pub(crate) mod field_table;
pub(crate) mod shape_table;

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

/// The preview's field table of the REC (see [`crate::field_docs`]), built from the `v1` schema and the rule
/// catalogue: one line per description, node, rule and field with rules, so a change shows as a readable diff of
/// the committed file.
pub fn field_docs_json() -> String {
    field_table::table_json(&crd(), Kind::Cluster)
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

/// The source of `core/src/validate/shapes.rs`: the shapes of the sub-objects the core passes on as JSON, from
/// this CRD (see [`crate::validate::shape`]).
pub fn shapes_rs() -> String {
    shape_table::shapes_rs(&serde_json::to_value(crd()).unwrap_or(Value::Null))
}
