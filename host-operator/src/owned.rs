//! The kinds a REC owns, as one table: apply, watch and prune all walk it, so a kind cannot be applied without
//! being watched and pruned.
//!
//! The table says nothing about what is rendered (that is the core's job); it only maps a rendered object's
//! `apiVersion`/`kind` to the REST resource the client needs.

use kube::api::{ApiResource, GroupVersionKind};

/// One owned kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedKind {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    /// Whether objects of this kind that the spec no longer wants are deleted. Secrets never are: deleting
    /// credentials loses the cluster; they go with the REC through the owner reference.
    pub prune: bool,
}

impl OwnedKind {
    /// The REST resource of this kind.
    pub fn api_resource(&self) -> ApiResource {
        api_resource(self.api_version, self.kind, self.plural)
    }
}

/// Every kind the rendering may produce, in the order the core renders them.
pub const OWNED_KINDS: [OwnedKind; 9] = [
    owned("v1", "ServiceAccount", "serviceaccounts", true),
    owned("rbac.authorization.k8s.io/v1", "Role", "roles", true),
    owned("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true),
    owned("v1", "Secret", "secrets", false),
    owned("v1", "Service", "services", true),
    owned("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true),
    owned("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true),
    owned("apps/v1", "StatefulSet", "statefulsets", true),
    owned("apps/v1", "Deployment", "deployments", true),
];

const fn owned(api_version: &'static str, kind: &'static str, plural: &'static str, prune: bool) -> OwnedKind {
    OwnedKind {
        api_version,
        kind,
        plural,
        prune,
    }
}

/// The owned kind of a rendered object, by its `apiVersion` and `kind`.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static OwnedKind> {
    OWNED_KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// The Secret resource (credentials are looked up before rendering).
pub fn secret_resource() -> ApiResource {
    api_resource("v1", "Secret", "secrets")
}

/// The RedisEnterpriseCluster resource (storage version `v1`).
pub fn rec_resource() -> ApiResource {
    api_resource(
        &format!("{}/v1", rec_core::api::GROUP),
        rec_core::api::KIND,
        rec_core::api::PLURAL,
    )
}

fn api_resource(api_version: &str, kind: &str, plural: &str) -> ApiResource {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_and_group_kinds_map_to_rest_resources() {
        let sts = lookup("apps/v1", "StatefulSet").map(OwnedKind::api_resource);
        let sts = sts.expect("StatefulSet is owned");
        assert_eq!(
            (sts.group.as_str(), sts.version.as_str(), sts.plural.as_str()),
            ("apps", "v1", "statefulsets")
        );
        let svc = lookup("v1", "Service")
            .map(OwnedKind::api_resource)
            .expect("Service is owned");
        assert_eq!((svc.group.as_str(), svc.api_version.as_str()), ("", "v1"));
        assert!(lookup("v1", "Pod").is_none());
        let rec = rec_resource();
        assert_eq!(rec.api_version, "app.redislabs.com/v1");
        assert_eq!(rec.plural, "redisenterpriseclusters");
    }

    #[test]
    fn only_secrets_are_never_pruned() {
        let kept: Vec<_> = OWNED_KINDS.iter().filter(|k| !k.prune).map(|k| k.kind).collect();
        assert_eq!(kept, ["Secret"]);
    }
}
