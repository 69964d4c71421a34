//! Shared helpers of the tests against the strict in-memory API server and the simulation
//! (`rec_operator::testing::World`): objects as JSON, writes of every kind, and refusals read as
//! (code, reason, message).

#![allow(dead_code)] // each test file uses its own subset

use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use rec_operator::testing::{NS, World};
use serde_json::{Value, json};

pub const LABELS: &str = r#"{ "app": "redis", "redis.io/cluster": "rec" }"#;

pub fn labels() -> Value {
    serde_json::from_str(LABELS).expect("JSON")
}

/// A StatefulSet `name` with `replicas`, a claim template `data` of `storage`, and `image` in its template.
pub fn statefulset(name: &str, replicas: i64, storage: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": { "name": name, "namespace": NS },
        "spec": {
            "replicas": replicas,
            "serviceName": name,
            "selector": { "matchLabels": labels() },
            "template": {
                "metadata": { "labels": labels() },
                "spec": { "containers": [{ "name": "redis", "image": image }] },
            },
            "volumeClaimTemplates": [{
                "metadata": { "name": "data" },
                "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": storage } } },
            }],
        },
    })
}

pub fn claim(name: &str, storage: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": { "name": name },
        "spec": { "accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                  "resources": { "requests": { "storage": storage } } },
    })
}

pub fn api(world: &World, kind: &str) -> Api<DynamicObject> {
    world.api(kind).expect("a served kind")
}

fn object(value: &Value) -> DynamicObject {
    serde_json::from_value(value.clone()).expect("a Kubernetes object")
}

fn value(object: DynamicObject) -> Value {
    serde_json::to_value(object).expect("JSON")
}

pub async fn create(world: &World, kind: &str, body: Value) -> Result<Value, kube::Error> {
    api(world, kind)
        .create(&PostParams::default(), &object(&body))
        .await
        .map(value)
}

/// Server-side apply as manager `test` (force).
pub async fn apply(world: &World, kind: &str, body: Value) -> Result<Value, kube::Error> {
    let name = body["metadata"]["name"].as_str().expect("a name").to_string();
    let params = PatchParams::apply("test").force();
    api(world, kind)
        .patch(&name, &params, &Patch::Apply(&body))
        .await
        .map(value)
}

pub async fn merge(world: &World, kind: &str, name: &str, patch: Value) -> Result<Value, kube::Error> {
    api(world, kind)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map(value)
}

pub async fn strategic(world: &World, kind: &str, name: &str, patch: Value) -> Result<Value, kube::Error> {
    api(world, kind)
        .patch(name, &PatchParams::default(), &Patch::Strategic(&patch))
        .await
        .map(value)
}

pub async fn json_patch(world: &World, kind: &str, name: &str, patch: Value) -> Result<Value, kube::Error> {
    let patch = Patch::Json::<()>(serde_json::from_value(patch).expect("a JSON patch"));
    api(world, kind)
        .patch(name, &PatchParams::default(), &patch)
        .await
        .map(value)
}

/// PUT of the whole object.
pub async fn replace(world: &World, kind: &str, body: Value) -> Result<Value, kube::Error> {
    let name = body["metadata"]["name"].as_str().expect("a name").to_string();
    api(world, kind)
        .replace(&name, &PostParams::default(), &object(&body))
        .await
        .map(value)
}

pub async fn delete(world: &World, kind: &str, name: &str, params: &DeleteParams) -> Result<(), kube::Error> {
    api(world, kind).delete(name, params).await.map(|_| ())
}

/// (code, reason, message) of a refusal; panics on success.
pub fn refusal<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> (u16, String, String) {
    match result {
        Err(kube::Error::Api(status)) => (status.code, status.reason.clone(), status.message.clone()),
        other => panic!("expected the API server to refuse, got {other:?}"),
    }
}

/// A pod of `set` as the StatefulSet controller makes it, without a node (so it is deleted at once).
pub fn pod(name: &str, owner: Option<&Value>) -> Value {
    let mut pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": { "name": name, "labels": labels() },
        "spec": { "containers": [{ "name": "redis", "image": "redis:7" }] },
    });
    if let Some(owner) = owner {
        pod["metadata"]["ownerReferences"] = json!([owner_reference(owner)]);
    }
    pod
}

/// A controller reference to `owner`.
pub fn owner_reference(owner: &Value) -> Value {
    json!({
        "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
    })
}

/// A REC `rec` and the StatefulSet `set` (not yet stored) owned by it, for the garbage collection tests.
pub async fn rec_owning(world: &World, mut set: Value) -> Value {
    let rec = create(
        world,
        "RedisEnterpriseCluster",
        rec_operator::testing::rec("rec", rec_operator::testing::spec()),
    )
    .await
    .expect("REC");
    set["metadata"]["ownerReferences"] = json!([owner_reference(&rec)]);
    set
}

/// Names of the stored objects of `kind`.
pub fn names(world: &World, kind: &str) -> Vec<String> {
    world
        .objects(kind)
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}
