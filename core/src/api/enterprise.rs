//! The Redis Enterprise feature blocks of the spec: ingress, Active-Active, LDAP, SSO, OCSP, auditing,
//! flash, upgrades, modules, usage metering, backup and the extra pod attributes.

use super::{Volume, checked};
use crate::validate::read::FromValue;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the cluster is reached from outside: ingress, OpenShift route or Istio.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngressOrRouteSpec {
    pub api_fqdn_url: String,
    pub db_fqdn_suffix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_annotations: Option<BTreeMap<String, String>>,
    pub method: IngressMethod,
}

/// Method of external access (`istio` is not available for the legacy `activeActive` block).
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum IngressMethod {
    #[default]
    #[serde(rename = "ingress")]
    Ingress,
    #[serde(rename = "openShiftRoute")]
    OpenShiftRoute,
    #[serde(rename = "istio")]
    Istio,
}

/// The legacy Active-Active access block (superseded by `ingressOrRouteSpec`).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActiveActive {
    pub api_ingress_url: String,
    pub db_ingress_suffix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_annotations: Option<BTreeMap<String, String>>,
    pub method: ActiveActiveMethod,
}

/// Access method of the legacy Active-Active block.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum ActiveActiveMethod {
    #[default]
    #[serde(rename = "openShiftRoute")]
    OpenShiftRoute,
    #[serde(rename = "ingress")]
    Ingress,
}

/// Database connection auditing.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Auditing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<AuditingConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_conns_auditing: Option<bool>,
}

/// Where audit records go.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditingConfig {
    pub audit_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_port: Option<i64>,
    pub audit_protocol: AuditProtocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_reconnect_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_reconnect_max_attempts: Option<i64>,
}

/// Transport of audit records.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum AuditProtocol {
    #[default]
    #[serde(rename = "TCP")]
    Tcp,
    #[serde(rename = "local")]
    Local,
}

/// Container time zone: follow the host, or a named zone (default UTC).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContainerTimezone {
    /// Mount the host's time zone (an empty object switches it on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagate_host: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone_name: Option<String>,
}

/// Secrets holding the cluster's certificates.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Certificates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cm_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_exporter_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syncer_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldap_client_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp_internode_encryption_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cp_internode_encryption_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_service_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_issuer_certificate_secret_name: Option<String>,
}

/// OSS cluster API settings.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OssClusterSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_access_type: Option<ExternalAccessType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<OssLoadBalancer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "podCIDRs")]
    pub pod_cidrs: Option<Vec<String>>,
}

/// External access of OSS cluster databases.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum ExternalAccessType {
    LoadBalancer,
    Disabled,
}

/// Load balancer settings for OSS cluster databases.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OssLoadBalancer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_traffic_policy: Option<ExternalTrafficPolicy>,
}

/// Kubernetes external traffic policy.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum ExternalTrafficPolicy {
    Cluster,
    Local,
}

/// LDAP authentication and authorisation.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ldap {
    pub authentication_query: LdapAuthenticationQuery,
    pub authorization_query: LdapAuthorizationQuery,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_credentials_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate_secret_name: Option<String>,
    #[serde(default, rename = "cacheTTLSeconds", skip_serializing_if = "Option::is_none")]
    pub cache_ttl_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cba: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cba_identity_oid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cba_identity_source: Option<CbaIdentitySource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_timeout_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_for_control_plane: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_for_data_plane: Option<bool>,
    pub protocol: LdapProtocol,
    pub servers: Vec<LdapServer>,
}

/// Where a certificate-based identity comes from.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum CbaIdentitySource {
    #[serde(rename = "SubjectCN")]
    SubjectCn,
    #[serde(rename = "SubjectOID")]
    SubjectOid,
}

/// LDAP transport.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum LdapProtocol {
    #[default]
    #[serde(rename = "LDAP")]
    Ldap,
    #[serde(rename = "LDAPS")]
    Ldaps,
    #[serde(rename = "STARTTLS")]
    StartTls,
}

/// One LDAP server.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LdapServer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
}

/// How a user's DN is found.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LdapAuthenticationQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<LdapSearchQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

/// How a user's groups are found.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LdapAuthorizationQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<LdapSearchQuery>,
}

/// An LDAP search.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LdapSearchQuery {
    pub base: String,
    pub filter: String,
    pub scope: LdapScope,
}

/// LDAP search scope.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum LdapScope {
    #[default]
    BaseObject,
    SingleLevel,
    WholeSubtree,
}

/// SAML single sign-on for the admin UI.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sso {
    pub enabled: bool,
    #[serde(default, rename = "enforceSSO", skip_serializing_if = "Option::is_none")]
    pub enforce_sso: Option<bool>,
    pub saml: SsoSaml,
}

/// SAML settings.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SsoSaml {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_metadata_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<SamlIssuer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sp_metadata_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_provider: Option<SamlServiceProvider>,
}

/// The SAML identity provider.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct SamlIssuer {
    #[serde(rename = "entityID")]
    pub entity_id: String,
    #[serde(rename = "loginURL")]
    pub login_url: String,
    #[serde(default, rename = "logoutURL", skip_serializing_if = "Option::is_none")]
    pub logout_url: Option<String>,
}

/// The SAML service provider (this cluster).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SamlServiceProvider {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_address: Option<String>,
}

/// OCSP stapling of the proxy certificate.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OcspConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsp_functionality: Option<bool>,
    /// Seconds between OCSP queries (60..=86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_frequency: Option<i64>,
    /// Seconds between recovery attempts (60..=86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_frequency: Option<i64>,
    /// Recovery attempts (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_max_tries: Option<i64>,
    /// Seconds to wait for an answer (1..=60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_timeout: Option<i64>,
}

/// Whether pods get a grace period before the cluster is considered failed while they start.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PodStartingPolicy {
    pub enabled: bool,
    pub starting_threshold_seconds: i32,
}

/// Redis on Flash (auto tiering).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RedisOnFlashSpec {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_storage_engine: Option<FlashStorageEngine>,
    pub storage_class_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_disk_size: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub big_store_driver: Option<BigStoreDriver>,
}

/// Flash storage engine.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FlashStorageEngine {
    Rocksdb,
}

/// Flash storage driver.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BigStoreDriver {
    Rocksdb,
    Speedb,
}

/// Automatic upgrade of Redis Enterprise with the operator.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeSpec {
    pub auto_upgrade_redis_enterprise: bool,
}

/// Usage metering.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageMeter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_home_client: Option<CallHomeClient>,
}

/// The call-home client that reports usage.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallHomeClient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<core::ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_spec: Option<super::ImageSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_target: Option<S3Target>,
}

/// Where usage reports are uploaded.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct S3Target {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A Redis module the cluster downloads.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDefinedModule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ModuleSource>,
}

/// Where a module comes from: exactly one of `http` and `https`.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<ModuleLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https: Option<ModuleLocation>,
}

/// A module download location.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_secret: Option<String>,
    pub url: String,
}

/// Security settings of the node pods.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContextSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem_policy: Option<ReadOnlyRootFilesystemPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_limits: Option<ResourceLimitsPolicy>,
}

/// Read-only root filesystem for the node containers.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct ReadOnlyRootFilesystemPolicy {
    pub enabled: bool,
}

/// Whether Redis Enterprise may raise its own resource limits (adds SYS_RESOURCE).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLimitsPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_auto_adjustment: Option<bool>,
}

/// Backup settings.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct Backup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<BackupS3>,
}

/// S3 backup target.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BackupS3 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Replica high availability.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaveHa {
    #[serde(rename = "slaveHAGracePeriod")]
    pub slave_ha_grace_period: i32,
}

/// Extra pod spec attributes for the node (or rigger) pods: a PodSpec without its containers.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdditionalPodSpecAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<core::Affinity>")]
    pub affinity: Option<checked::Affinity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<core::PodDNSConfig>")]
    pub dns_config: Option<checked::PodDnsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_service_links: Option<bool>,
    // Refused in every pod template (`pod-template-refused`), so never rendered: kept as JSON, which also keeps
    // `EphemeralContainer`'s reader out of the core (the browser module 11 KB smaller, 0.6 KB gzip). The CRD's
    // schema is Kubernetes'. (A plain comment: a doc comment would become the CRD's description of the field.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::EphemeralContainer>>")]
    pub ephemeral_containers: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<Vec<core::HostAlias>>,
    #[serde(default, rename = "hostIPC", skip_serializing_if = "Option::is_none")]
    pub host_ipc: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    #[serde(default, rename = "hostPID", skip_serializing_if = "Option::is_none")]
    pub host_pid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_users: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_secrets: Option<Vec<core::LocalObjectReference>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::Container>>")]
    pub init_containers: Option<Vec<checked::Container>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<core::PodOS>")]
    pub os: Option<checked::PodOs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overhead: Option<BTreeMap<String, Quantity>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::PodReadinessGate>>")]
    pub readiness_gates: Option<Vec<checked::PodReadinessGate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::PodResourceClaim>>")]
    pub resource_claims: Option<Vec<checked::PodResourceClaim>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<core::ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::PodSchedulingGate>>")]
    pub scheduling_gates: Option<Vec<checked::PodSchedulingGate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<core::PodSecurityContext>")]
    pub security_context: Option<checked::PodSecurityContext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    #[serde(default, rename = "setHostnameAsFQDN", skip_serializing_if = "Option::is_none")]
    pub set_hostname_as_fqdn: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_process_namespace: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<core::Toleration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::TopologySpreadConstraint>>")]
    pub topology_spread_constraints: Option<Vec<checked::TopologySpreadConstraint>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<core::Volume>>")]
    pub volumes: Option<Vec<Volume>>,
    /// A Kubernetes 1.35 field the v1.33 API types do not model yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_ref: Option<WorkloadRef>,
}

/// The workload (pod group) a pod belongs to (Kubernetes 1.35 `workloadRef`).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_group_replica_key: Option<String>,
}
