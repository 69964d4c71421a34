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
//! pod template's, the volume claim templates') and to the pod spec's volumes, where the user's volumes (JSON)
//! follow the render's own; everything below that path is written by k8s-openapi's own `Serialize`. Field lists
//! are spelled out per type, in k8s-openapi's order: `tests` builds each type with every field set (struct
//! literals without `..Default::default()`, so a new field of a k8s-openapi release fails to compile there) and
//! compares with k8s-openapi's own output. Deliberately not a general "skip empty" writer: an omitted field is
//! one rendering provably never sets (of a `Volume`, every source the render does not build).

use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PodSpec, PodTemplateSpec, Secret, Service, ServiceAccount, Volume,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A rendered object (or a part of one on the way to an `ObjectMeta` or a pod spec), written without status and
/// timestamps; and the user's volumes of the pod spec it holds (empty for the kinds without one), written after
/// the volumes the render builds. The user's volumes are their checked JSON ([`crate::api::Volume`]), never
/// k8s-openapi's `Volume`: the render does not link a volume source it does not build itself.
pub struct View<'a, T>(pub &'a T, pub &'a [crate::api::Volume]);

/// A list of [`View`]s, written as a JSON array.
struct Views<'a, T>(&'a [T]);

impl<'a, T> Serialize for Views<'a, T>
where
    View<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|item| View(item, &[])))
    }
}

/// A pod spec's volumes: the render's own, then the user's.
struct PodVolumes<'a>(&'a [Volume], &'a [crate::api::Volume]);

impl Serialize for PodVolumes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ours = self.0.iter().map(|v| PodVolume::Ours(View(v, &[])));
        serializer.collect_seq(ours.chain(self.1.iter().map(PodVolume::User)))
    }
}

enum PodVolume<'a> {
    Ours(View<'a, Volume>),
    User(&'a crate::api::Volume),
}

impl Serialize for PodVolume<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PodVolume::Ours(view) => view.serialize(serializer),
            PodVolume::User(volume) => volume.serialize(serializer),
        }
    }
}

/// `Serialize` for `View<'_, $ty>`: `resource` types start with `apiVersion` and `kind`, as k8s-openapi writes
/// them; then each listed field in order. How a field is written: `plain` (a required field, k8s-openapi's own
/// `Serialize`), `opt` (an `Option`, left out when `None`), `view` / `opt_view` (through [`View`], with the
/// user's pod volumes), `opt_views` (an `Option<Vec<_>>` whose items go through [`View`]), `pod_volumes` (a pod
/// spec's volumes and the user's after them; written when either is there).
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
                let len = 0 $(+ view!(@one $head))* $(+ view!(@len $how (o.$field), (self.1)))*;
                let mut state = serializer.serialize_struct($name, len)?;
                $(state.serialize_field(stringify!($head), $value)?;)*
                $(view!(@field state, $how, (o.$field), $key, (self.1));)*
                state.end()
            }
        }
    };
    (@one $head:ident) => { 1 };
    (@len plain $v:expr, $user:expr) => { 1 };
    (@len view $v:expr, $user:expr) => { 1 };
    (@len pod_volumes $v:expr, $user:expr) => { usize::from($v.is_some() || !$user.is_empty()) };
    (@len $how:ident $v:expr, $user:expr) => { usize::from($v.is_some()) };
    (@field $state:ident, plain, $v:expr, $key:literal, $user:expr) => { $state.serialize_field($key, &$v)? };
    (@field $state:ident, view, $v:expr, $key:literal, $user:expr) => {
        $state.serialize_field($key, &View(&$v, $user))?
    };
    (@field $state:ident, opt, $v:expr, $key:literal, $user:expr) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, value)?;
        }
    };
    (@field $state:ident, opt_view, $v:expr, $key:literal, $user:expr) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, &View(value, $user))?;
        }
    };
    (@field $state:ident, opt_views, $v:expr, $key:literal, $user:expr) => {
        if let Some(value) = &$v {
            $state.serialize_field($key, &Views(value))?;
        }
    };
    (@field $state:ident, pod_volumes, $v:expr, $key:literal, $user:expr) => {
        if $v.is_some() || !$user.is_empty() {
            $state.serialize_field($key, &PodVolumes($v.as_deref().unwrap_or_default(), $user))?;
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
    volumes: "volumes" pod_volumes,
    workload_ref: "workloadRef" opt,
});

// Only the sources the render builds itself (the credentials secret, the host's time zone, emptyDir storage,
// the broker's claim); the user's volumes are JSON (`PodVolumes`). The golden renders hold every written object
// to k8s-openapi's own writing, so a source the render starts building fails there until it is listed here.
view!(object Volume as "Volume" {
    empty_dir: "emptyDir" opt,
    host_path: "hostPath" opt,
    name: "name" plain,
    persistent_volume_claim: "persistentVolumeClaim" opt,
    secret: "secret" opt,
});

#[cfg(test)]
mod tests;
