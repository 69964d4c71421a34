//! The documents of one preview text: read one by one ([`crate::yaml::documents::split`]), with their positions
//! moved back into the whole text, validated together, and summed up.
//!
//! A text of one document is read whole, exactly as before documents existed, so its answer (errors and positions
//! included) does not change.

use super::{Document, DocumentView, TextError};
use crate::kind::Kind;
use crate::validate::{Options, Report};
use crate::yaml::{Location, MAX_INPUT_BYTES, Parsed, YamlError};
use serde_json::Value;

/// The most documents one text may hold: every REDB is checked against every other, so the cost grows with the
/// square of the count; an editor's REC and its databases are a handful, and a text of thousands of empty
/// documents (3 MiB of `---`) is refused at once instead of freezing the page.
pub const MAX_DOCUMENTS: usize = 100;

/// One document of the text, read.
pub(super) struct Doc {
    /// Its first line in the whole text (1-based) and its last.
    pub first_line: usize,
    pub last_line: usize,
    pub parsed: Parsed,
}

impl Doc {
    /// Its value, when it was read.
    pub fn value(&self) -> Option<&Value> {
        self.parsed.value.as_ref().filter(|_| self.parsed.error.is_none())
    }

    /// `location` (in the document) in the whole text.
    pub fn shift(&self, location: &Location) -> Location {
        Location {
            path: location.path.clone(),
            line: location.line + self.first_line - 1,
            column: location.column,
        }
    }
}

/// Reads the documents of `text`.
pub(super) fn read(text: &str) -> Vec<Doc> {
    let last = |first: usize, text: &str| first + text.lines().count().max(1) - 1;
    let chunks = crate::yaml::documents::split(text);
    if chunks.len() <= 1 || text.len() > MAX_INPUT_BYTES {
        return vec![Doc {
            first_line: 1,
            last_line: last(1, text),
            parsed: crate::yaml::parse(text),
        }];
    }
    if let Some(extra) = chunks.get(MAX_DOCUMENTS) {
        let error = YamlError {
            message: format!(
                "the text holds {} documents; the preview reads at most {MAX_DOCUMENTS}",
                chunks.len()
            ),
            line: extra.first_line,
            column: 1,
        };
        return vec![Doc {
            first_line: 1,
            last_line: last(1, text),
            parsed: Parsed {
                value: None,
                locations: Vec::new(),
                error: Some(error),
                documents: None,
            },
        }];
    }
    chunks
        .iter()
        .map(|chunk| Doc {
            first_line: chunk.first_line,
            last_line: last(chunk.first_line, chunk.text),
            parsed: crate::yaml::parse(chunk.text),
        })
        .collect()
}

/// The first document's YAML error, placed in the whole text.
pub(super) fn error(docs: &[Doc], document: Document) -> Option<TextError> {
    let several = docs.len() > 1;
    docs.iter().enumerate().find_map(|(i, doc)| {
        let e = doc.parsed.error.as_ref()?;
        Some(TextError {
            document,
            message: e.message.clone(),
            line: e.line + doc.first_line - 1,
            column: e.column,
            document_index: several.then_some(i),
        })
    })
}

/// One report per document. One document against at most one old one is compared with it whatever its name (as
/// before documents existed: the update of a renamed REC is still an update); otherwise each document against the
/// old one of its kind, namespace and name, with the others as its context.
pub(super) fn validate(values: &[&Value], old: Option<&[&Value]>, options: &Options) -> Vec<Report> {
    match (values, old) {
        ([one], None | Some([] | [_])) => {
            let old = old.and_then(|o| o.first().copied());
            vec![crate::kind::validate(one, old, None, options)]
        }
        _ => crate::kind::validate_documents(values, old, None, options),
    }
}

/// The old version of document `at`: the old text's only document when both texts hold one, else the old document
/// of the same kind, namespace and name.
pub(super) fn old_of<'a>(values: &[&Value], at: usize, old: &[&'a Value]) -> Option<&'a Value> {
    if let ([_], [one]) = (values, old) {
        return Some(one);
    }
    let identity = |o: &Value| {
        ["/kind", "/metadata/namespace", "/metadata/name"]
            .map(|p| o.pointer(p).and_then(Value::as_str).map(str::to_string))
    };
    let wanted = identity(values.get(at)?);
    old.iter().copied().find(|o| identity(o) == wanted)
}

/// The documents as the page lists them, each REDB with its Kubernetes side.
pub(super) fn views(docs: &[Doc], values: &[&Value], reports: &[Report]) -> Vec<DocumentView> {
    docs.iter()
        .zip(values)
        .zip(reports)
        .map(|((doc, value), report)| {
            let kind = Kind::of(value);
            let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str).map(str::to_string);
            DocumentView {
                kind: kind.name().to_string(),
                name: text("/metadata/name"),
                namespace: text("/metadata/namespace"),
                first_line: doc.first_line,
                last_line: doc.last_line,
                valid: report.valid,
                errors: report.errors,
                warnings: report.warnings,
                kubernetes: (kind == Kind::Database)
                    .then(|| crate::redb::kubernetes::side(value, crate::redb::cluster_of(value, values))),
            }
        })
        .collect()
}

/// One report for the text: a single document's own, or the sum of all (valid when each is; violations in
/// document order).
pub(super) fn total(mut reports: Vec<Report>) -> Report {
    if reports.len() == 1 {
        return reports.remove(0);
    }
    Report {
        valid: reports.iter().all(|r| r.valid),
        errors: reports.iter().map(|r| r.errors).sum(),
        warnings: reports.iter().map(|r| r.warnings).sum(),
        violations: reports.into_iter().flat_map(|r| r.violations).collect(),
        cluster: None,
    }
}
