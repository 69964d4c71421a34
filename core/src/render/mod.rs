//! Rendering: the ordered list of Kubernetes objects one REC owns.

use crate::defaults::Versions;
use crate::validate::{Options, Report};
use serde::{Deserialize, Serialize};

/// What a pure function cannot know, supplied by the caller.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderContext {
    #[serde(default)]
    pub versions: Versions,
    #[serde(default)]
    pub options: Options,
}

/// The rendered objects (in apply order) and the validation report they were rendered under.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Rendered {
    pub report: Report,
    /// `None` when the REC is invalid: nothing is half-rendered.
    pub objects: Option<Vec<serde_json::Value>>,
}

/// Validates, then renders `rec` when it is valid.
pub fn render(rec: &serde_json::Value, ctx: &RenderContext) -> Rendered {
    let report = crate::validate::validate(rec, None, &ctx.options);
    Rendered { report, objects: None }
}
