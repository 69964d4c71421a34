//! Shared set-up of the reconcile tests: the in-memory API server of `rec_operator::testing` (feature `testing`),
//! the embedded core module compiled once per test binary, and helpers that fail the test on an API error.

#![allow(dead_code, unused_imports)] // each test file uses its own subset of the helpers (and re-exports)

use kube::Client;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube_fake_client::interceptor;
use rec_engine::Engine;
use rec_operator::reconcile::{self, Context};
use rec_operator::testing;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub use rec_operator::testing::{NS, rec, spec};

/// The fake API server, with `funcs` intercepting requests.
pub async fn cluster(funcs: interceptor::Funcs) -> Client {
    testing::cluster(funcs).await.expect("the fake API server starts")
}

/// One engine per test binary (compiling the module is the slow part, above all in a debug build), its
/// compilation cached under the target directory so later test binaries load it.
pub fn engine() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rec-engine-cache");
            Engine::builder()
                .cache_dir(cache)
                .embedded()
                .expect("the embedded core module loads")
        })
        .clone()
}

pub fn context(client: &Client) -> Arc<Context> {
    Arc::new(testing::context(client, engine()))
}

pub use rec_operator::testing::recs;

/// Creates a REC from raw JSON (so a broken one can be created too).
pub async fn create(client: &Client, object: Value) {
    testing::create(client, object).await.expect("the REC is created");
}

/// Merge-patches a REC's spec (as `kubectl edit` would).
pub async fn patch_spec(client: &Client, name: &str, spec: Value) {
    let patch = json!({ "spec": spec });
    recs(client)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("the REC is patched");
}

/// Reconciles the REC as the controller would: with the latest object from the API.
pub async fn reconcile(ctx: &Arc<Context>, name: &str) -> Result<Action, reconcile::Error> {
    let rec = recs(&ctx.client).get(name).await.expect("the REC exists");
    reconcile::reconcile(Arc::new(rec), ctx.clone()).await
}

pub async fn get_rec(client: &Client, name: &str) -> Value {
    serde_json::to_value(recs(client).get(name).await.expect("the REC exists")).expect("JSON")
}

/// Every object of an owned kind in the namespace, by `Kind/name`.
pub async fn owned_objects(client: &Client) -> BTreeMap<String, Value> {
    testing::owned_objects(client).await.expect("the owned objects list")
}

/// `Kind/name` of each rendered object.
pub fn keys(objects: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = objects
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap_or(""),
                o["metadata"]["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Every rendered object except the Secret (its password is random) is contained in what the API stores.
pub fn assert_stored_as_rendered(stored: &BTreeMap<String, Value>, want: &[Value], context: &str) {
    for object in want.iter().filter(|o| o["kind"] != "Secret") {
        let key = keys(std::slice::from_ref(object)).remove(0);
        assert!(
            rec_operator::apply::contains(&stored[&key], object),
            "{context}: {key} differs from the rendering:\n{:#}\n{:#}",
            stored[&key],
            object
        );
    }
}

/// What the core renders for `rec` as stored (a new secret: made from throwaway entropy).
pub fn rendered(rec: &Value) -> Vec<Value> {
    let context = rec_core::render::RenderContext {
        entropy: Some(rec_core::render::Entropy("00".repeat(32))),
        ..Default::default()
    };
    let request = rec_core::abi::RenderRequest {
        object: rec.clone(),
        context,
    };
    engine()
        .render(&request)
        .expect("the core renders")
        .objects
        .expect("the REC is valid")
}

/// `Kind/name` -> resourceVersion of every owned object.
pub async fn versions(client: &Client) -> BTreeMap<String, String> {
    owned_objects(client)
        .await
        .into_iter()
        .map(|(key, o)| {
            (
                key,
                o["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// Events recorded about objects in the namespace: (type, reason, note).
pub async fn events(client: &Client) -> Vec<(String, String, String)> {
    let api: Api<k8s_openapi::api::events::v1::Event> = Api::namespaced(client.clone(), NS);
    let list = api.list(&Default::default()).await.expect("events list");
    list.items
        .into_iter()
        .map(|e| {
            (
                e.type_.unwrap_or_default(),
                e.reason.unwrap_or_default(),
                e.note.unwrap_or_default(),
            )
        })
        .collect()
}

/// The condition `type_` of a REC's status.
pub fn condition<'a>(rec: &'a Value, type_: &str) -> &'a Value {
    rec["status"]["conditions"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["type"] == type_))
        .unwrap_or(&Value::Null)
}
