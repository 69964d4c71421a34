//! The policy's `validate` and `validate_settings` entry points, driven like Kubewarden drives them: the SDK's
//! `Testcase` helper over admission request fixtures in `test_data/`.
//!
//! Rule-by-rule expectations live in the core's tests; here every decision is compared with what the native core
//! says about the same object, plus the policy's own duties (DELETE, other kinds, unreadable objects, settings).

use kubewarden_policy_sdk::response::ValidationResponse;
use kubewarden_policy_sdk::settings::SettingsValidationResponse;
use kubewarden_policy_sdk::test::Testcase;
use rec_core::kind::validate;
use rec_core::validate::Severity;
use rec_policy::settings::Settings;
use serde_json::{Value, json};
use support::FakeCluster;

mod support;

fn fixture(name: &str) -> String {
    format!("test_data/{name}.json")
}

fn request_object(name: &str) -> (Value, Value) {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let request: Value = serde_json::from_str(&text).unwrap();
    (request["object"].clone(), request["oldObject"].clone())
}

/// Runs a fixture through the policy, asserting the decision the native core makes.
fn eval(name: &str, settings: Settings) -> ValidationResponse {
    let (object, old) = request_object(name);
    let old = if old.is_null() { None } else { Some(&old) };
    let report = validate(&object, old, None, &settings.options);
    let case = Testcase {
        name: name.into(),
        fixture_file: fixture(name),
        expected_validation_result: report.valid,
        settings,
    };
    let response = case.eval(rec_policy::validate).unwrap();
    for violation in report.violations.iter().filter(|v| v.severity == Severity::Error) {
        let message = response.message.as_deref().unwrap_or_default();
        assert!(
            message.contains(&violation.path),
            "{name}: {} missing from {message}",
            violation.path
        );
        assert!(
            message.contains(&violation.message),
            "{name}: {} missing from {message}",
            violation.message
        );
    }
    response
}

#[test]
fn create_of_a_valid_rec_is_judged_as_the_core_judges_it() {
    for name in ["create_valid", "create_valid_v1alpha1", "create_minimal"] {
        let response = eval(name, Settings::default());
        assert!(response.accepted, "{name}: {:?}", response.message);
        assert!(
            response.mutated_object.is_none(),
            "{name}: mutated without applyDefaults"
        );
    }
}

#[test]
fn apply_defaults_adds_what_is_missing_and_keeps_what_the_user_wrote() {
    let settings = Settings {
        apply_defaults: true,
        ..Default::default()
    };
    let (object, _) = request_object("create_valid");
    let response = eval("create_valid", settings);
    let mutated = response
        .mutated_object
        .expect("a valid REC with fields left out gets defaults");
    let written = object["spec"].as_object().expect("the fixture has a spec");
    let spec = mutated["spec"].as_object().expect("the mutated object has a spec");
    // Every value the user wrote, as written (objects may gain members), and the members where they were.
    fn keeps(have: &Value, written: &Value) -> bool {
        match written {
            Value::Object(members) => members.iter().all(|(key, value)| keeps(&have[key], value)),
            _ => have == written,
        }
    }
    assert!(keeps(&mutated["spec"], &object["spec"]), "{spec:?}");
    assert!(spec.keys().zip(written.keys()).all(|(a, b)| a == b), "{spec:?}");
    assert!(spec.len() > written.len(), "{spec:?}");
    assert_eq!(mutated["metadata"], object["metadata"]);
    let typed: rec_core::RecObject = serde_json::from_value(object.clone()).unwrap();
    let defaults = serde_json::to_value(rec_core::defaults::with_defaults(&typed, &Default::default())).unwrap();
    for (key, value) in spec.iter().skip(written.len()) {
        assert_eq!(&defaults[key], value, "{key}");
    }
}

#[test]
fn update_is_judged_with_the_old_object() {
    let response = eval("update_valid", Settings::default());
    assert!(response.accepted, "{:?}", response.message);
}

#[test]
fn delete_is_accepted_untouched() {
    let settings = Settings {
        apply_defaults: true,
        ..Default::default()
    };
    let response = Testcase {
        name: "delete".into(),
        fixture_file: fixture("delete"),
        expected_validation_result: true,
        settings,
    }
    .eval(rec_policy::validate)
    .unwrap();
    assert!(response.mutated_object.is_none() && response.message.is_none() && response.warnings.is_none());
}

#[test]
fn other_kinds_are_not_judged() {
    let response = Testcase {
        name: "pod".into(),
        fixture_file: fixture("create_pod"),
        expected_validation_result: true,
        settings: Settings {
            apply_defaults: true,
            ..Default::default()
        },
    }
    .eval(rec_policy::validate)
    .unwrap();
    assert!(response.mutated_object.is_none());
}

fn rejected(name: &str) -> ValidationResponse {
    Testcase {
        name: name.into(),
        fixture_file: fixture(name),
        expected_validation_result: false,
        settings: Settings::default(),
    }
    .eval(rec_policy::validate)
    .unwrap()
}

#[test]
fn an_object_that_is_not_an_object_is_rejected_as_a_bad_request() {
    let response = rejected("create_not_an_object");
    assert_eq!(response.code, Some(400));
    assert!(response.message.unwrap().contains("object"));
}

#[test]
fn an_object_without_metadata_is_rejected_naming_metadata() {
    let response = rejected("create_no_metadata");
    assert!(response.message.unwrap().contains("metadata"));
}

#[test]
fn a_wrong_type_is_rejected_naming_the_field() {
    let response = rejected("create_wrong_type");
    assert_eq!(response.code, Some(400));
    assert!(response.message.unwrap().contains("spec.nodes"));
}

#[test]
fn apply_defaults_fills_in_the_core_defaults_and_keeps_what_the_user_set() {
    let settings = Settings {
        apply_defaults: true,
        ..Default::default()
    };
    let response = Testcase {
        name: "defaults".into(),
        fixture_file: fixture("create_minimal"),
        expected_validation_result: true,
        settings,
    }
    .eval(rec_policy::validate)
    .unwrap();
    let (object, _) = request_object("create_minimal");
    let rec: rec_core::RecObject = serde_json::from_value(object.clone()).unwrap();
    let expected = rec_core::defaults::with_defaults(&rec, &Default::default());
    let mutated = response.mutated_object.expect("defaults applied");
    assert_eq!(mutated["spec"], serde_json::to_value(expected).unwrap());
    assert_eq!(mutated["spec"]["nodes"], 3);
    assert_eq!(mutated["metadata"], object["metadata"]);
    assert_eq!(mutated["spec"]["persistentSpec"]["volumeSize"], "20Gi");
}

#[test]
fn a_payload_that_is_not_json_is_rejected_with_a_message() {
    let answer = rec_policy::validate(b"{not json").unwrap();
    let response: ValidationResponse = serde_json::from_slice(&answer).unwrap();
    assert!(!response.accepted);
    assert_eq!(response.code, Some(400));
    assert!(
        response
            .message
            .unwrap()
            .contains("not a valid Kubewarden validation request")
    );
}

#[test]
fn wrong_settings_in_a_validation_payload_reject_naming_the_setting() {
    let (object, _) = request_object("create_valid");
    let payload = json!({"settings": {"warningsAsErrorz": true}, "request": {"operation": "CREATE", "object": object}});
    let answer = rec_policy::validate(payload.to_string().as_bytes()).unwrap();
    let response: ValidationResponse = serde_json::from_slice(&answer).unwrap();
    assert!(!response.accepted);
    assert!(response.message.unwrap().contains("warningsAsErrorz"));
}

fn settings_answer(settings: Value) -> SettingsValidationResponse {
    serde_json::from_slice(&rec_policy::validate_settings(settings.to_string().as_bytes()).unwrap()).unwrap()
}

#[test]
fn good_settings_are_valid() {
    for settings in [
        json!({}),
        json!({"warningsAsErrors": true}),
        json!({"applyDefaults": true, "warningsAsErrors": false}),
        json!({"minNodeMemory": "8Gi", "allowedStorageClasses": ["fast-ssd"], "allowedImageRegistries": ["docker.io"]}),
    ] {
        let answer = settings_answer(settings.clone());
        assert!(answer.valid, "{settings}: {:?}", answer.message);
    }
}

#[test]
fn bad_settings_are_refused_with_a_message_naming_the_problem() {
    for (settings, needle) in [
        (json!({"warningsAsErrorz": true}), "warningsAsErrorz"),
        (json!({"warningsAsErrors": "yes"}), "invalid type"),
        (json!({"applyDefaults": 1}), "applyDefaults"),
        (json!([]), "settings"),
        (json!({"minNodeMemory": "1Gi"}), "minNodeMemory"),
        (json!({"minNodeMemory": "lots"}), "minNodeMemory"),
        (
            json!({"allowedImageRegistries": ["https://docker.io"]}),
            "allowedImageRegistries",
        ),
        (
            json!({"allowedStorageClasses": ["Not A Class"]}),
            "allowedStorageClasses",
        ),
    ] {
        let answer = settings_answer(settings.clone());
        assert!(!answer.valid, "{settings} accepted");
        let message = answer.message.unwrap();
        assert!(message.contains(needle), "{settings}: {message}");
    }
}

#[test]
fn protocol_version_is_v1() {
    let answer = kubewarden_policy_sdk::protocol_version_guest(b"").unwrap();
    assert_eq!(answer, br#""v1""#);
}

#[test]
fn create_of_an_invalid_rec_is_rejected_with_every_error_and_code_422() {
    let response = eval("create_invalid", Settings::default());
    assert!(!response.accepted);
    assert_eq!(response.code, Some(422));
    let message = response.message.unwrap();
    for needle in ["spec.nodes", "[nodes-even]", "[license-conflict]", "\"redis/rec\""] {
        assert!(message.contains(needle), "{needle} missing from {message}");
    }
}

#[test]
fn update_rules_use_the_old_object() {
    let response = eval("update_nodes_decreased", Settings::default());
    assert!(!response.accepted);
    assert!(response.message.unwrap().contains("[nodes-decreased]"));
}

#[test]
fn warnings_are_returned_on_accept_and_reject_with_warnings_as_errors() {
    let response = eval("create_valid", Settings::default());
    assert!(response.accepted);
    let warnings = response.warnings.expect("4Gi is below the production minimum");
    assert!(
        warnings.iter().any(|w| w.contains("[memory-below-production]")),
        "{warnings:?}"
    );
    let strict: Settings = serde_json::from_value(json!({"warningsAsErrors": true})).unwrap();
    let response = eval("create_valid", strict);
    assert!(!response.accepted);
    assert!(response.message.unwrap().contains("[memory-below-production]"));
    assert!(
        response.warnings.is_none(),
        "warnings listed as errors are not repeated"
    );
}

/// The update fixture with `object` and `old_object` changed by the closures, decided by the policy.
fn decide_update(settings: &Settings, edit: impl Fn(&mut Value, &mut Value)) -> rec_policy::admission::Decision {
    let text = std::fs::read_to_string(fixture("update_valid")).unwrap();
    let mut request: Value = serde_json::from_str(&text).unwrap();
    let (mut object, mut old) = (request["object"].clone(), request["oldObject"].clone());
    edit(&mut object, &mut old);
    request["object"] = object;
    request["oldObject"] = old;
    let request = serde_json::from_value(request).expect("an admission request");
    let cluster = FakeCluster::with(vec![]);
    let decision = rec_policy::admission::decide(&request, settings, &cluster);
    assert_eq!(cluster.calls.get(), 0, "a REC request asked the cluster");
    decision
}

fn accepted_warnings(decision: rec_policy::admission::Decision) -> Vec<String> {
    match decision {
        rec_policy::admission::Decision::Accept { warnings } => warnings,
        other => panic!("expected an acceptance, got {other:?}"),
    }
}

#[test]
fn an_update_that_leaves_an_invalid_value_alone_is_accepted_with_a_warning() {
    let decision = decide_update(&Settings::default(), |object, old| {
        old["spec"]["nodes"] = json!(4);
        object["spec"]["nodes"] = json!(4);
        object["metadata"]["labels"]["team"] = json!("cache");
    });
    let warnings = accepted_warnings(decision);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("[nodes-even]") && w.contains("unchanged by this update")),
        "{warnings:?}"
    );
    // A changed invalid value is still rejected.
    let decision = decide_update(&Settings::default(), |object, old| {
        old["spec"]["nodes"] = json!(4);
        object["spec"]["nodes"] = json!(6);
    });
    assert!(
        matches!(decision, rec_policy::admission::Decision::Reject { code: 422, .. }),
        "{decision:?}"
    );
}

#[test]
fn an_accepted_update_says_what_it_will_do_to_the_running_cluster() {
    let tag = decide_update(&Settings::default(), |object, old| {
        old["spec"]["nodes"] = json!(5);
        object["spec"]["redisEnterpriseImageSpec"] = json!({ "versionTag": "8.0.22-1" });
    });
    let warnings = accepted_warnings(tag);
    assert!(
        warnings.iter().any(|w| w
            .starts_with("plan: upgrades Redis Enterprise 8.0.20-44 -> 8.0.22-1: restarts 5 node(s) one at a time")),
        "{warnings:?}"
    );
    let grow = decide_update(&Settings::default(), |object, old| {
        old["spec"]["nodes"] = json!(5);
        old["spec"]["persistentSpec"]["enablePersistentVolumeResize"] = json!(true);
        object["spec"]["persistentSpec"] =
            json!({ "enabled": true, "volumeSize": "80Gi", "enablePersistentVolumeResize": true });
    });
    let warnings = accepted_warnings(grow);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("plan: expands 5 volume(s) from 20Gi to 80Gi")),
        "{warnings:?}"
    );
    let label = decide_update(&Settings::default(), |object, old| {
        old["spec"]["nodes"] = json!(5);
        object["metadata"]["labels"]["team"] = json!("cache");
    });
    assert!(
        !accepted_warnings(label).iter().any(|w| w.starts_with("plan:")),
        "no plan for a change to no node"
    );
}

#[test]
fn apply_defaults_takes_the_operator_tag_setting() {
    let settings: Settings =
        serde_json::from_value(json!({ "applyDefaults": true, "operatorTag": "8.0.22-5" })).expect("settings");
    let response = Testcase {
        name: "defaults with a tag".into(),
        fixture_file: fixture("create_minimal"),
        expected_validation_result: true,
        settings,
    }
    .eval(rec_policy::validate)
    .unwrap();
    let mutated = response.mutated_object.expect("mutated");
    assert_eq!(mutated["spec"]["bootstrapperImageSpec"]["versionTag"], "8.0.22-5");
    assert_eq!(
        mutated["spec"]["redisEnterpriseServicesRiggerImageSpec"]["versionTag"],
        "8.0.22-5"
    );
}

/// An admission request for a REDB (`kind` as the API server fills it in from the URL), decided by the policy in a
/// cluster holding the REC of its namespace.
fn decide_redb(operation: &str, object: Value, old: Value) -> rec_policy::admission::Decision {
    let gvk = json!({"group": "app.redislabs.com", "version": "v1alpha1", "kind": "RedisEnterpriseDatabase"});
    let gvr = json!({"group": "app.redislabs.com", "version": "v1alpha1", "resource": "redisenterprisedatabases"});
    let request = json!({
        "uid": "1", "kind": gvk, "requestKind": gvk, "resource": gvr, "requestResource": gvr,
        "name": "redb", "namespace": "redis", "operation": operation,
        "userInfo": {"username": "alice"}, "object": object, "oldObject": old,
    });
    let request = serde_json::from_value(request).expect("an admission request");
    let rec = json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
                     "metadata": {"name": "rec", "namespace": "redis"}, "spec": {"nodes": 3}});
    rec_policy::admission::decide(&request, &Settings::default(), &FakeCluster::with(vec![rec]))
}

fn redb(spec: Value) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
        "metadata": {"name": "redb", "namespace": "redis"}, "spec": spec,
    })
}

#[test]
fn a_redb_is_judged_by_its_own_rules() {
    use rec_policy::admission::Decision;
    let good = redb(json!({"replication": true, "persistence": "aofEverySecond", "memorySize": "1GB"}));
    assert_eq!(
        decide_redb("CREATE", good.clone(), Value::Null),
        Decision::Accept { warnings: vec![] }
    );
    let Decision::Accept { warnings } = decide_redb("CREATE", redb(json!({})), Value::Null) else {
        panic!("an empty spec is valid");
    };
    assert!(
        warnings.iter().any(|w| w.contains("[redb-replication-off]")),
        "{warnings:?}"
    );
    let bad = redb(json!({"memorySize": "50MB", "evictionPolicy": "lru"}));
    let Decision::Reject { message, code, .. } = decide_redb("CREATE", bad, Value::Null) else {
        panic!("50MB is refused");
    };
    assert_eq!(code, 422);
    assert!(
        message.starts_with("RedisEnterpriseDatabase \"redis/redb\" is invalid (2 errors)"),
        "{message}"
    );
    assert!(
        message.contains("spec.memorySize") && message.contains("[redb-memory-too-low]"),
        "{message}"
    );
    assert!(
        message.contains("spec.evictionPolicy") && message.contains("[redb-eviction-policy]"),
        "{message}"
    );
    // On update, with the old object: the port is fixed once set.
    let moved = redb(json!({"replication": true, "persistence": "aofEverySecond", "databasePort": 12001}));
    let old = redb(json!({"replication": true, "persistence": "aofEverySecond", "databasePort": 12000}));
    let Decision::Reject { message, .. } = decide_redb("UPDATE", moved, old) else {
        panic!("a changed port is refused");
    };
    assert!(message.contains("[redb-port-changed]"), "{message}");
    assert_eq!(
        decide_redb("DELETE", Value::Null, good),
        Decision::Accept { warnings: vec![] }
    );
}

#[test]
fn a_redb_request_whose_object_is_another_kind_is_rejected_as_a_bad_request() {
    let mut object = redb(json!({}));
    object["kind"] = json!("RedisEnterpriseCluster");
    let rec_policy::admission::Decision::Reject { message, code, .. } = decide_redb("CREATE", object, Value::Null)
    else {
        panic!("a foreign kind is refused");
    };
    assert!(message.contains("[redb-kind]"), "{message}");
    assert_eq!(code, 400, "{message}");
}
