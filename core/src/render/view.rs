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
//! pod template's, the volume claim templates') and to the pod spec, where what the user adds as JSON
//! ([`UserPod`]) goes in: containers and volumes after the render's own, the affinity instead of the render's,
//! the rest as it is; everything below that path is written by k8s-openapi's own `Serialize`. Field lists
//! are spelled out per type, in k8s-openapi's order: `tests` builds each type with every field set (struct
//! literals without `..Default::default()`, so a new field of a k8s-openapi release fails to compile there) and
//! compares with k8s-openapi's own output. Deliberately not a general "skip empty" writer: an omitted field is
//! one rendering provably never sets (of a `Volume`, every source the render does not build).

use super::pod::{NO_USER_POD, UserPod};
use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    Affinity, Container, PersistentVolumeClaim, PodSpec, PodTemplateSpec, Secret, Service, ServiceAccount, Volume,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A rendered object (or a part of one on the way to an `ObjectMeta` or a pod spec), written without status and
/// timestamps; and what the user adds as JSON to the pod spec it holds ([`UserPod`]; [`NO_USER_POD`] for the
/// kinds without one). The user's parts are checked JSON ([`crate::api::checked`]), never k8s-openapi's types:
/// the render links no reader or writer of a pod attribute it does not build itself.
pub struct View<'a, T>(pub &'a T, pub &'a UserPod);

/// A list of [`View`]s, written as a JSON array.
struct Views<'a, T>(&'a [T]);

impl<'a, T> Serialize for Views<'a, T>
where
    View<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|item| View(item, &NO_USER_POD)))
    }
}

/// A pod spec's list: the render's own items (each written as `O` writes it), then the user's (JSON).
struct OursThenUsers<'a, O, U>(&'a [O], &'a [U]);

impl<O, U: Serialize> Serialize for OursThenUsers<'_, O, U>
where
    for<'a> View<'a, O>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ours = self.0.iter().map(|item| Either::Ours(View(item, &NO_USER_POD)));
        serializer.collect_seq(ours.chain(self.1.iter().map(Either::User)))
    }
}

enum Either<'a, O, U> {
    Ours(View<'a, O>),
    User(&'a U),
}

impl<'a, O, U: Serialize> Serialize for Either<'a, O, U>
where
    View<'a, O>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Either::Ours(view) => view.serialize(serializer),
            Either::User(user) => user.serialize(serializer),
        }
    }
}

/// A container the render builds, written by k8s-openapi (the view covers no field of it).
impl Serialize for View<'_, Container> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// `Serialize` for `View<'_, $ty>`: `resource` types start with `apiVersion` and `kind`, as k8s-openapi writes
/// them; then each listed field in order. How a field is written: `plain` (a required field, k8s-openapi's own
/// `Serialize`), `opt` (an `Option`, left out when `None`), `view` / `opt_view` (through [`View`], with the
/// user's pod parts), `opt_views` (an `Option<Vec<_>>` whose items go through [`View`]); in a pod spec, from the
/// [`UserPod`] field of the same name: `user` (the user's JSON only: rendering never sets the field itself),
/// `user_or_view` (the user's JSON instead of the render's), `then_user` (the render's required list, then the
/// user's items), `pod_volumes` (the render's volumes, then the user's; written when either is there).
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
                let len = 0 $(+ view!(@one $head))* $(+ view!(@len $how, o, (self.1), $field))*;
                let mut state = serializer.serialize_struct($name, len)?;
                $(state.serialize_field(stringify!($head), $value)?;)*
                $(view!(@field state, $how, o, (self.1), $field, $key);)*
                state.end()
            }
        }
    };
    (@one $head:ident) => { 1 };
    (@len plain, $o:ident, $u:expr, $f:ident) => { 1 };
    (@len view, $o:ident, $u:expr, $f:ident) => { 1 };
    (@len user, $o:ident, $u:expr, $f:ident) => { usize::from($u.$f.is_some()) };
    (@len user_or_view, $o:ident, $u:expr, $f:ident) => { usize::from($u.$f.is_some() || $o.$f.is_some()) };
    (@len then_user, $o:ident, $u:expr, $f:ident) => { 1 };
    (@len pod_volumes, $o:ident, $u:expr, $f:ident) => { usize::from($o.$f.is_some() || !$u.$f.is_empty()) };
    (@len $how:ident, $o:ident, $u:expr, $f:ident) => { usize::from($o.$f.is_some()) };
    (@field $state:ident, plain, $o:ident, $u:expr, $f:ident, $key:literal) => {
        $state.serialize_field($key, &$o.$f)?
    };
    (@field $state:ident, view, $o:ident, $u:expr, $f:ident, $key:literal) => {
        $state.serialize_field($key, &View(&$o.$f, $u))?
    };
    (@field $state:ident, opt, $o:ident, $u:expr, $f:ident, $key:literal) => {
        if let Some(value) = &$o.$f {
            $state.serialize_field($key, value)?;
        }
    };
    (@field $state:ident, opt_view, $o:ident, $u:expr, $f:ident, $key:literal) => {
        if let Some(value) = &$o.$f {
            $state.serialize_field($key, &View(value, $u))?;
        }
    };
    (@field $state:ident, opt_views, $o:ident, $u:expr, $f:ident, $key:literal) => {
        if let Some(value) = &$o.$f {
            $state.serialize_field($key, &Views(value))?;
        }
    };
    (@field $state:ident, user, $o:ident, $u:expr, $f:ident, $key:literal) => {
        if let Some(value) = &$u.$f {
            $state.serialize_field($key, value)?;
        }
    };
    (@field $state:ident, user_or_view, $o:ident, $u:expr, $f:ident, $key:literal) => {
        match (&$u.$f, &$o.$f) {
            (Some(users), _) => $state.serialize_field($key, users)?,
            (None, Some(ours)) => $state.serialize_field($key, &View(ours, &NO_USER_POD))?,
            (None, None) => {}
        }
    };
    (@field $state:ident, pod_volumes, $o:ident, $u:expr, $f:ident, $key:literal) => {
        if $o.$f.is_some() || !$u.$f.is_empty() {
            $state.serialize_field($key, &OursThenUsers($o.$f.as_deref().unwrap_or_default(), &$u.$f[..]))?;
        }
    };
    (@field $state:ident, then_user, $o:ident, $u:expr, $f:ident, $key:literal) => {
        $state.serialize_field($key, &OursThenUsers(&$o.$f, &$u.$f[..]))?
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

// Rendering sets a ServiceAccount's metadata only.
view!(resource ServiceAccount {
    metadata: "metadata" view,
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

// Left out: `activeDeadlineSeconds` and `ephemeralContainers`, which no pod template may hold (`pod::overlay`).
view!(object PodSpec as "PodSpec" {
    affinity: "affinity" user_or_view,
    automount_service_account_token: "automountServiceAccountToken" opt,
    containers: "containers" then_user,
    dns_config: "dnsConfig" user,
    dns_policy: "dnsPolicy" opt,
    enable_service_links: "enableServiceLinks" opt,
    host_aliases: "hostAliases" opt,
    host_ipc: "hostIPC" opt,
    host_network: "hostNetwork" opt,
    host_pid: "hostPID" opt,
    host_users: "hostUsers" opt,
    hostname: "hostname" opt,
    hostname_override: "hostnameOverride" opt,
    image_pull_secrets: "imagePullSecrets" opt,
    init_containers: "initContainers" user,
    node_name: "nodeName" opt,
    node_selector: "nodeSelector" opt,
    os: "os" user,
    overhead: "overhead" opt,
    preemption_policy: "preemptionPolicy" opt,
    priority: "priority" opt,
    priority_class_name: "priorityClassName" opt,
    readiness_gates: "readinessGates" user,
    resource_claims: "resourceClaims" user,
    resources: "resources" opt,
    restart_policy: "restartPolicy" opt,
    runtime_class_name: "runtimeClassName" opt,
    scheduler_name: "schedulerName" opt,
    scheduling_gates: "schedulingGates" user,
    security_context: "securityContext" user,
    service_account: "serviceAccount" opt,
    service_account_name: "serviceAccountName" opt,
    set_hostname_as_fqdn: "setHostnameAsFQDN" opt,
    share_process_namespace: "shareProcessNamespace" opt,
    subdomain: "subdomain" opt,
    termination_grace_period_seconds: "terminationGracePeriodSeconds" opt,
    tolerations: "tolerations" opt,
    topology_spread_constraints: "topologySpreadConstraints" user,
    volumes: "volumes" pod_volumes,
    workload_ref: "workloadRef" opt,
});

// Only what the render builds itself (the node pods' anti-affinity); the user's affinity is JSON (`UserPod`).
view!(object Affinity as "Affinity" {
    pod_anti_affinity: "podAntiAffinity" opt,
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
