//! The plan: how a change reaches a running cluster. A pure function of the desired REC, what the operator last
//! carried out (`status.applied`), what the cluster shows (the node StatefulSet, its pods and their claims), the
//! step in progress (`status.progress`) and the time; it answers the ordered steps, the state to report and the
//! objects to apply. The operator carries out the first step and asks again: everything it needs to resume lives
//! in the cluster, so an operator restarted at any instant picks up where it stopped.
//!
//! What each kind of change does (README, "Day 2"):
//! - **Rolling change** (image, tag, resources, anything in the pod template): the StatefulSet is
//!   `updateStrategy: OnDelete`, so applying the new template restarts nothing. The operator then restarts one
//!   node at a time, a node whose pod is down first, then the highest ordinal first, each only when every other
//!   node is Ready (never two nodes down at once), and waits for it to be Ready on the new template. Readiness
//!   means "joined the cluster" (`render/statefulset/probes.rs`). A node not back within `rollTimeoutSeconds`
//!   halts the roll, naming the node and why; it resumes by itself once the node is Ready. State `Upgrade` when
//!   the Redis Enterprise version changes, else `RunningRollingUpdate`.
//! - **Volume growth** (`persistentSpec.volumeSize` raised, with `enablePersistentVolumeResize`): each claim's
//!   request is raised, then once every claim's capacity has grown the StatefulSet is deleted with its pods
//!   orphaned and re-created with the bigger claim template; it adopts the running pods, none restarts. State
//!   `ExpandingVolumes` (ours). Without the flag, and any shrink, refused.
//! - **Scale up**: one node at a time, each added only when every node is Ready, and waited for. State
//!   `ScalingUp` (ours). Scale down is refused.
//! - **Refused** (state `Invalid`; `InvalidUpgrade` for a version going down): an invalid spec, a rule of the
//!   update broken against the spec last carried out, a change to what the StatefulSet's claim template fixes
//!   (storage class, persistence on or off), or a missing credentials Secret of a cluster that ran. Nothing is
//!   applied.
//! - **Versions**: an unset tag keeps what the cluster runs (`versions`); a memory change never changes the
//!   volumes (the claim template is pinned).
//! - **Deleting**: nothing is applied.
//!
//! Without `observed` (the CLI's `plan NEW --old OLD`, the admission policy, the preview) the plan assumes a
//! healthy cluster running the applied spec: it predicts every step, none of which has begun.

mod flows;
pub mod observed;
mod storage;
pub mod time;
pub mod versions;
mod words;
mod world;

pub use words::contains;

use crate::api::{AppliedState, CredentialSecretType, Progress, RedisEnterpriseClusterSpec};
use crate::render::{Owned, RenderContext};
use crate::validate::{Report, Violation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How long a node (or a volume) may take to come back before the change halts, by default: 15 minutes.
pub const ROLL_TIMEOUT_SECONDS: u64 = 900;

/// What the plan is asked.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanRequest {
    /// The REC as it is now (the desired spec; `metadata.deletionTimestamp` when it is being deleted).
    pub object: Value,
    /// What was last carried out (`status.applied`); none for a new cluster. The CLI and the policy pass the old
    /// object's spec here.
    #[serde(default)]
    pub applied: Option<AppliedState>,
    /// The cluster's node StatefulSet, pods and claims, as Kubernetes objects (see `observed`); none: assume a
    /// healthy cluster running `applied`.
    #[serde(default)]
    pub observed: Option<Value>,
    /// The step in progress (`status.progress`).
    #[serde(default)]
    pub progress: Option<Progress>,
    /// The operator's versions and options, and for `objects` the credentials secret or entropy. Its `pinned` is
    /// the plan's to set.
    #[serde(default)]
    pub context: RenderContext,
    /// How long a node or a volume may take to come back before the change halts (default 900).
    #[serde(default)]
    pub roll_timeout_seconds: Option<u64>,
    /// The time now (RFC 3339): without it nothing halts and no progress is recorded.
    #[serde(default)]
    pub now: Option<String>,
    /// Answer the objects to apply for this step, too.
    #[serde(default)]
    pub objects: bool,
}

/// The state the REC reports, with the real operator's names where it has one.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    PendingCreation,
    BootstrappingFirstPod,
    Initializing,
    Running,
    RunningRollingUpdate,
    Upgrade,
    /// Ours: volumes being expanded.
    ExpandingVolumes,
    /// Ours: nodes being added.
    ScalingUp,
    Invalid,
    InvalidUpgrade,
    Deleting,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::PendingCreation => "PendingCreation",
            State::BootstrappingFirstPod => "BootstrappingFirstPod",
            State::Initializing => "Initializing",
            State::Running => "Running",
            State::RunningRollingUpdate => "RunningRollingUpdate",
            State::Upgrade => "Upgrade",
            State::ExpandingVolumes => "ExpandingVolumes",
            State::ScalingUp => "ScalingUp",
            State::Invalid => "Invalid",
            State::InvalidUpgrade => "InvalidUpgrade",
            State::Deleting => "Deleting",
        }
    }
}

/// What one step does. The operator performs `expandVolume` (patch the claim's request), `replaceStatefulSet`
/// (delete it, orphaning its pods) and `restartNode` (delete the pod); `apply` and `addNode` happen by applying
/// the plan's objects; the waits need nothing but time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Action {
    /// Apply the objects: create the cluster, or change the StatefulSet's pod template (no restart), or re-create
    /// the StatefulSet after its volumes grew.
    Apply {
        what: String,
    },
    ExpandVolume {
        claim: String,
        size: String,
    },
    WaitVolumes {
        size: String,
    },
    ReplaceStatefulSet,
    RestartNode {
        pod: String,
    },
    AddNode {
        pod: String,
    },
    WaitNode {
        pod: String,
    },
}

/// Where a step stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// The first step, and its gate holds: do it now.
    Run,
    /// The first step, waiting (for its gate, or for what it waits for).
    Wait,
    /// The first step, waiting longer than the bound: the change halted here.
    Halted,
    /// A later step.
    Pending,
}

/// One step of the plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    #[serde(flatten)]
    pub action: Action,
    pub status: StepStatus,
    /// What the step does, for people.
    pub text: String,
    /// Why it does not run yet (status `wait` or `halted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<String>,
}

/// Nodes wanted and Ready.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Nodes {
    pub desired: i32,
    pub ready: i32,
}

/// The plan's answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Plan<O = Value> {
    pub state: State,
    /// Validation of the desired REC (on update: against the applied spec).
    pub report: Report,
    /// Why the change is not carried out (empty when it is).
    pub refused: Vec<Violation>,
    /// The change in a few lines a person reads in ten seconds.
    pub summary: Vec<String>,
    /// What is left to do, in order; the first is the current step.
    pub steps: Vec<Step>,
    pub nodes: Nodes,
    /// Why the change halted, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halted: Option<String>,
    /// What to record as carried out once `objects` are applied (none when nothing may be applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<AppliedState>,
    /// The step in progress, to record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// The objects to apply for this step, when asked (none when nothing may be applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objects: Option<Vec<O>>,
}

/// How the objects of a step are rendered: the renderer, or none (see [`plan_without_objects`]).
type Objects = fn(&crate::RecObject, &RenderContext) -> Option<Result<Vec<Owned>, crate::render::RenderError>>;

/// Plans the change from what was carried out to `request.object`, with the step's objects when asked.
pub fn plan(request: &PlanRequest) -> Plan<Owned> {
    if request.objects {
        decide(request, |rec, ctx| Some(crate::render::render_typed(rec, ctx)))
    } else {
        plan_without_objects(request)
    }
}

/// [`plan`] without the objects, whatever `request.objects` says: for an entry point that only shows the plan
/// (the admission policy), so the renderer of every other kind is not linked into its module (about 400 KB of
/// the policy's wasm).
pub fn plan_without_objects(request: &PlanRequest) -> Plan<Owned> {
    decide(request, |_, _| None)
}

fn decide(request: &PlanRequest, objects: Objects) -> Plan<Owned> {
    let old = request.applied.as_ref().map(|a| old_object(&request.object, &a.spec));
    let validated = crate::validate::validate_model(&request.object, old.as_ref(), &request.context.options);
    let report = validated.report;
    let Some(rec) = validated.rec else {
        let refused: Vec<Violation> = report
            .violations
            .iter()
            .filter(|v| v.severity == crate::validate::Severity::Error)
            .cloned()
            .collect();
        let summary = words::refused(&refused);
        return Plan::stopped(State::Invalid, report, refused, summary);
    };
    if rec.metadata.deletion_timestamp.is_some() {
        let summary = vec![
            "the REC is being deleted: nothing is applied; Kubernetes removes what it owns (the node volumes' \
             claims stay)"
                .to_string(),
        ];
        return Plan::stopped(State::Deleting, report, Vec::new(), summary);
    }
    flows::plan(request, &rec, report, objects)
}

impl Plan<Owned> {
    /// A plan that changes nothing: refused, invalid or deleting.
    fn stopped(state: State, report: Report, refused: Vec<Violation>, summary: Vec<String>) -> Self {
        Plan {
            state,
            report,
            refused,
            summary,
            steps: Vec::new(),
            nodes: Nodes::default(),
            halted: None,
            applied: None,
            progress: None,
            objects: None,
        }
    }
}

/// The old REC the update rules read: the desired object's identity with the applied spec.
fn old_object(object: &Value, spec: &Value) -> Value {
    let mut old = object.clone();
    if let Some(fields) = old.as_object_mut() {
        fields.insert("spec".into(), spec.clone());
    }
    old
}

/// Whether the cluster's credentials are a Kubernetes Secret the operator makes (not vault).
fn kubernetes_credentials(spec: &RedisEnterpriseClusterSpec) -> bool {
    spec.cluster_credential_secret_type != Some(CredentialSecretType::Vault)
}
