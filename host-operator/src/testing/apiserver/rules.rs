//! What the API server adds to and refuses in an object, for the kinds whose rules the operator's flows run
//! into: the defaults a StatefulSet and a claim get on every write, and the validation of a create or an update
//! (immutable StatefulSet, claim, pod, Deployment selector and RoleBinding fields; claim shrinking; selectors
//! that must match the template; what no StatefulSet's or Deployment's pod template may hold). Messages are the
//! real API server's (without its Go struct dumps).
//!
//! Not modelled: schema validation (any field is accepted), most per-field format checks, admission plugins
//! (quota, limit ranges, default storage class, the claim resize plugin's storage class check).

use super::errors::Cause;
use super::kinds::Resource;
use super::object::{labels, quantity, selector_matches, semantic, str_at};
use serde_json::{Map, Value, json};

/// Switches that change a rule, as a feature gate does.
#[derive(Debug, Clone)]
pub struct Options {
    /// `RecoverVolumeExpansionFailure` (on by default since Kubernetes 1.32): a bound claim's request may be
    /// lowered, but not to or below `status.capacity`. Off, any decrease is refused ("less than previous value").
    pub recover_volume_expansion_failure: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            recover_volume_expansion_failure: true,
        }
    }
}

/// The fields of a StatefulSet's spec an update may change.
const STATEFULSET_MUTABLE: [&str; 7] = [
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
    "revisionHistoryLimit",
];

pub const STATEFULSET_FORBIDDEN: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', \
     'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
pub const CLAIM_IMMUTABLE: &str =
    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
pub const POD_IMMUTABLE: &str = "pod updates may not change fields other than `spec.containers[*].image`,\
     `spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing \
     tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// Fills the defaults the API server writes into `object` on every create and update.
pub fn default(resource: &Resource, object: &mut Value) {
    let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if resource.is("apps", "statefulsets") {
        default_statefulset(spec);
    } else if resource.is("", "persistentvolumeclaims") {
        spec.entry("volumeMode").or_insert(json!("Filesystem"));
    }
}

fn default_statefulset(spec: &mut Map<String, Value>) {
    spec.entry("replicas").or_insert(json!(1));
    spec.entry("podManagementPolicy").or_insert(json!("OrderedReady"));
    spec.entry("revisionHistoryLimit").or_insert(json!(10));
    let strategy = spec.entry("updateStrategy").or_insert(json!({}));
    if let Some(strategy) = strategy.as_object_mut() {
        let kind = strategy.entry("type").or_insert(json!("RollingUpdate")).clone();
        if kind == "RollingUpdate" {
            strategy.entry("rollingUpdate").or_insert(json!({ "partition": 0 }));
        }
    }
    let retention = spec.entry("persistentVolumeClaimRetentionPolicy").or_insert(json!({}));
    if let Some(retention) = retention.as_object_mut() {
        retention.entry("whenDeleted").or_insert(json!("Retain"));
        retention.entry("whenScaled").or_insert(json!("Retain"));
    }
    for template in spec
        .get_mut("volumeClaimTemplates")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(template) = template.as_object_mut() {
            template.entry("apiVersion").or_insert(json!("v1"));
            template.entry("kind").or_insert(json!("PersistentVolumeClaim"));
            if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("volumeMode").or_insert(json!("Filesystem"));
            }
        }
    }
}

/// Why a new object is refused (empty: accepted).
pub fn validate_create(resource: &Resource, object: &Value) -> Vec<Cause> {
    if resource.is("apps", "statefulsets") {
        workload(object, true)
    } else if resource.is("apps", "deployments") {
        workload(object, false)
    } else if resource.is("", "persistentvolumeclaims") {
        claim(object)
    } else {
        Vec::new()
    }
}

/// Why changing `old` into `new` is refused (empty: accepted). Both carry their defaults.
pub fn validate_update(resource: &Resource, old: &Value, new: &Value, options: &Options) -> Vec<Cause> {
    let mut causes = validate_create(resource, new);
    if resource.is("apps", "statefulsets") {
        let frozen = |o: &Value| {
            let mut spec = o.get("spec").cloned().unwrap_or_default();
            if let Some(spec) = spec.as_object_mut() {
                spec.retain(|k, _| !STATEFULSET_MUTABLE.contains(&k.as_str()));
            }
            semantic(&spec)
        };
        if frozen(old) != frozen(new) {
            causes.push(Cause::forbidden("spec", STATEFULSET_FORBIDDEN));
        }
    } else if resource.is("apps", "deployments") {
        immutable(
            &mut causes,
            old,
            new,
            "/spec/selector",
            "spec.selector",
            "field is immutable",
        );
    } else if resource.is("rbac.authorization.k8s.io", "rolebindings") {
        immutable(&mut causes, old, new, "/roleRef", "roleRef", "cannot change roleRef");
    } else if resource.is("", "persistentvolumeclaims") {
        claim_update(&mut causes, old, new, options);
    } else if resource.is("", "pods") {
        pod_update(&mut causes, old, new);
    }
    causes
}

fn immutable(causes: &mut Vec<Cause>, old: &Value, new: &Value, pointer: &str, field: &str, detail: &str) {
    let (was, now) = (old.pointer(pointer), new.pointer(pointer));
    if was.map(semantic) != now.map(semantic) {
        causes.push(Cause::invalid(field, now.cloned().unwrap_or_default(), detail));
    }
}

/// A StatefulSet's or a Deployment's selector, template labels, replicas and (StatefulSet) update strategy.
fn workload(object: &Value, statefulset: bool) -> Vec<Cause> {
    let mut causes = Vec::new();
    let selector = object.pointer("/spec/selector").cloned().unwrap_or_default();
    let template_labels = object
        .pointer("/spec/template/metadata/labels")
        .cloned()
        .unwrap_or_default();
    if semantic(&selector).as_object().is_none_or(Map::is_empty) {
        causes.push(Cause::invalid(
            "spec.selector",
            selector,
            "empty selector is invalid for statefulset",
        ));
    } else if !selector_matches(
        &selector,
        &labels(&json!({ "metadata": { "labels": template_labels } })),
    ) {
        causes.push(Cause::invalid(
            "spec.template.metadata.labels",
            template_labels,
            "`selector` does not match template `labels`",
        ));
    }
    if object
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .is_some_and(|r| r < 0)
    {
        let replicas = object.pointer("/spec/replicas").cloned().unwrap_or_default();
        causes.push(Cause::invalid(
            "spec.replicas",
            replicas,
            "must be greater than or equal to 0",
        ));
    }
    // What no pod template of these controllers may hold (`ValidatePodTemplateSpec`, and the apps validation of
    // a StatefulSet and of a Deployment's ReplicaSet template). A missing restart policy is defaulted to `Always`.
    let pod = object.pointer("/spec/template/spec");
    let field = |name: &str| pod.and_then(|p| p.get(name)).filter(|v| !v.is_null());
    if field("ephemeralContainers")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty())
    {
        causes.push(Cause::forbidden(
            "spec.template.spec.ephemeralContainers",
            "ephemeral containers not allowed in pod template",
        ));
    }
    if let Some(policy) = field("restartPolicy").filter(|p| p.as_str() != Some("Always")) {
        causes.push(Cause::not_supported(
            "spec.template.spec.restartPolicy",
            policy.clone(),
            "supported values: \"Always\"",
        ));
    }
    if field("activeDeadlineSeconds").is_some() {
        let owner = if statefulset { "StatefulSet" } else { "ReplicaSet" };
        causes.push(Cause::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            format!("activeDeadlineSeconds in {owner} is not Supported"),
        ));
    }
    if statefulset {
        let strategy = str_at(object, "/spec/updateStrategy/type");
        let rolling = object.pointer("/spec/updateStrategy/rollingUpdate");
        if strategy != Some("RollingUpdate") && rolling.is_some_and(|r| !r.is_null()) {
            causes.push(Cause::invalid(
                "spec.updateStrategy.rollingUpdate",
                rolling.cloned().unwrap_or_default(),
                "only allowed for updateStrategy 'RollingUpdate'",
            ));
        }
        if !matches!(strategy, Some("RollingUpdate" | "OnDelete") | None) {
            causes.push(Cause::invalid(
                "spec.updateStrategy.type",
                json!(strategy),
                "supported values: \"OnDelete\", \"RollingUpdate\"",
            ));
        }
    }
    causes
}

fn claim(object: &Value) -> Vec<Cause> {
    let mut causes = Vec::new();
    if object
        .pointer("/spec/accessModes")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        causes.push(Cause::required(
            "spec.accessModes",
            "at least 1 access mode is required",
        ));
    }
    match object.pointer("/spec/resources/requests/storage") {
        None => causes.push(Cause::required("spec.resources[storage]", "")),
        Some(storage) if quantity(storage).is_none_or(|q| q <= 0) => causes.push(Cause::invalid(
            "spec.resources[storage]",
            storage.clone(),
            "must be greater than zero",
        )),
        Some(_) => {}
    }
    causes
}

fn claim_update(causes: &mut Vec<Cause>, old: &Value, new: &Value, options: &Options) {
    let bound = str_at(old, "/status/phase") == Some("Bound");
    let spec = |o: &Value| o.get("spec").cloned().unwrap_or_default();
    let (mut was, mut now) = (spec(old), spec(new));
    for spec in [&mut was, &mut now] {
        if let Some(spec) = spec.as_object_mut() {
            spec.remove("volumeAttributesClassName");
        }
    }
    // The binder sets volumeName once; a class may be set once where none was.
    for (field, once) in [
        ("volumeName", "/spec/volumeName"),
        ("storageClassName", "/spec/storageClassName"),
    ] {
        if old.pointer(once).is_none_or(|v| v.is_null() || v == "")
            && let (Some(was), Some(now)) = (was.as_object_mut(), now.as_object())
        {
            match now.get(field) {
                Some(value) => was.insert(field.into(), value.clone()),
                None => was.remove(field),
            };
        }
    }
    // A bound claim's storage request may change (checked below); `was` and `now` are the specs.
    if bound
        && let Some(storage) = old.pointer("/spec/resources/requests/storage")
        && let Some(requests) = now.pointer_mut("/resources/requests").and_then(Value::as_object_mut)
    {
        requests.insert("storage".into(), storage.clone());
    }
    if semantic(&was) != semantic(&now) {
        causes.push(Cause::forbidden("spec", CLAIM_IMMUTABLE));
    }
    let size = |o: &Value, pointer: &str| o.pointer(pointer).and_then(quantity);
    let (Some(before), Some(after)) = (
        size(old, "/spec/resources/requests/storage"),
        size(new, "/spec/resources/requests/storage"),
    ) else {
        return;
    };
    if after >= before {
        return;
    }
    const FIELD: &str = "spec.resources.requests.storage";
    if !options.recover_volume_expansion_failure {
        causes.push(Cause::forbidden(FIELD, "field can not be less than previous value"));
    } else if after <= size(old, "/status/capacity/storage").unwrap_or(0) {
        causes.push(Cause::forbidden(FIELD, "field can not be less than status.capacity"));
    }
}

fn pod_update(causes: &mut Vec<Cause>, old: &Value, new: &Value) {
    let mutable = |o: &Value| {
        let mut spec = o.get("spec").cloned().unwrap_or_default();
        if let Some(spec) = spec.as_object_mut() {
            for field in ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"] {
                spec.remove(field);
            }
            for list in ["containers", "initContainers"] {
                for container in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                    if let Some(container) = container.as_object_mut() {
                        container.remove("image");
                    }
                }
            }
        }
        semantic(&spec)
    };
    if mutable(old) != mutable(new) {
        causes.push(Cause::forbidden("spec", POD_IMMUTABLE));
    }
}
