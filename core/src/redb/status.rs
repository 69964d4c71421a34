//! The observed state of a REDB: the published CRD's fields plus ours (`conditions`). Written by an operator,
//! never judged by validation.

use super::ActiveActiveRef;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Status of a REDB.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RedisEnterpriseDatabaseStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_active: Option<ActiveActiveRef>,
    /// 1 for Auto Tiering, 2 for Redis Flex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bigstore_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_info: Option<BackupInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    #[serde(default, rename = "databaseUID", skip_serializing_if = "Option::is_none")]
    pub database_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_endpoints: Option<Vec<InternalEndpoint>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The REC the database belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis_enterprise_cluster: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_source_statuses: Option<Vec<ReplicaSourceStatus>>,
    /// Shards by status (`active`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_statuses: Option<BTreeMap<String, i64>>,
    /// `Valid` or `Invalid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    // In the schema because the API server prunes a status field the schema does not list, and an operator that
    // writes a field which never sticks writes it again on every reconcile.
    /// **Ours**: `SpecValid`, what validation against the REC and the other REDBs found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct InternalEndpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSourceStatus {
    pub endpoint_host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdb_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdb_transferred: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_failure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_history: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_interval_offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_progress_percentage: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_backup_time: Option<String>,
}
