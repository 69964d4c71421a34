//! The browser preview's one-call view of a REC as the user wrote it: read the YAML text (and, on update, the old
//! REC's text), validate, render, place every violation at its line and column, and document every written
//! field from the CRD (its compact table, [`crate::field_docs`]).
//!
//! Glue over [`crate::yaml`], [`crate::validate`], [`crate::render`] and [`crate::field_docs`]: it adds no rule and no
//! rendering of its own, so the page shows exactly what the cluster would decide.

use crate::field_docs::Segment;
use crate::render::RenderContext;
use crate::validate::{Report, Severity, Violation};
use crate::yaml::{Location, Parsed};
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
}

/// A violation with the position of its field (or of the nearest written ancestor) in the new text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PlacedViolation {
    #[serde(flatten)]
    pub violation: Violation,
    pub line: Option<usize>,
    pub column: Option<usize>,
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
}

/// Reads, validates and renders the request's REC.
pub fn preview(request: &PreviewRequest) -> Preview {
    let mut answer = Preview {
        yaml_error: None,
        report: None,
        violations: Vec::new(),
        objects: None,
        manifest: None,
        fields: Vec::new(),
        plan: None,
    };
    let new = crate::yaml::parse(&request.text);
    let Some(new_value) = read(&new, Document::New, &mut answer) else {
        return answer;
    };
    // The old text is read before the fields are documented: an unreadable old text (an alias bomb, say) then
    // costs only its own reading, not also the CRD schema's (found by the hostile corpus: the two together ran
    // out of the engine's fuel).
    let old = request.old_text.as_deref().map(crate::yaml::parse);
    let old_value = match &old {
        Some(parsed) => match read(parsed, Document::Old, &mut answer) {
            Some(value) => Some(value),
            None => return answer,
        },
        None => None,
    };
    if request.describe {
        answer.fields = new.locations.iter().map(document_field).collect();
    }
    let mut report = crate::validate::validate(new_value, old_value, &request.context.options);
    if report.valid {
        let rendered = crate::render::render(new_value, &request.context);
        merge(&mut report, rendered.report);
        if report.valid {
            answer.manifest = rendered.objects.as_ref().map(crate::yaml::to_yaml_stream);
            answer.objects = rendered.objects.map(|o| o.iter().map(describe_object).collect());
        }
    }
    if let Some(old) = old_value {
        let request = crate::plan::PlanRequest {
            object: new_value.clone(),
            applied: Some(crate::api::AppliedState {
                spec: old.get("spec").cloned().unwrap_or(Value::Null),
                ..Default::default()
            }),
            context: request.context.clone(),
            ..Default::default()
        };
        answer.plan = serde_json::to_value(crate::plan::plan(&request)).ok();
    }
    answer.violations = report.violations.iter().map(|v| place(v, &new)).collect();
    answer.report = Some(report);
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

/// The value read, or `None` after recording the text's error.
fn read<'a>(parsed: &'a Parsed, document: Document, answer: &mut Preview) -> Option<&'a Value> {
    if let Some(e) = &parsed.error {
        answer.yaml_error = Some(TextError {
            document,
            message: e.message.clone(),
            line: e.line,
            column: e.column,
        });
    }
    parsed.value.as_ref().filter(|_| parsed.error.is_none())
}

fn place(violation: &Violation, parsed: &Parsed) -> PlacedViolation {
    let at = parsed.locate(&violation.path);
    PlacedViolation {
        violation: violation.clone(),
        line: at.map(|l| l.line),
        column: at.map(|l| l.column),
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

fn document_field(location: &Location) -> Field {
    let doc = segments(&location.path)
        .and_then(|s| crate::field_docs::at(&s))
        .unwrap_or_default();
    Field {
        location: location.clone(),
        type_: doc.type_.map(str::to_string),
        description: doc.description.map(str::to_string),
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
            let key: String = serde_json::from_str(&rest[1..end + 3]).ok()?;
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
mod tests {
    use super::*;
    use serde_json::json;

    fn run(text: &str, old: Option<&str>) -> Preview {
        preview(&PreviewRequest {
            text: text.into(),
            old_text: old.map(str::to_string),
            context: RenderContext::default(),
            describe: true,
        })
    }

    #[test]
    fn a_syntax_error_is_placed_and_nothing_else_is_computed() {
        let answer = run("spec:\n  nodes: [3\n", None);
        let error = answer.yaml_error.expect("an error");
        assert_eq!(error.document, Document::New);
        assert!(error.line >= 2, "{error:?}");
        assert_eq!((answer.report, answer.objects, answer.fields.len()), (None, None, 0));
    }

    #[test]
    fn an_error_in_the_old_text_names_the_old_document() {
        let answer = run("spec: {}\n", Some("a: b: c\n"));
        let error = answer.yaml_error.expect("an error");
        assert_eq!((error.document, error.line), (Document::Old, 1));
        assert_eq!(answer.report, None);
    }

    #[test]
    fn the_report_is_the_core_validation_and_violations_follow_it() {
        let text = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 4\n";
        let answer = run(text, None);
        let value = crate::yaml::parse(text).value.expect("a value");
        let expected = crate::validate::validate(&value, None, &Default::default());
        assert_eq!(answer.report.as_ref(), Some(&expected));
        let parsed = crate::yaml::parse(text);
        for (placed, violation) in answer.violations.iter().zip(&expected.violations) {
            assert_eq!(&placed.violation, violation);
            assert_eq!(placed.line, parsed.locate(&violation.path).map(|l| l.line));
        }
        assert_eq!(answer.violations.len(), expected.violations.len());
    }

    #[test]
    fn a_valid_rec_shows_what_render_gives() {
        let text = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n";
        let answer = run(text, None);
        let value = crate::yaml::parse(text).value.expect("a value");
        let rendered = crate::render::render(&value, &RenderContext::default());
        let expected = rendered
            .objects
            .map(|o| o.iter().map(describe_object).collect::<Vec<_>>());
        assert_eq!(answer.objects, expected);
        assert_eq!(answer.report.map(|r| r.valid), Some(rendered.report.valid));
    }

    #[test]
    fn with_entropy_a_valid_rec_renders_its_statefulset_and_manifest() {
        let text = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 5\n";
        let request: PreviewRequest =
            serde_json::from_value(json!({"text": text, "context": {"entropy": "ab".repeat(32)}})).expect("a request");
        let answer = preview(&request);
        let objects = answer.objects.expect("objects");
        let sts = objects.iter().find(|o| o.kind == "StatefulSet").expect("a StatefulSet");
        assert_eq!(sts.name, "rec");
        assert!(sts.yaml.contains("\n  replicas: 5\n"), "{}", sts.yaml);
        let manifest = answer.manifest.expect("a manifest");
        assert_eq!(manifest.matches("---\n").count(), objects.len());
        assert!(manifest.contains(&sts.yaml));
    }

    #[test]
    fn render_violations_join_the_report_and_are_counted() {
        let violation = |code: &str, severity| Violation {
            code: code.into(),
            severity,
            path: "spec".into(),
            message: "m".into(),
        };
        let mut report = Report {
            valid: true,
            errors: 0,
            warnings: 1,
            violations: vec![violation("w", Severity::Warning)],
        };
        let rendered = Report {
            valid: false,
            errors: 1,
            warnings: 1,
            violations: vec![
                violation("w", Severity::Warning),
                violation("entropy-missing", Severity::Error),
            ],
        };
        merge(&mut report, rendered);
        let codes: Vec<&str> = report.violations.iter().map(|v| v.code.as_str()).collect();
        assert_eq!(codes, ["w", "entropy-missing"]);
        assert_eq!((report.valid, report.errors, report.warnings), (false, 1, 1));
    }

    #[test]
    fn a_violation_is_placed_at_its_field_or_nearest_written_ancestor() {
        let parsed = crate::yaml::parse("metadata:\n  name: rec\nspec:\n  nodes: 4\n");
        let violation = |path: &str| Violation {
            code: "x".into(),
            severity: crate::validate::Severity::Error,
            path: path.into(),
            message: "m".into(),
        };
        assert_eq!(place(&violation("spec.nodes"), &parsed).line, Some(4));
        assert_eq!(
            place(&violation("spec.persistentSpec.volumeSize"), &parsed).line,
            Some(3)
        );
        assert_eq!(place(&violation("status"), &parsed).line, None);
    }

    #[test]
    fn rendered_objects_are_named_and_written_as_yaml() {
        let object = json!({"kind": "StatefulSet", "metadata": {"name": "rec"}, "spec": {"replicas": 5}});
        let described = describe_object(&object);
        assert_eq!(
            (described.kind.as_str(), described.name.as_str()),
            ("StatefulSet", "rec")
        );
        assert_eq!(described.yaml, crate::yaml::to_yaml(&object));
    }

    #[test]
    fn fields_carry_the_crd_documentation() {
        let answer = run("spec:\n  nodes: 3\n  extraLabels:\n    a.b/c: d\n", None);
        let nodes = answer
            .fields
            .iter()
            .find(|f| f.location.path == "spec.nodes")
            .expect("spec.nodes");
        assert_eq!((nodes.location.line, nodes.type_.as_deref()), (2, Some("integer")));
        // core/tests/field_docs.rs holds the table to the CRD itself.
        let doc = crate::field_docs::at(&[Segment::Key("spec".into()), Segment::Key("nodes".into())]);
        let expected = doc.and_then(|d| d.description);
        assert!(expected.is_some_and(|d| !d.is_empty()));
        assert_eq!(nodes.description.as_deref(), expected);
        let label = answer
            .fields
            .iter()
            .find(|f| f.location.path == "spec.extraLabels[\"a.b/c\"]");
        assert_eq!(label.and_then(|f| f.type_.as_deref()), Some("string"));
    }

    #[test]
    fn paths_split_into_keys_and_indexes() {
        use Segment::*;
        assert_eq!(
            segments(r#"spec.podTolerations[0].key"#),
            Some(vec![
                Key("spec".into()),
                Key("podTolerations".into()),
                Index,
                Key("key".into())
            ])
        );
        assert_eq!(
            segments(r#"spec.extraLabels["a.b/\"c]"].x"#),
            Some(vec![
                Key("spec".into()),
                Key("extraLabels".into()),
                Key("a.b/\"c]".into()),
                Key("x".into())
            ])
        );
        assert_eq!(segments("a[x]"), None);
        assert_eq!(segments(""), Some(vec![]));
    }
}
