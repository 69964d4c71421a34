//! The kinds a REC owns come from the core's one table (`rec_core::render::KINDS`): apply, watch and prune all
//! walk it, so a kind the core starts rendering is applied, watched and pruned without a second list here.
//!
//! This module only maps a row (or a rendered object's `apiVersion`/`kind`) to the REST resource the client
//! needs. It says nothing about what is rendered.

use kube::api::{ApiResource, GroupVersionKind};
pub use rec_core::render::{KINDS, Kind, KindInfo};

/// The REST resource of an owned kind.
pub fn api_resource(info: &KindInfo) -> ApiResource {
    resource(info.api_version, info.kind.as_str(), info.plural)
}

/// The owned kind of a rendered object, by its `apiVersion` and `kind`.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind.as_str() == kind)
}

/// The Secret resource (the credentials secret is looked up before rendering).
pub fn secret_resource() -> ApiResource {
    api_resource(Kind::Secret.info())
}

/// Pods (not owned by the REC: the StatefulSet owns its pods; read and, one at a time, deleted by a roll).
pub fn pod_resource() -> ApiResource {
    resource("v1", "Pod", "pods")
}

/// The RedisEnterpriseCluster resource (storage version `v1`).
pub fn rec_resource() -> ApiResource {
    resource(
        &format!("{}/v1", rec_core::api::GROUP),
        rec_core::api::KIND,
        rec_core::api::PLURAL,
    )
}

/// The RedisEnterpriseDatabase resource (its one version, `v1alpha1`).
pub fn redb_resource() -> ApiResource {
    resource(
        &format!("{}/{}", rec_core::api::GROUP, rec_core::redb::VERSION),
        rec_core::redb::KIND,
        rec_core::redb::PLURAL,
    )
}

fn resource(api_version: &str, kind: &str, plural: &str) -> ApiResource {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_and_group_kinds_map_to_rest_resources() {
        let sts = api_resource(lookup("apps/v1", "StatefulSet").expect("StatefulSet is owned"));
        assert_eq!(
            (sts.group.as_str(), sts.version.as_str(), sts.plural.as_str()),
            ("apps", "v1", "statefulsets")
        );
        let svc = api_resource(lookup("v1", "Service").expect("Service is owned"));
        assert_eq!(
            (svc.group.as_str(), svc.api_version.as_str(), svc.kind.as_str()),
            ("", "v1", "Service")
        );
        assert!(lookup("v1", "Pod").is_none());
        assert!(lookup("v2", "Service").is_none());
        let rec = rec_resource();
        assert_eq!(rec.api_version, "app.redislabs.com/v1");
        assert_eq!(rec.plural, "redisenterpriseclusters");
        assert_eq!(secret_resource().plural, "secrets");
        let redb = redb_resource();
        assert_eq!(
            (redb.api_version.as_str(), redb.kind.as_str(), redb.plural.as_str()),
            (
                "app.redislabs.com/v1alpha1",
                "RedisEnterpriseDatabase",
                "redisenterprisedatabases"
            )
        );
    }
}
