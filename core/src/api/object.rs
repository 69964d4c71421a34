//! The REC as the core reads it: [`RecObject`] (metadata and spec) with a metadata model of our own,
//! [`Metadata`]. Validation, defaults and rendering take this type; the operator's Kubernetes client keeps
//! kube's derived [`crate::RedisEnterpriseCluster`] (its `metadata` is k8s-openapi's `ObjectMeta`).
//!
//! Why not `ObjectMeta`: its serde code is big (RFC 3339 timestamps read and written by `jiff`, managed fields,
//! owner references) and the core uses three of its fields: in the policy module it was about 100 KB of code for
//! nothing (the other `ObjectMeta` of the spec, an ephemeral volume's claim template's, is checked JSON: see
//! [`super::Volume`]). What is kept:
//! - every field of `ObjectMeta`, by name, so none is reported as unknown (a REC read from the API server carries
//!   `creationTimestamp`, `managedFields`, `resourceVersion`...);
//! - their types as in `ObjectMeta` for the strings, numbers, string maps and lists, so a wrong type is still
//!   reported at its path;
//! - the items of `managedFields` and `ownerReferences` as sent (JSON values, not read).
//!
//! Deliberately not checked any more (the API server sets them and checks them; a user's file never needs them):
//! the format of `creationTimestamp` and `deletionTimestamp` (strings, not parsed as RFC 3339 times) and the
//! content of the `managedFields` and `ownerReferences` items.

use super::RedisEnterpriseClusterSpec;
use crate::validate::read::FromValue;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A RedisEnterpriseCluster as validation, defaults and rendering read it. `apiVersion` and `kind` are checked
/// on the raw object (see `validate`), not read here; `status` is not read at all (written by the operator, never
/// judged: no rule looks at it), so a REC's status is accepted whatever it holds.
#[derive(Deserialize, FromValue, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RecObject {
    pub metadata: Metadata,
    pub spec: RedisEnterpriseClusterSpec,
}

/// An object's `metadata` as the core reads it (the REC's own, and an ephemeral volume's claim template's): every
/// field of Kubernetes' `ObjectMeta`, in its order (the "did you mean" suggestions list them; it is also the order
/// they are written in).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// RFC 3339 time, as sent; not parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    /// RFC 3339 time, as sent; not parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalizers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Kept as sent, not read (a list is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_fields: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Kept as sent, not read (a list is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_references: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_fields_the_core_uses() {
        let meta: Metadata = serde_json::from_value(json!({
            "name": "rec", "namespace": "ns", "uid": "u-1", "labels": {"a": "b"}, "annotations": {"c": "d"}
        }))
        .unwrap();
        assert_eq!(meta.name.as_deref(), Some("rec"));
        assert_eq!(meta.namespace.as_deref(), Some("ns"));
        assert_eq!(meta.uid.as_deref(), Some("u-1"));
        assert_eq!(meta.labels, Some(BTreeMap::from([("a".into(), "b".into())])));
        assert_eq!(meta.annotations, Some(BTreeMap::from([("c".into(), "d".into())])));
    }

    #[test]
    fn accepts_what_the_api_server_adds() {
        let meta: Metadata = serde_json::from_value(json!({
            "name": "rec", "creationTimestamp": "2026-01-01T00:00:00Z", "generation": 3, "resourceVersion": "7",
            "finalizers": ["redis.io/finalizer"],
            "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {"f:nodes": {}}}, "time": null}],
            "ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "x", "uid": "1", "extra": [1, 2.5, true]}]
        }))
        .unwrap();
        assert_eq!(meta.generation, Some(3));
        assert_eq!(meta.managed_fields.map(|m| m.len()), Some(1));
        assert_eq!(meta.owner_references.map(|o| o.len()), Some(1));
    }

    #[test]
    fn wrong_types_are_still_errors() {
        let err = serde_json::from_value::<Metadata>(json!({"labels": {"a": 5}})).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
        let err = serde_json::from_value::<Metadata>(json!({"generation": "3"})).unwrap_err();
        assert!(err.to_string().contains("expected i64"), "{err}");
        let err = serde_json::from_value::<Metadata>(json!({"managedFields": {"a": 1}})).unwrap_err();
        assert!(err.to_string().contains("expected a sequence"), "{err}");
    }
}
