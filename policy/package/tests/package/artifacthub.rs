//! The committed `artifacthub-pkg.yml` is what the generator writes from `policy/metadata.yml`,
//! `questions-ui.yml` and the Cargo version (its `createdAt`, the release time, is the one input taken from the
//! file itself); and the generator refuses metadata it cannot make a package of, naming what is missing.

use rec_policy_package::Metadata;
use rec_policy_package::artifacthub::generate;
use std::path::Path;

fn file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn metadata() -> Metadata {
    Metadata::from_yaml(&file("policy/metadata.yml")).unwrap()
}

fn committed_created_at(committed: &str) -> String {
    let value: serde_yaml::Value = serde_yaml::from_str(committed).unwrap();
    value["createdAt"].as_str().expect("createdAt").to_string()
}

#[test]
fn the_committed_package_is_what_the_generator_writes() {
    let committed = file("artifacthub-pkg.yml");
    let generated = generate(
        &metadata(),
        env!("CARGO_PKG_VERSION"),
        &committed_created_at(&committed),
        &file("questions-ui.yml"),
    )
    .unwrap();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "artifacthub-pkg.yml differs from the generator's output from line {}: run\n  \
             cargo run -p rec-policy-package -- artifacthub\n(committed: {:?}\n generated: {:?})",
            line + 1,
            committed.lines().nth(line),
            generated.lines().nth(line)
        );
    }
}

#[test]
fn metadata_the_package_needs_is_refused_when_missing() {
    let questions = file("questions-ui.yml");
    for key in [
        "io.kubewarden.policy.ociUrl",
        "io.kubewarden.policy.title",
        "io.artifacthub.displayName",
    ] {
        let mut m = metadata();
        m.annotations.as_mut().unwrap().remove(key);
        let error = generate(&m, "0.1.0", "2026-11-29T04:00:00Z", &questions)
            .unwrap_err()
            .to_string();
        assert!(error.contains(key), "{error}");
    }
    let mut m = metadata();
    m.annotations
        .as_mut()
        .unwrap()
        .insert("io.kubewarden.policy.author".into(), "nobody".into());
    assert!(generate(&m, "0.1.0", "2026-11-29T04:00:00Z", &questions).is_err());
    assert!(generate(&metadata(), "0.1", "2026-11-29T04:00:00Z", &questions).is_err());
    assert!(generate(&metadata(), "0.1.0", "yesterday", &questions).is_err());
    assert!(generate(&metadata(), "0.1.0", "2026-11-29T04:00:00Z", "nothing: here\n").is_err());
}

#[test]
fn a_new_version_changes_every_versioned_field() {
    let generated = generate(&metadata(), "9.8.7", "2030-01-01T00:00:00Z", &file("questions-ui.yml")).unwrap();
    let value: serde_yaml::Value = serde_yaml::from_str(&generated).unwrap();
    assert_eq!(value["version"].as_str(), Some("9.8.7"));
    assert_eq!(
        value["containersImages"][0]["image"].as_str(),
        Some("ghcr.io/rec-wasm/policies/redis-enterprise-cluster:v9.8.7")
    );
    assert!(value["links"][0]["url"].as_str().unwrap().contains("/v9.8.7/"));
    assert!(value["install"].as_str().unwrap().contains(":v9.8.7"));
    assert!(!generated.contains("0.1.0"), "a field kept the old version");
}
