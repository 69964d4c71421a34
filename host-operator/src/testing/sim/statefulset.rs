//! The StatefulSet controller, one pass per StatefulSet, in the order of the real one
//! (`pkg/controller/statefulset`): claim pods, create what is missing, remove what is condemned, roll, report.
//!
//! - Revisions: a template's revision is `<set>-<hash>` (a short hash of the template's canonical JSON), kept
//!   as a ControllerRevision owned by the set (so an orphaned revision is adopted by a re-created set, as the
//!   pods are). Pods carry it as `controller-revision-hash`.
//! - Pods `<set>-<ordinal>` for ordinals `start..start+replicas`, with the template's labels and annotations,
//!   `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`, a controller reference to the set,
//!   `hostname`/`subdomain`, a node, and one volume per claim template pointing at claim
//!   `<template>-<set>-<ordinal>`, created first if missing (never deleted; owned by the set only with
//!   `persistentVolumeClaimRetentionPolicy.whenDeleted: Delete`).
//! - `OrderedReady` (default): one pod at a time, each once every lower ordinal is Running and Ready; scale
//!   down removes the highest ordinal first, one at a time, only while the others are healthy. `Parallel`: all at
//!   once.
//! - `RollingUpdate` (default): once every pod exists and is healthy, the highest ordinal >= `partition` not on
//!   the update revision is deleted, and the next only after its replacement is Ready. `OnDelete`: nothing is
//!   replaced; a deleted pod comes back at the update revision. A pod below the partition comes back at the
//!   current revision.
//! - Adoption: a pod named `<set>-<ordinal>` that matches the selector and has no controller gets the set as
//!   its controller.
//! - Status: `observedGeneration`, `replicas`, `readyReplicas`, `availableReplicas` (with `minReadySeconds`),
//!   `currentReplicas`, `updatedReplicas`, `currentRevision`, `updateRevision`. `currentRevision` becomes the
//!   update revision when a RollingUpdate completes; with OnDelete it stays (Kubernetes 1.33 behaves so:
//!   kubernetes/kubernetes#73492): count `updatedReplicas` instead.
//!
//! Not modelled: revision history limits, `whenScaled` retention, `maxUnavailable`, pod failure handling,
//! claims of a condemned pod, collision counts.

use super::kubelet::running_and_ready;
use super::{Error, Event, Progress, Sim};
use crate::testing::apiserver::object::{
    canonical, controller_of, labels, name, parse_time, selector_matches, str_at, terminating, uid,
};
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub(super) async fn step(sim: &mut Sim) -> Result<Progress, Error> {
    let mut progress = Progress::default();
    for set in sim.list("apps/v1", "StatefulSet", "statefulsets").await? {
        if !terminating(&set) {
            progress += reconcile(sim, &set).await?;
        }
    }
    Ok(progress)
}

/// The revision name of a pod template.
pub fn revision(set: &str, template: &Value) -> String {
    let digest = Sha256::digest(canonical(template).as_bytes());
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("{set}-{hash}")
}

/// What the pass needs to know about one set.
struct Set<'a> {
    object: &'a Value,
    namespace: String,
    name: String,
    uid: String,
    start: i64,
    replicas: i64,
    ordered: bool,
    rolling: bool,
    partition: i64,
}

impl<'a> Set<'a> {
    fn read(object: &'a Value) -> Self {
        let int = |pointer: &str, default: i64| object.pointer(pointer).and_then(Value::as_i64).unwrap_or(default);
        Self {
            object,
            namespace: str_at(object, "/metadata/namespace").unwrap_or_default().to_string(),
            name: name(object).to_string(),
            uid: uid(object).to_string(),
            start: int("/spec/ordinals/start", 0),
            replicas: int("/spec/replicas", 1),
            ordered: str_at(object, "/spec/podManagementPolicy") != Some("Parallel"),
            rolling: str_at(object, "/spec/updateStrategy/type") != Some("OnDelete"),
            partition: int("/spec/updateStrategy/rollingUpdate/partition", 0),
        }
    }

    fn selector(&self) -> &Value {
        self.object.pointer("/spec/selector").unwrap_or(&Value::Null)
    }

    fn ordinal_of(&self, pod: &str) -> Option<i64> {
        pod.strip_prefix(&self.name)?.strip_prefix('-')?.parse().ok()
    }

    fn owner_reference(&self) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet", "name": self.name, "uid": self.uid,
            "controller": true, "blockOwnerDeletion": true,
        })
    }
}

async fn reconcile(sim: &mut Sim, object: &Value) -> Result<Progress, Error> {
    let set = Set::read(object);
    let mut progress = Progress::default();
    let template = object.pointer("/spec/template").cloned().unwrap_or_default();
    let update_revision = revision(&set.name, &template);
    let revisions = revisions(sim, &set, &update_revision, &template, &mut progress).await?;
    let current_revision = str_at(object, "/status/currentRevision")
        .unwrap_or(&update_revision)
        .to_string();
    let pods = claim_pods(sim, &set, &mut progress).await?;

    let slots = set.start..set.start + set.replicas;
    let healthy = |pod: &Value| running_and_ready(pod) && !terminating(pod);
    let mut blocked = false;
    for ordinal in slots.clone() {
        match pods.get(&ordinal) {
            None => {
                let at_current = set.rolling && ordinal < set.partition && current_revision != update_revision;
                let (revision, template) = match (at_current, revisions.get(&current_revision)) {
                    (true, Some(old)) => (current_revision.clone(), old.clone()),
                    _ => (update_revision.clone(), template.clone()),
                };
                create_pod(sim, &set, ordinal, &revision, &template).await?;
                progress.writes += 1;
                blocked |= set.ordered;
            }
            Some(pod) if !healthy(pod) => blocked |= set.ordered,
            Some(_) => {}
        }
        if blocked {
            break;
        }
    }
    let condemned: Vec<&Value> = pods
        .iter()
        .rev()
        .filter(|(ordinal, _)| !slots.contains(ordinal))
        .map(|(_, pod)| pod)
        .collect();
    if !blocked {
        for pod in &condemned {
            if !terminating(pod) {
                delete_pod(sim, &set, pod).await?;
                progress.writes += 1;
            }
            if set.ordered {
                blocked = true;
                break;
            }
        }
    }
    if !blocked && condemned.is_empty() && set.rolling {
        for ordinal in slots.clone().rev().filter(|o| *o >= set.partition) {
            let Some(pod) = pods.get(&ordinal) else {
                break;
            };
            if pod_revision(pod) != update_revision && !terminating(pod) {
                delete_pod(sim, &set, pod).await?;
                progress.writes += 1;
                break;
            }
            if !healthy(pod) {
                break;
            }
        }
    }
    progress.writes += write_status(sim, &set, &pods, &current_revision, &update_revision).await?;
    Ok(progress)
}

fn pod_revision(pod: &Value) -> &str {
    str_at(pod, "/metadata/labels/controller-revision-hash").unwrap_or_default()
}

/// The set's pods by ordinal, after adopting orphans that match it.
async fn claim_pods(sim: &mut Sim, set: &Set<'_>, progress: &mut Progress) -> Result<BTreeMap<i64, Value>, Error> {
    let api = sim.api("v1", "Pod", "pods", Some(&set.namespace));
    let mut pods = BTreeMap::new();
    for pod in sim.list("v1", "Pod", "pods").await? {
        let Some(ordinal) = set.ordinal_of(name(&pod)) else {
            continue;
        };
        if str_at(&pod, "/metadata/namespace") != Some(set.namespace.as_str()) {
            continue;
        }
        match controller_of(&pod) {
            Some(owner) if owner["uid"] == set.uid.as_str() => {
                pods.insert(ordinal, pod);
            }
            None if !terminating(&pod) && selector_matches(set.selector(), &labels(&pod)) => {
                let adopted = adopt(&api, &pod, set.owner_reference()).await?;
                progress.writes += 1;
                let (step, name, uid) = (sim.step, name(&pod).to_string(), uid(&pod).to_string());
                sim.record(Event::PodAdopted {
                    step,
                    name,
                    uid,
                    owner: set.name.clone(),
                });
                pods.insert(ordinal, adopted);
            }
            _ => {}
        }
    }
    Ok(pods)
}

/// Adds `reference` to the object's owner references, conditioned on its resourceVersion.
async fn adopt(api: &Api<DynamicObject>, object: &Value, reference: Value) -> Result<Value, Error> {
    let mut references: Vec<Value> = object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    references.push(reference);
    let patch = json!({ "metadata": {
        "ownerReferences": references,
        "resourceVersion": object.pointer("/metadata/resourceVersion"),
    }});
    let adopted = api
        .patch(name(object), &PatchParams::default(), &Patch::Merge(&patch))
        .await?;
    Ok(serde_json::to_value(adopted)?)
}

/// The set's revisions (name -> template), the update revision created if missing; orphans are adopted.
async fn revisions(
    sim: &mut Sim,
    set: &Set<'_>,
    update_revision: &str,
    template: &Value,
    progress: &mut Progress,
) -> Result<BTreeMap<String, Value>, Error> {
    let api = sim.api(
        "apps/v1",
        "ControllerRevision",
        "controllerrevisions",
        Some(&set.namespace),
    );
    let mut revisions = BTreeMap::new();
    let mut highest = 0;
    for revision in sim.list("apps/v1", "ControllerRevision", "controllerrevisions").await? {
        let name = name(&revision).to_string();
        if str_at(&revision, "/metadata/namespace") != Some(set.namespace.as_str())
            || !name.starts_with(&format!("{}-", set.name))
        {
            continue;
        }
        let mine = match controller_of(&revision) {
            Some(owner) => owner["uid"] == set.uid.as_str(),
            None if selector_matches(set.selector(), &labels(&revision)) => {
                adopt(&api, &revision, set.owner_reference()).await?;
                progress.writes += 1;
                true
            }
            None => false,
        };
        if mine {
            highest = highest.max(revision["revision"].as_i64().unwrap_or(0));
            revisions.insert(
                name,
                revision.pointer("/data/spec/template").cloned().unwrap_or_default(),
            );
        }
    }
    if !revisions.contains_key(update_revision) {
        let mut revision_labels: Map<String, Value> = set
            .selector()
            .get("matchLabels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let hash = update_revision.rsplit('-').next().unwrap_or_default();
        revision_labels.insert("controller.kubernetes.io/hash".into(), json!(hash));
        let revision = json!({
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": { "name": update_revision, "labels": revision_labels, "ownerReferences": [set.owner_reference()] },
            "data": { "spec": { "template": template } },
            "revision": highest + 1,
        });
        api.create(&PostParams::default(), &serde_json::from_value(revision)?)
            .await?;
        progress.writes += 1;
        revisions.insert(update_revision.to_string(), template.clone());
    }
    Ok(revisions)
}

async fn create_pod(sim: &mut Sim, set: &Set<'_>, ordinal: i64, revision: &str, template: &Value) -> Result<(), Error> {
    let pod_name = format!("{}-{ordinal}", set.name);
    let claims = set
        .object
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut volumes: Vec<Value> = template
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for claim in &claims {
        let template_name = name(claim).to_string();
        let claim_name = format!("{template_name}-{}-{ordinal}", set.name);
        ensure_claim(sim, set, claim, &claim_name).await?;
        volumes.retain(|v| v["name"] != template_name.as_str());
        volumes.push(json!({ "name": template_name, "persistentVolumeClaim": { "claimName": claim_name } }));
    }
    let mut pod_labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    pod_labels.insert("controller-revision-hash".into(), json!(revision));
    pod_labels.insert("statefulset.kubernetes.io/pod-name".into(), json!(pod_name));
    pod_labels.insert("apps.kubernetes.io/pod-index".into(), json!(ordinal.to_string()));
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    spec["volumes"] = json!(volumes);
    spec["hostname"] = json!(pod_name);
    if let Some(service) = str_at(set.object, "/spec/serviceName") {
        spec["subdomain"] = json!(service);
    }
    spec["nodeName"] = json!(format!("sim-node-{ordinal}"));
    let mut metadata = json!({ "name": pod_name, "labels": pod_labels, "ownerReferences": [set.owner_reference()] });
    if let Some(annotations) = template.pointer("/metadata/annotations") {
        metadata["annotations"] = annotations.clone();
    }
    let pod = json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec });
    let api = sim.api("v1", "Pod", "pods", Some(&set.namespace));
    let created = serde_json::to_value(
        api.create(&PostParams::default(), &serde_json::from_value(pod)?)
            .await?,
    )?;
    let (step, uid) = (sim.step, uid(&created).to_string());
    sim.record(Event::PodCreated {
        step,
        name: pod_name,
        uid,
        revision: revision.to_string(),
    });
    Ok(())
}

/// Creates claim `name` from `template` unless it exists (an existing claim is used as it is).
async fn ensure_claim(sim: &mut Sim, set: &Set<'_>, template: &Value, name: &str) -> Result<(), Error> {
    let api = sim.api(
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        Some(&set.namespace),
    );
    if api.get_opt(name).await?.is_some() {
        return Ok(());
    }
    let mut claim_labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(selected) = set.selector().get("matchLabels").and_then(Value::as_object) {
        claim_labels.extend(selected.clone());
    }
    let mut metadata = json!({ "name": name, "labels": claim_labels });
    if str_at(set.object, "/spec/persistentVolumeClaimRetentionPolicy/whenDeleted") == Some("Delete") {
        let mut owner = set.owner_reference();
        owner["controller"] = json!(false);
        metadata["ownerReferences"] = json!([owner]);
    }
    let claim =
        json!({ "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata, "spec": template["spec"] });
    api.create(&PostParams::default(), &serde_json::from_value(claim)?)
        .await?;
    sim.record(Event::ClaimCreated {
        step: sim.step,
        name: name.to_string(),
    });
    Ok(())
}

async fn delete_pod(sim: &mut Sim, set: &Set<'_>, pod: &Value) -> Result<(), Error> {
    let api = sim.api("v1", "Pod", "pods", Some(&set.namespace));
    match api.delete(name(pod), &DeleteParams::default()).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 404 => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let (step, name, uid) = (sim.step, name(pod).to_string(), uid(pod).to_string());
    sim.record(Event::PodDeleted { step, name, uid });
    Ok(())
}

/// Writes the set's status if it changed; returns the writes made.
async fn write_status(
    sim: &Sim,
    set: &Set<'_>,
    pods: &BTreeMap<i64, Value>,
    current_revision: &str,
    update_revision: &str,
) -> Result<usize, Error> {
    let now = sim.server.clock().now();
    let min_ready = set
        .object
        .pointer("/spec/minReadySeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let (mut ready, mut available, mut current, mut updated) = (0, 0, 0, 0);
    for pod in pods.values() {
        if running_and_ready(pod) {
            ready += 1;
            let since = pod["status"]["conditions"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["type"] == "Ready"))
                .and_then(|c| parse_time(c.get("lastTransitionTime")));
            if since.is_some_and(|t| t + jiff::SignedDuration::from_secs(min_ready) <= now) {
                available += 1;
            }
        }
        if !terminating(pod) {
            current += i64::from(pod_revision(pod) == current_revision);
            updated += i64::from(pod_revision(pod) == update_revision);
        }
    }
    let complete = set.rolling && updated == set.replicas && ready == set.replicas;
    let (current_revision, current) = if complete {
        (update_revision, updated)
    } else {
        (current_revision, current)
    };
    let status = json!({
        "observedGeneration": set.object.pointer("/metadata/generation"),
        "replicas": pods.len(),
        "readyReplicas": ready,
        "availableReplicas": available,
        "currentReplicas": current,
        "updatedReplicas": updated,
        "currentRevision": current_revision,
        "updateRevision": update_revision,
        "collisionCount": 0,
    });
    if set.object.get("status") == Some(&status) {
        return Ok(0);
    }
    sim.write_status("statefulsets", set.object, status).await?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_follows_the_template_not_its_key_order() {
        let a = json!({ "metadata": { "labels": { "a": "1", "b": "2" } }, "spec": { "containers": [] } });
        let b: Value = serde_json::from_str(r#"{"spec":{"containers":[]},"metadata":{"labels":{"b":"2","a":"1"}}}"#)
            .expect("JSON");
        assert_eq!(revision("rec", &a), revision("rec", &b));
        let other = json!({ "spec": { "containers": [{ "name": "x" }] } });
        assert_ne!(revision("rec", &a), revision("rec", &other));
        assert_eq!(revision("rec", &a).len(), "rec-".len() + 10);
    }
}
