//! Applies the rendered objects in the core's order (dependencies first) with server-side apply: one field
//! manager, `force`, so the operator owns what it renders.
//!
//! An object already carrying the hash of exactly this rendering, with every rendered field still in place, is
//! not sent again: a quiet reconcile writes nothing (and a changed or drifted object is re-applied). Secrets are
//! not applied here: they go through `secret::create_once`. This module never decides what to render.

use crate::owned::{self, Kind};
use crate::secret;
use crate::timeout::TimedOut;
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The field manager of every write.
pub const FIELD_MANAGER: &str = "rec-operator";
/// Annotation holding the hash of the rendered object last applied.
pub const HASH_ANNOTATION: &str = "operator.redis.io/applied-hash";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("rendered object #{index} has no apiVersion, kind or metadata.name")]
    Malformed { index: usize },
    #[error("rendered kind {api_version} {kind} is not an owned kind")]
    UnknownKind { api_version: String, kind: String },
    #[error("applying {kind} {name} failed: {source}")]
    Api {
        kind: String,
        name: String,
        source: Box<kube::Error>,
    },
    #[error(transparent)]
    Secret(#[from] secret::Error),
    #[error("applying: {0}")]
    TimedOut(#[from] TimedOut),
}

/// What one apply pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Objects sent (created or changed).
    pub written: usize,
    /// Objects already as rendered.
    pub unchanged: usize,
}

impl Applied {
    pub fn total(&self) -> usize {
        self.written + self.unchanged
    }
}

/// The identity of a rendered object.
pub struct Target<'a> {
    pub kind: &'static owned::KindInfo,
    pub name: &'a str,
}

/// The owned kind and name of a rendered object.
pub fn target(index: usize, object: &Value) -> Result<Target<'_>, Error> {
    let field = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
    let (Some(api_version), Some(kind), Some(name)) = (field("/apiVersion"), field("/kind"), field("/metadata/name"))
    else {
        return Err(Error::Malformed { index });
    };
    let kind = owned::lookup(api_version, kind).ok_or_else(|| Error::UnknownKind {
        api_version: api_version.into(),
        kind: kind.into(),
    })?;
    Ok(Target { kind, name })
}

/// Applies every object into `namespace`, in order; stops at the first failure (later objects may depend on it).
pub async fn apply_all(client: &Client, namespace: &str, objects: &[Value]) -> Result<Applied, Error> {
    let mut applied = Applied::default();
    for (index, object) in objects.iter().enumerate() {
        let target = target(index, object)?;
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), namespace, &owned::api_resource(target.kind));
        let written = match target.kind.kind {
            Kind::Secret => secret::create_once(&api, object).await?,
            kind => apply_one(&api, kind.as_str(), target.name, object).await?,
        };
        if written {
            applied.written += 1
        } else {
            applied.unchanged += 1
        }
    }
    Ok(applied)
}

async fn apply_one(api: &Api<DynamicObject>, kind: &str, name: &str, object: &Value) -> Result<bool, Error> {
    let failed = |source| Error::Api {
        kind: kind.into(),
        name: name.into(),
        source: Box::new(source),
    };
    let mut desired = object.clone();
    let hash = hash(object);
    if let Some(meta) = desired.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(annotations) = annotations.as_object_mut() {
            annotations.insert(HASH_ANNOTATION.into(), Value::String(hash));
        }
    }
    if let Some(existing) = api.get_opt(name).await.map_err(failed)? {
        let existing = serde_json::to_value(&existing).unwrap_or(Value::Null);
        if contains(&existing, &desired) {
            return Ok(false);
        }
    }
    let params = PatchParams::apply(FIELD_MANAGER).force();
    api.patch(name, &params, &Patch::Apply(&desired))
        .await
        .map_err(failed)?;
    tracing::debug!(kind, name, "applied");
    Ok(true)
}

/// Hex SHA-256 (first 16 bytes) of the object's JSON.
pub fn hash(object: &Value) -> String {
    let digest = Sha256::digest(object.to_string().as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Whether `have` holds every field of `want` with the same value (the API server adds defaults and status): the
/// core's comparison, the one its plan makes.
pub use rec_core::plan::contains;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containment_allows_added_defaults_but_not_changed_or_dropped_values() {
        let want = json!({ "spec": { "replicas": 3, "ports": [{ "port": 1 }] } });
        let have = json!({ "spec": { "replicas": 3, "ports": [{ "port": 1, "protocol": "TCP" }] }, "status": {} });
        assert!(contains(&have, &want));
        assert!(!contains(
            &json!({ "spec": { "replicas": 5, "ports": [{ "port": 1 }] } }),
            &want
        ));
        assert!(!contains(&json!({ "spec": { "replicas": 3, "ports": [] } }), &want));
        assert!(!contains(&json!({ "spec": { "replicas": 3 } }), &want));
    }

    #[test]
    fn the_hash_follows_the_content() {
        let a = hash(&json!({ "a": 1 }));
        assert_eq!(a.len(), 32);
        assert_eq!(a, hash(&json!({ "a": 1 })));
        assert_ne!(a, hash(&json!({ "a": 2 })));
    }

    #[test]
    fn targets_need_a_known_kind_and_a_name() {
        let sts = json!({ "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": { "name": "rec" } });
        let t = target(0, &sts).expect("a target");
        assert_eq!((t.kind.kind, t.name), (Kind::StatefulSet, "rec"));
        let pod = json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "p" } });
        assert!(matches!(target(1, &pod), Err(Error::UnknownKind { .. })));
        assert!(matches!(
            target(2, &json!({ "kind": "Service" })),
            Err(Error::Malformed { index: 2 })
        ));
    }
}
