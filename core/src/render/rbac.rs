//! The node and rigger pods' identity: ServiceAccount `<serviceAccountName>`, Role `<rec>` and RoleBinding `<rec>`.
//!
//! Least privilege (**ours**, REC.md §4.2): only what the node pods and the rigger do in their own namespace.
//! Nothing cluster-wide: rack awareness needs to read Node labels, which a namespaced Role cannot grant; that
//! ClusterRole belongs to the operator's installation, not to one REC.

use super::meta::{Component, Meta};
use crate::api::RedisEnterpriseClusterSpec;
use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};

/// The service account's name (defaults make it the REC name).
pub fn service_account_name(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> String {
    spec.service_account_name
        .clone()
        .unwrap_or_else(|| meta.rec_name().to_string())
}

/// ServiceAccount `<serviceAccountName>` (rendered only with `createServiceAccount`).
pub fn service_account(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> ServiceAccount {
    ServiceAccount {
        metadata: meta.object(service_account_name(meta, spec), Component::Rbac),
        ..Default::default()
    }
}

/// Role `<rec>`: pods get/list/watch/patch, services and endpoints full, configmaps get/list/watch/create/update/
/// patch, secrets get/list/watch, events create/patch.
pub fn role(meta: &Meta) -> Role {
    let rule = |resources: &[&str], verbs: &[&str]| PolicyRule {
        api_groups: Some(vec![String::new()]),
        resources: Some(resources.iter().map(|r| r.to_string()).collect()),
        verbs: verbs.iter().map(|v| v.to_string()).collect(),
        ..Default::default()
    };
    const FULL: &[&str] = &["get", "list", "watch", "create", "update", "patch", "delete"];
    Role {
        metadata: meta.object(meta.rec_name(), Component::Rbac),
        rules: Some(vec![
            rule(&["pods"], &["get", "list", "watch", "patch"]),
            rule(&["services", "endpoints"], FULL),
            rule(&["configmaps"], &["get", "list", "watch", "create", "update", "patch"]),
            rule(&["secrets"], &["get", "list", "watch"]),
            rule(&["events"], &["create", "patch"]),
        ]),
    }
}

/// RoleBinding `<rec>`: the Role, to the service account (in the REC's namespace).
pub fn role_binding(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> RoleBinding {
    RoleBinding {
        metadata: meta.object(meta.rec_name(), Component::Rbac),
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "Role".into(),
            name: meta.rec_name().into(),
        },
        subjects: Some(vec![Subject {
            kind: "ServiceAccount".into(),
            name: service_account_name(meta, spec),
            // Without a namespace, a RoleBinding's service account subject means the binding's own namespace.
            namespace: meta.namespace().map(str::to_string),
            ..Default::default()
        }]),
    }
}
