//! Every kind of object a REC owns, as one enum of typed objects ([`Owned`]) and one table ([`KINDS`]) the
//! operator uses to apply, watch and prune. Adding a kind means adding a variant, and the compiler then points at
//! every match that must learn it.

use super::view::View;
use super::{NO_USER_POD, UserPod};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret, Service, ServiceAccount};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use serde::Serialize;

/// One rendered object, typed. A workload comes with what the user adds to its pod template as JSON
/// ([`super::UserPod`]), which [`View`] writes into its pod spec.
#[derive(Clone, Debug, PartialEq)]
pub enum Owned {
    ServiceAccount(ServiceAccount),
    Role(Role),
    RoleBinding(RoleBinding),
    Secret(Secret),
    Service(Service),
    PodDisruptionBudget(PodDisruptionBudget),
    StatefulSet(StatefulSet, UserPod),
    Deployment(Deployment, UserPod),
    PersistentVolumeClaim(PersistentVolumeClaim),
}

/// The kinds, without their objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    ServiceAccount,
    Role,
    RoleBinding,
    Secret,
    Service,
    PodDisruptionBudget,
    StatefulSet,
    Deployment,
    PersistentVolumeClaim,
}

/// What a host needs to address a kind through the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindInfo {
    pub kind: Kind,
    /// `group/version`, or `v1` for the core group.
    pub api_version: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    /// Whether the operator may delete an object of this kind that the REC owns but the render left out.
    /// False for `Secret`: the credentials secret is rendered only while it does not exist, so its absence
    /// from a render never means "delete it". False for `PersistentVolumeClaim`: a claim holds the user's data
    /// (the broker's, when the broker is turned off), and the operator never deletes data.
    pub prune: bool,
}

const fn info(kind: Kind, api_version: &'static str, plural: &'static str, prune: bool) -> KindInfo {
    KindInfo {
        kind,
        api_version,
        plural,
        namespaced: true,
        prune,
    }
}

/// Every kind a REC owns, in apply order.
pub const KINDS: [KindInfo; 9] = [
    info(Kind::ServiceAccount, "v1", "serviceaccounts", true),
    info(Kind::Role, "rbac.authorization.k8s.io/v1", "roles", true),
    info(Kind::RoleBinding, "rbac.authorization.k8s.io/v1", "rolebindings", true),
    info(Kind::Secret, "v1", "secrets", false),
    info(Kind::Service, "v1", "services", true),
    info(Kind::PodDisruptionBudget, "policy/v1", "poddisruptionbudgets", true),
    info(Kind::StatefulSet, "apps/v1", "statefulsets", true),
    info(Kind::Deployment, "apps/v1", "deployments", true),
    info(Kind::PersistentVolumeClaim, "v1", "persistentvolumeclaims", false),
];

impl Kind {
    /// This kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        // The table lists every kind in declaration order; the index is the discriminant.
        &KINDS[self as usize]
    }

    /// The `kind` field of its objects.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Role => "Role",
            Kind::RoleBinding => "RoleBinding",
            Kind::Secret => "Secret",
            Kind::Service => "Service",
            Kind::PodDisruptionBudget => "PodDisruptionBudget",
            Kind::StatefulSet => "StatefulSet",
            Kind::Deployment => "Deployment",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
        }
    }
}

impl Owned {
    /// The kind of this object.
    pub fn kind(&self) -> Kind {
        match self {
            Owned::ServiceAccount(_) => Kind::ServiceAccount,
            Owned::Role(_) => Kind::Role,
            Owned::RoleBinding(_) => Kind::RoleBinding,
            Owned::Secret(_) => Kind::Secret,
            Owned::Service(_) => Kind::Service,
            Owned::PodDisruptionBudget(_) => Kind::PodDisruptionBudget,
            Owned::StatefulSet(..) => Kind::StatefulSet,
            Owned::Deployment(..) => Kind::Deployment,
            Owned::PersistentVolumeClaim(_) => Kind::PersistentVolumeClaim,
        }
    }

    /// The object as JSON, with its `apiVersion` and `kind` (through [`written_value`]).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        written_value(self)
    }
}

/// `value` as JSON, written as bytes and read back rather than with `serde_json::to_value`: the same `Value` (keys
/// in order, the same numbers: rendered objects and plans hold no floats), but every rendered kind's `Serialize`
/// is then compiled for one serializer (the writer the ABI answers with) instead of two. Each `to_value` of
/// something holding rendered objects (an object, a plan) was a second copy of the kinds' serialization code in
/// the browser build (about 120 KB before `wasm-opt`). Reading back cannot hit serde_json's nesting limit (128):
/// the kinds' types nest about 15 deep.
pub fn written_value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice(&serde_json::to_vec(value)?)
}

/// The object itself, with its `apiVersion` and `kind` (no tag of the enum): the ABI writes rendered objects
/// straight to its answer with this, never through a `serde_json::Value`. Written through [`View`]: as
/// k8s-openapi writes it, without the `status` and the timestamps rendering never sets (see `view.rs`).
impl Serialize for Owned {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Owned::ServiceAccount(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::Role(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::RoleBinding(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::Secret(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::Service(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::PodDisruptionBudget(o) => View(o, &NO_USER_POD).serialize(serializer),
            Owned::StatefulSet(o, user) => View(o, user).serialize(serializer),
            Owned::Deployment(o, user) => View(o, user).serialize(serializer),
            Owned::PersistentVolumeClaim(o) => View(o, &NO_USER_POD).serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_kind_at_its_own_index() {
        for (i, row) in KINDS.iter().enumerate() {
            assert_eq!(row.kind as usize, i, "{:?} is out of place", row.kind);
            assert_eq!(row.kind.info(), row);
        }
    }

    #[test]
    fn api_versions_match_the_typed_objects() {
        use k8s_openapi::Resource;
        let typed = [
            (
                Kind::ServiceAccount,
                ServiceAccount::API_VERSION,
                ServiceAccount::URL_PATH_SEGMENT,
            ),
            (Kind::Role, Role::API_VERSION, Role::URL_PATH_SEGMENT),
            (
                Kind::RoleBinding,
                RoleBinding::API_VERSION,
                RoleBinding::URL_PATH_SEGMENT,
            ),
            (Kind::Secret, Secret::API_VERSION, Secret::URL_PATH_SEGMENT),
            (Kind::Service, Service::API_VERSION, Service::URL_PATH_SEGMENT),
            (
                Kind::PodDisruptionBudget,
                PodDisruptionBudget::API_VERSION,
                PodDisruptionBudget::URL_PATH_SEGMENT,
            ),
            (
                Kind::StatefulSet,
                StatefulSet::API_VERSION,
                StatefulSet::URL_PATH_SEGMENT,
            ),
            (Kind::Deployment, Deployment::API_VERSION, Deployment::URL_PATH_SEGMENT),
            (
                Kind::PersistentVolumeClaim,
                PersistentVolumeClaim::API_VERSION,
                PersistentVolumeClaim::URL_PATH_SEGMENT,
            ),
        ];
        assert_eq!(typed.len(), KINDS.len());
        for (kind, api_version, plural) in typed {
            assert_eq!(kind.info().api_version, api_version);
            assert_eq!(kind.info().plural, plural);
        }
    }
}
