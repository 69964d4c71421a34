//! The observed state: the real operator's fields plus ours (observedGeneration, conditions, validation errors).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Status of a REC. The real operator writes `state` and `specStatus` only; we add what makes
/// `kubectl describe rec` explain itself.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RedisEnterpriseClusterStatus {
    /// `Valid` or `Invalid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_status: Option<String>,
    /// PendingCreation, BootstrappingFirstPod, Initializing, Running, Error, Invalid, InvalidUpgrade, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modules: Option<Vec<ModuleStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsp_status: Option<OcspStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_status: Option<LicenseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundled_database_versions: Option<Vec<BundledDatabaseVersion>>,
    #[serde(default, rename = "managedAPIs", skip_serializing_if = "Option::is_none")]
    pub managed_apis: Option<ManagedApis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificates_status: Option<CertificatesStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_credential_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_or_route_method_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence_status: Option<PersistenceStatus>,
    #[serde(default, rename = "redisEnterpriseIPFamily", skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_ip_family: Option<String>,
    /// **Ours**: the generation this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// **Ours**: `Valid`, `Reconciled` and `Ready`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
    /// **Ours**: node pods ready, from the StatefulSet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_nodes: Option<i32>,
    /// **Ours**: every validation error and warning of the current spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_errors: Option<Vec<crate::validate::Violation>>,
    /// **Ours**: what the operator last carried out. The plan of the next change starts from it, so an operator
    /// restarted at any instant plans from the cluster, never from memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<AppliedState>,
    /// **Ours**: the step of a change in progress (which node, since when, why it halted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

/// What the operator last carried out: the spec, the image tags resolved for it and the node volume size in
/// effect. The update rules compare a new spec with this one; the tags and the size are pinned here so that
/// neither an operator upgrade nor a memory change moves them (see `plan`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppliedState {
    /// The REC's `metadata.generation` of that spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// The spec, as the user wrote it.
    #[serde(default)]
    #[schemars(schema_with = "open_object")]
    pub spec: serde_json::Value,
    /// The image tags the cluster runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<ResolvedVersions>,
    /// The node volume size of the StatefulSet's claim template (none without persistence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_size: Option<String>,
    /// Whether every node was Ready once: from then on a node down is a running cluster missing a node, not one
    /// still being created.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bootstrapped: bool,
}

/// The image tags a cluster runs, resolved once (see `plan::versions`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedVersions {
    /// Tag of the Redis Enterprise node image.
    pub redis_enterprise: String,
    /// Tag of the bootstrapper and services rigger images (the operator's release).
    pub operator: String,
}

/// The step of a change in progress.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// What the step is about, e.g. `node rec-2` or `volumes 80Gi`.
    pub step: String,
    /// When the step began (RFC 3339).
    pub since: String,
    /// Why the change halted at this step, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halted: Option<String>,
}

/// `type: object` that keeps whatever it holds (`x-kubernetes-preserve-unknown-fields`): the spec a status
/// records is the user's, checked when it was applied, not again by the schema.
fn open_object(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true })
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OcspStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub produced_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responder_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub this_update: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LicenseStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards_usage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_shards: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_shards_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_shards: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_shards_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards_limit: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BundledDatabaseVersion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_support: Option<FeatureSupport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeatureSupport {
    pub active_active: bool,
    pub flex: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct ManagedApis {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldap: Option<bool>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificatesStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_status: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct PersistenceStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded: Option<String>,
}
