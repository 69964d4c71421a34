//! The objects and what a write does to them, under one lock: system metadata (uid, resourceVersion,
//! generation, timestamps), the status subresource split, optimistic concurrency and the rules of [`rules`].
//! Deletion and garbage collection are in [`deletion`].

mod deletion;

use super::errors::{ApiError, Cause};
use super::kinds::{RESOURCES, Resource};
use super::object::{semantic, str_at, terminating, time};
use super::rules::{self, Options};
use jiff::Timestamp;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// Where an object lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub resource: &'static Resource,
    pub namespace: String,
    pub name: String,
}

/// How a delete treats the object's dependents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// The options of a DELETE (query and body together).
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    pub grace_period_seconds: Option<i64>,
    pub uid: Option<String>,
    pub resource_version: Option<String>,
    pub dry_run: bool,
}

/// What a DELETE did.
#[derive(Debug, Clone)]
pub enum Deleted {
    /// The object is gone (its last state).
    Gone(Value),
    /// The object is being deleted (it now carries a deletionTimestamp).
    Pending(Value),
}

#[derive(Default)]
pub struct Store {
    objects: BTreeMap<Key, Value>,
    /// What each field manager last applied, by (uid, manager): the fields server-side apply lets it remove.
    applied: HashMap<(String, String), Value>,
    revision: u64,
    serial: u64,
    pub options: Options,
}

impl Store {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    /// The latest resourceVersion handed out.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn objects(&self) -> &BTreeMap<Key, Value> {
        &self.objects
    }

    pub fn get(&self, resource: &'static Resource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.objects
            .get(&key(resource, namespace, name))
            .cloned()
            .ok_or_else(|| ApiError::not_found(resource, name))
    }

    /// Every object of `resource`, in one namespace or all, ordered by namespace and name.
    pub fn list(&self, resource: &'static Resource, namespace: Option<&str>) -> Vec<Value> {
        self.objects
            .iter()
            .filter(|(k, _)| k.resource == resource && namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, o)| o.clone())
            .collect()
    }

    /// What `manager` applied to the object with `uid` last time.
    pub fn applied(&self, uid: &str, manager: &str) -> Option<&Value> {
        self.applied.get(&(uid.to_string(), manager.to_string()))
    }

    /// Remembers what `manager` applied (kept only if the write is stored).
    pub fn remember_applied(&mut self, uid: &str, manager: &str, config: &Value) {
        self.applied
            .insert((uid.to_string(), manager.to_string()), config.clone());
    }

    fn next_revision(&mut self, object: &mut Value, dry_run: bool) {
        let revision = if dry_run {
            self.revision + 1
        } else {
            self.revision += 1;
            self.revision
        };
        object["metadata"]["resourceVersion"] = json!(revision.to_string());
    }

    /// POST: a new object.
    pub fn create(
        &mut self,
        resource: &'static Resource,
        namespace: &str,
        mut object: Value,
        now: Timestamp,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if !object.is_object() {
            return Err(ApiError::bad_request("the body of the request is not a JSON object"));
        }
        if let Some(kind) = str_at(&object, "/kind")
            && kind != resource.kind
        {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({kind}) does not match the expected kind ({})",
                resource.kind
            )));
        }
        if str_at(&object, "/metadata/namespace").is_some_and(|ns| ns != namespace) {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        if str_at(&object, "/metadata/resourceVersion").is_some_and(|rv| !rv.is_empty()) {
            return Err(ApiError::internal(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        self.serial += 1;
        let name = match (
            str_at(&object, "/metadata/name"),
            str_at(&object, "/metadata/generateName"),
        ) {
            (Some(name), _) if !name.is_empty() => name.to_string(),
            (_, Some(prefix)) => format!("{prefix}{:05x}", self.serial),
            _ => {
                let cause = Cause::required("metadata.name", "name or generateName is required");
                return Err(ApiError::invalid(resource, "", &[cause]));
            }
        };
        let key = key(resource, namespace, &name);
        if self.objects.contains_key(&key) {
            return Err(ApiError::already_exists(resource, &name));
        }
        object["apiVersion"] = json!(resource.api_version());
        object["kind"] = json!(resource.kind);
        let meta = object["metadata"]
            .as_object_mut()
            .ok_or_else(|| ApiError::bad_request("metadata is not an object"))?;
        for field in [
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "managedFields",
            "selfLink",
        ] {
            meta.remove(field);
        }
        meta.insert("name".into(), json!(name));
        meta.insert("namespace".into(), json!(namespace));
        meta.insert(
            "uid".into(),
            json!(format!("00000000-0000-4000-8000-{:012x}", self.serial)),
        );
        meta.insert("creationTimestamp".into(), time(now));
        if resource.generation {
            meta.insert("generation".into(), json!(1));
        } else {
            meta.remove("generation");
        }
        if resource.status {
            let initial = match resource.plural {
                "pods" | "persistentvolumeclaims" => Some(json!({ "phase": "Pending" })),
                _ => None,
            };
            match initial {
                Some(status) => object["status"] = status,
                None => {
                    object.as_object_mut().map(|o| o.remove("status"));
                }
            }
        }
        rules::default(resource, &mut object);
        let causes = rules::validate_create(resource, &object);
        if !causes.is_empty() {
            return Err(ApiError::invalid(resource, &name, &causes));
        }
        self.next_revision(&mut object, dry_run);
        if !dry_run {
            self.objects.insert(key, object.clone());
        }
        Ok(object)
    }

    /// PUT or PATCH: `candidate` is the whole object as the client would have it stored (for the status
    /// subresource only its `status` counts).
    #[allow(clippy::too_many_arguments)]
    pub fn update(
        &mut self,
        resource: &'static Resource,
        namespace: &str,
        name: &str,
        status: bool,
        candidate: Value,
        now: Timestamp,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let key = key(resource, namespace, name);
        let stored = self.get(resource, namespace, name)?;
        if !candidate.is_object() {
            return Err(ApiError::bad_request("the body of the request is not a JSON object"));
        }
        if let Some(other) = str_at(&candidate, "/metadata/name")
            && other != name
        {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({other}) does not match the name on the URL ({name})"
            )));
        }
        let version = str_at(&candidate, "/metadata/resourceVersion").filter(|rv| !rv.is_empty());
        if version.is_some_and(|rv| Some(rv) != str_at(&stored, "/metadata/resourceVersion")) {
            return Err(ApiError::conflict(resource, name));
        }
        let mut new = if status {
            let mut new = stored.clone();
            match candidate.get("status") {
                Some(s) => new["status"] = s.clone(),
                None => {
                    new.as_object_mut().map(|o| o.remove("status"));
                }
            }
            new
        } else {
            let mut new = candidate;
            keep_system_metadata(&stored, &mut new);
            if resource.status {
                match stored.get("status") {
                    Some(s) => new["status"] = s.clone(),
                    None => {
                        new.as_object_mut().map(|o| o.remove("status"));
                    }
                }
            }
            new
        };
        new["apiVersion"] = stored["apiVersion"].clone();
        new["kind"] = stored["kind"].clone();
        rules::default(resource, &mut new);
        if !status {
            let mut causes = new_finalizers(&stored, &new);
            causes.extend(rules::validate_update(resource, &stored, &new, &self.options));
            if !causes.is_empty() {
                return Err(ApiError::invalid(resource, name, &causes));
            }
        }
        if new == stored {
            return Ok(stored);
        }
        if resource.generation && semantic(&content(&new)) != semantic(&content(&stored)) {
            let generation = stored["metadata"]["generation"].as_i64().unwrap_or(1);
            new["metadata"]["generation"] = json!(generation + 1);
        }
        self.next_revision(&mut new, dry_run);
        if dry_run {
            return Ok(new);
        }
        if terminating(&new) && finalizers(&new).is_empty() {
            self.remove(&key, now);
        } else {
            self.objects.insert(key, new.clone());
        }
        Ok(new)
    }
}

fn key(resource: &'static Resource, namespace: &str, name: &str) -> Key {
    Key {
        resource,
        namespace: namespace.to_string(),
        name: name.to_string(),
    }
}

/// The resource served at `group`/`plural` (every served resource has one version).
pub fn resource_of(group: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.is(group, plural))
}

fn finalizers(object: &Value) -> Vec<&str> {
    object
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Once an object is being deleted, finalizers may only be removed.
fn new_finalizers(old: &Value, new: &Value) -> Vec<Cause> {
    if !terminating(old) {
        return Vec::new();
    }
    let before = finalizers(old);
    let added: Vec<&str> = finalizers(new).into_iter().filter(|f| !before.contains(f)).collect();
    if added.is_empty() {
        return Vec::new();
    }
    let detail = format!(
        "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
        added.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ")
    );
    vec![Cause::forbidden("metadata.finalizers", detail)]
}

/// The system fields of `metadata` are the server's, whatever the client sent.
fn keep_system_metadata(stored: &Value, new: &mut Value) {
    if !new.get("metadata").is_some_and(Value::is_object) {
        new["metadata"] = json!({});
    }
    let Some(meta) = new["metadata"].as_object_mut() else {
        return;
    };
    for field in ["managedFields", "selfLink"] {
        meta.remove(field);
    }
    for field in [
        "name",
        "namespace",
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "resourceVersion",
    ] {
        match stored["metadata"].get(field) {
            Some(value) => meta.insert(field.into(), value.clone()),
            None => meta.remove(field),
        };
    }
}

/// Everything but `metadata` and `status`: what a generation counts (compared semantically: `10240Mi` for `10Gi`
/// is no new generation; the real server stores quantities canonically, this one as written).
fn content(object: &Value) -> Value {
    let mut content = object.clone();
    if let Some(o) = content.as_object_mut() {
        o.remove("metadata");
        o.remove("status");
    }
    content
}
