//! The plan in words: a summary a person reads in ten seconds, a line per step, why a change halted. Every entry
//! point shows these same strings (the CLI, the admission warnings, the preview, the REC's status and events).

use super::{Action, Step, time};
use crate::render::TEMPLATE_HASH_ANNOTATION;
use crate::validate::Violation;
use serde_json::Value;

/// What a change does, as the flows found it.
pub(super) struct Change<'a> {
    pub name: &'a str,
    pub nodes: i32,
    pub creating: bool,
    pub recreating: bool,
    /// From and to.
    pub growth: Option<(String, String)>,
    pub claims: usize,
    /// The nodes to restart, in order.
    pub restarts: Vec<String>,
    pub template_changes: Vec<String>,
    /// Redis Enterprise from and to.
    pub upgrade: Option<(String, String)>,
    pub adding: Vec<String>,
}

/// One line per part of the change; "no change" when there is none.
pub(super) fn summary(c: &Change<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if c.creating {
        out.push(format!(
            "creates the cluster: {} nodes, started one at a time, each once the one before has joined",
            c.nodes
        ));
        return out;
    }
    if c.recreating {
        out.push(format!(
            "re-creates the StatefulSet {}, which adopts the running pods (no restart)",
            c.name
        ));
    }
    if let Some((from, to)) = &c.growth {
        out.push(format!(
            "expands {} volume(s) from {from} to {to}, waits until each has grown, then re-creates the StatefulSet \
             with the bigger claim template, keeping its pods (no restart)",
            c.claims
        ));
    }
    if !c.restarts.is_empty() {
        let why = if c.template_changes.is_empty() {
            String::new()
        } else {
            format!(": {}", c.template_changes.join("; "))
        };
        let upgrade = c
            .upgrade
            .as_ref()
            .map(|(from, to)| format!("upgrades Redis Enterprise {from} -> {to}: "))
            .unwrap_or_default();
        out.push(format!(
            "{upgrade}restarts {} node(s) one at a time ({}), each once the one before is back in the cluster{why}",
            c.restarts.len(),
            c.restarts.join(", ")
        ));
    } else if !c.template_changes.is_empty() {
        out.push(format!(
            "changes the pod template ({}); no node restarts yet",
            c.template_changes.join("; ")
        ));
    }
    if !c.adding.is_empty() {
        out.push(format!(
            "adds {} node(s) one at a time ({}), each once every node is Ready",
            c.adding.len(),
            c.adding.join(", ")
        ));
    }
    if out.is_empty() {
        out.push("no change to the running nodes".into());
    }
    out
}

/// A refused change: one line per reason.
pub(super) fn refused(violations: &[Violation]) -> Vec<String> {
    violations
        .iter()
        .map(|v| format!("refused: {} [{}]: {}", v.path, v.code, v.message))
        .collect()
}

/// What a step does.
pub(super) fn step(action: &Action) -> String {
    match action {
        Action::Apply { what } => what.clone(),
        Action::ExpandVolume { claim, size } => format!("raise the request of {claim} to {size}"),
        Action::WaitVolumes { size } => format!("wait until every node volume has grown to {size}"),
        Action::ReplaceStatefulSet => {
            "delete the StatefulSet, orphaning its pods (they keep running), to re-create it with the new claim \
             template"
                .into()
        }
        Action::RestartNode { pod } => format!("restart {pod} on the new pod template"),
        Action::AddNode { pod } => format!("add node {pod}"),
        Action::WaitNode { pod } => format!("wait until {pod} is Ready (joined the cluster)"),
    }
}

/// What `status.progress.step` records for a step: the same for the restart of a node and the wait for it, so
/// the time a node has been down counts from its restart.
pub(super) fn progress_key(action: &Action) -> String {
    match action {
        Action::RestartNode { pod } | Action::AddNode { pod } | Action::WaitNode { pod } => format!("node {pod}"),
        Action::ExpandVolume { size, .. } | Action::WaitVolumes { size } => format!("volumes {size}"),
        Action::ReplaceStatefulSet => "replace statefulset".into(),
        Action::Apply { .. } => "apply".into(),
    }
}

/// The current step, as the summary's last line.
pub(super) fn now(first: &Step) -> String {
    match &first.waiting {
        Some(why) => format!("now: {} — waiting: {why}", first.text),
        None => format!("now: {}", first.text),
    }
}

/// Why the change halted, and what a person does about it.
pub(super) fn halted(first: &Step, waited: i64, since: i64) -> String {
    let why = first.waiting.clone().unwrap_or_default();
    let what = match &first.action {
        Action::WaitNode { pod } => format!(
            "{pod} has not come back for {} (since {}): {why}. The change resumes by itself once {pod} is Ready; \
             fix what keeps it down (kubectl describe pod {pod}), or change the spec back to roll it back",
            time::human(waited),
            time::format(since)
        ),
        _ => format!(
            "{} has not happened for {} (since {}): {why}. Check that the storage class allows volume expansion \
             (allowVolumeExpansion); the change resumes by itself once every volume has grown",
            first.text,
            time::human(waited),
            time::format(since)
        ),
    };
    format!("halted: {what}")
}

/// What differs between two pod templates, container by container: images, resources, environment, health
/// checks, then the rest of the pod by field name. `observed`: `old` is as the API server stores it, with its
/// defaults, so only what `new` sets is compared (a field the server added is no difference).
pub(super) fn template_changes(old: &Value, new: &Value, predicted: bool) -> Vec<String> {
    let differs = |a: Option<&Value>, b: Option<&Value>| match (a, b) {
        (None, None) => false,
        (Some(a), Some(b)) if predicted => a != b,
        (Some(a), Some(b)) => !contains(a, b),
        (None, Some(_)) | (Some(_), None) => true,
    };
    let containers = |t: &Value| -> Vec<Value> {
        t.pointer("/spec/containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old_containers, new_containers) = (containers(old), containers(new));
    let mut out = Vec::new();
    for c in &new_containers {
        let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
        let Some(before) = old_containers.iter().find(|o| o.get("name") == c.get("name")) else {
            out.push(format!("adds container {name}"));
            continue;
        };
        if differs(before.get("image"), c.get("image")) {
            let image = |v: &Value| v.get("image").and_then(Value::as_str).unwrap_or("none").to_string();
            out.push(format!("{name} image {} -> {}", image(before), image(c)));
        }
        let mut parts = Vec::new();
        for (field, word) in [
            ("resources", "resources"),
            ("env", "environment"),
            ("volumeMounts", "volume mounts"),
            ("readinessProbe", "health checks"),
            ("livenessProbe", "health checks"),
            ("startupProbe", "health checks"),
            ("lifecycle", "health checks"),
            ("securityContext", "security context"),
            ("ports", "ports"),
        ] {
            if differs(before.get(field), c.get(field)) && !parts.contains(&word) {
                parts.push(word);
            }
        }
        if !parts.is_empty() {
            out.push(format!("{name} {}", parts.join(", ")));
        }
    }
    for c in &old_containers {
        if !new_containers.iter().any(|n| n.get("name") == c.get("name")) {
            let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
            out.push(format!("removes container {name}"));
        }
    }
    let mut fields = Vec::new();
    let empty = serde_json::Map::new();
    let pod = |t: &Value| {
        t.pointer("/spec")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (old_pod, new_pod) = (pod(old), pod(new));
    for (key, value) in new_pod.iter().filter(|(k, _)| *k != "containers") {
        if differs(old_pod.get(key), Some(value)) {
            fields.push(key.clone());
        }
    }
    for key in old_pod
        .keys()
        .filter(|k| *k != "containers" && !new_pod.contains_key(*k))
    {
        if predicted {
            fields.push(key.clone());
        }
    }
    let meta = |t: &Value, part: &str| {
        let mut m = t
            .pointer(&format!("/metadata/{part}"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone());
        m.remove(TEMPLATE_HASH_ANNOTATION);
        Value::Object(m)
    };
    for part in ["labels", "annotations"] {
        let (a, b) = (meta(old, part), meta(new, part));
        if (predicted && a != b) || (!predicted && !contains(&a, &b)) {
            fields.push(format!("pod {part}"));
        }
    }
    if !fields.is_empty() {
        out.push(format!("pod {}", fields.join(", ")));
    }
    out
}

/// Whether `have` holds every field of `want` with the same value (the API server adds defaults): how the plan
/// compares a stored template with a rendered one, and the operator a stored object with what it would apply.
pub fn contains(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Object(have), Value::Object(want)) => want
            .iter()
            .all(|(key, w)| have.get(key).is_some_and(|h| contains(h, w))),
        (Value::Array(have), Value::Array(want)) => {
            have.len() == want.len() && have.iter().zip(want).all(|(h, w)| contains(h, w))
        }
        _ => have == want,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_changes_name_the_container_and_the_field() {
        let old = json!({"metadata": {"annotations": {"redis.io/template-hash": "a"}},
            "spec": {"containers": [{"name": "node", "image": "r:1", "resources": {"limits": {"memory": "8Gi"}}},
                                    {"name": "side", "image": "s"}],
                     "tolerations": []}});
        let new = json!({"metadata": {"annotations": {"redis.io/template-hash": "b"}},
            "spec": {"containers": [{"name": "node", "image": "r:2", "resources": {"limits": {"memory": "16Gi"}}}],
                     "tolerations": [{"key": "x"}]}});
        assert_eq!(
            template_changes(&old, &new, true),
            [
                "node image r:1 -> r:2",
                "node resources",
                "removes container side",
                "pod tolerations"
            ]
        );
    }

    #[test]
    fn what_the_api_server_added_is_no_difference() {
        let stored = json!({"spec": {"containers": [{"name": "node", "image": "r:1",
            "terminationMessagePath": "/dev/termination-log"}], "dnsPolicy": "ClusterFirst"}});
        let rendered = json!({"spec": {"containers": [{"name": "node", "image": "r:1"}]}});
        assert!(template_changes(&stored, &rendered, false).is_empty());
        assert!(
            !template_changes(&stored, &rendered, true).is_empty(),
            "between two renders it is one"
        );
    }
}
