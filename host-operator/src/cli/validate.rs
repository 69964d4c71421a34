//! `validate FILE [--context FILE]... [--old OLD]`: every document of FILE checked in ONE `validateDocuments` call
//! to the wasm core, so the documents of one file are each other's context (a REDB finds its REC and the other
//! REDBs beside it) exactly as the core defines it (`rec_core::kind::validate_documents`), with the documents of
//! the `--context` files added and those of `--old` as the previous versions (matched by kind, namespace and name).
//!
//! Output: per document its kind, namespace/name and the report (text), or one JSON array of
//! [`DocumentReport`]. Exit 0 when every document is valid, 1 when any is invalid, 2 when an input cannot be
//! read or the core cannot answer.

use super::check::report_text;
use super::{InputError, ReportFormat, exit, read_documents};
use rec_core::abi::ValidateDocumentsRequest;
use rec_core::kind::Kind;
use rec_core::validate::Report;
use rec_engine::Engine;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

/// The inputs of `validate`.
#[derive(Clone, Debug, Default)]
pub struct ValidateInput {
    pub file: PathBuf,
    pub context: Vec<PathBuf>,
    pub old: Option<PathBuf>,
}

/// One document's verdict in `-o json`: which object it is, and its report. `name` and `namespace` are null when
/// the document does not set them; `kind` is the kind the core validated it as (a document of no known kind is
/// checked, and reported, as a REC).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DocumentReport {
    pub kind: &'static str,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub report: Report,
}

/// Reads every input, validates in one call and prints; 0 all valid, 1 any invalid, 2 unreadable.
pub fn validate(engine: &Engine, input: &ValidateInput, format: ReportFormat, out: &mut dyn Write) -> u8 {
    let request = match request(engine, input) {
        Ok(request) => request,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::UNREADABLE;
        }
    };
    let file = input.file.display().to_string();
    let reports = match engine.validate_documents(&request) {
        Ok(reports) if reports.len() == request.documents.len() => reports,
        Ok(reports) => {
            eprintln!(
                "error: the core answered {} report(s) for the {} document(s) of {file}",
                reports.len(),
                request.documents.len()
            );
            return exit::UNREADABLE;
        }
        Err(e) => {
            eprintln!("error: the core could not validate {file}: {e}");
            return exit::UNREADABLE;
        }
    };
    let answer: Vec<DocumentReport> = request
        .documents
        .iter()
        .zip(reports)
        .map(|(document, report)| DocumentReport::of(document, report))
        .collect();
    let valid = answer.iter().all(|d| d.report.valid);
    if !format.print(|| text(&file, &answer), &answer, "report", out) {
        return exit::UNREADABLE;
    }
    if valid { exit::OK } else { exit::INVALID }
}

/// The one request: FILE's documents, the `--context` files' documents (absent without `--context`, so a lone
/// document is "no context"), and `--old`'s.
fn request(engine: &Engine, input: &ValidateInput) -> Result<ValidateDocumentsRequest, InputError> {
    let documents = read_documents(engine, &input.file)?;
    let context = if input.context.is_empty() {
        None
    } else {
        let mut context = Vec::new();
        for path in &input.context {
            context.extend(read_documents(engine, path)?);
        }
        Some(context)
    };
    let old_documents = input.old.as_deref().map(|p| read_documents(engine, p)).transpose()?;
    Ok(ValidateDocumentsRequest {
        documents,
        old_documents,
        context,
        ..ValidateDocumentsRequest::default()
    })
}

impl DocumentReport {
    fn of(document: &Value, report: Report) -> DocumentReport {
        let text = |pointer: &str| document.pointer(pointer).and_then(Value::as_str).map(str::to_string);
        DocumentReport {
            kind: Kind::of(document).name(),
            name: text("/metadata/name"),
            namespace: text("/metadata/namespace"),
            report,
        }
    }

    /// `Kind namespace/name` (`Kind name` without a namespace, `Kind (no name)` without a name).
    fn title(&self) -> String {
        match (&self.namespace, &self.name) {
            (Some(namespace), Some(name)) => format!("{} {namespace}/{name}", self.kind),
            (None, Some(name)) => format!("{} {name}", self.kind),
            (_, None) => format!("{} (no name)", self.kind),
        }
    }
}

/// The human report: per document, `FILE: Kind namespace/name: valid (...)` and its violations, as `report_text`
/// writes one report; the document's number in FILE after the file name when FILE holds several.
fn text(file: &str, answer: &[DocumentReport]) -> String {
    let several = answer.len() > 1;
    answer
        .iter()
        .enumerate()
        .map(|(i, document)| {
            let at = if several {
                format!("{file} #{}", i + 1)
            } else {
                file.to_string()
            };
            report_text(&format!("{at}: {}", document.title()), &document.report)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::validate::{Severity, Violation};
    use serde_json::json;

    fn report(valid: bool, violations: Vec<Violation>) -> Report {
        let errors = violations.iter().filter(|v| v.severity == Severity::Error).count();
        Report {
            valid,
            errors,
            warnings: violations.len() - errors,
            violations,
            cluster: None,
        }
    }

    #[test]
    fn each_document_is_named_by_kind_namespace_and_name_and_numbered_when_several() {
        let rec = json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec", "namespace": "ns"}});
        let redb = json!({"kind": "RedisEnterpriseDatabase", "metadata": {"name": "db"}});
        let clash = Violation {
            code: "redb-port-taken".into(),
            severity: Severity::Error,
            path: "spec.databasePort".into(),
            message: "taken".into(),
        };
        let answer = [
            DocumentReport::of(&rec, report(true, vec![])),
            DocumentReport::of(&redb, report(false, vec![clash])),
            DocumentReport::of(&json!("not an object"), report(false, vec![])),
        ];
        assert_eq!(
            text("all.yaml", &answer),
            "all.yaml #1: RedisEnterpriseCluster ns/rec: valid (0 error(s), 0 warning(s))\n\
             all.yaml #2: RedisEnterpriseDatabase db: invalid (1 error(s), 0 warning(s))\n  \
             error: spec.databasePort [redb-port-taken]: taken\n\
             all.yaml #3: RedisEnterpriseCluster (no name): invalid (0 error(s), 0 warning(s))\n"
        );
        assert_eq!(
            text("rec.yaml", &answer[..1]),
            "rec.yaml: RedisEnterpriseCluster ns/rec: valid (0 error(s), 0 warning(s))\n"
        );
        let json = serde_json::to_value(&answer[1]).unwrap_or_default();
        assert_eq!(
            (json["kind"].as_str(), json["name"].as_str(), &json["namespace"]),
            (Some("RedisEnterpriseDatabase"), Some("db"), &Value::Null)
        );
        assert_eq!(json["report"]["violations"][0]["code"], "redb-port-taken");
    }
}
