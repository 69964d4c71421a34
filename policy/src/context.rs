//! A REDB's context from the cluster: every REC and every REDB, read through Kubewarden's Kubernetes host
//! capability (`list_resources_all`, which policy-server answers from a watch cache of the resources the policy
//! declares in `contextAwareResources`), each object cut down by a field mask to what the core's context rules read
//! (`rec_core`'s `redb/validate/context.rs` lists them).
//!
//! Why all of them, not one namespace: a REDB may belong to the REC of another namespace, and its name and port may
//! clash with a REDB of that REC in a third one. RECs are few; REDBs can be thousands, hence the masks: a masked
//! REDB is its metadata and five spec fields, about 0.2 KB, whatever else its spec holds.
//!
//! Why a trait: the module asks the host ([`Host`]); the native tests hand in a fake cluster, since the SDK's host
//! call does nothing outside wasm.

use kubewarden_policy_sdk::host_capabilities::kubernetes::{ListAllResourcesRequest, list_all_resources};
use rec_core::api::{GROUP, KIND as REC_KIND};
use rec_core::redb::{KIND as REDB_KIND, PLURAL as REDB_PLURAL, VERSION as REDB_VERSION};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// The API version the policy lists RECs in (the storage version; the API server converts).
pub const REC_API_VERSION: &str = "app.redislabs.com/v1";
/// The API version the policy lists REDBs in (the only one served).
pub const REDB_API_VERSION: &str = "app.redislabs.com/v1alpha1";

/// The REC fields the context rules read (dot paths; a path through an array applies to every item). policy-server
/// keeps `apiVersion`, `kind` and `metadata` whatever the mask says (minus `managedFields`); the metadata paths are
/// listed anyway, so a host that masked metadata too would still give the rules what they need.
pub const REC_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.userDefinedModules.name",
    "status.modules.name",
    "spec.redisUpgradePolicy",
    "spec.ossClusterSettings.externalAccessType",
    "spec.nodes",
    "spec.redisEnterpriseNodeResources.requests.memory",
    "spec.redisEnterpriseNodeResources.limits.memory",
];

/// The REDB fields the context rules read (see [`REC_FIELDS`]).
pub const REDB_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.redisEnterpriseCluster.name",
    "spec.databasePort",
    "spec.memorySize",
    "spec.rofRamSize",
    "spec.isRof",
    "spec.replication",
];

/// Where the context comes from.
pub trait Cluster {
    /// Every object of `kind` (`api_version`) in the cluster, with at least the `fields` (dot paths), or why not.
    fn list_all(&self, api_version: &str, kind: &str, fields: &[&str]) -> Result<Vec<Value>, String>;
}

/// The context of a REDB admission: every REC, then every REDB, each with its `kind` (the rules tell objects apart
/// by it; a host that masked it away is not trusted to have kept it). `Err` when either list fails: half a context
/// would be worse than none (no REDBs listed would hide a port clash; no RECs would reject every REDB for want of
/// its REC), so the caller validates without one and the report's `redb-no-context` warning says so.
pub fn fetch(cluster: &dyn Cluster) -> Result<Vec<Value>, String> {
    let mut objects = Vec::new();
    for (api_version, kind, fields) in [
        (REC_API_VERSION, REC_KIND, REC_FIELDS),
        (REDB_API_VERSION, REDB_KIND, REDB_FIELDS),
    ] {
        let listed = cluster.list_all(api_version, kind, fields)?;
        objects.extend(listed.into_iter().map(|mut object| {
            if let Value::Object(map) = &mut object {
                map.insert("kind".into(), Value::String(kind.into()));
            }
            object
        }));
    }
    Ok(objects)
}

/// The Kubernetes host capability, as the SDK calls it (`kubewarden`/`kubernetes`/`list_resources_all`).
pub struct Host;

impl Cluster for Host {
    fn list_all(&self, api_version: &str, kind: &str, fields: &[&str]) -> Result<Vec<Value>, String> {
        let request = ListAllResourcesRequest {
            api_version: api_version.into(),
            kind: kind.into(),
            label_selector: None,
            field_selector: None,
            field_masks: Some(fields.iter().map(|f| f.to_string()).collect::<BTreeSet<_>>()),
        };
        let listed = match kind {
            REC_KIND => list_all_resources::<Rec>(&request).map(|l| l.items.into_iter().map(|i| i.0).collect()),
            _ => list_all_resources::<Redb>(&request).map(|l| l.items.into_iter().map(|i| i.0).collect()),
        };
        listed.map_err(|e| e.to_string())
    }
}

/// The SDK's typed list call wants a `k8s_openapi` resource: these are the REC and the REDB as any JSON, named so
/// the SDK checks the answer is the list it asked for (`RedisEnterpriseClusterList` of `app.redislabs.com/v1`).
macro_rules! listed_as_json {
    ($name:ident, $api_version:expr, $version:expr, $kind:expr, $list_kind:expr, $plural:expr) => {
        #[derive(Clone, Deserialize)]
        #[serde(transparent)]
        struct $name(Value);

        impl k8s_openapi::Resource for $name {
            const API_VERSION: &'static str = $api_version;
            const GROUP: &'static str = GROUP;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = k8s_openapi::NamespaceResourceScope;
        }

        impl k8s_openapi::ListableResource for $name {
            const LIST_KIND: &'static str = $list_kind;
        }
    };
}

listed_as_json!(
    Rec,
    REC_API_VERSION,
    "v1",
    REC_KIND,
    "RedisEnterpriseClusterList",
    rec_core::api::PLURAL
);
listed_as_json!(
    Redb,
    REDB_API_VERSION,
    REDB_VERSION,
    REDB_KIND,
    "RedisEnterpriseDatabaseList",
    REDB_PLURAL
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Fake(Result<Vec<Value>, String>, Result<Vec<Value>, String>);

    impl Cluster for Fake {
        fn list_all(&self, _: &str, kind: &str, _: &[&str]) -> Result<Vec<Value>, String> {
            if kind == REC_KIND {
                self.0.clone()
            } else {
                self.1.clone()
            }
        }
    }

    #[test]
    fn recs_then_redbs_each_with_its_kind() {
        let fake = Fake(
            Ok(vec![json!({"metadata": {"name": "rec"}})]),
            Ok(vec![json!({"kind": "X"})]),
        );
        assert_eq!(
            fetch(&fake),
            Ok(vec![
                json!({"metadata": {"name": "rec"}, "kind": REC_KIND}),
                json!({"kind": REDB_KIND})
            ])
        );
    }

    #[test]
    fn either_list_failing_is_no_context() {
        assert!(fetch(&Fake(Err("down".into()), Ok(vec![]))).is_err());
        assert!(fetch(&Fake(Ok(vec![]), Err("down".into()))).is_err());
    }

    #[test]
    fn the_sdk_reads_a_list_answer_as_json_items() {
        let answer = json!({"apiVersion": REDB_API_VERSION, "kind": "RedisEnterpriseDatabaseList", "metadata": {},
                            "items": [{"metadata": {"name": "a"}, "spec": {"databasePort": 1}}]});
        let list: k8s_openapi::List<Redb> = serde_json::from_value(answer).unwrap();
        assert_eq!(list.items[0].0["spec"]["databasePort"], 1);
        let wrong = json!({"apiVersion": REDB_API_VERSION, "kind": "PodList", "items": []});
        assert!(serde_json::from_value::<k8s_openapi::List<Redb>>(wrong).is_err());
    }
}
