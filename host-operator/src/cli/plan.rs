//! `plan NEW [--old OLD] [--observed FILE]`: how a change would reach a running cluster, through the wasm core's
//! `plan` (the very function the operator carries out). Without `--observed` it assumes a healthy cluster running
//! OLD; with it (`kubectl get sts,pod,pvc -l redis.io/cluster=<rec> -o json`) it plans from what runs.
//!
//! Exit codes: 0 the change can be carried out (or there is none), 1 refused (each reason with its field),
//! 2 unreadable input or no answer from the core.

use super::{ReportFormat, exit, read_document};
use rec_core::api::AppliedState;
use rec_core::plan::{Plan, PlanRequest, StepStatus};
use rec_core::render::{ExistingSecret, RenderContext};
use rec_engine::Engine;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Runs `plan`; prints the plan to `out`.
pub fn plan(
    engine: &Engine,
    file: &Path,
    old: Option<&Path>,
    observed: Option<&Path>,
    format: ReportFormat,
    out: &mut dyn Write,
) -> u8 {
    let read = |path: &Path| read_document(engine, path).map_err(|e| eprintln!("error: {e}"));
    let Ok(object) = read(file) else {
        return exit::UNREADABLE;
    };
    let (Ok(old), Ok(observed)) = (old.map(read).transpose(), observed.map(read).transpose()) else {
        return exit::UNREADABLE;
    };
    // A cluster being planned from what runs has its credentials Secret: the CLI cannot see it, and renders
    // nothing, so it does not ask the plan to check for it.
    let secret = object
        .pointer("/spec/clusterCredentialSecretName")
        .or_else(|| object.pointer("/metadata/name"))
        .and_then(Value::as_str)
        .map(|name| ExistingSecret { name: name.into() });
    let request = PlanRequest {
        // OLD is what the cluster runs: it came up once.
        applied: old.map(|old| AppliedState {
            spec: old.get("spec").cloned().unwrap_or(Value::Null),
            bootstrapped: true,
            ..AppliedState::default()
        }),
        now: observed.is_some().then(|| jiff::Timestamp::now().to_string()),
        observed,
        context: RenderContext {
            existing_secret: secret,
            ..RenderContext::default()
        },
        object,
        ..PlanRequest::default()
    };
    let plan = match engine.plan(&request) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: the core could not plan {}: {e}", file.display());
            return exit::UNREADABLE;
        }
    };
    let text = || text(&file.display().to_string(), &plan);
    if !format.print(text, &plan, "plan", out) {
        return exit::UNREADABLE;
    }
    if plan.refused.is_empty() {
        exit::OK
    } else {
        exit::INVALID
    }
}

/// The plan for people: the state, the summary, then the steps in order (the first marked with what it does now).
pub fn text(file: &str, plan: &Plan) -> String {
    let mut text = format!(
        "{file}: {} ({} of {} node(s) Ready)\n",
        plan.state.as_str(),
        plan.nodes.ready,
        plan.nodes.desired
    );
    for line in &plan.summary {
        text.push_str(&format!("  {line}\n"));
    }
    if !plan.steps.is_empty() {
        text.push_str("steps:\n");
    }
    for (i, step) in plan.steps.iter().enumerate() {
        let mark = match step.status {
            StepStatus::Run => "now",
            StepStatus::Wait => "waiting",
            StepStatus::Halted => "HALTED",
            StepStatus::Pending => "then",
        };
        text.push_str(&format!("  {:>2}. [{mark}] {}\n", i + 1, step.text));
        if let Some(why) = &step.waiting {
            text.push_str(&format!("      {why}\n"));
        }
    }
    text
}
