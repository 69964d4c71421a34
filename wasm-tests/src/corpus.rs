//! The agreement corpus: one case per JSON file under `wasm-tests/corpus/`, read and checked for shape.
//!
//! Format (see CODES.md): `name` (= file stem), `description`, `op`, exactly one of `request` (JSON),
//! `requestText` (raw text) and `requestBase64` (raw bytes), and `expect`. Does not run anything.

use base64::Engine as _;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The corpus shipped with this crate.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A malformed corpus.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a case: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("{path}: {problem}")]
    Invalid { path: PathBuf, problem: String },
}

/// The operation, by its name in the corpus.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum OpName {
    Version,
    Validate,
    Render,
    Defaults,
    Crd,
    ParseYaml,
    ToYaml,
    Preview,
    Plan,
    ValidateDocuments,
    FieldTable,
}

impl OpName {
    pub fn op(self) -> rec_core::abi::Op {
        use rec_core::abi::Op;
        match self {
            OpName::Version => Op::Version,
            OpName::Validate => Op::Validate,
            OpName::Render => Op::Render,
            OpName::Defaults => Op::Defaults,
            OpName::Crd => Op::Crd,
            OpName::ParseYaml => Op::ParseYaml,
            OpName::ToYaml => Op::ToYaml,
            OpName::Preview => Op::Preview,
            OpName::Plan => Op::Plan,
            OpName::ValidateDocuments => Op::ValidateDocuments,
            OpName::FieldTable => Op::FieldTable,
        }
    }
}

/// What the answer must be.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// An `ok` answer; for validate and render, a report with `valid: true`.
    Valid,
    /// An `ok` answer whose report says `valid: false` (validate and render only).
    Invalid,
    /// An `{"error": ...}` answer.
    Error,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expect {
    pub outcome: Outcome,
    /// Rule codes that must appear among the report's violations.
    #[serde(default)]
    pub codes: Vec<String>,
    /// With `outcome: error`, the error's kind.
    #[serde(default)]
    pub error_kind: Option<String>,
    /// For `plan`: the state the plan reports.
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCase {
    name: String,
    description: String,
    op: OpName,
    #[serde(default)]
    request: Option<serde_json::Value>,
    #[serde(default)]
    request_text: Option<String>,
    #[serde(default)]
    request_base64: Option<String>,
    expect: Expect,
}

/// One case, with its request as the exact bytes every entry point is fed.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub description: String,
    pub op: OpName,
    pub input: Vec<u8>,
    pub expect: Expect,
    /// The file, relative to the corpus directory (its folder is the case's group).
    pub file: PathBuf,
}

/// Every case under `dir` (recursively), sorted by file path; names are unique and equal to the file stems.
pub fn load(dir: &Path) -> Result<Vec<Case>, CorpusError> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut cases = Vec::with_capacity(files.len());
    let mut names = std::collections::BTreeSet::new();
    for path in files {
        let case = load_case(dir, &path)?;
        if !names.insert(case.name.clone()) {
            return Err(CorpusError::Invalid {
                path,
                problem: format!("the name {:?} is used twice", case.name),
            });
        }
        cases.push(case);
    }
    Ok(cases)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    let read_err = |source| CorpusError::Read {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}

fn load_case(dir: &Path, path: &Path) -> Result<Case, CorpusError> {
    let text = std::fs::read(path).map_err(|source| CorpusError::Read {
        path: path.into(),
        source,
    })?;
    let raw: RawCase = serde_json::from_slice(&text).map_err(|source| CorpusError::Parse {
        path: path.into(),
        source,
    })?;
    let invalid = |problem: String| CorpusError::Invalid {
        path: path.into(),
        problem,
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if raw.name != stem {
        return Err(invalid(format!(
            "the name {:?} differs from the file name {stem:?}",
            raw.name
        )));
    }
    let input = match (raw.request, raw.request_text, raw.request_base64) {
        (Some(json), None, None) => serde_json::to_vec(&json).map_err(|e| invalid(e.to_string()))?,
        (None, Some(text), None) => text.into_bytes(),
        (None, None, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| invalid(format!("requestBase64 is not base64: {e}")))?,
        _ => {
            return Err(invalid(
                "exactly one of request, requestText and requestBase64 must be set".into(),
            ));
        }
    };
    let expect = raw.expect;
    if expect.outcome == Outcome::Invalid
        && !matches!(
            raw.op,
            OpName::Validate | OpName::Render | OpName::Plan | OpName::ValidateDocuments | OpName::Preview
        )
    {
        return Err(invalid(
            "outcome invalid is for validate, validateDocuments, render, plan and preview only".into(),
        ));
    }
    if expect.state.is_some() && raw.op != OpName::Plan {
        return Err(invalid("state goes with op plan".into()));
    }
    if expect.error_kind.is_some() && expect.outcome != Outcome::Error {
        return Err(invalid("errorKind goes with outcome error".into()));
    }
    let file = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    Ok(Case {
        name: raw.name,
        description: raw.description,
        op: raw.op,
        input,
        expect,
        file,
    })
}
