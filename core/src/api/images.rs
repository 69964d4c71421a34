//! Small shared shapes: container images, persistence, services and the on/off switches.

use crate::validate::read::FromValue;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A container image: `repository[:versionTag][@sha256:digestHash]`.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageSpec {
    /// Digest of the image (without the `sha256:` prefix); needs `versionTag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_hash: Option<String>,
    /// Kubernetes pull policy: `Always`, `IfNotPresent` or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<PullPolicy>,
    /// Image repository, e.g. `redislabs/redis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Image tag, e.g. `8.0.20-44`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_tag: Option<String>,
}

/// Kubernetes image pull policy.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

/// Persistent storage of each Redis Enterprise node.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersistentSpec {
    /// Lets a later update grow `volumeSize` (the PVCs are expanded in place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_persistent_volume_resize: Option<bool>,
    /// Whether node data is kept on a persistent volume (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Storage class of the node volumes; immutable after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Size of each node volume (default 5 x the memory request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_size: Option<Quantity>,
}

/// On or off, as the real CRD spells it for each Redis Enterprise service.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperatingMode {
    Enabled,
    Disabled,
}

/// One Redis Enterprise service switch.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceOperatingMode {
    pub operating_mode: OperatingMode,
}

/// Switches for the services Redis Enterprise runs inside each node pod.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServicesConfiguration {
    /// Cluster manager (the admin UI); `disabled` also removes the UI service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cm_server: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crdb_coordinator: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crdb_worker: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mdns_server: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdns_server: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saslauthd: Option<ServiceOperatingMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats_archiver: Option<ServiceOperatingMode>,
}

/// Kubernetes Service type of the UI service (the real CRD allows ExternalName too).
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum UiServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// Kubernetes Service type of the REST API service.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum ApiServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
}

/// Customisation of the services the operator creates.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Services {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_service: Option<ApiService>,
    /// Annotations on every service the operator creates (`uiAnnotations` wins on the UI service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services_annotations: Option<BTreeMap<String, String>>,
}

/// The REST API service.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiService {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<ApiServiceType>,
}

/// The services rigger: the component that creates a Kubernetes service per database.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServicesRiggerSpec {
    /// Comma list of `cluster_ip`, `headless`, `load_balancer` (default `cluster_ip,headless`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env_vars: Option<Vec<k8s_openapi::api::core::v1::EnvVar>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_naming: Option<ServiceNaming>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services_rigger_additional_pod_spec_attributes: Option<super::AdditionalPodSpecAttributes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_service_port_policy: Option<DatabaseServicePortPolicy>,
}

/// How database services are named.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum ServiceNaming {
    #[serde(rename = "bdb_name")]
    BdbName,
    #[serde(rename = "redis-port")]
    RedisPort,
}

/// Which port database services expose.
#[derive(Serialize, Deserialize, FromValue, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum DatabaseServicePortPolicy {
    DatabasePortForward,
    RedisDefaultPort,
}

/// The service broker (**ours**, from the architecture): an Open Service Broker deployment with its own volume.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBrokerSpec {
    /// Deploy the broker, its Service and its PVC (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The broker's own volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_spec: Option<BrokerPersistentSpec>,
}

/// The service broker's volume.
#[derive(Serialize, Deserialize, FromValue, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BrokerPersistentSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Default 100Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_size: Option<Quantity>,
}
