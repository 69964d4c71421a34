//! The preview of one REC (as before documents) and of several documents.

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
    let text =
        "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 4\n";
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
    let text =
        "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n";
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
    let text =
        "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 5\n";
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
        cluster: None,
    };
    let rendered = Report {
        valid: false,
        errors: 1,
        warnings: 1,
        violations: vec![
            violation("w", Severity::Warning),
            violation("entropy-missing", Severity::Error),
        ],
        cluster: None,
    };
    merge(&mut report, rendered);
    let codes: Vec<&str> = report.violations.iter().map(|v| v.code.as_str()).collect();
    assert_eq!(codes, ["w", "entropy-missing"]);
    assert_eq!((report.valid, report.errors, report.warnings), (false, 1, 1));
}

#[test]
fn a_violation_is_placed_at_its_field_or_nearest_written_ancestor() {
    let doc = Doc {
        first_line: 1,
        last_line: 4,
        parsed: crate::yaml::parse("metadata:\n  name: rec\nspec:\n  nodes: 4\n"),
    };
    let violation = |path: &str| Violation {
        code: "x".into(),
        severity: crate::validate::Severity::Error,
        path: path.into(),
        message: "m".into(),
    };
    assert_eq!(place(&violation("spec.nodes"), &doc, None).line, Some(4));
    assert_eq!(
        place(&violation("spec.persistentSpec.volumeSize"), &doc, None).line,
        Some(3)
    );
    assert_eq!(place(&violation("status"), &doc, None).line, None);
    let later = Doc { first_line: 10, ..doc };
    let placed = place(&violation("spec.nodes"), &later, Some(1));
    assert_eq!(
        (placed.line, placed.column, placed.document_index),
        (Some(13), Some(3), Some(1))
    );
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

const REC: &str = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\n  namespace: ns\nspec:\n  nodes: 3\n";

fn redb(name: &str, port: u16) -> String {
    format!(
        "apiVersion: app.redislabs.com/v1alpha1\nkind: RedisEnterpriseDatabase\nmetadata:\n  name: {name}\n  \
         namespace: ns\nspec:\n  memorySize: 100MB\n  replication: true\n  databasePort: {port}\n"
    )
}

fn codes(answer: &Preview) -> Vec<(&str, Option<usize>, Option<usize>)> {
    answer
        .violations
        .iter()
        .map(|v| (v.violation.code.as_str(), v.document_index, v.line))
        .collect()
}

#[test]
fn a_text_of_one_rec_lists_no_documents_and_serializes_as_before() {
    let answer = run(REC, None);
    assert!(answer.documents.is_empty());
    let json = serde_json::to_value(&answer).expect("JSON");
    assert_eq!(json.get("documents"), None);
    assert!(answer.fields.iter().all(|f| f.document_index.is_none()));
    assert!(!serde_json::to_string(&answer).expect("JSON").contains("documentIndex"));
}

#[test]
fn documents_are_each_other_s_context_and_violations_are_placed_in_the_whole_text() {
    // The REDBs first, the REC last: order does not matter.
    let text = format!("{}---\n{}---\n{REC}", redb("a", 12000), redb("b", 12000));
    let request = json!({"text": text, "context": {"entropy": "ab".repeat(32)}});
    let answer = preview(&serde_json::from_value(request).expect("a request"));
    let report = answer.report.as_ref().expect("a report");
    assert!(!report.valid);
    // Each REDB names the other's port (line 9 of each: the second starts at line 10, its marker included).
    let clashes: Vec<_> = codes(&answer)
        .into_iter()
        .filter(|c| c.0 == "redb-port-taken")
        .collect();
    assert_eq!(
        clashes,
        [
            ("redb-port-taken", Some(0), Some(9)),
            ("redb-port-taken", Some(1), Some(19))
        ]
    );
    assert!(
        !codes(&answer).iter().any(|c| c.0 == "redb-no-context"),
        "{:?}",
        codes(&answer)
    );
    let kinds: Vec<(&str, usize, usize, bool)> = answer
        .documents
        .iter()
        .map(|d| (d.kind.as_str(), d.first_line, d.last_line, d.valid))
        .collect();
    assert_eq!(
        kinds,
        [
            ("RedisEnterpriseDatabase", 1, 9, false),
            ("RedisEnterpriseDatabase", 10, 19, false),
            ("RedisEnterpriseCluster", 20, 27, true)
        ]
    );
    assert_eq!(report.errors, answer.documents.iter().map(|d| d.errors).sum::<usize>());
    // The REC still renders (its own report is valid); the REDBs get their Kubernetes side from it.
    assert!(
        answer
            .objects
            .is_some_and(|o| o.iter().any(|o| o.kind == "StatefulSet"))
    );
    let side = answer.documents[0].kubernetes.as_ref().expect("a REDB's side");
    assert_eq!(side.cluster.as_deref(), Some("rec"));
    assert_eq!(side.services[1].name.as_deref(), Some("a-headless"));
    assert_eq!(answer.documents[2].kubernetes, None);
    // Fields are documented from their own kind's CRD, at their line in the whole text.
    let memory = answer
        .fields
        .iter()
        .find(|f| f.location.path == "spec.memorySize" && f.document_index == Some(1));
    assert_eq!(
        memory.map(|f| (f.location.line, f.type_.as_deref())),
        Some((17, Some("string")))
    );
    let nodes = answer
        .fields
        .iter()
        .find(|f| f.location.path == "spec.nodes")
        .expect("spec.nodes");
    assert_eq!(
        (nodes.location.line, nodes.document_index, nodes.type_.as_deref()),
        (27, Some(2), Some("integer"))
    );
}

#[test]
fn a_lone_redb_is_validated_as_a_redb_without_context() {
    let answer = run(&redb("a", 12000), None);
    // A violation of the whole document is placed at its first line.
    assert!(
        codes(&answer).contains(&("redb-no-context", Some(0), Some(1))),
        "{:?}",
        codes(&answer)
    );
    assert_eq!(answer.objects, None);
    let side = answer.documents[0].kubernetes.as_ref().expect("its side");
    assert_eq!(side.cluster, None);
    assert_eq!(side.secret.name, "redb-a");
}

#[test]
fn a_syntax_error_names_its_document_and_its_line_in_the_whole_text() {
    let text = format!("{REC}---\nkind: RedisEnterpriseDatabase\nspec: [1\n");
    let error = run(&text, None).yaml_error.expect("an error");
    assert_eq!((error.document_index, error.line >= 10), (Some(1), true), "{error:?}");
    let old = run(REC, Some(&format!("{REC}---\na: b: c\n")))
        .yaml_error
        .expect("an error");
    assert_eq!(
        (old.document, old.document_index, old.line),
        (Document::Old, Some(1), 9)
    );
}

#[test]
fn too_many_documents_are_refused_at_once() {
    let text = "---\na: 1\n".repeat(documents::MAX_DOCUMENTS + 1);
    let error = run(&text, None).yaml_error.expect("an error");
    assert!(error.message.contains("at most 100"), "{error:?}");
    assert_eq!(error.line, 2 * documents::MAX_DOCUMENTS + 1);
}

#[test]
fn an_update_matches_old_documents_by_kind_namespace_and_name() {
    let new = format!("{REC}---\n{}", redb("a", 12001)).replace("nodes: 3", "nodes: 5");
    let old = format!("{}---\n{REC}", redb("a", 12000));
    let answer = run(&new, Some(&old));
    assert!(
        codes(&answer)
            .iter()
            .any(|c| c.0 == "redb-port-changed" && c.1 == Some(1)),
        "{:?}",
        codes(&answer)
    );
    // The REC's plan is made against the old REC, found by its identity.
    let plan = answer.plan.expect("a plan");
    assert!(plan.to_string().contains('5'), "{plan}");
}
