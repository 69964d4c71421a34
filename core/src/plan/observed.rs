//! What the plan reads of the cluster: the node StatefulSet, its pods and their claims, taken from the raw
//! Kubernetes objects as the API server returns them (the operator passes what it fetched; the CLI passes
//! `kubectl get sts,pod,pvc -o json`). Read by JSON pointers, leniently: a field that is missing or of another
//! type reads as unknown, never as an error, since these objects were written by Kubernetes, not the user.
//!
//! Accepts `{"statefulSet": {...}, "pods": [...], "persistentVolumeClaims": [...]}` or a Kubernetes `List` whose
//! items are of those kinds.

use serde_json::Value;
use std::collections::BTreeMap;

use crate::render::TEMPLATE_HASH_ANNOTATION;

/// The cluster as observed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    pub statefulset: Option<Sts>,
    /// The node pods, by ordinal.
    pub pods: BTreeMap<i32, Pod>,
    /// The claims, by name.
    pub claims: BTreeMap<String, Claim>,
}

/// The node StatefulSet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sts {
    pub replicas: i32,
    /// The hash the render wrote into its pod template (`redis.io/template-hash`).
    pub template_hash: Option<String>,
    /// The pod template as stored (with the API server's defaults).
    pub template: Value,
    /// The first volume claim template, when there is one.
    pub claim_template: Option<ClaimTemplate>,
    pub service_name: Option<String>,
    pub selector: Value,
    pub deleting: bool,
}

/// The node claim template of the StatefulSet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimTemplate {
    pub size: Option<String>,
    pub storage_class: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
}

/// A node pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pod {
    pub name: String,
    /// The hash of the template it was created from (its `redis.io/template-hash` annotation).
    pub template_hash: Option<String>,
    pub ready: bool,
    pub deleting: bool,
    /// The image of its Redis Enterprise container: the version the node runs.
    pub node_image: Option<String>,
    /// Why it is not Ready, as Kubernetes says it (a waiting container's reason and message, the Ready
    /// condition's message, or the phase).
    pub why: Option<String>,
}

/// A persistent volume claim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claim {
    pub requested: Option<String>,
    pub capacity: Option<String>,
    /// `FileSystemResizePending`, `Resizing`... conditions that are True, with their messages.
    pub conditions: Vec<String>,
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// Reads the observed objects of the cluster whose StatefulSet is `name`.
pub fn read(observed: &Value, name: &str) -> Observed {
    let (mut statefulsets, mut pods, mut claims) = (Vec::new(), Vec::new(), Vec::new());
    let list = |key: &str| observed.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(items) = observed.get("items").and_then(Value::as_array) {
        for item in items {
            match item.get("kind").and_then(Value::as_str) {
                Some("StatefulSet") => statefulsets.push(item.clone()),
                Some("Pod") => pods.push(item.clone()),
                Some("PersistentVolumeClaim") => claims.push(item.clone()),
                _ => {}
            }
        }
    } else {
        statefulsets.extend(observed.get("statefulSet").filter(|s| s.is_object()).cloned());
        pods = list("pods");
        claims = list("persistentVolumeClaims");
    }
    Observed {
        statefulset: statefulsets
            .iter()
            .find(|s| str_at(s, "/metadata/name") == Some(name))
            .map(statefulset),
        pods: pods
            .iter()
            .filter_map(|p| {
                let pod_name = str_at(p, "/metadata/name")?;
                let ordinal = pod_name.strip_prefix(name)?.strip_prefix('-')?.parse::<i32>().ok()?;
                (ordinal >= 0).then(|| (ordinal, pod(p, pod_name)))
            })
            .collect(),
        claims: claims
            .iter()
            .filter_map(|c| Some((str_at(c, "/metadata/name")?.to_string(), claim(c))))
            .collect(),
    }
}

fn statefulset(s: &Value) -> Sts {
    let claim_template = s.pointer("/spec/volumeClaimTemplates/0").map(|t| ClaimTemplate {
        size: str_at(t, "/spec/resources/requests/storage").map(str::to_string),
        storage_class: str_at(t, "/spec/storageClassName").map(str::to_string),
        labels: t
            .pointer("/metadata/labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok()),
    });
    Sts {
        template_hash: s
            .pointer("/spec/template/metadata/annotations")
            .and_then(|a| a.get(TEMPLATE_HASH_ANNOTATION))
            .and_then(Value::as_str)
            .map(str::to_string),
        replicas: s
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .and_then(|r| i32::try_from(r).ok())
            .unwrap_or(1),
        template: s.pointer("/spec/template").cloned().unwrap_or(Value::Null),
        claim_template,
        service_name: str_at(s, "/spec/serviceName").map(str::to_string),
        selector: s.pointer("/spec/selector").cloned().unwrap_or(Value::Null),
        deleting: s.pointer("/metadata/deletionTimestamp").is_some_and(|t| !t.is_null()),
    }
}

fn pod(p: &Value, name: &str) -> Pod {
    let conditions = p
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let ready_condition = conditions.iter().find(|c| str_at(c, "/type") == Some("Ready"));
    let ready = ready_condition.is_some_and(|c| str_at(c, "/status") == Some("True"));
    Pod {
        name: name.to_string(),
        template_hash: p
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(TEMPLATE_HASH_ANNOTATION))
            .and_then(Value::as_str)
            .map(str::to_string),
        ready,
        deleting: p.pointer("/metadata/deletionTimestamp").is_some_and(|t| !t.is_null()),
        node_image: p
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| str_at(c, "/name") == Some(crate::render::NODE_CONTAINER))
            })
            .and_then(|c| str_at(c, "/image"))
            .map(str::to_string),
        why: (!ready).then(|| why_not_ready(p, ready_condition)).flatten(),
    }
}

/// The most specific reason Kubernetes gives for a pod not being Ready.
fn why_not_ready(p: &Value, ready: Option<&Value>) -> Option<String> {
    let statuses = p
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for c in statuses {
        let container = str_at(c, "/name").unwrap_or("a container");
        for state in ["waiting", "terminated"] {
            if let Some(reason) = str_at(c, &format!("/state/{state}/reason")) {
                let message = str_at(c, &format!("/state/{state}/message"))
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                return Some(format!("container {container} {state}: {reason}{message}"));
            }
        }
    }
    let condition = ready.and_then(|c| str_at(c, "/message").or_else(|| str_at(c, "/reason")));
    condition
        .map(str::to_string)
        .or_else(|| str_at(p, "/status/phase").map(|phase| format!("pod phase {phase}")))
}

fn claim(c: &Value) -> Claim {
    let conditions = c
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| str_at(c, "/status") == Some("True"))
        .filter_map(|c| {
            let type_ = str_at(c, "/type")?;
            Some(match str_at(c, "/message") {
                Some(m) => format!("{type_}: {m}"),
                None => type_.to_string(),
            })
        })
        .collect();
    Claim {
        requested: str_at(c, "/spec/resources/requests/storage").map(str::to_string),
        capacity: str_at(c, "/status/capacity/storage").map(str::to_string),
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_list_as_kubectl_prints_it() {
        let list = json!({"kind": "List", "items": [
            {"kind": "StatefulSet", "metadata": {"name": "rec", "generation": 4},
             "spec": {"replicas": 3, "volumeClaimTemplates": [{"metadata": {"name": "redis-enterprise-storage"},
                "spec": {"resources": {"requests": {"storage": "40Gi"}}}}],
                "template": {"metadata": {"annotations": {"redis.io/template-hash": "b"}}}}},
            {"kind": "Pod", "metadata": {"name": "rec-0", "annotations": {"redis.io/template-hash": "a"}},
             "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
            {"kind": "Pod", "metadata": {"name": "rec-1", "annotations": {"redis.io/template-hash": "b"}},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}],
               "containerStatuses": [{"name": "redis-enterprise-node",
                 "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}}}]}},
            {"kind": "Pod", "metadata": {"name": "rec-services-rigger-abc"}},
            {"kind": "PersistentVolumeClaim", "metadata": {"name": "redis-enterprise-storage-rec-0"},
             "spec": {"resources": {"requests": {"storage": "80Gi"}}},
             "status": {"capacity": {"storage": "40Gi"},
               "conditions": [{"type": "FileSystemResizePending", "status": "True"}]}},
        ]});
        let seen = read(&list, "rec");
        let sts = seen.statefulset.expect("the StatefulSet");
        assert_eq!((sts.replicas, sts.template_hash.as_deref()), (3, Some("b")));
        assert_eq!(seen.pods[&0].template_hash.as_deref(), Some("a"));
        assert_eq!(sts.claim_template.and_then(|t| t.size).as_deref(), Some("40Gi"));
        assert_eq!(seen.pods.keys().copied().collect::<Vec<_>>(), [0, 1]);
        assert!(seen.pods[&0].ready);
        assert_eq!(
            seen.pods[&1].why.as_deref(),
            Some("container redis-enterprise-node waiting: CrashLoopBackOff: back-off 5m0s")
        );
        let claim = &seen.claims["redis-enterprise-storage-rec-0"];
        assert_eq!(
            (claim.requested.as_deref(), claim.capacity.as_deref()),
            (Some("80Gi"), Some("40Gi"))
        );
        assert_eq!(claim.conditions, ["FileSystemResizePending"]);
    }

    #[test]
    fn anything_else_reads_as_nothing_observed() {
        for value in [
            json!(null),
            json!(3),
            json!({"pods": "x", "statefulSet": []}),
            json!({"items": [1, {}]}),
        ] {
            assert_eq!(read(&value, "rec"), Observed::default(), "{value}");
        }
    }
}
