//! Rendering: the ordered list of Kubernetes objects one REC owns (REC.md §4).
//!
//! Pure: validate, then default, then one builder per object, from the validator's typed reading of the REC. Takes the REC and a [`RenderContext`] (what a
//! pure function cannot know), never a client, a clock or a random source; the same input gives byte-identical
//! output. An invalid REC yields its validation report and no objects: nothing is half-rendered.
//!
//! Output order is apply order, dependencies first: ServiceAccount, Role, RoleBinding, Secret, Services (api,
//! ui, prom), PodDisruptionBudget, StatefulSet, rigger Deployment, then the broker's PVC, Service and Deployment.
//!
//! Metadata of every object comes from one helper ([`Meta`]): a REC without `metadata.namespace` renders objects
//! without one; a REC without `metadata.uid` (a file in the preview) renders no owner references.
//!
//! Violations this step adds to a valid report (beside the validator's own): `required-field` (`metadata.name`
//! missing), `entropy-missing` / `entropy-invalid` (a new credentials secret is needed and `context.entropy` is
//! absent, not hex/base64, or under 24 bytes), `render-failed` (an object could not be written as JSON).

mod broker;
mod kinds;
mod meta;
mod pdb;
mod pod;
mod rbac;
mod rigger;
mod secret;
mod services;
mod statefulset;
mod view;

pub use kinds::written_value;
pub use kinds::{KINDS, Kind, KindInfo, Owned};
pub use meta::{APP, CLUSTER_LABEL, Component, Meta, PodRole, ROLE_LABEL};
pub use pod::{NO_USER_POD, UserPod};
pub use secret::{ENTROPY_MIN_BYTES, Entropy, ExistingSecret, PASSWORD_MIN_CHARS};
pub use statefulset::{
    BOOTSTRAPPER_CONTAINER, NODE_CONTAINER, NodePodNames, STORAGE_VOLUME, TEMPLATE_HASH_ANNOTATION, node_pod_names,
};
pub use view::View;

use crate::RecObject;
use crate::api::RedisEnterpriseClusterSpec;
use crate::defaults::Versions;
use crate::validate::{Options, Report, Severity, Violation};
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a pure function cannot know, supplied by the caller.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderContext {
    /// Operator name and the default image tags.
    #[serde(default)]
    pub versions: Versions,
    /// Validation options (the same the admission policy uses).
    #[serde(default)]
    pub options: Options,
    /// The credentials secret, when it already exists: it is then not rendered (its password is never
    /// changed). Only its name is taken, never its data. It counts only when the name is the one the spec
    /// names (`clusterCredentialSecretName`, default the REC name; the defaults operation tells a host which).
    #[serde(default)]
    pub existing_secret: Option<ExistingSecret>,
    /// Random bytes from the host (hex or base64, at least 24 bytes), turned into the password of a new
    /// credentials secret. Needed only when that secret must be rendered.
    #[serde(default)]
    pub entropy: Option<Entropy>,
    /// What the running cluster fixes (the plan sets it; a fresh render leaves it empty).
    #[serde(default, skip_serializing_if = "Pinned::is_empty")]
    pub pinned: Pinned,
}

/// What a render of a running cluster must keep, because the API server will not change it or because changing
/// it is the plan's decision, not the render's.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pinned {
    /// The node StatefulSet's replicas for this step (a scale-up adds one node at a time). Default: `nodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The size in the node claim template as created. The template is immutable, so a memory change (which
    /// moves the default volume size) never reaches it; growing it is the plan's expand-and-replace flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_size: Option<Quantity>,
    /// The claim template's labels as created (immutable too: an `extraLabels` change reaches every other object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_labels: Option<BTreeMap<String, String>>,
    /// The claim template's storage class as created, when the spec leaves it unset (a set class that differs
    /// is refused by the plan, never rendered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
}

impl Pinned {
    fn is_empty(&self) -> bool {
        self == &Pinned::default()
    }
}

/// The rendered objects (in apply order) and the validation report they were rendered under. The objects are
/// JSON values ([`render`]), or typed ([`render_owned`], what the ABI writes: straight to its answer's bytes,
/// the same bytes, without building every object as a `Value` first).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Rendered<O = Value> {
    pub report: Report,
    /// `None` when the REC is invalid: nothing is half-rendered.
    pub objects: Option<Vec<O>>,
}

/// Why a valid REC could still not be rendered. Each becomes an error violation of the report.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("metadata.name is missing: every rendered object is named after the REC")]
    NameMissing,
    #[error(transparent)]
    Entropy(#[from] secret::EntropyError),
    #[error("a rendered {kind} could not be written as JSON: {source}")]
    Serialize {
        kind: &'static str,
        source: serde_json::Error,
    },
}

impl RenderError {
    /// The violation this error is reported as.
    pub fn violation(&self) -> Violation {
        let (code, path) = match self {
            RenderError::NameMissing => ("required-field", "metadata.name".to_string()),
            RenderError::Entropy(e) => (e.code(), "context.entropy".to_string()),
            RenderError::Serialize { .. } => ("render-failed", String::new()),
        };
        Violation {
            code: code.into(),
            severity: Severity::Error,
            path,
            message: self.to_string(),
        }
    }
}

/// Validates, then renders `rec` when it is valid.
pub fn render(rec: &Value, ctx: &RenderContext) -> Rendered {
    validate_then(rec, ctx, render_values)
}

/// [`render`] with the objects typed.
pub fn render_owned(rec: &Value, ctx: &RenderContext) -> Rendered<Owned> {
    validate_then(rec, ctx, render_typed)
}

fn validate_then<O>(
    rec: &Value,
    ctx: &RenderContext,
    render: impl FnOnce(&RecObject, &RenderContext) -> Result<Vec<O>, RenderError>,
) -> Rendered<O> {
    let validated = crate::validate::validate_model(rec, None, &ctx.options);
    let mut report = validated.report;
    let Some(model) = validated.rec else {
        return Rendered { report, objects: None };
    };
    match render(&model, ctx) {
        Ok(objects) => Rendered {
            report,
            objects: Some(objects),
        },
        Err(e) => {
            report.violations.push(e.violation());
            report.errors += 1;
            report.valid = false;
            Rendered { report, objects: None }
        }
    }
}

/// Renders a REC the validator read (see [`crate::validate::validate_model`]) to JSON objects.
pub fn render_values(rec: &RecObject, ctx: &RenderContext) -> Result<Vec<Value>, RenderError> {
    render_typed(rec, ctx)?
        .iter()
        .map(|o| {
            o.to_value().map_err(|source| RenderError::Serialize {
                kind: o.kind().as_str(),
                source,
            })
        })
        .collect()
}

/// Renders a REC the validator read to typed objects, in apply order. Takes the typed model rather than JSON so
/// that the REC is deserialized once, by the validator (a second deserializer would double the model's code).
pub fn render_typed(rec: &RecObject, ctx: &RenderContext) -> Result<Vec<Owned>, RenderError> {
    if rec.metadata.name.as_deref().is_none_or(str::is_empty) {
        return Err(RenderError::NameMissing);
    }
    let spec = crate::defaults::with_defaults(rec, &ctx.versions);
    let meta = Meta::new(&rec.metadata, spec.extra_labels.as_ref(), &ctx.versions.operator_name);
    build(&meta, &spec, ctx)
}

/// The node StatefulSet alone, as [`render_typed`] renders it, with what the user adds to its pod template as
/// JSON (what the plan compares between two specs: it needs no credentials secret, so no entropy).
pub fn node_statefulset(rec: &RecObject, ctx: &RenderContext) -> Result<(StatefulSet, UserPod), RenderError> {
    if rec.metadata.name.as_deref().is_none_or(str::is_empty) {
        return Err(RenderError::NameMissing);
    }
    let spec = crate::defaults::with_defaults(rec, &ctx.versions);
    let meta = Meta::new(&rec.metadata, spec.extra_labels.as_ref(), &ctx.versions.operator_name);
    statefulset::statefulset(&meta, &spec, &ctx.pinned)
}

/// Every builder, in apply order.
fn build(meta: &Meta, spec: &RedisEnterpriseClusterSpec, ctx: &RenderContext) -> Result<Vec<Owned>, RenderError> {
    let mut out = Vec::new();
    if spec.create_service_account.unwrap_or(true) {
        out.push(Owned::ServiceAccount(rbac::service_account(meta, spec)));
    }
    out.push(Owned::Role(rbac::role(meta)));
    out.push(Owned::RoleBinding(rbac::role_binding(meta, spec)));
    if let Some(name) = secret::kubernetes_secret(meta, spec) {
        let exists = ctx.existing_secret.as_ref().is_some_and(|s| s.name == name);
        if !exists {
            out.push(Owned::Secret(secret::credentials(meta, spec, ctx.entropy.as_ref())?));
        }
    }
    out.push(Owned::Service(services::api(meta, spec)));
    if services::ui_enabled(spec) {
        out.push(Owned::Service(services::ui(meta, spec)));
    }
    out.push(Owned::Service(services::prom(meta, spec)));
    out.push(Owned::PodDisruptionBudget(pdb::pdb(meta)));
    let (set, user) = statefulset::statefulset(meta, spec, &ctx.pinned)?;
    out.push(Owned::StatefulSet(set, user));
    let (rigger, user) = rigger::deployment(meta, spec)?;
    out.push(Owned::Deployment(rigger, user));
    if broker::enabled(spec) {
        out.push(Owned::PersistentVolumeClaim(broker::pvc(meta, spec)));
        out.push(Owned::Service(broker::service(meta, spec)));
        out.push(Owned::Deployment(
            broker::deployment(meta, spec, &ctx.versions),
            UserPod::default(),
        ));
    }
    Ok(out)
}
