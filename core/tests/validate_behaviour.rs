//! Behaviour of `validate` around the rules: every violation at once in a fixed order, options (their own check
//! and their effect), warnings as errors, the old object, and the guarantee that a valid REC deserializes.

use rec_core::validate::{Options, Severity, Violation, validate};
use serde_json::{Value, json};

fn rec(spec: Value) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"},
           "spec": spec})
}

fn codes_and_paths(violations: &[Violation]) -> Vec<(String, String)> {
    violations.iter().map(|v| (v.path.clone(), v.code.clone())).collect()
}

#[test]
fn reports_every_violation_at_once_sorted_by_path_then_code() {
    let object = json!({
        "apiVersion": "v2", "kind": "RedisEnterpriseCluster", "metadata": {"name": "Rec"},
        "spec": {
            "nodes": 4, "node": 3, "uiServiceType": "Foo",
            "antiAffinityAdditionalTopologyKeys": ["a", 1, "b", 2],
            "persistentSpec": {"volumeSize": "10Gi"},
            "redisEnterpriseNodeResources": {"requests": {"memory": "4Gi"}, "limits": {"memory": "4Gi"}}
        }
    });
    let report = validate(&object, None, &Options::default());
    let expected: Vec<(String, String)> = [
        ("apiVersion", "api-version"),
        ("metadata.name", "name-dns1123"),
        ("spec.antiAffinityAdditionalTopologyKeys[1]", "type-mismatch"),
        ("spec.antiAffinityAdditionalTopologyKeys[3]", "type-mismatch"),
        ("spec.node", "unknown-field"),
        ("spec.nodes", "nodes-even"),
        ("spec.persistentSpec.volumeSize", "volume-too-small"),
        (
            "spec.redisEnterpriseNodeResources.requests.memory",
            "memory-below-production",
        ),
        ("spec.uiServiceType", "enum-value"),
    ]
    .iter()
    .map(|(p, c)| (p.to_string(), c.to_string()))
    .collect();
    assert_eq!(codes_and_paths(&report.violations), expected);
    assert_eq!((report.valid, report.errors, report.warnings), (false, 8, 1));
    // Same input, same bytes.
    let again = validate(&object, None, &Options::default());
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

#[test]
fn messages_say_what_is_wrong_the_value_and_what_is_right() {
    let object = rec(json!({"persistentSpec": {"volumeSize": "10Gi"},
        "redisEnterpriseNodeResources": {"requests": {"memory": "4Gi"}}}));
    let report = validate(&object, None, &Options::default());
    let v = report
        .violations
        .iter()
        .find(|v| v.code == "volume-too-small")
        .expect("volume-too-small");
    assert!(
        v.message
            .starts_with("volumeSize 10Gi is smaller than 3 x the memory request 4Gi (12Gi)"),
        "{}",
        v.message
    );
    let report = validate(&rec(json!({"nodes": "three"})), None, &Options::default());
    assert_eq!(
        report.violations[0].message,
        "wrong type: string \"three\", expected a 32-bit integer"
    );
    let report = validate(
        &rec(json!({"node": 3, "persistentSpec": {"volumesize": "40Gi"}})),
        None,
        &Options::default(),
    );
    let messages: Vec<&str> = report
        .violations
        .iter()
        .filter(|v| v.code == "unknown-field")
        .map(|v| v.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unknown field `node` in `spec`; did you mean `nodes`?",
            "unknown field `volumesize` in `spec.persistentSpec`; did you mean `volumeSize`?",
        ]
    );
}

#[test]
fn warnings_as_errors_turns_warnings_into_errors() {
    let object = rec(json!({"persistentSpec": {"enabled": false}}));
    let lenient = validate(&object, None, &Options::default());
    assert!(lenient.valid);
    assert_eq!(lenient.warnings, 2, "{:#?}", lenient.violations); // persistence off, 4Gi default memory
    let strict = validate(
        &object,
        None,
        &Options {
            warnings_as_errors: true,
            ..Options::default()
        },
    );
    assert!(!strict.valid);
    assert_eq!((strict.errors, strict.warnings), (2, 0));
    assert!(strict.violations.iter().all(|v| v.severity == Severity::Error));
}

#[test]
fn options_are_data_and_checked() {
    let options: Options = serde_json::from_value(json!({
        "warningsAsErrors": true, "minNodeMemory": "16Gi", "allowedStorageClasses": ["fast"],
        "allowedImageRegistries": ["docker.io", "registry.example.com/redislabs"], "operatorTag": "8.0.20-23"
    }))
    .expect("options");
    assert_eq!(options.check(), Ok(()));
    assert!(
        serde_json::from_value::<Options>(json!({"minNodeMemmory": "8Gi"})).is_err(),
        "unknown option"
    );
    let bad: Options =
        serde_json::from_value(json!({"minNodeMemory": "lots", "allowedImageRegistries": [""]})).unwrap();
    let problems = bad.check().expect_err("bad options");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("minNodeMemory: \"lots\" is not a quantity"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].starts_with("allowedImageRegistries: item 0 \"\" is empty"),
        "{}",
        problems[1]
    );
    // A bad option falls back to its default instead of disabling its rule: 2Gi is still too low.
    let object = rec(json!({"redisEnterpriseNodeResources": {"requests": {"memory": "2Gi"}}}));
    let report = validate(&object, None, &bad);
    assert!(report.violations.iter().any(|v| v.code == "memory-too-low"));
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.code == "options-invalid" && v.path == "options.minNodeMemory")
    );
}

#[test]
fn semantic_rules_still_run_next_to_structural_errors() {
    let object = rec(json!({"nodes": 2, "extraLabels": {"a": 1}, "podTolerations": "none"}));
    let report = validate(&object, None, &Options::default());
    let got = codes_and_paths(&report.violations);
    for want in [
        ("spec.extraLabels.a", "type-mismatch"),
        ("spec.podTolerations", "type-mismatch"),
        ("spec.nodes", "nodes-even"),
        ("spec.nodes", "nodes-too-few"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {got:?}"
        );
    }
}

#[test]
fn update_rules_need_a_parsable_old_object() {
    let new = rec(json!({"nodes": 3}));
    let report = validate(&new, Some(&rec(json!({"nodes": 5}))), &Options::default());
    assert!(report.violations.iter().any(|v| v.code == "nodes-decreased"));
    // The old object's own problems are not reported; when it cannot be parsed, update rules are skipped.
    let report = validate(&new, Some(&json!("garbage")), &Options::default());
    assert!(report.valid, "{:#?}", report.violations);
    let report = validate(&new, Some(&rec(json!({"nodes": 5, "node": 1}))), &Options::default());
    assert_eq!(
        codes_and_paths(&report.violations)
            .iter()
            .filter(|(_, c)| c == "nodes-decreased")
            .count(),
        1
    );
    assert!(!report.violations.iter().any(|v| v.code == "unknown-field"));
}

#[test]
fn a_valid_report_means_the_object_deserializes() {
    let object = rec(
        json!({"nodes": 5, "podTolerations": [{"key": "k", "operator": "Exists"}],
        "redisEnterpriseNodeResources": {"requests": {"memory": "8Gi", "cpu": 2}}}),
    );
    let report = validate(&object, None, &Options::default());
    assert!(report.valid, "{:#?}", report.violations);
    let typed: rec_core::RedisEnterpriseCluster = serde_json::from_value(object).expect("deserializes");
    assert_eq!(typed.spec.nodes, Some(5));
}

#[test]
fn report_serializes_as_the_abi_answers_it() {
    let report = validate(&rec(json!({"nodes": 4})), None, &Options::default());
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["valid"], json!(false));
    assert_eq!(value["violations"][0]["code"], json!("nodes-even"));
    assert_eq!(value["violations"][0]["severity"], json!("error"));
    assert_eq!(value["violations"][0]["path"], json!("spec.nodes"));
}

/// Ratcheting: on update, a create rule's error at a path the update did not touch is a warning (a REC that was
/// already invalid can still get a label); the same error at a changed value stays an error.
#[test]
fn an_unchanged_invalid_value_is_ratcheted_on_update_and_a_changed_one_is_not() {
    let old = rec(json!({"nodes": 4}));
    let mut labelled = old.clone();
    labelled["metadata"]["labels"] = json!({"team": "cache"});
    let report = validate(&labelled, Some(&old), &Options::default());
    assert!(report.valid, "{report:?}");
    let even = report
        .violations
        .iter()
        .find(|v| v.code == "nodes-even")
        .expect("still reported");
    assert_eq!(even.severity, Severity::Warning);
    assert!(even.message.contains("unchanged by this update"), "{}", even.message);

    let changed = rec(json!({"nodes": 6}));
    let report = validate(&changed, Some(&old), &Options::default());
    assert!(!report.valid);
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.code == "nodes-even" && v.severity == Severity::Error)
    );

    // Without an old object (create) it is an error; with warningsAsErrors the ratcheted one stays a warning.
    assert!(!validate(&old, None, &Options::default()).valid);
    let strict = Options {
        warnings_as_errors: true,
        ..Options::default()
    };
    let report = validate(&labelled, Some(&old), &strict);
    let even = report
        .violations
        .iter()
        .find(|v| v.code == "nodes-even")
        .expect("reported");
    assert_eq!(even.severity, Severity::Warning);
    // An old object that is not a REC ratchets nothing.
    assert!(!validate(&old, Some(&json!("not a REC")), &Options::default()).valid);
}
