//! How the core writes its rendered objects: [`View`], a serialisation view over k8s-openapi's types that writes
//! exactly what k8s-openapi's own `Serialize` writes (same keys, same order, `None` left out) except for what
//! rendering never sets: `status`, and in every `ObjectMeta` the timestamps (`creationTimestamp`,
//! `deletionTimestamp`) and `managedFields`.
//!
//! Why: those fields hold k8s-openapi's `Time`, whose `Serialize` links the `jiff` date library, and the statuses
//! hold conditions: about 95 KB of the browser build before `wasm-opt` for fields that are always empty in a
//! render (the API server sets them on stored objects). The typed objects stay k8s-openapi's (the operator and
//! the engine read the answers into them); only the writing goes through here.
//!
//! The view covers the path from each rendered kind down to every `ObjectMeta` it can hold (the object's own, the
//! pod template's, the volume claim templates', an ephemeral volume's claim template); everything below that
//! path is written by k8s-openapi's own `Serialize`. Field lists are spelled out per type, in k8s-openapi's
//! order: `tests` builds each type with every field set (struct literals without `..Default::default()`, so a new
//! field of a k8s-openapi release fails to compile there) and compares with k8s-openapi's own output.
//! Deliberately not a general "skip empty" writer: an omitted field is one rendering provably never sets.

use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    EphemeralVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimTemplate, PodSpec, PodTemplateSpec, Secret,
    Service, ServiceAccount, Volume,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A rendered object (or a part of one on the way to an `ObjectMeta`), written without status and timestamps.
pub struct View<'a, T>(pub &'a T);

/// A list of [`View`]s, written as a JSON array.
struct Views<'a, T>(&'a [T]);

impl<'a, T> Serialize for Views<'a, T>
where
    View<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(View))
    }
}

/// `Serialize` for `View<'_, $ty>`: `resource` types start with `apiVersion` and `kind`, as k8s-openapi writes
/// them; then each listed field in order. How a field is written: `plain` (a required field, k8s-openapi's own
/// `Serialize`), `opt` (an `Option`, left out when `None`), `view` / `opt_view` (through [`View`]), `opt_views`
/// (an `Option<Vec<_>>` whose items go through [`View`]).
macro_rules! view {
    (resource $ty:ty { $($fields:tt)* }) => {
        view!(@impl $ty, <$ty as Resource>::KIND,
            [apiVersion: <$ty as Resource>::API_VERSION, kind: <$ty as Resource>::KIND], { $($fields)* });
    };
    (object $ty:ty as $name:literal { $($fields:tt)* }) => {
        view!(@impl $ty, $name, [], { $($fields)* });
    };
    (@impl $ty:ty, $name:expr, [$($head:ident: $value:expr),*], { $($field:ident: $key:literal $how:ident),* $(,)? }) => {
        impl Serialize for View<'_, $ty> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let o = self.0;
                let len = 0 $(+ view!(@one $head))* $(+ view!(@len $how (o.$field)))*;
                let mut state = serializer.serialize_struct($name, len)?;
                $(state.serialize_field(stringify!($head), $value)?;)*
                $(view!(@field state, $how, (o.$field), $key);)*
                state.end()
            }
        }
    };
    (@one $head:ident) => { 1 };
    (@len plain $v:expr) => { 1 };
    (@len view $v:expr) => { 1 };
    (@len $how:ident $v:expr) => { usize::from($v.is_some()) };
    (@field $state:ident, plain, $v:expr, $key:literal) => { $state.serialize_field($key, &$v)? };
    (@field $state:ident, view, $v:expr, $key:literal) => { $state.serialize_field($key, &View(&$v))? };
    (@field $state:ident, opt, $v:expr, $key:literal) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, value)?;
        }
    };
    (@field $state:ident, opt_view, $v:expr, $key:literal) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, &View(value))?;
        }
    };
    (@field $state:ident, opt_views, $v:expr, $key:literal) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, &Views(value))?;
        }
    };
}

// Left out: `creationTimestamp`, `deletionTimestamp`, `managedFields` (k8s-openapi writes them between these).
view!(object ObjectMeta as "ObjectMeta" {
    annotations: "annotations" opt,
    deletion_grace_period_seconds: "deletionGracePeriodSeconds" opt,
    finalizers: "finalizers" opt,
    generate_name: "generateName" opt,
    generation: "generation" opt,
    labels: "labels" opt,
    name: "name" opt,
    namespace: "namespace" opt,
    owner_references: "ownerReferences" opt,
    resource_version: "resourceVersion" opt,
    self_link: "selfLink" opt,
    uid: "uid" opt,
});

view!(resource ServiceAccount {
    automount_service_account_token: "automountServiceAccountToken" opt,
    image_pull_secrets: "imagePullSecrets" opt,
    metadata: "metadata" view,
    secrets: "secrets" opt,
});

view!(resource Role {
    metadata: "metadata" view,
    rules: "rules" opt,
});

view!(resource RoleBinding {
    metadata: "metadata" view,
    role_ref: "roleRef" plain,
    subjects: "subjects" opt,
});

view!(resource Secret {
    data: "data" opt,
    immutable: "immutable" opt,
    metadata: "metadata" view,
    string_data: "stringData" opt,
    type_: "type" opt,
});

// Left out, here and below: `status`.
view!(resource Service {
    metadata: "metadata" view,
    spec: "spec" opt,
});

view!(resource PodDisruptionBudget {
    metadata: "metadata" view,
    spec: "spec" opt,
});

view!(resource PersistentVolumeClaim {
    metadata: "metadata" view,
    spec: "spec" opt,
});

view!(resource StatefulSet {
    metadata: "metadata" view,
    spec: "spec" opt_view,
});

view!(resource Deployment {
    metadata: "metadata" view,
    spec: "spec" opt_view,
});

view!(object StatefulSetSpec as "StatefulSetSpec" {
    min_ready_seconds: "minReadySeconds" opt,
    ordinals: "ordinals" opt,
    persistent_volume_claim_retention_policy: "persistentVolumeClaimRetentionPolicy" opt,
    pod_management_policy: "podManagementPolicy" opt,
    replicas: "replicas" opt,
    revision_history_limit: "revisionHistoryLimit" opt,
    selector: "selector" plain,
    service_name: "serviceName" opt,
    template: "template" view,
    update_strategy: "updateStrategy" opt,
    volume_claim_templates: "volumeClaimTemplates" opt_views,
});

view!(object DeploymentSpec as "DeploymentSpec" {
    min_ready_seconds: "minReadySeconds" opt,
    paused: "paused" opt,
    progress_deadline_seconds: "progressDeadlineSeconds" opt,
    replicas: "replicas" opt,
    revision_history_limit: "revisionHistoryLimit" opt,
    selector: "selector" plain,
    strategy: "strategy" opt,
    template: "template" view,
});

view!(object PodTemplateSpec as "PodTemplateSpec" {
    metadata: "metadata" opt_view,
    spec: "spec" opt_view,
});

view!(object PodSpec as "PodSpec" {
    active_deadline_seconds: "activeDeadlineSeconds" opt,
    affinity: "affinity" opt,
    automount_service_account_token: "automountServiceAccountToken" opt,
    containers: "containers" plain,
    dns_config: "dnsConfig" opt,
    dns_policy: "dnsPolicy" opt,
    enable_service_links: "enableServiceLinks" opt,
    ephemeral_containers: "ephemeralContainers" opt,
    host_aliases: "hostAliases" opt,
    host_ipc: "hostIPC" opt,
    host_network: "hostNetwork" opt,
    host_pid: "hostPID" opt,
    host_users: "hostUsers" opt,
    hostname: "hostname" opt,
    hostname_override: "hostnameOverride" opt,
    image_pull_secrets: "imagePullSecrets" opt,
    init_containers: "initContainers" opt,
    node_name: "nodeName" opt,
    node_selector: "nodeSelector" opt,
    os: "os" opt,
    overhead: "overhead" opt,
    preemption_policy: "preemptionPolicy" opt,
    priority: "priority" opt,
    priority_class_name: "priorityClassName" opt,
    readiness_gates: "readinessGates" opt,
    resource_claims: "resourceClaims" opt,
    resources: "resources" opt,
    restart_policy: "restartPolicy" opt,
    runtime_class_name: "runtimeClassName" opt,
    scheduler_name: "schedulerName" opt,
    scheduling_gates: "schedulingGates" opt,
    security_context: "securityContext" opt,
    service_account: "serviceAccount" opt,
    service_account_name: "serviceAccountName" opt,
    set_hostname_as_fqdn: "setHostnameAsFQDN" opt,
    share_process_namespace: "shareProcessNamespace" opt,
    subdomain: "subdomain" opt,
    termination_grace_period_seconds: "terminationGracePeriodSeconds" opt,
    tolerations: "tolerations" opt,
    topology_spread_constraints: "topologySpreadConstraints" opt,
    volumes: "volumes" opt_views,
    workload_ref: "workloadRef" opt,
});

view!(object Volume as "Volume" {
    aws_elastic_block_store: "awsElasticBlockStore" opt,
    azure_disk: "azureDisk" opt,
    azure_file: "azureFile" opt,
    cephfs: "cephfs" opt,
    cinder: "cinder" opt,
    config_map: "configMap" opt,
    csi: "csi" opt,
    downward_api: "downwardAPI" opt,
    empty_dir: "emptyDir" opt,
    ephemeral: "ephemeral" opt_view,
    fc: "fc" opt,
    flex_volume: "flexVolume" opt,
    flocker: "flocker" opt,
    gce_persistent_disk: "gcePersistentDisk" opt,
    git_repo: "gitRepo" opt,
    glusterfs: "glusterfs" opt,
    host_path: "hostPath" opt,
    image: "image" opt,
    iscsi: "iscsi" opt,
    name: "name" plain,
    nfs: "nfs" opt,
    persistent_volume_claim: "persistentVolumeClaim" opt,
    photon_persistent_disk: "photonPersistentDisk" opt,
    portworx_volume: "portworxVolume" opt,
    projected: "projected" opt,
    quobyte: "quobyte" opt,
    rbd: "rbd" opt,
    scale_io: "scaleIO" opt,
    secret: "secret" opt,
    storageos: "storageos" opt,
    vsphere_volume: "vsphereVolume" opt,
});

view!(object EphemeralVolumeSource as "EphemeralVolumeSource" {
    volume_claim_template: "volumeClaimTemplate" opt_view,
});

view!(object PersistentVolumeClaimTemplate as "PersistentVolumeClaimTemplate" {
    metadata: "metadata" opt_view,
    spec: "spec" plain,
});

#[cfg(test)]
mod tests;
