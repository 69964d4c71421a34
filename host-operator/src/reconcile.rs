//! The reconcile driver, one REC at a time, as a short pipeline with its side effects in plain sight:
//! read -> observe (client) -> plan (wasm core) -> apply (client) -> prune (client) -> the plan's step (client)
//! -> status and events (client).
//!
//! The core's `plan` decides everything: whether the spec is valid, whether the change can be carried out, which
//! objects to apply for this step and which one write to make next (restart a node, expand a volume, replace the
//! StatefulSet). This driver performs that one step and asks again on the next reconcile: what it needs to resume
//! is in the REC's status (`applied`, `progress`) and in the cluster itself, never in memory, so an operator
//! restarted (or a new leader) at any instant picks up at the right node. One error enum per step; [`Error`]
//! wraps them with one variant per step whose name is the Event reason and the metrics label.
//!
//! Faults: every step's API calls are bounded by [`Context::api_timeout`] (a request that never answers fails
//! the step, it does not hang the reconcile); engine calls run on a blocking thread, bounded by the engine's
//! time and memory limits, so a runaway guest fails that REC only. A REC deleted while it is reconciled (its
//! status answers 404) ends the reconcile as [`Outcome::Gone`]: no failure, no event, no status write that
//! could bring it back; Kubernetes' garbage collector removes what it owned through the owner references.

use crate::metrics::{Metrics, Outcome};
use crate::timeout::{self, bounded};
use crate::{apply, events, observe, owned, prune, secret, status, step};
use k8s_openapi::api::core::v1::ObjectReference;
use kube::api::{Api, DynamicObject, ResourceExt};
use kube::runtime::controller::Action;
use kube::runtime::events::{EventType, Recorder};
use kube::{Client, Resource};
use rec_core::abi::DefaultsRequest;
use rec_core::api::{AppliedState, Progress};
use rec_core::defaults::Versions;
use rec_core::plan::{Plan, PlanRequest, State, StepStatus};
use rec_core::render::{Entropy, ExistingSecret, RenderContext};
use rec_core::validate::{Options, Report, Severity};
use rec_engine::{Engine, EngineError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a healthy REC is looked at again even when nothing changed.
pub const RESYNC: Duration = Duration::from_secs(300);

/// How often a REC with a change in progress is looked at again (besides the watches of its pods and objects).
pub const STEP_REQUEUE: Duration = Duration::from_secs(5);
/// How often a halted change is looked at again.
pub const HALTED_REQUEUE: Duration = Duration::from_secs(60);

/// What the operator was started with: the core's options, the tags it bundles, the roll bound.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub options: Options,
    pub versions: Versions,
    /// How long a node may take to come back before a roll halts (`None`: the core's default, 900 s).
    pub roll_timeout_seconds: Option<u64>,
}

/// The time, from the system clock (tests give the simulated cluster's).
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

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
    pub settings: Settings,
    pub clock: Clock,
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
            settings: Settings::default(),
            clock: Arc::new(jiff::Timestamp::now),
        }
    }

    /// The same context with another bound on each step's API calls.
    pub fn with_api_timeout(mut self, api_timeout: Duration) -> Self {
        self.api_timeout = api_timeout;
        self
    }

    /// The same context with these settings.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The same context with another clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
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

/// A failed reconcile. Variant names are the Event reasons and the `reason` metrics label.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the REC failed: {0}")]
    ReadFailed(#[from] ReadError),
    #[error("{0}")]
    ObserveFailed(#[from] observe::Error),
    #[error("the credentials secret: {0}")]
    SecretFailed(#[from] secret::Error),
    #[error("planning through the wasm core failed: {0}")]
    PlanFailed(#[source] EngineError),
    #[error("{0}")]
    ApplyFailed(#[from] apply::Error),
    #[error("{0}")]
    PruneFailed(#[from] prune::Error),
    #[error("{0}")]
    StepFailed(#[from] step::Error),
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
            Error::ObserveFailed(_) => "ObserveFailed",
            Error::SecretFailed(_) => "SecretFailed",
            Error::PlanFailed(_) => "PlanFailed",
            Error::ApplyFailed(_) => "ApplyFailed",
            Error::PruneFailed(_) => "PruneFailed",
            Error::StepFailed(_) => "StepFailed",
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
        Outcome::Progressing => Action::requeue(STEP_REQUEUE),
        Outcome::Halted => Action::requeue(HALTED_REQUEUE),
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
    let observed = bounded(
        ctx.api_timeout,
        observe::observe(&ctx.client, &rec.namespace, &rec.name),
    )
    .await?;
    let existing_secret = existing_secret(ctx, &rec).await?;
    let plan = plan(ctx, &rec, observed, existing_secret).await?;
    if plan.objects.is_none() {
        // Invalid, refused or being deleted: nothing is applied; the status and an event say why.
        write_status(ctx, &rec, &plan).await?;
        return Ok(if plan.state == State::Deleting {
            Outcome::Reconciled
        } else {
            Outcome::Invalid
        });
    }
    let objects = plan.objects.as_deref().unwrap_or_default();
    let applied = bounded(ctx.api_timeout, apply::apply_all(&ctx.client, &rec.namespace, objects)).await?;
    let owner = prune::Owner {
        namespace: &rec.namespace,
        name: &rec.name,
        uid: &rec.uid,
    };
    let pruned = bounded(ctx.api_timeout, prune::prune(&ctx.client, &owner, objects)).await?;
    let done = bounded(
        ctx.api_timeout,
        step::perform(&ctx.client, &rec.namespace, &rec.name, plan.steps.first()),
    )
    .await?;
    write_status(ctx, &rec, &plan).await?;
    if applied.written > 0 || !pruned.is_empty() {
        let note = format!(
            "{} object(s) written, {} deleted {:?}",
            applied.written,
            pruned.len(),
            pruned
        );
        publish(ctx, &rec.reference, EventType::Normal, "Reconciled", "Apply", note).await;
    }
    step_event(ctx, &rec, &plan, &done).await;
    ctx.metrics
        .roll(&format!("{}/{}", rec.namespace, rec.name), nodes_to_roll(&plan));
    Ok(match plan.steps.first().map(|s| s.status) {
        None => Outcome::Reconciled,
        Some(StepStatus::Halted) => Outcome::Halted,
        Some(_) => Outcome::Progressing,
    })
}

/// The nodes a plan still restarts or waits for.
fn nodes_to_roll(plan: &Plan) -> i64 {
    use rec_core::plan::Action;
    let rolling = matches!(plan.state, State::RunningRollingUpdate | State::Upgrade);
    let restarts = plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::RestartNode { .. }))
        .count();
    let back = matches!(plan.steps.first().map(|s| &s.action), Some(Action::WaitNode { .. }));
    if rolling {
        (restarts + usize::from(back)) as i64
    } else {
        0
    }
}

/// The Event of what this reconcile's step did or found: a node restarted, a roll started or halted, volumes
/// grown, a change refused. Each is published once: the halted and refused ones only when the status changes.
async fn step_event(ctx: &Context, rec: &Rec, plan: &Plan, done: &step::Done) {
    let previous_state = rec.status.get("state").and_then(Value::as_str);
    let summary = plan.summary.join("; ");
    if matches!(plan.state, State::RunningRollingUpdate | State::Upgrade) && previous_state != Some(plan.state.as_str())
    {
        let reason = if plan.state == State::Upgrade {
            "Upgrade"
        } else {
            "RollingUpdate"
        };
        publish(ctx, &rec.reference, EventType::Normal, reason, "Roll", summary.clone()).await;
    }
    match done {
        step::Done::Restarted(pod) => {
            let note = format!("{pod} restarted on the new pod template: {summary}");
            publish(ctx, &rec.reference, EventType::Normal, "NodeRestarted", "Roll", note).await;
        }
        step::Done::Replaced => {
            let note =
                format!("every node volume has grown; the StatefulSet is re-created keeping its pods: {summary}");
            publish(
                ctx,
                &rec.reference,
                EventType::Normal,
                "VolumesExpanded",
                "Expand",
                note,
            )
            .await;
        }
        step::Done::Expanded(_) | step::Done::Nothing => {}
    }
    let was_halted = rec.status.pointer("/progress/halted").is_some_and(|h| !h.is_null());
    if let (Some(halted), false) = (&plan.halted, was_halted) {
        ctx.metrics.halted();
        publish(
            ctx,
            &rec.reference,
            EventType::Warning,
            "RollHalted",
            "Roll",
            halted.clone(),
        )
        .await;
    }
}

/// Asks the core for the plan of this reconcile, with what the cluster shows and what the status records.
async fn plan(
    ctx: &Context,
    rec: &Rec,
    observed: Value,
    existing_secret: Option<ExistingSecret>,
) -> Result<Plan, Error> {
    // Fresh entropy only when the secret must be made; the core never sees an existing password.
    let entropy = match existing_secret {
        Some(_) => None,
        None => Some(Entropy(secret::entropy()?)),
    };
    let record = |key: &str| rec.status.get(key).cloned().filter(|v| !v.is_null());
    let request = PlanRequest {
        object: rec.object.clone(),
        applied: record("applied").and_then(|a| serde_json::from_value::<AppliedState>(a).ok()),
        observed: Some(observed),
        progress: record("progress").and_then(|p| serde_json::from_value::<Progress>(p).ok()),
        context: RenderContext {
            versions: ctx.settings.versions.clone(),
            options: ctx.settings.options.clone(),
            existing_secret,
            entropy,
            ..RenderContext::default()
        },
        roll_timeout_seconds: ctx.settings.roll_timeout_seconds,
        now: Some((ctx.clock)().to_string()),
        objects: true,
    };
    wasm(ctx, "plan", move |engine| engine.plan(&request))
        .await
        .map_err(Error::PlanFailed)
}

/// Writes the plan's status, and the Warning events of a spec that is invalid or a change that is refused (once:
/// when the status changes).
async fn write_status(ctx: &Context, rec: &Rec, plan: &Plan) -> Result<(), Error> {
    let new = status::build(
        &status::Verdict::Planned(plan),
        rec.generation,
        &rec.status,
        (ctx.clock)(),
    );
    let wrote = bounded(ctx.api_timeout, status::write(&rec.api, &rec.name, &rec.status, &new)).await?;
    if !wrote {
        return Ok(());
    }
    let report = &plan.report;
    if !report.valid {
        publish_report(ctx, rec, report, Severity::Error).await;
    } else if !plan.refused.is_empty() {
        let note = plan.summary.join("; ");
        publish(ctx, &rec.reference, EventType::Warning, "ChangeRefused", "Plan", note).await;
    } else if report.warnings > 0 && rec.status.get("specStatus").and_then(Value::as_str) != Some("Valid") {
        publish_report(ctx, rec, report, Severity::Warning).await;
    }
    Ok(())
}

/// Publishes an event, bounded like every API call (an event is best effort: a timeout is logged and dropped).
pub(crate) async fn publish(
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
pub(crate) async fn wasm<T: Send + 'static>(
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

/// The credentials secret the spec names (the name from the core's defaults), when it already exists.
async fn existing_secret(ctx: &Context, rec: &Rec) -> Result<Option<ExistingSecret>, Error> {
    let request = DefaultsRequest {
        object: rec.object.clone(),
        ..DefaultsRequest::default()
    };
    let name = match wasm(ctx, "defaults", move |engine| engine.defaults(&request)).await {
        Ok(spec) => spec.cluster_credential_secret_name.unwrap_or_else(|| rec.name.clone()),
        // A REC the core cannot read has no secret to look up: the plan reports it invalid and applies nothing.
        Err(EngineError::Core { kind, .. }) if kind == "BadRequest" => return Ok(None),
        Err(e) => return Err(Error::PlanFailed(e)),
    };
    let api: Api<DynamicObject> = Api::namespaced_with(ctx.client.clone(), &rec.namespace, &owned::secret_resource());
    let exists = bounded(ctx.api_timeout, secret::exists(&api, &name)).await?;
    Ok(exists.then_some(ExistingSecret { name }))
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
    let new = status::build(&verdict, rec.metadata.generation, &current, (ctx.clock)());
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
