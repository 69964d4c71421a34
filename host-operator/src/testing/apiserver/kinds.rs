//! The resources the in-memory API server serves: one table, so routing, list kinds, status subresources and
//! generation tracking cannot disagree. All are namespaced; a path for anything else answers 404 as an API
//! server without that resource would.

/// One REST resource.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Resource {
    /// API group, `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub kind: &'static str,
    /// Has a `status` subresource: the main resource ignores `status`, the subresource everything else.
    pub status: bool,
    /// `metadata.generation` counts changes outside `metadata` and `status` (as for custom resources and the
    /// workload kinds); other kinds keep generation 1.
    pub generation: bool,
}

impl Resource {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// How API errors name the resource: `statefulsets.apps`, `pods`.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// How validation errors name the kind: `StatefulSet.apps`, `Pod`.
    pub fn qualified_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_string()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }

    /// Whether this is `group`'s `plural`.
    pub fn is(&self, group: &str, plural: &str) -> bool {
        self.group == group && self.plural == plural
    }
}

const fn resource(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    status: bool,
    generation: bool,
) -> Resource {
    Resource {
        group,
        version,
        plural,
        kind,
        status,
        generation,
    }
}

/// Every served resource: what the operator owns (`rec_core::render::KINDS`), what the controllers make (pods,
/// controller revisions), what the operator writes besides (events, leases) and the REC itself.
pub const RESOURCES: &[Resource] = &[
    resource("", "v1", "pods", "Pod", true, false),
    resource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, false),
    resource("", "v1", "services", "Service", true, false),
    resource("", "v1", "secrets", "Secret", false, false),
    resource("", "v1", "configmaps", "ConfigMap", false, false),
    resource("", "v1", "serviceaccounts", "ServiceAccount", false, false),
    resource("", "v1", "events", "Event", false, false),
    resource("apps", "v1", "statefulsets", "StatefulSet", true, true),
    resource("apps", "v1", "deployments", "Deployment", true, true),
    resource("apps", "v1", "controllerrevisions", "ControllerRevision", false, false),
    resource(
        "policy",
        "v1",
        "poddisruptionbudgets",
        "PodDisruptionBudget",
        true,
        true,
    ),
    resource("rbac.authorization.k8s.io", "v1", "roles", "Role", false, false),
    resource(
        "rbac.authorization.k8s.io",
        "v1",
        "rolebindings",
        "RoleBinding",
        false,
        false,
    ),
    resource("events.k8s.io", "v1", "events", "Event", false, false),
    resource("coordination.k8s.io", "v1", "leases", "Lease", false, false),
    resource(
        rec_core::api::GROUP,
        "v1",
        rec_core::api::PLURAL,
        rec_core::api::KIND,
        true,
        true,
    ),
];

/// The resource at `group`/`version`/`plural`.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_owned_kind_is_served() {
        for kind in &rec_core::render::KINDS {
            let (group, version) = kind.api_version.split_once('/').unwrap_or(("", kind.api_version));
            let served = find(group, version, kind.plural).map(|r| r.kind);
            assert_eq!(served, Some(kind.kind.as_str()), "{kind:?}");
        }
        let sts = find("apps", "v1", "statefulsets").expect("served");
        assert_eq!(
            (sts.qualified(), sts.qualified_kind(), sts.api_version()),
            ("statefulsets.apps".into(), "StatefulSet.apps".into(), "apps/v1".into())
        );
        assert_eq!(find("", "v1", "pods").map(Resource::qualified), Some("pods".into()));
        assert!(find("", "v1", "nodes").is_none());
    }
}
