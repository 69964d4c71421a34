//! The context one REDB is validated against, picked from the watch cache. Pure: takes the cached objects,
//! returns the JSON the core reads.
//!
//! Every REC (they are few, and the core needs them all to tell which REC each other REDB belongs to), and of the
//! REDBs only those the rules can concern: a superset of "the other REDBs of the same REC" and of the
//! replica sources, so that a cluster-wide operator does not hand the core thousands of unrelated databases for
//! each one. The core makes the exact choice; this only leaves out what it would never look at.
//!
//! Bookkeeping the rules never read is dropped (`managedFields`, a REDB's status) to keep each call small.

use kube::api::{ApiResource, DynamicObject};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The context of `redb` (the REDB's JSON) among `recs` and `redbs`.
pub fn pick(redb: &Value, recs: &[Arc<DynamicObject>], redbs: &[Arc<DynamicObject>]) -> Vec<Value> {
    let namespace = text(redb, "/metadata/namespace");
    let named = text(redb, "/spec/redisEnterpriseCluster/name");
    // The RECs it can belong to: the one it names (in any namespace), else those of its namespace.
    let candidates: Vec<&DynamicObject> = recs
        .iter()
        .map(Arc::as_ref)
        .filter(|rec| match named {
            Some(name) => rec.metadata.name.as_deref() == Some(name),
            None => rec.metadata.namespace.as_deref() == namespace,
        })
        .collect();
    let names: BTreeSet<&str> = candidates
        .iter()
        .filter_map(|r| r.metadata.name.as_deref())
        .chain(named)
        .collect();
    let namespaces: BTreeSet<Option<&str>> = candidates
        .iter()
        .map(|r| r.metadata.namespace.as_deref())
        .chain([namespace])
        .collect();
    // A REDB of the same REC lives in that REC's namespace (naming it or not) or names it; replica sources are in
    // the REDB's own namespace.
    let peers = redbs.iter().filter(|peer| {
        let cluster = peer
            .data
            .pointer("/spec/redisEnterpriseCluster/name")
            .and_then(Value::as_str);
        namespaces.contains(&peer.metadata.namespace.as_deref()) || cluster.is_some_and(|c| names.contains(c))
    });
    recs.iter()
        .map(|rec| lean(rec, &crate::owned::rec_resource(), false))
        .chain(peers.map(|peer| lean(peer, &crate::owned::redb_resource(), true)))
        .collect()
}

/// `object` as the core reads it: with its `apiVersion` and `kind` (the core tells RECs from REDBs by `kind`,
/// and an object of a list may come without them) and without what no rule reads.
pub fn as_json(object: &DynamicObject, resource: &ApiResource) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Some(fields) = value.as_object_mut() {
        fields
            .entry("apiVersion")
            .or_insert_with(|| resource.api_version.clone().into());
        fields.entry("kind").or_insert_with(|| resource.kind.clone().into());
        if let Some(meta) = fields.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
    }
    value
}

fn text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

/// The object as JSON for the context; a REDB's status (the operator's and the database's) is never read.
fn lean(object: &DynamicObject, resource: &ApiResource, drop_status: bool) -> Value {
    let mut value = as_json(object, resource);
    if let (true, Some(fields)) = (drop_status, value.as_object_mut()) {
        fields.remove("status");
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(kind: &str, namespace: &str, name: &str, spec: Value) -> Arc<DynamicObject> {
        let value = json!({"apiVersion": "app.redislabs.com/v1", "kind": kind,
            "metadata": {"name": name, "namespace": namespace, "managedFields": [{"manager": "kubectl"}]},
            "spec": spec, "status": {"specStatus": "Valid"}});
        Arc::new(serde_json::from_value(value).expect("an object"))
    }

    fn names(context: &[Value]) -> Vec<String> {
        context
            .iter()
            .map(|o| {
                format!(
                    "{}/{}",
                    o["metadata"]["namespace"].as_str().unwrap_or(""),
                    o["metadata"]["name"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn every_rec_and_the_redbs_that_can_share_one() {
        let rec = |ns: &str, name: &str| object("RedisEnterpriseCluster", ns, name, json!({}));
        let db = |ns: &str, name: &str, cluster: Option<&str>| {
            let spec = cluster.map_or(json!({}), |c| json!({"redisEnterpriseCluster": {"name": c}}));
            object("RedisEnterpriseDatabase", ns, name, spec)
        };
        let recs = [rec("a", "rec"), rec("b", "other")];
        let redbs = [
            db("a", "here", None),
            db("c", "naming-it", Some("rec")),
            db("c", "naming-another", Some("other")),
            db("d", "elsewhere", None),
        ];
        let ours = serde_json::to_value(db("a", "mine", None).as_ref()).expect("JSON");
        let context = pick(&ours, &recs, &redbs);
        assert_eq!(names(&context), ["a/rec", "b/other", "a/here", "c/naming-it"]);
        assert!(context.iter().all(|o| o["metadata"].get("managedFields").is_none()));
        assert_eq!(context[0]["kind"], "RedisEnterpriseCluster");
        assert!(context[2].get("status").is_none() && context[0].get("status").is_some());

        // Naming a REC of another namespace: that namespace's REDBs are its peers too.
        let remote = serde_json::to_value(db("c", "remote", Some("rec")).as_ref()).expect("JSON");
        assert_eq!(
            names(&pick(&remote, &recs, &redbs)),
            ["a/rec", "b/other", "a/here", "c/naming-it", "c/naming-another"]
        );
        // An object of a list without its kind gets it back: the core tells RECs from REDBs by it.
        let mut bare = (*recs[0]).clone();
        bare.types = None;
        let rec = as_json(&bare, &crate::owned::rec_resource());
        assert_eq!(
            (rec["apiVersion"].as_str(), rec["kind"].as_str()),
            (Some("app.redislabs.com/v1"), Some("RedisEnterpriseCluster"))
        );
        // Garbage where the REC's name goes: read as naming none.
        let garbage = json!({"metadata": {"namespace": "d"}, "spec": {"redisEnterpriseCluster": 5}});
        assert_eq!(
            names(&pick(&garbage, &recs, &redbs)),
            ["a/rec", "b/other", "d/elsewhere"]
        );
    }
}
