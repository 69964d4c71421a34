//! A strict in-memory Kubernetes API server: it stores objects and refuses what the real API server refuses,
//! for the rules the operator's flows depend on. A `kube::Client` talks to it over HTTP-shaped requests, so the
//! operator's code runs unchanged, and `testing::faults` can sit in front of it.
//!
//! Written here rather than as a layer in front of kube-fake-client: the rules need the object *as it would be
//! stored* before anything is stored (a refused write must leave the object and its resourceVersion as they
//! were, and the fake has no dry run), deletion needs a "being deleted" state (the fake refuses any change of
//! `deletionTimestamp` and deletes at once, finalizers or not), and the fake bumps `generation` on every write
//! and leaves owner references dangling on `Orphan`. With all of that in one store the rules sit in one place.
//!
//! Modelled: create/get/list/replace/patch (JSON, merge, strategic merge, server-side apply)/delete and
//! delete-collection of the kinds in [`kinds`]; label and `metadata.name`/`metadata.namespace` field
//! selectors; the status subresource; uid, resourceVersion (one counter; a write that changes nothing does not
//! bump it), generation, creation and deletion timestamps from the shared [`Clock`]; optimistic concurrency; the
//! validation and defaults of [`rules`]; finalizers, graceful pod deletion and garbage collection ([`store`]);
//! `dryRun=All`; partial object metadata lists. Not modelled: watch (405), authentication and RBAC, admission
//! webhooks, schema validation, server-side apply conflicts and managedFields, API versions other than one per
//! resource, cluster-scoped resources.

pub mod errors;
pub mod kinds;
pub mod object;
pub mod patch;
pub mod rules;
pub mod store;

use errors::ApiError;
use http_body_util::BodyExt;
use jiff::Timestamp;
use kinds::Resource;
use kube::Client;
use kube::client::Body;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use store::{DeleteOptions, Deleted, Key, Propagation, Store};

/// The simulated wall clock every timestamp comes from: it only moves when a test (or the simulation) says so.
#[derive(Clone, Debug)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    /// 2025-01-01T00:00:00Z.
    const START: i64 = 1_735_689_600;

    pub fn now(&self) -> Timestamp {
        Timestamp::from_second(self.0.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self(Arc::new(AtomicI64::new(Self::START)))
    }
}

/// The in-memory API server. Cheap to clone: clones share the objects and the clock.
#[derive(Clone, Default)]
pub struct ApiServer {
    store: Arc<Mutex<Store>>,
    clock: Clock,
}

/// Read access to every stored object, for checks that must not go through the API (invariants, tests).
pub struct View<'a>(MutexGuard<'a, Store>);

impl View<'_> {
    /// The objects of `group`/`plural` in `namespace`, by name.
    pub fn list(&self, group: &str, plural: &str, namespace: &str) -> Vec<&Value> {
        self.0
            .objects()
            .iter()
            .filter(|(k, _)| k.resource.is(group, plural) && k.namespace == namespace)
            .map(|(_, o)| o)
            .collect()
    }

    pub fn get(&self, group: &str, plural: &str, namespace: &str, name: &str) -> Option<&Value> {
        self.0
            .objects()
            .iter()
            .find(|(k, _)| k.resource.is(group, plural) && k.namespace == namespace && k.name == name)
            .map(|(_, o)| o)
    }

    /// Every stored object.
    pub fn all(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.0.objects().iter()
    }
}

impl ApiServer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A server whose rules follow `options` (feature gates).
    pub fn with_options(options: rules::Options) -> Self {
        Self {
            store: Arc::new(Mutex::new(Store::new(options))),
            clock: Clock::default(),
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// A client of this server (default namespace [`crate::testing::NS`]).
    pub fn client(&self) -> Client {
        let server = self.clone();
        let service = tower::service_fn(move |request: http::Request<Body>| {
            let server = server.clone();
            async move { Ok::<_, std::convert::Infallible>(server.serve(request).await) }
        });
        Client::new(service, crate::testing::NS)
    }

    /// Every stored object, under the server's lock (do not hold it across an API call).
    pub fn view(&self) -> View<'_> {
        View(self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock is a failed test already; the objects are still readable.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn serve(&self, request: http::Request<Body>) -> http::Response<Body> {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes().to_vec(),
            Err(e) => return respond(Err(ApiError::bad_request(format!("unreadable body: {e}")))),
        };
        let header = |name: http::header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let call = Call {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: query(parts.uri.query().unwrap_or_default()),
            content_type: header(http::header::CONTENT_TYPE),
            accept: header(http::header::ACCEPT),
            body: &body,
        };
        let created = call.method == "POST";
        match self.handle(&call) {
            Ok(value) if created => respond_with(201, value),
            result => respond(result),
        }
    }

    fn handle(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let route = route(call.path)?;
        let now = self.clock.now();
        let dry_run = call.query.get("dryRun").is_some_and(|v| v == "All");
        let resource = route.resource;
        let mut store = self.lock();
        match (call.method, route.namespace.as_deref(), route.name.as_deref()) {
            ("GET", namespace, None) => {
                if call.query.get("watch").is_some_and(|w| w == "true" || w == "1") {
                    return Err(ApiError::method_not_allowed("watch"));
                }
                let items = select(store.list(resource, namespace), &call.query)?;
                Ok(list(resource, items, store.revision(), &call.accept))
            }
            ("GET", Some(namespace), Some(name)) => Ok(partial(store.get(resource, namespace, name)?, &call.accept)),
            ("POST", Some(namespace), None) => store.create(resource, namespace, call.json()?, now, dry_run),
            ("PUT", Some(namespace), Some(name)) => {
                store.update(resource, namespace, name, route.status, call.json()?, now, dry_run)
            }
            ("PATCH", Some(namespace), Some(name)) => {
                patch(&mut store, call, resource, namespace, name, route.status, now, dry_run)
            }
            ("DELETE", Some(namespace), Some(name)) => {
                let options = delete_options(call)?;
                match store.delete(resource, namespace, name, &options, now)? {
                    Deleted::Pending(object) => Ok(object),
                    Deleted::Gone(object) => Ok(json!({
                        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                        "details": { "name": name, "group": resource.group, "kind": resource.plural,
                                     "uid": object.pointer("/metadata/uid") },
                    })),
                }
            }
            ("DELETE", Some(namespace), None) => {
                let options = delete_options(call)?;
                let mut deleted = Vec::new();
                for item in select(store.list(resource, Some(namespace)), &call.query)? {
                    let name = object::name(&item).to_string();
                    match store.delete(resource, namespace, &name, &options, now)? {
                        Deleted::Pending(object) | Deleted::Gone(object) => deleted.push(object),
                    }
                }
                Ok(list(resource, deleted, store.revision(), ""))
            }
            (method, _, _) => Err(ApiError::method_not_allowed(&format!("{method} {}", call.path))),
        }
    }
}

/// One request, read.
struct Call<'a> {
    method: &'a str,
    path: &'a str,
    query: BTreeMap<String, String>,
    content_type: String,
    accept: String,
    body: &'a [u8],
}

impl Call<'_> {
    fn json(&self) -> Result<Value, ApiError> {
        serde_json::from_slice(self.body)
            .map_err(|e| ApiError::bad_request(format!("the body of the request is not JSON: {e}")))
    }
}

/// A PATCH: the patch is computed on the stored object, the result goes through the same checks as a PUT.
#[allow(clippy::too_many_arguments)]
fn patch(
    store: &mut Store,
    call: &Call<'_>,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    status: bool,
    now: Timestamp,
    dry_run: bool,
) -> Result<Value, ApiError> {
    let body = call.json()?;
    let media = call.content_type.split(';').next().unwrap_or_default().trim();
    if media == "application/apply-patch+yaml" {
        let Some(manager) = call.query.get("fieldManager").filter(|m| !m.is_empty()) else {
            return Err(ApiError::bad_request(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            ));
        };
        let manager = if status {
            format!("{manager}/status")
        } else {
            manager.clone()
        };
        let stored = match store.get(resource, namespace, name) {
            Ok(stored) => stored,
            Err(missing) if status => return Err(missing),
            Err(_) => {
                let mut object = body.clone();
                object["metadata"]["name"] = json!(name);
                let created = store.create(resource, namespace, object, now, dry_run)?;
                if !dry_run {
                    store.remember_applied(object::uid(&created), &manager, &body);
                }
                return Ok(created);
            }
        };
        let uid = object::uid(&stored).to_string();
        let candidate = patch::apply(&stored, &body, store.applied(&uid, &manager));
        let stored = store.update(resource, namespace, name, status, candidate, now, dry_run)?;
        if !dry_run {
            store.remember_applied(&uid, &manager, &body);
        }
        return Ok(stored);
    }
    let mut candidate = store.get(resource, namespace, name)?;
    match media {
        "application/json-patch+json" => patch::json(&mut candidate, &body).map_err(|e| {
            ApiError::bad_request(format!(
                "the server rejected our request due to an error in our request: {e}"
            ))
        })?,
        "application/merge-patch+json" => patch::merge(&mut candidate, &body),
        "application/strategic-merge-patch+json" if resource.group == rec_core::api::GROUP => {
            return Err(ApiError::unsupported_media_type(
                "strategic merge patch is not supported for custom resources",
            ));
        }
        "application/strategic-merge-patch+json" => patch::strategic(&mut candidate, &body),
        other => return Err(ApiError::unsupported_media_type(other)),
    }
    store.update(resource, namespace, name, status, candidate, now, dry_run)
}

/// Where a request goes.
struct Route {
    resource: &'static Resource,
    namespace: Option<String>,
    name: Option<String>,
    status: bool,
}

/// `/api/v1[/namespaces/<ns>]/<plural>[/<name>[/status]]` or the same under `/apis/<group>/<version>`.
fn route(path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (group, version, rest) = match segments.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Err(ApiError::not_served(path)),
    };
    let (namespace, rest) = match rest {
        ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (Some(namespace.to_string()), rest),
        rest => (None, rest),
    };
    let (plural, name, status) = match rest {
        [plural] => (*plural, None, false),
        [plural, name] => (*plural, Some(name.to_string()), false),
        [plural, name, "status"] => (*plural, Some(name.to_string()), true),
        _ => return Err(ApiError::not_served(path)),
    };
    let resource = kinds::find(group, version, plural).ok_or_else(|| ApiError::not_served(path))?;
    if name.is_some() && namespace.is_none() {
        return Err(ApiError::not_served(path));
    }
    if status && !resource.status {
        return Err(ApiError::not_served(path));
    }
    Ok(Route {
        resource,
        namespace,
        name,
        status,
    })
}

fn query(text: &str) -> BTreeMap<String, String> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The items `labelSelector` and `fieldSelector` (`metadata.name`, `metadata.namespace`) let through.
fn select(items: Vec<Value>, query: &BTreeMap<String, String>) -> Result<Vec<Value>, ApiError> {
    let mut items = items;
    if let Some(selector) = query.get("labelSelector").filter(|s| !s.is_empty()) {
        let mut kept = Vec::new();
        for item in items {
            let labels = object::labels(&item);
            if kube_fake_client::label_selector::matches_label_selector(&labels, selector)
                .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?
            {
                kept.push(item);
            }
        }
        items = kept;
    }
    if let Some(selector) = query.get("fieldSelector").filter(|s| !s.is_empty()) {
        for requirement in selector.split(',') {
            let (field, negate, value) = match requirement.split_once("!=") {
                Some((field, value)) => (field, true, value),
                None => {
                    let (field, value) = requirement.split_once('=').unwrap_or((requirement, ""));
                    (field, false, value.trim_start_matches('='))
                }
            };
            let pointer = match field {
                "metadata.name" => "/metadata/name",
                "metadata.namespace" => "/metadata/namespace",
                other => {
                    return Err(ApiError::bad_request(format!("field label not supported: {other}")));
                }
            };
            items.retain(|item| (object::str_at(item, pointer) == Some(value)) != negate);
        }
    }
    Ok(items)
}

fn delete_options(call: &Call<'_>) -> Result<DeleteOptions, ApiError> {
    let body: Value = if call.body.is_empty() { json!({}) } else { call.json()? };
    let policy = call
        .query
        .get("propagationPolicy")
        .cloned()
        .or_else(|| object::str_at(&body, "/propagationPolicy").map(str::to_string));
    let orphan = call
        .query
        .get("orphanDependents")
        .map(|v| v == "true")
        .or_else(|| body.get("orphanDependents").and_then(Value::as_bool));
    let propagation = match (policy.as_deref(), orphan) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"\": orphanDependents and deletionPropagation cannot be both set",
            ));
        }
        (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
        (Some("Foreground"), _) => Propagation::Foreground,
        (Some("Background") | None, _) => Propagation::Background,
        (Some(other), _) => {
            return Err(ApiError::bad_request(format!(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""
            )));
        }
    };
    let grace_period_seconds = call
        .query
        .get("gracePeriodSeconds")
        .and_then(|g| g.parse().ok())
        .or_else(|| body.get("gracePeriodSeconds").and_then(Value::as_i64));
    let dry_run = call.query.get("dryRun").is_some_and(|v| v == "All")
        || body
            .get("dryRun")
            .and_then(Value::as_array)
            .is_some_and(|d| d.iter().any(|v| v == "All"));
    Ok(DeleteOptions {
        propagation,
        grace_period_seconds,
        uid: object::str_at(&body, "/preconditions/uid").map(str::to_string),
        resource_version: object::str_at(&body, "/preconditions/resourceVersion").map(str::to_string),
        dry_run,
    })
}

/// Whether the client asked for metadata only (`Accept: ...;as=PartialObjectMetadata[List]`).
fn wants_metadata(accept: &str) -> bool {
    accept.contains("as=PartialObjectMetadata")
}

fn partial(object: Value, accept: &str) -> Value {
    if wants_metadata(accept) {
        json!({ "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata", "metadata": object["metadata"] })
    } else {
        object
    }
}

fn list(resource: &Resource, items: Vec<Value>, revision: u64, accept: &str) -> Value {
    let metadata = json!({ "resourceVersion": revision.to_string() });
    if wants_metadata(accept) {
        let items: Vec<Value> = items.into_iter().map(|o| partial(o, accept)).collect();
        return json!({ "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadataList", "metadata": metadata, "items": items });
    }
    json!({
        "apiVersion": resource.api_version(),
        "kind": format!("{}List", resource.kind),
        "metadata": metadata,
        "items": items,
    })
}

fn respond(result: Result<Value, ApiError>) -> http::Response<Body> {
    match result {
        Ok(value) => respond_with(200, value),
        Err(error) => respond_with(error.code, error.to_status()),
    }
}

fn respond_with(code: u16, body: Value) -> http::Response<Body> {
    let mut response = http::Response::new(Body::from(body.to_string().into_bytes()));
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_resources() {
        let r = route("/apis/apps/v1/namespaces/redis/statefulsets/rec/status").expect("routes");
        assert_eq!(
            (r.resource.kind, r.namespace.as_deref(), r.name.as_deref(), r.status),
            ("StatefulSet", Some("redis"), Some("rec"), true)
        );
        let all = route("/api/v1/pods").expect("routes");
        assert_eq!((all.resource.kind, all.namespace, all.name), ("Pod", None, None));
        assert_eq!(route("/api/v1/namespaces/redis/nodes").err().map(|e| e.code), Some(404));
        assert_eq!(
            route("/api/v1/namespaces/redis/secrets/s/status").err().map(|e| e.code),
            Some(404)
        );
    }

    #[test]
    fn queries_are_decoded() {
        let q = query("labelSelector=app%3Dredis%2Ctier+in+%28db%29&dryRun=All&x");
        assert_eq!(q["labelSelector"], "app=redis,tier in (db)");
        assert_eq!(q["dryRun"], "All");
        assert_eq!(q["x"], "");
        assert_eq!(decode("100%"), "100%");
    }
}
