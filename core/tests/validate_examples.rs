//! Every example REC validates with zero errors (and deserializes into the typed model): the in-repo copies under
//! `tests/fixtures/examples/` (shared with the render golden tests), and the reference examples in
//! `../shared/reference/examples/` when that folder is there (skipped with a note otherwise). The files are read
//! with the core's own YAML reader, as every entry point reads them.

use rec_core::validate::{Options, Severity, validate};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
}

fn read(file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(file).expect("read example");
    let parsed = rec_core::yaml::parse(&text);
    match (parsed.value, parsed.error) {
        (Some(value), None) => value,
        (_, error) => panic!("{} is not readable YAML: {error:?}", file.display()),
    }
}

fn assert_no_errors(file: &Path) {
    let value = read(file);
    let report = validate(&value, None, &Options::default());
    let errors: Vec<_> = report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    assert!(report.valid);
    serde_json::from_value::<rec_core::RedisEnterpriseCluster>(value)
        .unwrap_or_else(|e| panic!("{} is valid but does not deserialize: {e}", file.display()));
    // Also valid as an update onto itself.
    let again = read(file);
    assert!(
        validate(&again, Some(&again), &Options::default()).valid,
        "{}",
        file.display()
    );
}

#[test]
fn in_repo_examples_have_no_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/examples");
    let files = yaml_files(&dir);
    assert!(files.len() >= 4, "expected the example copies in {}", dir.display());
    for f in files {
        assert_no_errors(&f);
    }
}

#[test]
fn shared_reference_examples_have_no_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/examples");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent; only the in-repo copies were checked",
            dir.display()
        );
        return;
    }
    let files = yaml_files(&dir);
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    for f in files {
        assert_no_errors(&f);
    }
}
