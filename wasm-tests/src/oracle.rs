//! The API server's own rules for what the render sets, beyond the schema: a test oracle run over every golden
//! render and every render of the corpus. A schema check (`kubernetes-validate --strict`) accepts a Service of
//! type ExternalName without `externalName`, two containers of one name, or a mount of a volume the pod does not
//! have; the API server refuses each with 422. These are those checks, written down from the Kubernetes API's
//! validation (`pkg/apis/core/validation`, `pkg/apis/apps/validation`), for the fields the render sets.
//!
//! [`check`] judges one rendered set; [`immutable`] compares two renders of one cluster's StatefulSet (what
//! `kubectl apply` of the second over the first would be refused for).

use serde_json::Value;
use std::collections::BTreeSet;

/// Every rule the objects break, as `Kind/name: problem`.
pub fn check(objects: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for object in objects {
        let kind = object.get("kind").and_then(Value::as_str).unwrap_or("?");
        let name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("?");
        let mut problems = Vec::new();
        metadata(object, &mut problems);
        match kind {
            "Service" => service(object, &mut problems),
            "StatefulSet" => {
                workload(object, &mut problems);
                claim_templates(object, &mut problems);
            }
            "Deployment" => workload(object, &mut problems),
            "PersistentVolumeClaim" => {
                if let Some(spec) = object.get("spec") {
                    claim_spec(spec, "spec", &mut problems)
                }
            }
            "PodDisruptionBudget" => {
                let spec = object.get("spec");
                let min = spec.and_then(|s| s.get("minAvailable")).is_some();
                let max = spec.and_then(|s| s.get("maxUnavailable")).is_some();
                if min && max {
                    problems.push("spec: minAvailable and maxUnavailable are both set".into());
                }
            }
            _ => {}
        }
        out.extend(problems.into_iter().map(|p| format!("{kind}/{name}: {p}")));
    }
    out
}

/// A DNS-1123 label: 1-63 lowercase alphanumerics or '-', starting and ending alphanumeric.
fn dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

fn dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns_label)
}

/// A label value: empty, or at most 63 of [A-Za-z0-9._-] starting and ending alphanumeric.
fn label_value(s: &str) -> bool {
    let b = s.as_bytes();
    b.is_empty()
        || (b.len() <= 63
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric())
}

/// A qualified name (label and annotation keys): an optional DNS subdomain prefix and `/`, then a name part of at
/// most 63 characters as for label values (not empty).
fn qualified_name(s: &str) -> bool {
    let (prefix, name) = match s.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    prefix.is_none_or(dns_subdomain) && !name.is_empty() && label_value(name)
}

fn metadata(object: &Value, out: &mut Vec<String>) {
    let name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    if !dns_subdomain(name) {
        out.push(format!("metadata.name {name:?} is not a DNS-1123 subdomain"));
    }
    labels(object.pointer("/metadata/labels"), "metadata.labels", out);
    annotation_keys(object.pointer("/metadata/annotations"), "metadata.annotations", out);
}

fn labels(labels: Option<&Value>, path: &str, out: &mut Vec<String>) {
    for (k, v) in labels.and_then(Value::as_object).into_iter().flatten() {
        if !qualified_name(k) {
            out.push(format!("{path}: key {k:?} is not a qualified name"));
        }
        if !v.as_str().is_some_and(label_value) {
            out.push(format!("{path}[{k:?}]: value {v} is not a label value"));
        }
    }
}

fn annotation_keys(annotations: Option<&Value>, path: &str, out: &mut Vec<String>) {
    let map = annotations.and_then(Value::as_object);
    for k in map.into_iter().flatten().map(|(k, _)| k) {
        if !qualified_name(k) {
            out.push(format!("{path}: key {k:?} is not a qualified name"));
        }
    }
    let size: usize = map
        .into_iter()
        .flatten()
        .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
        .sum();
    if size > 256 * 1024 {
        out.push(format!("{path}: {size} bytes, over the 256 KiB the API server allows"));
    }
}

fn service(object: &Value, out: &mut Vec<String>) {
    let spec = object.get("spec").cloned().unwrap_or(Value::Null);
    let type_ = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP");
    let external = spec.get("externalName").and_then(Value::as_str).unwrap_or("");
    match type_ {
        "ExternalName" if external.is_empty() => out.push("spec.externalName: required for type ExternalName".into()),
        "ExternalName" => {}
        _ if !external.is_empty() => out.push(format!("spec.externalName: set on a {type_} Service")),
        _ => {}
    }
    let ports = spec.get("ports").and_then(Value::as_array).cloned().unwrap_or_default();
    if ports.is_empty() && type_ != "ExternalName" && spec.get("clusterIP").and_then(Value::as_str) != Some("None") {
        out.push("spec.ports: required".into());
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        if ports.len() > 1 && name.is_empty() {
            out.push(format!("spec.ports[{i}].name: required when there are several ports"));
        }
        if !names.insert(name.to_string()) {
            out.push(format!("spec.ports[{i}].name: {name:?} is used twice"));
        }
        if !p
            .get("port")
            .and_then(Value::as_i64)
            .is_some_and(|n| (1..=65535).contains(&n))
        {
            out.push(format!("spec.ports[{i}].port: not in 1..65535"));
        }
    }
}

fn workload(object: &Value, out: &mut Vec<String>) {
    let selector = object.pointer("/spec/selector/matchLabels").and_then(Value::as_object);
    let template_labels = object
        .pointer("/spec/template/metadata/labels")
        .and_then(Value::as_object);
    match selector {
        None => out.push("spec.selector: required".into()),
        Some(selector) if selector.is_empty() => out.push("spec.selector: empty (selects everything)".into()),
        Some(selector) => {
            for (k, v) in selector {
                if template_labels.and_then(|l| l.get(k)) != Some(v) {
                    out.push(format!(
                        "spec.template.metadata.labels: does not match the selector ({k}={v} missing)"
                    ));
                }
            }
        }
    }
    labels(
        object.pointer("/spec/template/metadata/labels"),
        "spec.template.metadata.labels",
        out,
    );
    annotation_keys(
        object.pointer("/spec/template/metadata/annotations"),
        "spec.template.metadata.annotations",
        out,
    );
    let Some(pod) = object.pointer("/spec/template/spec") else {
        out.push("spec.template.spec: required".into());
        return;
    };
    pod_spec(object, pod, out);
}

fn pod_spec(object: &Value, pod: &Value, out: &mut Vec<String>) {
    let list = |key: &str| pod.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let containers = list("containers");
    let init = list("initContainers");
    if containers.is_empty() {
        out.push("spec.template.spec.containers: required".into());
    }
    let mut volumes: BTreeSet<String> = BTreeSet::new();
    for (i, v) in list("volumes").iter().enumerate() {
        let name = v.get("name").and_then(Value::as_str).unwrap_or("");
        if !dns_label(name) {
            out.push(format!(
                "spec.template.spec.volumes[{i}].name: {name:?} is not a DNS-1123 label"
            ));
        }
        if !volumes.insert(name.to_string()) {
            out.push(format!("spec.template.spec.volumes[{i}].name: {name:?} is used twice"));
        }
    }
    // The claim templates of a StatefulSet are volumes of its pods too.
    for t in object
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = t.pointer("/metadata/name").and_then(Value::as_str)
            && !volumes.insert(name.to_string())
        {
            out.push(format!("spec.volumeClaimTemplates: {name:?} is also a pod volume"));
        }
    }
    let mut names = BTreeSet::new();
    for (list_name, items) in [("containers", &containers), ("initContainers", &init)] {
        for (i, c) in items.iter().enumerate() {
            let at = format!("spec.template.spec.{list_name}[{i}]");
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            if !dns_label(name) {
                out.push(format!("{at}.name: {name:?} is not a DNS-1123 label"));
            }
            if !names.insert(name.to_string()) {
                out.push(format!("{at}.name: {name:?} is used twice in the pod"));
            }
            if c.get("image").and_then(Value::as_str).is_none_or(str::is_empty) {
                out.push(format!("{at}.image: required"));
            }
            let mut mount_paths = BTreeSet::new();
            for (j, m) in c
                .get("volumeMounts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let volume = m.get("name").and_then(Value::as_str).unwrap_or("");
                if !volumes.contains(volume) {
                    out.push(format!(
                        "{at}.volumeMounts[{j}].name: {volume:?} is not a volume of the pod"
                    ));
                }
                let path = m.get("mountPath").and_then(Value::as_str).unwrap_or("");
                if path.is_empty() {
                    out.push(format!("{at}.volumeMounts[{j}].mountPath: required"));
                } else if !mount_paths.insert(path.to_string()) {
                    out.push(format!("{at}.volumeMounts[{j}].mountPath: {path:?} is mounted twice"));
                }
            }
            let mut port_names = BTreeSet::new();
            for (j, p) in c
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(port_name) = p.get("name").and_then(Value::as_str)
                    && (port_name.len() > 15 || !port_names.insert(port_name.to_string()))
                {
                    out.push(format!("{at}.ports[{j}].name: {port_name:?} is too long or used twice"));
                }
            }
            for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                if let Some(p) = c.get(probe) {
                    let handlers = ["exec", "httpGet", "tcpSocket", "grpc"]
                        .iter()
                        .filter(|h| p.get(**h).is_some())
                        .count();
                    if handlers != 1 {
                        out.push(format!("{at}.{probe}: {handlers} handlers; exactly one is required"));
                    }
                    if probe != "readinessProbe"
                        && p.get("successThreshold")
                            .and_then(Value::as_i64)
                            .is_some_and(|n| n != 1)
                    {
                        out.push(format!("{at}.{probe}.successThreshold: must be 1"));
                    }
                }
            }
            let resources = c.get("resources");
            for key in ["cpu", "memory"] {
                let request = resources.and_then(|r| r.pointer(&format!("/requests/{key}")));
                let limit = resources.and_then(|r| r.pointer(&format!("/limits/{key}")));
                if let (Some(request), Some(limit)) = (request, limit)
                    && let (Some(r), Some(l)) = (quantity(request), quantity(limit))
                    && r > l
                {
                    out.push(format!("{at}.resources.requests.{key}: more than the limit"));
                }
            }
        }
    }
}

fn quantity(value: &Value) -> Option<i128> {
    rec_core::quantity::parse(value.as_str()?).ok().map(|m| m.0)
}

fn claim_templates(object: &Value, out: &mut Vec<String>) {
    for (i, t) in object
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(spec) = t.get("spec") {
            claim_spec(spec, &format!("spec.volumeClaimTemplates[{i}].spec"), out);
        } else {
            out.push(format!("spec.volumeClaimTemplates[{i}].spec: required"));
        }
    }
}

fn claim_spec(spec: &Value, path: &str, out: &mut Vec<String>) {
    if spec
        .get("accessModes")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        out.push(format!("{path}.accessModes: at least one is required"));
    }
    match spec.pointer("/resources/requests/storage").and_then(quantity) {
        None => out.push(format!("{path}.resources.requests.storage: required")),
        Some(q) if q <= 0 => out.push(format!("{path}.resources.requests.storage: must be positive")),
        Some(_) => {}
    }
}

/// What the API server refuses when `new` is applied over `old` (two StatefulSets of one cluster): any change to
/// a spec field other than those it lets change (its message: "updates to statefulset spec for fields other than
/// 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy'
/// and 'minReadySeconds' are forbidden"; the in-memory API of host-operator's tests refuses the same).
pub fn immutable(old: &Value, new: &Value) -> Vec<String> {
    const MUTABLE: [&str; 7] = [
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    ];
    let empty = serde_json::Map::new();
    let fields = |v: &Value| {
        v.get("spec")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (old, new) = (fields(old), fields(new));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|k| !MUTABLE.contains(&k.as_str()) && old.get(*k) != new.get(*k))
        .map(|k| format!("spec.{k}: changed, and the API server forbids that"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts() -> Value {
        json!({"kind": "StatefulSet", "metadata": {"name": "rec", "labels": {"app": "x"}},
            "spec": {"selector": {"matchLabels": {"app": "x"}}, "serviceName": "rec",
              "template": {"metadata": {"labels": {"app": "x"}}, "spec": {
                "containers": [{"name": "node", "image": "i", "volumeMounts": [{"name": "data", "mountPath": "/d"}],
                  "readinessProbe": {"exec": {"command": ["true"]}}}],
                "volumes": [{"name": "creds", "secret": {}}]}},
              "volumeClaimTemplates": [{"metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})
    }

    #[test]
    fn a_sound_statefulset_passes() {
        assert_eq!(check(&[sts()]), Vec::<String>::new());
    }

    /// Each rule can fail: one broken object per rule.
    #[test]
    fn every_rule_catches_what_it_is_for() {
        type Breaking = fn(&mut Value);
        let broken: Vec<(Breaking, &str)> = vec![
            (
                |o| o["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["name"] = json!("nope"),
                "is not a volume of the pod",
            ),
            (
                |o| o["spec"]["template"]["spec"]["initContainers"] = json!([{"name": "node", "image": "i"}]),
                "is used twice in the pod",
            ),
            (
                |o| o["spec"]["template"]["metadata"]["labels"]["app"] = json!("y"),
                "does not match the selector",
            ),
            (
                |o| o["spec"]["volumeClaimTemplates"][0]["spec"]["resources"] = json!({}),
                "resources.requests.storage: required",
            ),
            (
                |o| o["spec"]["template"]["spec"]["volumes"][0]["name"] = json!("data"),
                "is also a pod volume",
            ),
            (
                |o| o["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["tcpSocket"] = json!({"port": 1}),
                "exactly one is required",
            ),
            (
                |o| o["metadata"]["labels"]["bad key!"] = json!("v"),
                "is not a qualified name",
            ),
            (
                |o| o["spec"]["template"]["spec"]["containers"][0]["image"] = json!(""),
                "image: required",
            ),
        ];
        for (breaking, expected) in broken {
            let mut object = sts();
            breaking(&mut object);
            let problems = check(&[object]);
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
        let external = json!({"kind": "Service", "metadata": {"name": "ui"},
            "spec": {"type": "ExternalName", "ports": [{"name": "ui", "port": 8443}]}});
        assert!(check(&[external])[0].contains("externalName: required"));
    }

    #[test]
    fn immutable_fields_are_compared_and_mutable_ones_are_not() {
        let mut new = sts();
        new["spec"]["replicas"] = json!(5);
        new["spec"]["template"]["metadata"]["labels"]["extra"] = json!("1");
        assert!(immutable(&sts(), &new).is_empty());
        new["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = json!("2Gi");
        assert_eq!(
            immutable(&sts(), &new),
            ["spec.volumeClaimTemplates: changed, and the API server forbids that"]
        );
    }
}
