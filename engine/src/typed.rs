//! Typed helpers over [`Engine::call`]: serialise the request, call, and read `{"ok": T}` back, turning an
//! `{"error": ...}` answer into [`EngineError::Core`] and a malformed one into [`EngineError::BadAnswer`].

use crate::engine::Engine;
use crate::error::EngineError;
use rec_core::RedisEnterpriseClusterSpec;
use rec_core::abi::{DefaultsRequest, Op, RenderRequest, ToYamlRequest, ValidateDocumentsRequest, ValidateRequest};
use rec_core::plan::{Plan, PlanRequest};
use rec_core::render::Rendered;
use rec_core::validate::Report;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

/// The answer envelope: exactly one of `ok` and `error`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum Answer<T> {
    #[serde(rename = "ok")]
    Ok(T),
    #[serde(rename = "error")]
    Error(CoreError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoreError {
    kind: String,
    message: String,
}

/// What `Op::Version` answers.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub abi_version: u32,
    pub core_version: String,
}

/// Checks that `answer` is a well-formed envelope without building its content.
pub(crate) fn check_envelope(answer: &[u8]) -> Result<(), EngineError> {
    parse::<IgnoredAny>(answer).map(|_| ())
}

/// Reads a `Version` answer (the engine's ABI check on load).
pub(crate) fn parse_version(answer: &[u8]) -> Result<Version, EngineError> {
    parse(answer)?
}

fn parse<T: DeserializeOwned>(answer: &[u8]) -> Result<Result<T, EngineError>, EngineError> {
    match serde_json::from_slice::<Answer<T>>(answer) {
        Ok(Answer::Ok(value)) => Ok(Ok(value)),
        Ok(Answer::Error(e)) => Ok(Err(EngineError::Core {
            kind: e.kind,
            message: e.message,
        })),
        Err(e) => Err(EngineError::BadAnswer(e.to_string())),
    }
}

impl Engine {
    fn typed<T: DeserializeOwned>(&self, op: Op, input: &[u8]) -> Result<T, EngineError> {
        parse(&self.answer(op as u32, input)?)?
    }

    fn typed_json<T: DeserializeOwned>(&self, op: Op, request: &impl serde::Serialize) -> Result<T, EngineError> {
        let input = serde_json::to_vec(request).map_err(|e| EngineError::Core {
            kind: "BadRequest".into(),
            message: format!("the request cannot be serialised: {e}"),
        })?;
        self.typed(op, &input)
    }

    /// The module's ABI and core versions.
    pub fn version(&self) -> Result<Version, EngineError> {
        self.typed(Op::Version, b"{}")
    }

    /// Validates a REC or a REDB (with `old_object` on update, against `context` when the caller has one).
    pub fn validate(&self, request: &ValidateRequest) -> Result<Report, EngineError> {
        self.typed_json(Op::Validate, request)
    }

    /// Validates the documents of one input, each other's context: one report per document.
    pub fn validate_documents(&self, request: &ValidateDocumentsRequest) -> Result<Vec<Report>, EngineError> {
        self.typed_json(Op::ValidateDocuments, request)
    }

    /// Validates, then renders a REC.
    pub fn render(&self, request: &RenderRequest) -> Result<Rendered, EngineError> {
        self.typed_json(Op::Render, request)
    }

    /// How a change reaches the cluster: the plan's steps, state and (when asked) objects.
    pub fn plan(&self, request: &PlanRequest) -> Result<Plan, EngineError> {
        self.typed_json(Op::Plan, request)
    }

    /// The REC's spec with every default applied.
    pub fn defaults(&self, request: &DefaultsRequest) -> Result<RedisEnterpriseClusterSpec, EngineError> {
        self.typed_json(Op::Defaults, request)
    }

    /// Parses YAML or JSON text; the `ok` payload (see `rec_core::yaml::Parsed`).
    pub fn parse_yaml(&self, text: &str) -> Result<Value, EngineError> {
        self.typed(Op::ParseYaml, text.as_bytes())
    }

    /// Writes documents as one YAML stream.
    pub fn to_yaml(&self, documents: &[Value]) -> Result<String, EngineError> {
        self.typed_json(
            Op::ToYaml,
            &ToYamlRequest {
                documents: documents.to_vec(),
            },
        )
    }
}
