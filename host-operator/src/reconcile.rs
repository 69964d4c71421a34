//! The reconcile driver, one REC at a time, as a short pipeline with its side effects in plain sight:
//! read -> validate (wasm core) -> render (wasm core) -> apply (client) -> prune (client) -> status (client).
//!
//! The operator never validates or renders natively: both go through the core module in the engine, the very
//! bytes the policy and the browser run. One error enum per step; [`Error`] wraps them with one variant per step
//! whose name is the Event reason and the metrics label.
//!
//! Faults: every step's API calls are bounded by [`Context::api_timeout`] (a request that never answers fails
//! the step, it does not hang the reconcile); engine calls run on a blocking thread, bounded by the engine's
//! time and memory limits, so a runaway guest fails that REC only. A REC deleted while it is reconciled (its
//! status answers 404) ends the reconcile as [`Outcome::Gone`]: no failure, no event, no status write that
//! could bring it back; Kubernetes' garbage collector removes what it owned through the owner references.

use crate::metrics::{Metrics, Outcome};
use crate::timeout::{self, bounded};
use crate::{apply, events, owned, prune, secret, status};
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::ObjectReference;
use kube::api::{Api, DynamicObject, ResourceExt};
use kube::runtime::controller::Action;
use kube::runtime::events::{EventType, Recorder};
use kube::{Client, Resource};
use rec_core::abi::{DefaultsRequest, RenderRequest, ValidateRequest};
use rec_core::render::{Entropy, ExistingSecret, RenderContext};
use rec_core::validate::{Report, Severity};
use rec_engine::{Engine, EngineError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a healthy REC is looked at again even when nothing changed.
pub const RESYNC: Duration = Duration::from_secs(300);

/// What every reconcile shares.
pub struct Context {
    pub client: Client,
    pub engine: Engine,
    pub recorder: Recorder,
    pub metrics: Arc<Metrics>,
    /// Consecutive failures per REC (`namespace/name`), for the retry backoff.
    pub failures: Mutex<HashMap<String, u32>>,
    /// The bound on each step's API calls (and on each event or failure-status write).
    pub api_timeout: Duration,
}

impl Context {
    pub fn new(client: Client, engine: Engine, recorder: Recorder, metrics: Arc<Metrics>) -> Self {
        Context {
            client,
            engine,
            recorder,
            metrics,
            failures: Mutex::default(),
            api_timeout: timeout::DEFAULT_API_TIMEOUT,
        }
    }

    /// The same context with another bound on each step's API calls.
    pub fn with_api_timeout(mut self, api_timeout: Duration) -> Self {
        self.api_timeout = api_timeout;
        self
    }

    fn failed(&self, key: String) -> u32 {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let count = failures.entry(key).or_insert(0);
        *count = count.saturating_add(1);
        *count
    }

    fn succeeded(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// A REC the API server gave us but that cannot be reconciled at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the REC has no {0}")]
    Missing(&'static str),
    #[error("the REC is not serialisable: {0}")]
    Json(#[from] serde_json::Error),
}

/// The render step: the engine failed, or the core refused what validation accepted.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("the core rendered nothing: {0}")]
    Rejected(String),
}

/// A failed reconcile. Variant names are the Event reasons and the `reason` metrics label.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the REC failed: {0}")]
    ReadFailed(#[from] ReadError),
    #[error("validating through the wasm core failed: {0}")]
    ValidateFailed(#[source] EngineError),
    #[error("the credentials secret: {0}")]
    SecretFailed(#[from] secret::Error),
    #[error("rendering through the wasm core failed: {0}")]
    RenderFailed(#[from] RenderError),
    #[error("{0}")]
    ApplyFailed(#[from] apply::Error),
    #[error("{0}")]
    PruneFailed(#[from] prune::Error),
    #[error("{0}")]
    StatusFailed(#[from] status::Error),
}

impl Error {
    /// Whether the REC itself was gone when a step tried to write to it.
    fn rec_gone(&self) -> bool {
        matches!(self, Error::StatusFailed(status::Error::Gone))
    }
}

impl Error {
    /// The stable PascalCase name of the failed step.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::ReadFailed(_) => "ReadFailed",
            Error::ValidateFailed(_) => "ValidateFailed",
            Error::SecretFailed(_) => "SecretFailed",
            Error::RenderFailed(_) => "RenderFailed",
            Error::ApplyFailed(_) => "ApplyFailed",
            Error::PruneFailed(_) => "PruneFailed",
            Error::StatusFailed(_) => "StatusFailed",
        }
    }
}

/// The REC as the pipeline needs it.
struct Rec {
    namespace: String,
    name: String,
    uid: String,
    generation: Option<i64>,
    /// The whole object as JSON: what the core validates and renders.
    object: Value,
    /// The current status (or `{}`).
    status: Value,
    reference: ObjectReference,
    api: Api<DynamicObject>,
}

/// Reconciles one REC; the controller calls it on every change of the REC or an object it owns.
pub async fn reconcile(rec: Arc<DynamicObject>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let key = format!("{}/{}", rec.namespace().unwrap_or_default(), rec.name_any());
    let result = match run(&rec, &ctx).await {
        Err(e) if e.rec_gone() => Ok(Outcome::Gone),
        other => other,
    };
    match &result {
        Ok(outcome) => {
            ctx.succeeded(&key);
            ctx.metrics.reconciled(*outcome, None, started.elapsed());
            if *outcome == Outcome::Gone {
                tracing::info!(rec = %key, "the REC was deleted during its reconcile; nothing more to do");
            }
        }
        Err(e) => {
            ctx.metrics
                .reconciled(Outcome::Failed, Some(e.reason()), started.elapsed());
            tracing::warn!(rec = %key, reason = e.reason(), error = %e, "reconcile failed");
            report_failure(&rec, &ctx, e).await;
        }
    }
    result.map(|outcome| match outcome {
        // An invalid spec only changes when the user edits it; the watch brings that edit. A gone REC has no
        // next time.
        Outcome::Invalid | Outcome::Gone => Action::await_change(),
        _ => Action::requeue(RESYNC),
    })
}

/// Requeues a failed REC with exponential backoff: 5 s, 10 s, 20 s, ... up to 5 minutes.
pub fn error_policy(rec: Arc<DynamicObject>, _error: &Error, ctx: Arc<Context>) -> Action {
    let key = format!("{}/{}", rec.namespace().unwrap_or_default(), rec.name_any());
    Action::requeue(backoff(ctx.failed(key)))
}

/// The delay before retry number `failures` (1-based).
pub fn backoff(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(6);
    Duration::from_secs(5u64 << exponent).min(Duration::from_secs(300))
}

async fn run(rec: &DynamicObject, ctx: &Context) -> Result<Outcome, Error> {
    let rec = read(rec, &ctx.client)?;
    let report = validate(ctx, &rec.object).await?;
    if !report.valid {
        invalid(ctx, &rec, &report).await?;
        return Ok(Outcome::Invalid);
    }
    let existing_secret = existing_secret(ctx, &rec).await?;
    let objects = render(ctx, &rec.object, existing_secret).await?;
    let applied = bounded(ctx.api_timeout, apply::apply_all(&ctx.client, &rec.namespace, &objects)).await?;
    let owner = prune::Owner {
        namespace: &rec.namespace,
        name: &rec.name,
        uid: &rec.uid,
    };
    let pruned = bounded(ctx.api_timeout, prune::prune(&ctx.client, &owner, &objects)).await?;
    bounded(ctx.api_timeout, write_status(ctx, &rec, &report, &objects)).await?;
    if applied.written > 0 || !pruned.is_empty() {
        let note = format!(
            "{} object(s) written, {} deleted {:?}",
            applied.written,
            pruned.len(),
            pruned
        );
        publish(ctx, &rec.reference, EventType::Normal, "Reconciled", "Apply", note).await;
    }
    Ok(Outcome::Reconciled)
}

/// Publishes an event, bounded like every API call (an event is best effort: a timeout is logged and dropped).
async fn publish(
    ctx: &Context,
    reference: &ObjectReference,
    type_: EventType,
    reason: &str,
    action: &str,
    note: String,
) {
    let publish = events::publish(&ctx.recorder, reference, type_, reason, action, note);
    if tokio::time::timeout(ctx.api_timeout, publish).await.is_err() {
        tracing::warn!(reason, "publishing an event timed out");
    }
}

/// Publishes the errors (SpecInvalid) or warnings (SpecWarnings) of a report as one Warning event.
async fn publish_report(ctx: &Context, rec: &Rec, report: &Report, severity: Severity) {
    let (count, what, reason) = match severity {
        Severity::Error => (report.errors, "error", "SpecInvalid"),
        Severity::Warning => (report.warnings, "warning", "SpecWarnings"),
    };
    let note = format!("{count} {what}(s): {}", status::summary(report, severity));
    publish(ctx, &rec.reference, EventType::Warning, reason, "Validate", note).await;
}

/// Runs one call into the core on a blocking thread (the call is CPU-bound and may run until its deadline),
/// and records its duration under `op`.
async fn wasm<T: Send + 'static>(
    ctx: &Context,
    op: &'static str,
    call: impl FnOnce(&Engine) -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    let engine = ctx.engine.clone();
    let started = Instant::now();
    let result = tokio::task::spawn_blocking(move || call(&engine))
        .await
        .unwrap_or_else(|e| Err(EngineError::Trap(format!("the engine call did not finish: {e}"))));
    ctx.metrics.wasm_call(op, started.elapsed());
    result
}

fn read(rec: &DynamicObject, client: &Client) -> Result<Rec, ReadError> {
    let namespace = rec
        .metadata
        .namespace
        .clone()
        .ok_or(ReadError::Missing("metadata.namespace"))?;
    let name = rec.metadata.name.clone().ok_or(ReadError::Missing("metadata.name"))?;
    let uid = rec.metadata.uid.clone().ok_or(ReadError::Missing("metadata.uid"))?;
    let resource = owned::rec_resource();
    let mut object = serde_json::to_value(rec)?;
    if let Some(fields) = object.as_object_mut() {
        // What the watch adds and the user did not write: bookkeeping, not spec.
        if let Some(meta) = fields.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
    }
    let status = object
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    Ok(Rec {
        reference: rec.object_ref(&resource),
        api: Api::namespaced_with(client.clone(), &namespace, &resource),
        generation: rec.metadata.generation,
        namespace,
        name,
        uid,
        object,
        status,
    })
}

async fn validate(ctx: &Context, object: &Value) -> Result<Report, Error> {
    let request = ValidateRequest {
        object: object.clone(),
        ..ValidateRequest::default()
    };
    wasm(ctx, "validate", move |engine| engine.validate(&request))
        .await
        .map_err(Error::ValidateFailed)
}

/// Invalid: the status and a Warning event say every error; nothing is applied or deleted.
async fn invalid(ctx: &Context, rec: &Rec, report: &Report) -> Result<(), Error> {
    let new = status::build(
        &status::Verdict::Invalid { report },
        rec.generation,
        &rec.status,
        jiff::Timestamp::now(),
    );
    if bounded(ctx.api_timeout, status::write(&rec.api, &rec.name, &rec.status, &new)).await? {
        publish_report(ctx, rec, report, Severity::Error).await;
    }
    Ok(())
}

/// The credentials secret the spec names (the name from the core's defaults), when it already exists.
async fn existing_secret(ctx: &Context, rec: &Rec) -> Result<Option<ExistingSecret>, Error> {
    let request = DefaultsRequest {
        object: rec.object.clone(),
        ..DefaultsRequest::default()
    };
    let spec = wasm(ctx, "defaults", move |engine| engine.defaults(&request)).await;
    let name = spec
        .map_err(RenderError::from)?
        .cluster_credential_secret_name
        .unwrap_or_else(|| rec.name.clone());
    let api: Api<DynamicObject> = Api::namespaced_with(ctx.client.clone(), &rec.namespace, &owned::secret_resource());
    let exists = bounded(ctx.api_timeout, secret::exists(&api, &name)).await?;
    Ok(exists.then_some(ExistingSecret { name }))
}

async fn render(ctx: &Context, object: &Value, existing_secret: Option<ExistingSecret>) -> Result<Vec<Value>, Error> {
    // Fresh entropy only when the secret must be made; the core never sees an existing password.
    let entropy = match existing_secret {
        Some(_) => None,
        None => Some(Entropy(secret::entropy()?)),
    };
    let context = RenderContext {
        existing_secret,
        entropy,
        ..RenderContext::default()
    };
    let request = RenderRequest {
        object: object.clone(),
        context,
    };
    let rendered = wasm(ctx, "render", move |engine| engine.render(&request))
        .await
        .map_err(RenderError::from)?;
    let objects = rendered
        .objects
        .ok_or_else(|| RenderError::Rejected(status::summary(&rendered.report, Severity::Error)));
    Ok(objects?)
}

async fn write_status(ctx: &Context, rec: &Rec, report: &Report, objects: &[Value]) -> Result<(), status::Error> {
    let (mut nodes, mut pods, mut ready) = (0, 0, 0);
    let statefulset = objects
        .iter()
        .find(|o| o.get("kind").and_then(Value::as_str) == Some("StatefulSet"));
    if let Some(sts) = statefulset {
        nodes = sts
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .try_into()
            .unwrap_or(0);
        let name = sts
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or(&rec.name);
        let api: Api<StatefulSet> = Api::namespaced(ctx.client.clone(), &rec.namespace);
        let observed = api
            .get_opt(name)
            .await
            .map_err(|e| status::Error::StatefulSet(Box::new(e)))?;
        if let Some(observed) = observed.and_then(|s| s.status) {
            pods = observed.replicas;
            ready = observed.ready_replicas.unwrap_or(0);
        }
    }
    let verdict = status::Verdict::Reconciled {
        report,
        nodes,
        pods,
        ready,
    };
    let new = status::build(&verdict, rec.generation, &rec.status, jiff::Timestamp::now());
    if status::write(&rec.api, &rec.name, &rec.status, &new).await? && report.warnings > 0 {
        publish_report(ctx, rec, report, Severity::Warning).await;
    }
    Ok(())
}

/// A failed step: a Warning event with the step's name and, when the REC can be read, `Reconciled=False`.
async fn report_failure(rec: &DynamicObject, ctx: &Context, error: &Error) {
    let resource = owned::rec_resource();
    let reference = rec.object_ref(&resource);
    publish(
        ctx,
        &reference,
        EventType::Warning,
        error.reason(),
        "Reconcile",
        error.to_string(),
    )
    .await;
    let (Some(namespace), Some(name)) = (rec.metadata.namespace.as_deref(), rec.metadata.name.as_deref()) else {
        return;
    };
    let current = rec
        .data
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    let verdict = status::Verdict::Failed {
        reason: error.reason(),
        message: error.to_string(),
    };
    let new = status::build(&verdict, rec.metadata.generation, &current, jiff::Timestamp::now());
    let api: Api<DynamicObject> = Api::namespaced_with(ctx.client.clone(), namespace, &resource);
    match bounded(ctx.api_timeout, status::write(&api, name, &current, &new)).await {
        // Deleted meanwhile: nothing to report on, and the merge patch did not bring it back.
        Ok(_) | Err(status::Error::Gone) => {}
        Err(e) => tracing::warn!(error = %e, "writing the failure status failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(backoff(0).as_secs(), 5);
    }
}
