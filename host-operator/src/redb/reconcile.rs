//! The REDB driver, one REDB at a time: read -> context (the watch cache, no client) -> validate (wasm core, no
//! client) -> status (client) -> event (client).
//!
//! Nothing is held in memory between reconciles: the verdict and the generation it judged are in the REDB's
//! status, and an Event is decided by comparing the status before and after (`status::notice`), so a restarted
//! operator, or a new leader, that finds the same verdict writes nothing and records nothing. One error enum per
//! step; [`Error`]'s variant names are the Event reasons of a failure.

use super::cache::Cache;
use super::{context, status};
use crate::reconcile::{RESYNC, backoff, publish, wasm};
use crate::timeout::{TimedOut, bounded};
use k8s_openapi::api::core::v1::ObjectReference;
use kube::Resource;
use kube::api::{Api, DynamicObject, ResourceExt};
use kube::runtime::controller::Action;
use kube::runtime::events::EventType;
use rec_core::abi::ValidateRequest;
use rec_engine::EngineError;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What every REDB reconcile shares: the REC controller's context (client, engine, recorder, settings, clock,
/// API bound) and the watch cache.
pub struct Context {
    pub shared: Arc<crate::reconcile::Context>,
    pub cache: Cache,
    /// Consecutive failures per REDB (`namespace/name`), for the retry backoff.
    failures: Mutex<HashMap<String, u32>>,
}

impl Context {
    pub fn new(shared: Arc<crate::reconcile::Context>, cache: Cache) -> Self {
        Context {
            shared,
            cache,
            failures: Mutex::default(),
        }
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, u32>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A REDB the API server gave us that cannot be validated at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the REDB has no {0}")]
    Missing(&'static str),
}

/// The watch cache could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("the REC and REDB cache has not synced: {0}")]
    NotSynced(#[from] TimedOut),
    #[error("the REC and REDB cache is gone (its reflector stopped)")]
    Stopped,
}

/// A failed reconcile. Variant names are the Event reasons.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the REDB failed: {0}")]
    ReadFailed(#[from] ReadError),
    #[error("{0}")]
    ContextFailed(#[from] ContextError),
    #[error("validating through the wasm core failed: {0}")]
    ValidateFailed(#[source] EngineError),
    #[error("{0}")]
    StatusFailed(#[from] crate::status::Error),
}

impl Error {
    /// The stable PascalCase name of the failed step.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::ReadFailed(_) => "ReadFailed",
            Error::ContextFailed(_) => "ContextFailed",
            Error::ValidateFailed(_) => "ValidateFailed",
            Error::StatusFailed(_) => "StatusFailed",
        }
    }
}

/// How one REDB reconcile ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Judged; the status says so (written only if it changed).
    Judged,
    /// Being deleted, or deleted while judged: nothing to report on.
    Gone,
}

/// The REDB as the pipeline needs it.
struct Redb {
    name: String,
    generation: Option<i64>,
    /// The object the core validates: as stored, without the status and the bookkeeping.
    object: Value,
    /// The current status (or `{}`).
    status: Value,
    reference: ObjectReference,
    api: Api<DynamicObject>,
}

/// Validates one REDB and reports the verdict; the controller calls it on every change of the REDB and, through
/// the cache's trigger, of what its verdict depends on.
pub async fn reconcile(redb: Arc<DynamicObject>, ctx: Arc<Context>) -> Result<Action, Error> {
    let key = format!("{}/{}", redb.namespace().unwrap_or_default(), redb.name_any());
    match run(&redb, &ctx).await {
        Ok(_) => {
            ctx.failures().remove(&key);
            Ok(Action::requeue(RESYNC))
        }
        Err(e) => {
            tracing::warn!(redb = %key, reason = e.reason(), error = %e, "REDB reconcile failed");
            let reference = redb.object_ref(&crate::owned::redb_resource());
            let note = e.to_string();
            publish(
                &ctx.shared,
                &reference,
                EventType::Warning,
                e.reason(),
                "Validate",
                note,
            )
            .await;
            Err(e)
        }
    }
}

/// Requeues a failed REDB with the REC's backoff: 5 s, 10 s, 20 s, ... up to 5 minutes.
pub fn error_policy(redb: Arc<DynamicObject>, _error: &Error, ctx: Arc<Context>) -> Action {
    let key = format!("{}/{}", redb.namespace().unwrap_or_default(), redb.name_any());
    let mut failures = ctx.failures();
    let count = failures.entry(key).or_insert(0);
    *count = count.saturating_add(1);
    Action::requeue(backoff(*count))
}

/// The pipeline; public so that tests and benchmarks can see the outcome.
pub async fn run(redb: &DynamicObject, ctx: &Context) -> Result<Outcome, Error> {
    if redb.metadata.deletion_timestamp.is_some() {
        return Ok(Outcome::Gone);
    }
    let shared = &ctx.shared;
    let redb = read(redb, &shared.client)?;
    match tokio::time::timeout(shared.api_timeout, ctx.cache.ready()).await {
        Err(_) => Err(ContextError::NotSynced(TimedOut {
            after: shared.api_timeout,
        }))?,
        Ok(Err(_)) => Err(ContextError::Stopped)?,
        Ok(Ok(())) => {}
    }
    let request = ValidateRequest {
        context: Some(context::pick(&redb.object, &ctx.cache.recs(), &ctx.cache.redbs())),
        object: redb.object.clone(),
        old_object: None,
        options: shared.settings.options.clone(),
    };
    let report = wasm(shared, "validate", move |engine| engine.validate(&request))
        .await
        .map_err(Error::ValidateFailed)?;
    let new = status::build(&report, redb.generation, &redb.status, (shared.clock)());
    let write = crate::status::write(&redb.api, &redb.name, &redb.status, &new);
    match bounded(shared.api_timeout, write).await {
        Ok(true) => {}
        Ok(false) => return Ok(Outcome::Judged),
        Err(crate::status::Error::Gone) => return Ok(Outcome::Gone),
        Err(e) => return Err(e.into()),
    }
    if let Some(notice) = status::notice(&report, &redb.status, &new) {
        publish(
            shared,
            &redb.reference,
            notice.type_,
            notice.reason,
            "Validate",
            notice.note,
        )
        .await;
    }
    Ok(Outcome::Judged)
}

fn read(redb: &DynamicObject, client: &kube::Client) -> Result<Redb, ReadError> {
    let namespace = redb
        .metadata
        .namespace
        .clone()
        .ok_or(ReadError::Missing("metadata.namespace"))?;
    let name = redb.metadata.name.clone().ok_or(ReadError::Missing("metadata.name"))?;
    let resource = crate::owned::redb_resource();
    let mut object = context::as_json(redb, &resource);
    // The status is the operator's and the database's, not the user's spec: never judged.
    let status = object
        .as_object_mut()
        .and_then(|fields| fields.remove("status"))
        .unwrap_or(Value::Null);
    Ok(Redb {
        reference: redb.object_ref(&resource),
        api: Api::namespaced_with(client.clone(), &namespace, &resource),
        generation: redb.metadata.generation,
        object,
        status: if status.is_object() {
            status
        } else {
            serde_json::json!({})
        },
        name,
    })
}
