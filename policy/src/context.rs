//! A REDB's context from the cluster: every REC and every REDB, read through Kubewarden's Kubernetes host
//! capability (`list_resources_all`, which policy-server answers from a watch cache of the resources the policy
//! declares in `contextAwareResources`), each object cut down by a field mask to what the core's context rules read
//! (`rec_core::redb::CONTEXT_REC_FIELDS` and `CONTEXT_REDB_FIELDS`, beside the rules).
//!
//! Why all of them, not one namespace: a REDB may belong to the REC of another namespace, and its name and port may
//! clash with a REDB of that REC in a third one. RECs are few; REDBs can be thousands, hence the masks: a masked
//! REDB is its metadata (policy-server keeps it whole) and at most six spec fields, about 300 bytes, whatever else
//! its spec and status hold.
//!
//! Why a trait: the module asks the host ([`Host`]); the native tests hand in a fake cluster, since the SDK's host
//! call does nothing outside wasm.

use kubewarden_policy_sdk::host_capabilities::kubernetes::ListAllResourcesRequest;
use kubewarden_policy_sdk::wapc_guest;
use rec_core::api::KIND as REC_KIND;
use rec_core::redb::KIND as REDB_KIND;
use rec_core::redb::{CONTEXT_REC_FIELDS as REC_FIELDS, CONTEXT_REDB_FIELDS as REDB_FIELDS};
use serde_json::Value;
use std::collections::BTreeSet;

/// The API version the policy lists RECs in (the storage version; the API server converts).
pub const REC_API_VERSION: &str = "app.redislabs.com/v1";
/// The API version the policy lists REDBs in (the only one served).
pub const REDB_API_VERSION: &str = "app.redislabs.com/v1alpha1";

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

/// The Kubernetes host capability, called as the SDK's `list_all_resources` calls it (`kubewarden`/`kubernetes`/
/// `list_resources_all`, its `ListAllResourcesRequest`), but read as plain JSON: the SDK's typed wrapper reads
/// the answer into a `k8s_openapi::List` of a resource type, which links k8s-openapi's list and `ListMeta`
/// readers (10,854 bytes of the module after wasm-opt) for items the core reads as JSON anyway.
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
        let request = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let answer = wapc_guest::host_call("kubewarden", "kubernetes", "list_resources_all", &request)
            .map_err(|e| format!("kubernetes.list_resources_all: {e}"))?;
        items(&answer, api_version, kind)
    }
}

/// The items of a list answer, checked to be the list asked for (`<kind>List` of `api_version`).
pub fn items(answer: &[u8], api_version: &str, kind: &str) -> Result<Vec<Value>, String> {
    let mut list: Value = serde_json::from_slice(answer).map_err(|e| format!("the {kind} list: {e}"))?;
    let text = |key: &str| list.get(key).and_then(Value::as_str).map(str::to_string);
    if text("apiVersion").as_deref() != Some(api_version) || text("kind") != Some(format!("{kind}List")) {
        return Err(format!(
            "the host answered a list of {kind} with {:?} {:?}",
            text("apiVersion"),
            text("kind")
        ));
    }
    match list.get_mut("items").map(Value::take) {
        Some(Value::Array(items)) => Ok(items),
        Some(Value::Null) | None => Ok(Vec::new()),
        Some(_) => Err(format!("the {kind} list's items are not a list")),
    }
}

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
    fn a_list_answer_is_read_as_json_items_of_the_list_asked_for() {
        let answer = json!({"apiVersion": REDB_API_VERSION, "kind": "RedisEnterpriseDatabaseList", "metadata": {},
                            "items": [{"metadata": {"name": "a"}, "spec": {"databasePort": 1}}]});
        let listed = items(answer.to_string().as_bytes(), REDB_API_VERSION, REDB_KIND).unwrap();
        assert_eq!(listed[0]["spec"]["databasePort"], 1);
        let empty = json!({"apiVersion": REDB_API_VERSION, "kind": "RedisEnterpriseDatabaseList", "items": null});
        assert_eq!(
            items(empty.to_string().as_bytes(), REDB_API_VERSION, REDB_KIND),
            Ok(vec![])
        );
        for wrong in [
            json!({"apiVersion": REDB_API_VERSION, "kind": "PodList", "items": []}),
            json!({"apiVersion": "v1", "kind": "RedisEnterpriseDatabaseList", "items": []}),
            json!({"apiVersion": REDB_API_VERSION, "kind": "RedisEnterpriseDatabaseList", "items": {}}),
        ] {
            assert!(
                items(wrong.to_string().as_bytes(), REDB_API_VERSION, REDB_KIND).is_err(),
                "{wrong}"
            );
        }
        assert!(items(b"[", REDB_API_VERSION, REDB_KIND).is_err());
    }
}
