//! The browser preview's one-call view of what the user wrote: read the YAML text (and, on update, the old text),
//! validate, render, place every violation at its line and column, and document every written field from the CRD
//! (its compact table, [`crate::field_docs`]).
//!
//! A text may hold several documents (`---` separated: a REC and its REDBs, in any order): each is validated by its
//! kind with the others as its context ([`crate::kind::validate_documents`]), its violations placed in the whole
//! text and marked with the document's index, the REC rendered as for a text of its own, and each REDB's
//! Kubernetes side given ([`crate::redb::kubernetes`]). A text of one REC answers exactly as before REDBs existed:
//! every field added for documents is left out of it.
//!
//! Glue over [`crate::yaml`], [`crate::kind`], [`crate::render`], [`crate::redb::kubernetes`] and
//! [`crate::field_docs`]: it adds no rule and no rendering of its own, so the page shows exactly what the cluster
//! would decide.

mod documents;

use crate::field_docs::Segment;
use crate::kind::Kind;
use crate::redb::kubernetes::KubernetesSide;
use crate::render::RenderContext;
use crate::validate::{Report, Severity, Violation};
use crate::yaml::Location;
use documents::Doc;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The REC as text, and the old REC's text when previewing an update.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreviewRequest {
    pub text: String,
    #[serde(default)]
    pub old_text: Option<String>,
    #[serde(default)]
    pub context: RenderContext,
    /// Document every written field from the CRD (default true; see [`crate::field_docs`]).
    #[serde(default = "yes")]
    pub describe: bool,
}

fn yes() -> bool {
    true
}

/// Everything the page shows for one text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Why a text could not be read; nothing else is computed then.
    pub yaml_error: Option<TextError>,
    /// The validation (of the transition too, on update).
    pub report: Option<Report>,
    /// The report's violations, in its order, each placed in the new text.
    pub violations: Vec<PlacedViolation>,
    /// The rendered objects, in apply order; absent when the REC (or its update) is invalid.
    pub objects: Option<Vec<RenderedObject>>,
    /// All rendered objects as one multi-document YAML stream.
    pub manifest: Option<String>,
    /// Every written field of the new text with its CRD documentation (empty unless `describe`).
    pub fields: Vec<Field>,
    /// On update: the plan of the change for a healthy cluster running the old REC (`crate::plan::Plan`, without
    /// objects): its state, summary, steps and refusals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Value>,
    /// The text's documents, listed when it holds more than one or one that is not a REC (a text of one REC lists
    /// none, as before). The report then sums theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentView>,
}

/// One document of the text: what it is, where, its verdict and, for a REDB, its Kubernetes side.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// The kind it is validated as (`crate::kind::Kind::of`: anything but a REDB is read as a REC).
    pub kind: String,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Its first and last line in the text (1-based, markers included).
    pub first_line: usize,
    pub last_line: usize,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    /// A REDB's Services, Secret and finalizer, created by the REC among the documents (REDB.md section 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesSide>,
}

/// Which text a YAML error is in.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Document {
    New,
    Old,
}

/// A YAML syntax error with its position.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    pub document: Document,
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// Which document of a multi-document text (0-based); absent for a text of one document.
    #[serde(default, rename = "documentIndex", skip_serializing_if = "Option::is_none")]
    pub document_index: Option<usize>,
}

/// A violation with the position of its field (or of the nearest written ancestor) in the new text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PlacedViolation {
    #[serde(flatten)]
    pub violation: Violation,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Which document the violation is in (0-based), when the text's documents are listed.
    #[serde(default, rename = "documentIndex", skip_serializing_if = "Option::is_none")]
    pub document_index: Option<usize>,
}

/// One rendered object: its kind, name and YAML.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RenderedObject {
    pub kind: String,
    pub name: String,
    pub yaml: String,
}

/// A written field, where it is, and what the CRD says about it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Field {
    #[serde(flatten)]
    pub location: Location,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub description: Option<String>,
    /// Which document the field is in (0-based), when the text's documents are listed.
    #[serde(default, rename = "documentIndex", skip_serializing_if = "Option::is_none")]
    pub document_index: Option<usize>,
}

/// Reads, validates and renders the request's documents.
pub fn preview(request: &PreviewRequest) -> Preview {
    let mut answer = Preview {
        yaml_error: None,
        report: None,
        violations: Vec::new(),
        objects: None,
        manifest: None,
        fields: Vec::new(),
        plan: None,
        documents: Vec::new(),
    };
    let new = documents::read(&request.text);
    if let Some(error) = documents::error(&new, Document::New) {
        answer.yaml_error = Some(error);
        return answer;
    }
    // The old text is read before the fields are documented: an unreadable old text (an alias bomb, say) then
    // costs only its own reading, not also the CRD schema's (found by the hostile corpus: the two together ran
    // out of the engine's fuel).
    let old = request.old_text.as_deref().map(documents::read);
    if let Some(error) = old.as_ref().and_then(|old| documents::error(old, Document::Old)) {
        answer.yaml_error = Some(error);
        return answer;
    }
    let values: Vec<&Value> = new.iter().filter_map(Doc::value).collect();
    let old_values: Option<Vec<&Value>> = old.as_ref().map(|o| o.iter().filter_map(Doc::value).collect());
    let listed = values.len() > 1 || values.iter().any(|v| Kind::of(v) != Kind::Cluster);
    let index = |i: usize| listed.then_some(i);
    if request.describe {
        for (i, doc) in new.iter().enumerate() {
            let kind = doc.value().map_or(Kind::Cluster, Kind::of);
            answer.fields.extend(
                doc.parsed
                    .locations
                    .iter()
                    .map(|l| document_field(kind, &doc.shift(l), index(i))),
            );
        }
    }
    let mut reports = documents::validate(&values, old_values.as_deref(), &request.context.options);
    // The REC (the first, should the text hold several) is rendered as a text of its own would be.
    let rec = values.iter().position(|v| Kind::of(v) == Kind::Cluster);
    if let Some(r) = rec.filter(|&r| reports[r].valid) {
        let rendered = crate::render::render(values[r], &request.context);
        merge(&mut reports[r], rendered.report);
        if reports[r].valid {
            answer.manifest = rendered.objects.as_ref().map(crate::yaml::to_yaml_stream);
            answer.objects = rendered.objects.map(|o| o.iter().map(describe_object).collect());
        }
    }
    let old_rec = rec
        .zip(old_values.as_deref())
        .and_then(|(r, o)| Some((r, documents::old_of(&values, r, o)?)));
    if let Some((r, old)) = old_rec {
        let request = crate::plan::PlanRequest {
            object: values[r].clone(),
            applied: Some(crate::api::AppliedState {
                spec: old.get("spec").cloned().unwrap_or(Value::Null),
                ..Default::default()
            }),
            context: request.context.clone(),
            ..Default::default()
        };
        answer.plan = crate::render::written_value(&crate::plan::plan(&request)).ok();
    }
    for (i, (doc, report)) in new.iter().zip(&reports).enumerate() {
        answer
            .violations
            .extend(report.violations.iter().map(|v| place(v, doc, index(i))));
    }
    if listed {
        answer.documents = documents::views(&new, &values, &reports);
    }
    answer.report = Some(documents::total(reports));
    answer
}

/// Adds what rendering found (e.g. missing entropy for a new secret) to the validation report: the union of
/// both reports' violations, in order, counted again.
fn merge(report: &mut Report, rendered: Report) {
    for violation in rendered.violations {
        if !report.violations.contains(&violation) {
            report.violations.push(violation);
        }
    }
    let count = |severity| report.violations.iter().filter(|v| v.severity == severity).count();
    report.errors = count(Severity::Error);
    report.warnings = count(Severity::Warning);
    report.valid = report.valid && rendered.valid;
}

/// `violation` placed at its field (or nearest written ancestor) in `doc`, in the whole text's lines.
fn place(violation: &Violation, doc: &Doc, document_index: Option<usize>) -> PlacedViolation {
    let at = doc
        .parsed
        .locate(&violation.path)
        .map(|l| (doc.shift(l).line, l.column));
    // In a text of documents, a violation of a whole document (`redb-no-context`) is placed at its first line, so
    // the page can show which document it is about; a text of one document keeps it unplaced, as before.
    let at = at.or_else(|| document_index.map(|_| (doc.first_line, 1)));
    PlacedViolation {
        violation: violation.clone(),
        line: at.map(|l| l.0),
        column: at.map(|l| l.1),
        document_index,
    }
}

fn describe_object(object: &Value) -> RenderedObject {
    let text = |pointer: &str| {
        object
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    RenderedObject {
        kind: text("/kind"),
        name: text("/metadata/name"),
        yaml: crate::yaml::to_yaml(object),
    }
}

/// The field at `location`, documented from the CRD of `kind`.
fn document_field(kind: Kind, location: &Location, document_index: Option<usize>) -> Field {
    let doc = segments(&location.path)
        .and_then(|s| crate::field_docs::at_in(kind, &s))
        .unwrap_or_default();
    Field {
        location: location.clone(),
        type_: doc.type_.map(str::to_string),
        description: doc.description.map(str::to_string),
        document_index,
    }
}

/// Splits a path in the report's format (`spec.a[0].b`, `spec.extraLabels["x.y/z"]`) into steps; `None` when
/// the path is not in that format.
fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[\"") {
            // A JSON string key: find its closing quote, skipping escaped characters.
            let mut escaped = false;
            let end = after.char_indices().find_map(|(i, c)| match (escaped, c) {
                (false, '"') => Some(i),
                (false, '\\') => {
                    escaped = true;
                    None
                }
                _ => {
                    escaped = false;
                    None
                }
            })?;
            let key: String = serde_json::from_slice(&rest.as_bytes()[1..end + 3]).ok()?;
            out.push(Segment::Key(key));
            rest = after[end + 1..].strip_prefix(']')?;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            after[..end].parse::<usize>().ok()?;
            out.push(Segment::Index);
            rest = &after[end + 1..];
        } else {
            let plain = rest.strip_prefix('.').unwrap_or(rest);
            let end = plain.find(['.', '[']).unwrap_or(plain.len());
            out.push(Segment::Key(plain[..end].to_string()));
            rest = &plain[end..];
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
