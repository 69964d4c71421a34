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
mod wire;

/// An HTTP answer with a JSON body, as the API server sends it (also how injected faults answer).
pub use wire::respond_with;

use errors::ApiError;
use http_body_util::BodyExt;
use jiff::Timestamp;
use kinds::Resource;
use kube::Client;
use kube::client::Body;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use store::{Deleted, Key, Store};
use wire::{Call, delete_options, list, partial, query, respond, route, select};

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
    if !body.is_object() && !call.content_type.starts_with("application/json-patch+json") {
        return Err(ApiError::bad_request("the body of the request is not a JSON object"));
    }
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
