//! The REDB's CustomResourceDefinition, generated from the types (never copied from the published one).

use super::RedisEnterpriseDatabase;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

/// The CRD: `v1alpha1`, served and storage, with the status subresource and the published printer columns.
pub fn crd() -> CustomResourceDefinition {
    let mut crd = RedisEnterpriseDatabase::crd();
    crd.spec.names.list_kind = Some("RedisEnterpriseDatabaseList".into());
    crd
}

/// The CRD as YAML, exactly as committed in `deploy/crd-redb.yaml`.
pub fn crd_yaml() -> String {
    let json = serde_json::to_value(crd()).unwrap_or_default();
    crate::yaml::to_yaml(&json)
}

/// The preview's field table of the REDB (`core/src/redb/field_docs.json`, read by [`crate::field_docs`]), built
/// as the REC's is from the CRD's schema and the rule catalogue.
pub fn field_docs_json() -> String {
    crate::crd::field_table::table_json(&crd(), crate::kind::Kind::Database)
}
