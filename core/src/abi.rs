//! The JSON ABI every entry point speaks: an operation number and a UTF-8 JSON request in, a JSON answer out.
//!
//! The core module (`rec-core-module`), the browser build, the policy and the native tests all call
//! [`call`], so they cannot disagree about what a request means or how an answer is written.
//!
//! An answer is always one of
//! - `{"ok": <result>}`
//! - `{"error": {"kind": "<BadRequest|UnknownOp|Unsupported|Panic>", "message": "..."}}`
//!
//! `Unsupported`: the operation exists but was left out of this build: the core built without its `crd` feature
//! has no `Crd` (see `core/Cargo.toml`), and an entry point that answers through [`call_only`] answers only the
//! operations of its set (the browser build: those its page and its tests use, see `preview/web`; the core
//! module: all but `Crd`, see `rec_core_module::MODULE_OPS`).
//!
//! Bad input is an answer, never a panic or a trap. Version history: 1 = this layout.

use crate::defaults::Versions;
use crate::kind::Kind;
use crate::render::RenderContext;
use crate::validate::Options;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Bumped on any incompatible change of operations, requests or answers; hosts refuse a module whose version
/// they do not know.
pub const ABI_VERSION: u32 = 1;

/// The operations, by number (the number is what crosses the module boundary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Op {
    /// `{}` -> `{"abiVersion": 1, "coreVersion": "..."}`
    Version = 0,
    /// [`ValidateRequest`] -> [`crate::validate::Report`]
    Validate = 1,
    /// [`RenderRequest`] -> [`crate::render::Rendered`]
    Render = 2,
    /// [`DefaultsRequest`] -> the spec with defaults applied
    Defaults = 3,
    /// anything -> the CustomResourceDefinition
    Crd = 4,
    /// YAML or JSON text (not a JSON request) -> [`crate::yaml::Parsed`]
    ParseYaml = 5,
    /// [`ToYamlRequest`] -> a YAML stream (a string)
    ToYaml = 6,
    /// [`crate::preview::PreviewRequest`] (YAML text) -> [`crate::preview::Preview`]: read, validate, render and
    /// place every violation at its line and column, in one call (the browser preview's per-keystroke call)
    Preview = 7,
    /// [`crate::plan::PlanRequest`] -> [`crate::plan::Plan`]: how a change reaches a running cluster
    Plan = 8,
    /// [`ValidateDocumentsRequest`] -> one [`crate::validate::Report`] per document: the documents of one input,
    /// each other's context (see [`crate::kind::validate_documents`])
    ValidateDocuments = 9,
    /// [`FieldTableRequest`] -> the field table of a kind's CRD ([`crate::field_docs`]: every field's type,
    /// description, enum values and default, and the rules that name it), the browser page's completion and hover
    FieldTable = 10,
}

impl Op {
    /// Every operation, in number order.
    pub const ALL: [Op; 11] = [
        Op::Version,
        Op::Validate,
        Op::Render,
        Op::Defaults,
        Op::Crd,
        Op::ParseYaml,
        Op::ToYaml,
        Op::Preview,
        Op::Plan,
        Op::ValidateDocuments,
        Op::FieldTable,
    ];

    /// The operation with this number.
    pub fn from_u32(n: u32) -> Option<Op> {
        Op::ALL.into_iter().find(|op| *op as u32 == n)
    }

    /// The operation's name, as the corpus and the error messages spell it.
    pub fn name(self) -> &'static str {
        match self {
            Op::Version => "version",
            Op::Validate => "validate",
            Op::Render => "render",
            Op::Defaults => "defaults",
            Op::Crd => "crd",
            Op::ParseYaml => "parseYaml",
            Op::ToYaml => "toYaml",
            Op::Preview => "preview",
            Op::Plan => "plan",
            Op::ValidateDocuments => "validateDocuments",
            Op::FieldTable => "fieldTable",
        }
    }
}

/// A set of operations as a bit mask (bit `n` is operation `n`): the const parameter of [`call_only`].
pub const fn op_set(ops: &[Op]) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < ops.len() {
        mask |= 1 << ops[i] as u32;
        i += 1;
    }
    mask
}

/// Every operation: what [`call`] answers.
pub const ALL_OPS: u32 = op_set(&Op::ALL);

/// Whether the set `ops` holds `op`. `Version` is in every set: a host checks the ABI version before anything.
pub const fn answers(ops: u32, op: Op) -> bool {
    matches!(op, Op::Version) || ops & (1 << op as u32) != 0
}

/// Validate a REC or a REDB, by its `kind` (`oldObject` set on update; see [`crate::kind`]). `context`: the
/// other objects the caller sees (RECs, REDBs; others are ignored); absent when it has none, which a REDB's
/// report says with `redb-no-context`.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateRequest {
    pub object: Value,
    #[serde(default)]
    pub old_object: Option<Value>,
    #[serde(default)]
    pub context: Option<Vec<Value>>,
    #[serde(default)]
    pub options: Options,
}

/// Validate the documents of one input together (see [`crate::kind::validate_documents`]).
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateDocumentsRequest {
    pub documents: Vec<Value>,
    #[serde(default)]
    pub old_documents: Option<Vec<Value>>,
    #[serde(default)]
    pub context: Option<Vec<Value>>,
    #[serde(default)]
    pub options: Options,
}

/// The field table of one kind: `{"kind": "RedisEnterpriseCluster"}` or `{"kind": "RedisEnterpriseDatabase"}`.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldTableRequest {
    /// Any JSON, so that a kind that is not a string is answered as a wrong kind is: naming the field.
    pub kind: Value,
}

/// Render a REC.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderRequest {
    pub object: Value,
    #[serde(default)]
    pub context: RenderContext,
}

/// Apply the defaults to a REC's spec.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DefaultsRequest {
    pub object: Value,
    #[serde(default)]
    pub versions: Versions,
}

/// Write values as a YAML stream, each document after `---`.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToYamlRequest {
    pub documents: Vec<Value>,
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiError {
    pub kind: &'static str,
    pub message: String,
}

impl AbiError {
    fn bad_request(message: impl Into<String>) -> Self {
        Self {
            kind: "BadRequest",
            message: message.into(),
        }
    }
}

/// Answers one request. Never panics on any input (a native caller's panic is caught and answered too).
pub fn call(op: u32, input: &[u8]) -> Vec<u8> {
    call_only::<ALL_OPS>(op, input)
}

/// [`call`] for an entry point that uses only the operations in `OPS` (an [`op_set`]; `Version` is always
/// answered): any other operation answers `Unsupported`, and the code only those operations reach is not linked.
///
/// Why a const set and not a cargo feature: features are unified across a workspace build, so a feature that
/// removed operations for the browser would remove them from the native tests built alongside it too. With the
/// set a const parameter, each arm's guard is a constant once the function is instantiated, and the optimiser drops
/// the arms (and everything only they call) of the operations left out. The browser build saves about 9 KB gzip of
/// `Defaults` this way (bench/README.md, "The browser bundle"). The answers of the operations in the set are the
/// same bytes as [`call`]'s: the arms are the same code.
pub fn call_only<const OPS: u32>(op: u32, input: &[u8]) -> Vec<u8> {
    let answer = match std::panic::catch_unwind(|| dispatch::<OPS>(op, input)) {
        Ok(answer) => answer,
        Err(panic) => Err(AbiError {
            kind: "Panic",
            message: panic_message(&panic),
        }),
    };
    answer.unwrap_or_else(|e| {
        serde_json::to_vec(&json!({ "error": { "kind": e.kind, "message": e.message } }))
            .unwrap_or_else(|_| br#"{"error":{"kind":"Panic","message":"answer not serialisable"}}"#.to_vec())
    })
}

/// The text of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the core panicked".into())
}

/// The answer's bytes, `{"ok":...}`, or the error to answer instead.
fn dispatch<const OPS: u32>(op: u32, input: &[u8]) -> Result<Vec<u8>, AbiError> {
    let op = Op::from_u32(op).ok_or_else(|| AbiError {
        kind: "UnknownOp",
        message: format!("unknown operation {op}"),
    })?;
    // Every arm but `Version` is guarded by a constant (see `call_only`); the last arm answers the others.
    match op {
        Op::Version => ok(json!({ "abiVersion": ABI_VERSION, "coreVersion": env!("CARGO_PKG_VERSION") })),
        Op::Validate if answers(OPS, Op::Validate) => {
            let r: ValidateRequest = request(input)?;
            ok(crate::kind::validate(
                &r.object,
                r.old_object.as_ref(),
                r.context.as_deref(),
                &r.options,
            ))
        }
        Op::ValidateDocuments if answers(OPS, Op::ValidateDocuments) => {
            let r: ValidateDocumentsRequest = request(input)?;
            let old: Option<Vec<&Value>> = r.old_documents.as_ref().map(|v| v.iter().collect());
            let context: Option<Vec<&Value>> = r.context.as_ref().map(|v| v.iter().collect());
            ok(crate::kind::validate_documents(
                &r.documents.iter().collect::<Vec<_>>(),
                old.as_deref(),
                context.as_deref(),
                &r.options,
            ))
        }
        Op::Render if answers(OPS, Op::Render) => {
            let r: RenderRequest = request(input)?;
            ok(crate::render::render_owned(&r.object, &r.context))
        }
        Op::Defaults if answers(OPS, Op::Defaults) => {
            let r: DefaultsRequest = request(input)?;
            let rec = crate::validate::read_model(&r.object)
                .map_err(|e| AbiError::bad_request(format!("object is not a RedisEnterpriseCluster: {e}")))?;
            ok(crate::defaults::with_defaults(&rec, &r.versions))
        }
        #[cfg(feature = "crd")]
        Op::Crd if answers(OPS, Op::Crd) => ok(crate::crd::crd()),
        Op::ParseYaml if answers(OPS, Op::ParseYaml) => {
            let text =
                std::str::from_utf8(input).map_err(|e| AbiError::bad_request(format!("input is not UTF-8: {e}")))?;
            ok(crate::yaml::parse(text))
        }
        Op::ToYaml if answers(OPS, Op::ToYaml) => {
            let r: ToYamlRequest = request(input)?;
            ok(crate::yaml::to_yaml_stream(&r.documents))
        }
        Op::Preview if answers(OPS, Op::Preview) => {
            let r: crate::preview::PreviewRequest = request(input)?;
            ok(crate::preview::preview(&r))
        }
        Op::Plan if answers(OPS, Op::Plan) => {
            let r: crate::plan::PlanRequest = request(input)?;
            ok(crate::plan::plan(&r))
        }
        Op::FieldTable if answers(OPS, Op::FieldTable) => {
            let r: FieldTableRequest = request(input)?;
            let kind = [Kind::Cluster, Kind::Database]
                .into_iter()
                .find(|k| r.kind.as_str() == Some(k.name()))
                .ok_or_else(|| {
                    AbiError::bad_request(format!(
                        "kind: {} has no field table; the kinds are {} and {}",
                        r.kind,
                        Kind::Cluster.name(),
                        Kind::Database.name()
                    ))
                })?;
            // The committed table is JSON text already: written into the envelope as it is, not read and written
            // again (the REC's is 82 KB).
            let table = crate::field_docs::table_json(kind);
            Ok([br#"{"ok":"#, table.as_bytes(), b"}"].concat())
        }
        // Left out of this entry point's set, or (`Crd`) of a core built without its `crd` feature.
        left_out => Err(AbiError {
            kind: "Unsupported",
            message: format!(
                "operation {} ({}) is not in this build of the core",
                left_out as u32,
                left_out.name()
            ),
        }),
    }
}

fn request<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<T, AbiError> {
    serde_json::from_slice(input).map_err(|e| AbiError::bad_request(format!("request is not valid: {e}")))
}

/// `{"ok": answer}`, written straight from the answer's `Serialize`: building it as a `serde_json::Value` first,
/// as this did, was a second full copy of every answer (for a render, of every object: two thirds of its time).
fn ok(answer: impl Serialize) -> Result<Vec<u8>, AbiError> {
    #[derive(Serialize)]
    struct Envelope<T> {
        ok: T,
    }
    serde_json::to_vec(&Envelope { ok: answer })
        .map_err(|e| AbiError::bad_request(format!("answer is not serialisable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(op: Op, input: &[u8]) -> Value {
        serde_json::from_slice(&call(op as u32, input)).expect("answers are JSON")
    }

    #[test]
    fn preview_answers_the_core_preview_of_the_text() {
        let request = crate::preview::PreviewRequest {
            text: "metadata:\n  name: rec\nspec:\n  nodes: 4\n".into(),
            old_text: None,
            context: Default::default(),
            describe: true,
        };
        let bytes = serde_json::to_vec(&request).expect("a request");
        let expected = serde_json::to_value(crate::preview::preview(&request)).expect("a preview");
        assert_eq!(answer(Op::Preview, &bytes), json!({ "ok": expected }));
    }

    #[test]
    fn preview_with_a_bad_request_is_a_bad_request_answer() {
        let got = answer(Op::Preview, br#"{"text": 3}"#);
        assert_eq!(got.pointer("/error/kind"), Some(&json!("BadRequest")));
        let got = answer(Op::Preview, br#"{"text": "", "colour": 1}"#);
        assert_eq!(got.pointer("/error/kind"), Some(&json!("BadRequest")));
    }

    #[test]
    fn field_table_answers_the_committed_table_of_the_kind() {
        for kind in [Kind::Cluster, Kind::Database] {
            let request = json!({ "kind": kind.name() }).to_string();
            let got = call(Op::FieldTable as u32, request.as_bytes());
            let table: Value = serde_json::from_str(crate::field_docs::table_json(kind)).expect("a table");
            assert_eq!(serde_json::from_slice::<Value>(&got).ok(), Some(json!({ "ok": table })));
            assert_eq!(table["kind"], json!(kind.name()));
        }
    }

    #[test]
    fn field_table_of_no_kind_it_knows_is_a_bad_request_naming_the_field() {
        for request in [
            r#"{"kind": "Pod"}"#,
            r#"{"kind": 3}"#,
            r#"{}"#,
            r#"{"kind": "x", "more": 1}"#,
        ] {
            let got = answer(Op::FieldTable, request.as_bytes());
            assert_eq!(
                got.pointer("/error/kind"),
                Some(&json!("BadRequest")),
                "{request}: {got}"
            );
            let message = got
                .pointer("/error/message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert!(
                message.contains("kind") || message.contains("more"),
                "{request}: {message}"
            );
        }
    }

    #[test]
    fn call_only_answers_its_set_as_call_does_and_the_others_unsupported() {
        const SET: u32 = op_set(&[Op::Validate, Op::ParseYaml]);
        let validate = br#"{"object": {"metadata": {"name": "rec"}, "spec": {"nodes": 3}}}"#;
        assert_eq!(
            call_only::<SET>(Op::Validate as u32, validate),
            call(Op::Validate as u32, validate)
        );
        assert_eq!(
            call_only::<SET>(Op::ParseYaml as u32, b"a: 1"),
            call(Op::ParseYaml as u32, b"a: 1")
        );
        assert_eq!(
            call_only::<SET>(Op::Version as u32, b"{}"),
            call(Op::Version as u32, b"{}")
        );
        for op in [
            Op::Render,
            Op::Defaults,
            Op::ToYaml,
            Op::Preview,
            Op::Plan,
            Op::ValidateDocuments,
            Op::FieldTable,
        ] {
            let got: Value = serde_json::from_slice(&call_only::<SET>(op as u32, validate)).expect("JSON");
            assert_eq!(got.pointer("/error/kind"), Some(&json!("Unsupported")), "{op:?}: {got}");
            let message = got
                .pointer("/error/message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert!(
                message.contains(&format!("operation {} ({})", op as u32, op.name())),
                "{message}"
            );
        }
        let unknown: Value = serde_json::from_slice(&call_only::<SET>(11, b"{}")).expect("JSON");
        assert_eq!(unknown.pointer("/error/kind"), Some(&json!("UnknownOp")));
    }

    #[test]
    fn all_ops_is_every_operation() {
        assert_eq!(ALL_OPS, 0x7ff);
        assert!(Op::ALL.iter().all(|op| answers(ALL_OPS, *op)));
    }

    #[test]
    fn operation_numbers_are_stable() {
        let numbers: Vec<u32> = Op::ALL.iter().map(|op| *op as u32).collect();
        assert_eq!(numbers, (0..11).collect::<Vec<u32>>());
        assert_eq!(Op::from_u32(8), Some(Op::Plan));
        assert_eq!(Op::from_u32(9), Some(Op::ValidateDocuments));
        assert_eq!(Op::from_u32(10), Some(Op::FieldTable));
        assert_eq!(Op::from_u32(11), None);
    }
}
