//! The custom resource and its spec: all 64 top-level fields of the real CRD, plus our `serviceBrokerSpec`.

use super::*;
use crate::validate::read::FromValue;
use k8s_openapi::api::core::v1 as core;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Desired state of a Redis Enterprise cluster.
///
/// Every field is optional in the schema (as in the real CRD); `crate::defaults::with_defaults` says what an
/// absent field means.
#[derive(CustomResource, Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "app.redislabs.com",
    version = "v1",
    kind = "RedisEnterpriseCluster",
    plural = "redisenterpriseclusters",
    singular = "redisenterprisecluster",
    shortname = "rec",
    namespaced,
    status = "RedisEnterpriseClusterStatus",
    printcolumn = r#"{"name":"Nodes","type":"integer","jsonPath":".spec.nodes"}"#,
    printcolumn = r#"{"name":"Version","type":"string","jsonPath":".spec.redisEnterpriseImageSpec.versionTag"}"#,
    printcolumn = r#"{"name":"State","type":"string","jsonPath":".status.state"}"#,
    printcolumn = r#"{"name":"Spec Status","type":"string","jsonPath":".status.specStatus"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct RedisEnterpriseClusterSpec {
    /// Legacy Active-Active external access (use `ingressOrRouteSpec`; never both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_active: Option<ActiveActive>,
    /// Extra topology keys; each adds a required anti-affinity term to the node pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti_affinity_additional_topology_keys: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auditing: Option<Auditing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrapper_image_spec: Option<ImageSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrapper_resources: Option<core::ResourceRequirements>,
    /// Secret with the admin `username` and `password` (default: the REC name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_credential_secret_name: Option<String>,
    /// Vault role used to read the credentials (vault secret type only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_credential_secret_role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_credential_secret_type: Option<CredentialSecretType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_recovery: Option<bool>,
    #[serde(default, rename = "redisEnterpriseIPFamily", skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_ip_family: Option<IpFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_timezone: Option<ContainerTimezone>,
    /// Create the node service account (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_service_account: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_internode_encryption: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypt_pkeys: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_report_fields: Option<UsageReportFields>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Certificates>,
    #[serde(default, rename = "enforceIPv4", skip_serializing_if = "Option::is_none")]
    pub enforce_ipv4: Option<bool>,
    /// Extra environment of the node container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env_vars: Option<Vec<core::EnvVar>>,
    /// Labels added to every object the operator renders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<Vec<core::HostAlias>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_or_route_spec: Option<IngressOrRouteSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Services>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_cluster_settings: Option<OssClusterSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldap: Option<Ldap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<Sso>,
    /// Inline license text (never together with `licenseSecretName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Secret whose key `license` holds the license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_secret_name: Option<String>,
    /// Node selector of every managed pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsp_configuration: Option<OcspConfiguration>,
    /// Number of Redis Enterprise nodes: odd, 3 to 35 (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_spec: Option<PersistentSpec>,
    /// Annotations on the node and rigger pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_annotations: Option<BTreeMap<String, String>>,
    /// Annotations on the node pods only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_pod_annotations: Option<BTreeMap<String, String>>,
    /// Replaces the default anti-affinity of the node pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<core::PodAntiAffinity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_starting_policy: Option<PodStartingPolicy>,
    /// Tolerations of every managed pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_tolerations: Option<Vec<core::Toleration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Image pull secrets of every managed pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_secrets: Option<Vec<core::LocalObjectReference>>,
    /// Node label that names the rack (zone); becomes the anti-affinity topology key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rack_awareness_node_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_additional_pod_spec_attributes: Option<AdditionalPodSpecAttributes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_image_spec: Option<ImageSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_node_resources: Option<core::ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_services_configuration: Option<ServicesConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_services_rigger_image_spec: Option<ImageSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_services_rigger_resources: Option<core::ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_termination_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_volume_mounts: Option<Vec<core::VolumeMount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_upgrade_policy: Option<RedisUpgradePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resp3_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContextSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<Backup>,
    /// Service account of the node pods (default: the REC name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services_rigger_spec: Option<ServicesRiggerSpec>,
    /// Extra containers in each node pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::Container>>")]
    pub side_containers_spec: Option<Vec<super::checked::Container>>,
    #[serde(default, rename = "slaveHA", skip_serializing_if = "Option::is_none")]
    pub slave_ha: Option<SlaveHa>,
    /// Annotations of the UI service (win over `services.servicesAnnotations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_service_type: Option<UiServiceType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_on_flash_spec: Option<RedisOnFlashSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_spec: Option<UpgradeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_meter: Option<UsageMeter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_defined_modules: Option<Vec<UserDefinedModule>>,
    /// Admin user name (default `demo@redis.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, rename = "vaultCASecret", skip_serializing_if = "Option::is_none")]
    pub vault_ca_secret: Option<String>,
    /// Extra volumes of the node pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::Volume>>")]
    pub volumes: Option<Vec<Volume>>,
    /// **Ours**: the service broker (disabled by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_broker_spec: Option<ServiceBrokerSpec>,
}

/// Where the cluster credentials live.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CredentialSecretType {
    Kubernetes,
    Vault,
}

/// IP family of the cluster.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum IpFamily {
    IPv4,
    IPv6,
}

/// Which fields usage reports carry.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UsageReportFields {
    All,
    Restricted,
}

/// Which Redis version databases upgrade to.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RedisUpgradePolicy {
    Major,
    Latest,
}
