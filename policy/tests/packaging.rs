//! The packaging agrees with itself and with the code: `metadata.yml`, the top-level `artifacthub-pkg.yml`,
//! `questions-ui.yml` and the ClusterAdmissionPolicy example name the same rules and version as the Cargo package,
//! and every setting the UI or the example offers is one the policy accepts.

use kubewarden_policy_sdk::settings::SettingsValidationResponse;
use rec_core::api::{GROUP, PLURAL, VERSIONS};
use serde_json::{Value, json};
use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn yaml(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn yaml_text(text: &Value) -> Value {
    serde_yaml::from_str(text.as_str().expect("a YAML string")).unwrap()
}

fn metadata() -> Value {
    yaml("metadata.yml")
}
fn artifacthub() -> Value {
    yaml("../artifacthub-pkg.yml")
}
fn example() -> Value {
    yaml("../deploy/policy/clusteradmissionpolicy.yaml")
}

#[test]
fn the_rules_are_the_same_everywhere_and_cover_every_served_version() {
    let rules = metadata()["rules"].clone();
    assert_eq!(yaml_text(&artifacthub()["annotations"]["kubewarden/rules"]), rules);
    assert_eq!(example()["spec"]["rules"], rules);
    let expected = json!([
        {
            "apiGroups": [GROUP],
            "apiVersions": VERSIONS,
            "resources": [PLURAL],
            "operations": ["CREATE", "UPDATE"],
        },
        {
            "apiGroups": [GROUP],
            "apiVersions": [rec_core::redb::VERSION],
            "resources": [rec_core::redb::PLURAL],
            "operations": ["CREATE", "UPDATE"],
        },
    ]);
    assert_eq!(rules, expected);
}

#[test]
fn the_version_is_the_cargo_package_version_everywhere() {
    let pkg = artifacthub();
    assert_eq!(pkg["version"], VERSION);
    assert_eq!(metadata()["annotations"]["io.kubewarden.policy.version"], VERSION);
    let tag = format!(":v{VERSION}");
    let oci = metadata()["annotations"]["io.kubewarden.policy.ociUrl"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(pkg["containersImages"][0]["image"], format!("{oci}{tag}"));
    assert_eq!(example()["spec"]["module"], format!("registry://{oci}{tag}"));
    let links = pkg["links"].as_array().unwrap();
    assert!(
        links
            .iter()
            .any(|l| l["url"].as_str().unwrap().contains(&format!("/v{VERSION}/"))),
        "{links:?}"
    );
    assert!(pkg["install"].as_str().unwrap().contains(&tag));
}

#[test]
fn metadata_says_what_kubewarden_needs() {
    let m = metadata();
    assert_eq!(m["executionMode"], "kubewarden-wapc");
    assert_eq!(
        m["mutating"], true,
        "the policy mutates with applyDefaults, so it must be declared mutating"
    );
    assert_eq!(
        m["contextAwareResources"],
        json!([
            {"apiVersion": rec_policy::context::REC_API_VERSION, "kind": "RedisEnterpriseCluster"},
            {"apiVersion": rec_policy::context::REDB_API_VERSION, "kind": "RedisEnterpriseDatabase"},
        ]),
        "what the policy lists for a REDB's context (rec_policy::context)"
    );
    assert_eq!(m["backgroundAudit"], true);
    for key in [
        "title",
        "description",
        "author",
        "url",
        "source",
        "license",
        "severity",
        "category",
        "ociUrl",
    ] {
        let value = &m["annotations"][format!("io.kubewarden.policy.{key}")];
        assert!(
            value.as_str().is_some_and(|s| !s.is_empty()),
            "io.kubewarden.policy.{key} missing"
        );
    }
    for key in ["displayName", "resources", "keywords"] {
        assert!(
            m["annotations"][format!("io.artifacthub.{key}")].is_string(),
            "io.artifacthub.{key} missing"
        );
    }
    assert_eq!(
        m["annotations"]["io.kubewarden.policy.license"],
        env!("CARGO_PKG_LICENSE")
    );
}

#[test]
fn artifacthub_has_the_scaffolded_fields_and_agrees_with_metadata() {
    let pkg = artifacthub();
    let m = metadata();
    for key in [
        "version",
        "name",
        "displayName",
        "createdAt",
        "description",
        "license",
        "homeURL",
        "install",
    ] {
        assert!(pkg[key].as_str().is_some_and(|s| !s.is_empty()), "{key} missing");
    }
    for key in ["containersImages", "keywords", "links", "recommendations"] {
        assert!(pkg[key].as_array().is_some_and(|a| !a.is_empty()), "{key} missing");
    }
    assert!(pkg["provider"]["name"].is_string());
    assert_eq!(pkg["license"], m["annotations"]["io.kubewarden.policy.license"]);
    assert_eq!(pkg["displayName"], m["annotations"]["io.artifacthub.displayName"]);
    assert_eq!(pkg["description"], m["annotations"]["io.kubewarden.policy.description"]);
    assert_eq!(
        pkg["annotations"]["kubewarden/resources"],
        m["annotations"]["io.artifacthub.resources"]
    );
    assert_eq!(
        pkg["annotations"]["kubewarden/mutation"],
        m["mutating"].as_bool().unwrap().to_string()
    );
    let declared: Value = serde_yaml::from_str(
        pkg["annotations"]["kubewarden/contextAwareResources"]
            .as_str()
            .expect("the contextAwareResources annotation"),
    )
    .unwrap();
    assert_eq!(declared, m["contextAwareResources"]);
}

/// The example ClusterAdmissionPolicy lets the policy list what metadata.yml declares: policy-server refuses a
/// context-aware call for any resource its policy's `contextAwareResources` does not list.
#[test]
fn the_example_policy_declares_the_context_aware_resources() {
    assert_eq!(
        example()["spec"]["contextAwareResources"],
        metadata()["contextAwareResources"]
    );
}

#[test]
fn the_questions_ui_annotation_is_questions_ui_yml() {
    assert_eq!(
        yaml_text(&artifacthub()["annotations"]["kubewarden/questions-ui"]),
        yaml("../questions-ui.yml")
    );
}

fn settings_answer(settings: &Value) -> SettingsValidationResponse {
    serde_json::from_slice(&rec_policy::validate_settings(settings.to_string().as_bytes()).unwrap()).unwrap()
}

#[test]
fn every_setting_the_ui_offers_is_accepted_with_its_default() {
    let questions = yaml("../questions-ui.yml")["questions"].as_array().unwrap().clone();
    let settings: Vec<&Value> = questions.iter().filter(|q| q["variable"] != "description").collect();
    assert!(!settings.is_empty());
    for question in settings {
        let variable = question["variable"].as_str().unwrap();
        let answer = settings_answer(&json!({ variable: question["default"] }));
        assert!(answer.valid, "{variable}: {:?}", answer.message);
    }
}

#[test]
fn the_example_policy_has_valid_settings_and_does_not_mutate_by_default() {
    let spec = example()["spec"].clone();
    let answer = settings_answer(&spec["settings"]);
    assert!(answer.valid, "{:?}", answer.message);
    assert_eq!(spec["mutating"], false);
    assert_eq!(spec["settings"]["applyDefaults"], false);
}
