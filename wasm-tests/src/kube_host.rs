//! The Kubernetes host capability of Kubewarden, served from test data: what policy-server answers a policy's
//! `kubewarden`/`kubernetes` host calls with, for the policy's context-aware tests and the bench.
//!
//! Operations and payloads are the SDK's (kubewarden-policy-sdk 0.17, `host_capabilities::kubernetes`):
//! `list_resources_all` (`ListAllResourcesRequest`), `list_resources_by_namespace` (`ListResourcesByNamespaceRequest`)
//! and `get_resource` (`GetResourceRequest`), all JSON with snake_case fields. A list is answered as policy-server
//! answers it (kube's `ObjectList` of its watch cache: `apiVersion`, `kind: <Kind>List`, `metadata`, `items`); an
//! object that is not there, or a selector (this host has no labels to select by), is an error.
//!
//! Field masks are applied as policy-server's reflector applies them (policy-evaluator `field_mask.rs`): to
//! everything but `apiVersion`, `kind` and `metadata`, which stay whole (policy-server only drops `managedFields`);
//! a path keeps that field with all it holds, a path through an array applies to each item, and no mask (or an empty
//! one) keeps the whole object. Objects are told apart by `kind` alone, with the API version they were written in:
//! the rules never read it, and the API server would convert it.
//!
//! [`KubernetesHost::unavailable`] answers every call with an error: a host that cannot give the context (no
//! `contextAwareResources`, the API server down), which the policy must take as "no context", as an entry point
//! that has none.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

/// The host's answers to the Kubernetes calls, from `objects` (or none at all).
pub struct KubernetesHost {
    objects: Option<Vec<Value>>,
    served: Mutex<Vec<Served>>,
    /// With [`KubernetesHost::cached`]: answers by request, each computed once.
    cache: Option<Mutex<HashMap<String, Answer>>>,
}

/// An answer's bytes, item count and first item.
type Answer = (Vec<u8>, usize, Value);

/// One call the host answered (or refused).
#[derive(Clone, Debug)]
pub struct Served {
    pub operation: String,
    /// The request as the policy sent it (JSON).
    pub request: Value,
    /// The answer's size in bytes (0 when refused).
    pub bytes: usize,
    /// The objects the answer held.
    pub items: usize,
    /// The answer itself, when it is small enough to keep for inspection (up to [`KEPT_ANSWER_BYTES`]), or the
    /// first of its items otherwise.
    pub sample: Value,
}

/// Answers at most this big are kept whole in [`Served::sample`].
pub const KEPT_ANSWER_BYTES: usize = 64 << 10;

/// The SDK's requests, every field they may carry (unknown ones are an error: the host would not understand them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    api_version: String,
    kind: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    label_selector: Option<String>,
    #[serde(default)]
    field_selector: Option<String>,
    #[serde(default)]
    field_masks: Option<BTreeSet<String>>,
    #[serde(default)]
    #[allow(dead_code, reason = "part of get_resource's request; this host has no cache to skip")]
    disable_cache: Option<bool>,
}

impl KubernetesHost {
    /// A cluster holding `objects` (RECs, REDBs, anything with a `kind`).
    pub fn new(objects: Vec<Value>) -> KubernetesHost {
        KubernetesHost {
            objects: Some(objects),
            served: Mutex::default(),
            cache: None,
        }
    }

    /// This host, answering a request it answered before from a cache, as policy-server answers from its watch
    /// cache of masked objects: a test of 10,000 objects in a debug build would otherwise spend most of the
    /// policy's time limit masking and writing JSON. [`KubernetesHost::warm`] fills it before the timed call.
    pub fn cached(mut self) -> KubernetesHost {
        self.cache = Some(Mutex::default());
        self
    }

    /// Answers the requests of `calls` (what another host served the same policy) into the cache.
    pub fn warm(&self, calls: &[Served]) {
        for call in calls {
            let _ = self.respond_cached(
                "kubewarden",
                "kubernetes",
                &call.operation,
                call.request.to_string().as_bytes(),
            );
        }
    }

    /// A host that refuses every Kubernetes call.
    pub fn unavailable() -> KubernetesHost {
        KubernetesHost {
            objects: None,
            served: Mutex::default(),
            cache: None,
        }
    }

    /// The calls answered so far, in order.
    pub fn served(&self) -> Vec<Served> {
        self.served.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The answer to one host call, as the waPC host callback gives it.
    pub fn answer(&self, binding: &str, namespace: &str, operation: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
        let request: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
        let answer = self.respond_cached(binding, namespace, operation, payload);
        let (bytes, items, sample) = match &answer {
            Ok((bytes, items, first)) => {
                let sample = if bytes.len() <= KEPT_ANSWER_BYTES {
                    serde_json::from_slice(bytes).unwrap_or(Value::Null)
                } else {
                    first.clone()
                };
                (bytes.len(), *items, sample)
            }
            Err(_) => (0, 0, Value::Null),
        };
        if let Ok(mut served) = self.served.lock() {
            served.push(Served {
                operation: operation.to_string(),
                request,
                bytes,
                items,
                sample,
            });
        }
        answer.map(|(bytes, ..)| bytes)
    }

    /// [`KubernetesHost::respond`], through the cache when there is one (keyed by the request as JSON, so the
    /// same request in another key order or spacing is the same).
    fn respond_cached(
        &self,
        binding: &str,
        namespace: &str,
        operation: &str,
        payload: &[u8],
    ) -> Result<Answer, String> {
        let Some(cache) = &self.cache else {
            return self.respond(binding, namespace, operation, payload);
        };
        let request: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
        let mut key: Vec<String> = request
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        key.sort_unstable();
        let key = format!("{binding}/{namespace}/{operation}?{}", key.join("&"));
        if let Some(answer) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(answer);
        }
        let answer = self.respond(binding, namespace, operation, payload)?;
        if let Ok(mut cache) = cache.lock() {
            cache.insert(key, answer.clone());
        }
        Ok(answer)
    }

    /// The answer's bytes, its item count and its first item.
    fn respond(&self, binding: &str, namespace: &str, operation: &str, payload: &[u8]) -> Result<Answer, String> {
        if (binding, namespace) != ("kubewarden", "kubernetes") {
            return Err(format!("unknown host capability {binding}/{namespace}/{operation}"));
        }
        let Some(objects) = &self.objects else {
            return Err("the Kubernetes host capability is not available".into());
        };
        let request: Request =
            serde_json::from_slice(payload).map_err(|e| format!("{operation}: unreadable request: {e}"))?;
        if request.label_selector.is_some() || request.field_selector.is_some() {
            return Err(format!("{operation}: selectors are not supported by the test host"));
        }
        let mask = request
            .field_masks
            .as_ref()
            .filter(|m| !m.is_empty())
            .map(MaskNode::new);
        let of_kind = objects
            .iter()
            .filter(|o| o.get("kind").and_then(Value::as_str) == Some(&request.kind));
        let in_namespace =
            |o: &&Value| o.pointer("/metadata/namespace").and_then(Value::as_str) == request.namespace.as_deref();
        let selected: Vec<Value> = match operation {
            "list_resources_all" => of_kind.map(|o| masked(o, mask.as_ref())).collect(),
            "list_resources_by_namespace" if request.namespace.is_some() => {
                of_kind.filter(in_namespace).map(|o| masked(o, mask.as_ref())).collect()
            }
            "get_resource" => {
                let named = |o: &&Value| o.pointer("/metadata/name").and_then(Value::as_str) == request.name.as_deref();
                let found = of_kind.filter(in_namespace).find(named).ok_or_else(|| {
                    format!(
                        "Cannot find {}/{} named '{:?}' inside of namespace '{:?}'",
                        request.api_version, request.kind, request.name, request.namespace
                    )
                })?;
                let object = masked(found, mask.as_ref());
                let bytes = serde_json::to_vec(&object).map_err(|e| e.to_string())?;
                return Ok((bytes, 1, object));
            }
            _ => return Err(format!("unknown operation kubernetes/{operation}")),
        };
        let first = selected.first().cloned().unwrap_or(Value::Null);
        let count = selected.len();
        let list = json!({
            "apiVersion": request.api_version,
            "kind": format!("{}List", request.kind),
            "metadata": {},
            "items": selected,
        });
        let bytes = serde_json::to_vec(&list).map_err(|e| e.to_string())?;
        Ok((bytes, count, first))
    }
}

/// A field mask as a tree of path segments; a leaf keeps everything below it.
#[derive(Default)]
pub struct MaskNode(BTreeMap<String, MaskNode>);

impl MaskNode {
    pub fn new<S: AsRef<str>>(paths: impl IntoIterator<Item = S>) -> MaskNode {
        let mut root = MaskNode::default();
        for path in paths {
            let mut node = &mut root;
            for part in path.as_ref().split('.') {
                node = node.0.entry(part.to_string()).or_default();
            }
        }
        root
    }
}

/// `object` as the host serves it under `mask`: `apiVersion`, `kind` and `metadata` (without `managedFields`)
/// whole, the rest pruned.
pub fn masked(object: &Value, mask: Option<&MaskNode>) -> Value {
    let Value::Object(map) = object else {
        return object.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "apiVersion" | "kind" => {
                out.insert(key.clone(), value.clone());
            }
            "metadata" => {
                let mut metadata = value.clone();
                if let Value::Object(m) = &mut metadata {
                    m.remove("managedFields");
                }
                out.insert(key.clone(), metadata);
            }
            _ => match mask {
                None => {
                    out.insert(key.clone(), value.clone());
                }
                Some(mask) => {
                    if let Some(node) = mask.0.get(key) {
                        out.insert(key.clone(), pruned(value, node));
                    }
                }
            },
        }
    }
    Value::Object(out)
}

fn pruned(value: &Value, node: &MaskNode) -> Value {
    if node.0.is_empty() {
        return value.clone();
    }
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| node.0.get(k).map(|child| (k.clone(), pruned(v, child))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|item| pruned(item, node)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_keeps_its_paths_through_arrays_and_the_identity_whole() {
        let object = json!({
            "apiVersion": "v", "kind": "K",
            "metadata": {"name": "a", "labels": {"x": "y"}, "managedFields": [{}]},
            "spec": {"modules": [{"name": "m", "version": "1"}], "nodes": 3, "other": true},
            "status": {"state": "Running"},
        });
        let mask = MaskNode::new(["spec.modules.name", "spec.nodes", "metadata.name"]);
        assert_eq!(
            masked(&object, Some(&mask)),
            json!({"apiVersion": "v", "kind": "K", "metadata": {"name": "a", "labels": {"x": "y"}},
                   "spec": {"modules": [{"name": "m"}], "nodes": 3}})
        );
        assert_eq!(masked(&object, None)["status"], object["status"]);
    }

    #[test]
    fn lists_by_kind_and_namespace_and_refuses_when_unavailable() {
        let host = KubernetesHost::new(vec![
            json!({"kind": "A", "metadata": {"name": "a", "namespace": "x"}}),
            json!({"kind": "A", "metadata": {"name": "b", "namespace": "y"}}),
            json!({"kind": "B", "metadata": {"name": "c", "namespace": "x"}}),
        ]);
        let all = host
            .answer(
                "kubewarden",
                "kubernetes",
                "list_resources_all",
                br#"{"api_version": "g/v1", "kind": "A"}"#,
            )
            .unwrap();
        let all: Value = serde_json::from_slice(&all).unwrap();
        assert_eq!(
            (all["kind"].clone(), all["items"].as_array().unwrap().len()),
            (json!("AList"), 2)
        );
        let request = br#"{"api_version": "g/v1", "kind": "A", "namespace": "y"}"#;
        let by_ns = host
            .answer("kubewarden", "kubernetes", "list_resources_by_namespace", request)
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&by_ns).unwrap()["items"][0]["metadata"]["name"],
            "b"
        );
        let get = br#"{"api_version": "g/v1", "kind": "B", "name": "c", "namespace": "x", "disable_cache": false}"#;
        assert!(host.answer("kubewarden", "kubernetes", "get_resource", get).is_ok());
        assert_eq!(host.served().len(), 3);
        assert!(
            KubernetesHost::unavailable()
                .answer(
                    "kubewarden",
                    "kubernetes",
                    "list_resources_all",
                    br#"{"api_version": "g/v1", "kind": "A"}"#
                )
                .is_err()
        );
    }
}
