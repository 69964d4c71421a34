//! The custom resource and its spec: the 36 fields of the published CRD (8.0.20-23), all optional.
//!
//! Enumerated strings the CRD restricts are Rust enums (a value outside the set is a structural `redb-enum-value`);
//! `evictionPolicy`, `proxyPolicy` and `replicaSourceType` are free strings in the CRD, so they stay strings here
//! and the rules judge them. Integers are `i64` so that an out-of-range port or count reaches the rule that names
//! the field instead of a type error.

use super::RedisEnterpriseDatabaseStatus;
use crate::api::Metadata;
use crate::validate::read::FromValue;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Desired state of a Redis Enterprise database. See REDB.md section 2 for what an absent field means.
#[derive(CustomResource, Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "app.redislabs.com",
    version = "v1alpha1",
    kind = "RedisEnterpriseDatabase",
    plural = "redisenterprisedatabases",
    singular = "redisenterprisedatabase",
    shortname = "redb",
    namespaced,
    status = "RedisEnterpriseDatabaseStatus",
    printcolumn = r#"{"name":"Version","type":"string","jsonPath":".status.version"}"#,
    printcolumn = r#"{"name":"Port","type":"string","jsonPath":".status.internalEndpoints[*].port"}"#,
    printcolumn = r#"{"name":"Cluster","type":"string","jsonPath":".status.redisEnterpriseCluster"}"#,
    printcolumn = r#"{"name":"Shards","type":"string","jsonPath":".status.shardStatuses.active"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.status"}"#,
    printcolumn = r#"{"name":"Spec Status","type":"string","jsonPath":".status.specStatus"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct RedisEnterpriseDatabaseSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_active: Option<ActiveActiveRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_settings: Option<AlertSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auditing: Option<DatabaseAuditing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<DatabaseBackup>,
    /// Secrets holding the TLS client certificates used for authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_authentication_certificates: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_settings: Option<ConnectionSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_internode_encryption: Option<bool>,
    /// Port of the database inside the cluster (generated when omitted; never changes once set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_port: Option<i64>,
    /// Secret with the database password (key `password`; default `redb-<name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_secret_name: Option<String>,
    /// Port the database Services expose (default: databasePort).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_service_port: Option<i64>,
    /// Allow connections with the default user (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_user: Option<bool>,
    /// Eviction policy (default `volatile-lru`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_policy: Option<String>,
    /// Auto Tiering (Redis on Flash), default false; cannot change once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_rof: Option<bool>,
    /// Memcached SASL credentials (`username`, `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memcached_sasl_secret_name: Option<String>,
    /// Memory size, `100MB`, `0.1GB`, `1GB` (default 100MB; at least 1GB with `isRof`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modules_list: Option<Vec<DatabaseModule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_cluster: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_cluster_settings: Option<DatabaseOssClusterSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<DatabasePersistence>,
    /// `single`, `all-master-shards` or `all-nodes` (default by `ossCluster`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rack_aware: Option<bool>,
    /// The REC this database belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_cluster: Option<ClusterRef>,
    /// `<major>`, `<major.minor>`, `major` or `latest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_sources: Option<Vec<ReplicaSource>>,
    /// One replica per master shard (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resp3: Option<bool>,
    /// RAM share of a Redis Flex database, 0-100 percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub rof_ram_ratio: Option<i64>,
    /// RAM part of an Auto Tiering database, as `memorySize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rof_ram_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles_permissions: Option<Vec<RolePermission>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_on_bigstore: Option<bool>,
    /// Number of shards, at least 1 (default 1); cannot decrease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_count: Option<i64>,
    /// For REAADB only: blocked on a REDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharding_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards_placement: Option<ShardsPlacement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_mode: Option<TlsMode>,
    /// `redis` (default) or `memcached`; cannot change once created.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub db_type: Option<DatabaseType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_spec: Option<DatabaseUpgradeSpec>,
}

/// A REDB as validation reads it: metadata and spec (the status is not judged).
#[derive(Deserialize, FromValue, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RedbObject {
    pub metadata: Metadata,
    pub spec: RedisEnterpriseDatabaseSpec,
}

/// Persistence policy.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum DatabasePersistence {
    Disabled,
    AofEverySecond,
    AofAlways,
    SnapshotEvery1Hour,
    SnapshotEvery6Hour,
    SnapshotEvery12Hour,
}

/// TLS requirement of client and replication connections.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    Disabled,
    Enabled,
    ReplicaSsl,
}

/// Database type.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseType {
    Redis,
    Memcached,
}

/// Shard placement strategy.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShardsPlacement {
    Dense,
    Sparse,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActiveActiveRef {
    pub name: String,
    pub participating_cluster_name: String,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseAuditing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_conns_auditing: Option<bool>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRef {
    pub name: String,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseOssClusterSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_external_access: Option<bool>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseUpgradeSpec {
    pub upgrade_modules_to_latest: bool,
}

/// A module of the database.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseModule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Deprecated; ignored for Redis >= 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Where the database replicates from.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSource {
    pub replica_source_name: String,
    /// `SECRET` or `REDB`.
    pub replica_source_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key_secret: Option<String>,
    /// GZIP level 0-6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cert_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_sni_name: Option<String>,
}

/// A Redis Enterprise role and ACL binding.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RolePermission {
    pub acl: String,
    pub role: String,
    #[serde(rename = "type")]
    pub kind: RolePermissionType,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum RolePermissionType {
    #[serde(rename = "redis-enterprise")]
    RedisEnterprise,
}

/// Proxy connection settings.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_limit_type: Option<ConnectionLimitType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_scheduling_policy: Option<ConnectionSchedulingPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_max_dedicated_connections: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_connections: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_dedicated_connections: Option<i64>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionLimitType {
    PerThread,
    PerShard,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionSchedulingPolicy {
    Cmp,
    Mru,
    Spread,
    Mnp,
}

/// Periodic backup: exactly one storage, an interval and an optional offset.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseBackup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abs: Option<AbsStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ftp: Option<FtpStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs: Option<GcsStorage>,
    /// Seconds between backups (default 86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    /// Seconds after 00:00 UTC (or 12:00) of a 12h or 24h interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount: Option<MountStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sftp: Option<SftpStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swift: Option<SwiftStorage>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbsStorage {
    pub abs_secret_name: String,
    pub container: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdir: Option<String>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct FtpStorage {
    pub url: String,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GcsStorage {
    pub bucket_name: String,
    pub gcs_secret_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdir: Option<String>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct MountStorage {
    pub path: String,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct S3Storage {
    pub aws_secret_name: String,
    pub bucket_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdir: Option<String>,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct SftpStorage {
    #[serde(rename = "sftpSecretName")]
    pub sftp_secret_name: String,
    pub sftp_url: String,
}

#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct SwiftStorage {
    pub auth_url: String,
    pub container: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(rename = "swiftSecretName")]
    pub swift_secret_name: String,
}

/// One alert: `enabled` and, kept as sent, its `threshold` and anything else (the CRD preserves unknown fields).
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[schemars(schema_with = "alert_schema")]
pub struct AlertSetting {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

fn alert_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "properties": { "enabled": { "type": "boolean", "description": "Alert enabled or disabled" } },
        "x-kubernetes-preserve-unknown-fields": true
    })
}

/// Database alerts, by the Redis Enterprise alert name.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct AlertSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_backup_delayed: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_crdt_src_high_syncer_lag: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_crdt_src_syncer_connection_error: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_crdt_src_syncer_general_error: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_high_latency: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_high_throughput: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_long_running_action: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_low_throughput: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_proxy_cert_expiring_soon: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_ram_dataset_overhead: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_ram_values: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_replica_src_high_syncer_lag: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_replica_src_syncer_connection_error: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_shard_num_ram_values: Option<AlertSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bdb_size: Option<AlertSetting>,
}
