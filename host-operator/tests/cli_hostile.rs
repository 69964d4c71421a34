//! Hostile files through the binary's `validate` and `render` (the CLI reads YAML or JSON through the wasm core):
//! a 10 MB spec, 100,000-deep nesting in JSON and YAML, a billion-laughs alias bomb, invalid UTF-8, duplicate keys
//! and a NaN. Each must exit 2 (unreadable input) with a message naming the problem, never panic.
//!
//! The files are generated into the target directory (a 10 MB file is not committed). No timing assertion: a
//! hang would show as the test never finishing; the core's limits are what keep each run short.

use std::path::PathBuf;
use std::process::{Output, Stdio};

mod cli_support;
use cli_support::bin;

/// Writes `bytes` to a file named `name` under the target directory and returns its path.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-hostile");
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the hostile file");
    path
}

fn run(args: &[&str]) -> Output {
    bin().args(args).stdin(Stdio::null()).output().expect("the binary runs")
}

/// `validate` and `render` of the file both exit 2 with `needle` in the message, and nothing panics.
fn refused(name: &str, bytes: &[u8], needle: &str) {
    let path = file(name, bytes);
    let path = path.to_str().expect("a UTF-8 path");
    let entropy = "ab".repeat(32);
    let validate: &[&str] = &["validate", path];
    let render: &[&str] = &["render", path, "--entropy", entropy.as_str()];
    for args in [validate, render] {
        let out = run(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = |s: &str| s.chars().take(2000).collect::<String>();
        assert!(
            !stdout.contains("panicked") && !stderr.contains("panicked"),
            "{args:?} panicked: {}",
            shown(&stderr)
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: exit code\nstdout: {}\nstderr: {}",
            shown(&stdout),
            shown(&stderr)
        );
        assert!(
            stderr.contains(needle) && stderr.contains(name),
            "{args:?}: the message must name the file and say {needle:?}, got: {}",
            shown(&stderr)
        );
    }
}

const HEAD: &str = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\n";

#[test]
fn a_10_mb_spec_is_refused_for_its_size() {
    let mut text = format!("{HEAD}spec:\n  nodes: 3\n  podAnnotations:\n");
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!("    note-{i}: \"{}\"\n", "x".repeat(1000)));
        i += 1;
    }
    refused("big.yaml", text.as_bytes(), "bytes; at most");
}

#[test]
fn json_nested_100000_deep_is_refused() {
    let deep = format!(
        r#"{{"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "spec": {{"extraLabels": {}{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    // Flow nesting stops in the YAML scanner's own recursion limit, before the reader's depth limit.
    refused("deep.json", deep.as_bytes(), "recursion limit exceeded");
}

#[test]
fn yaml_nested_100000_deep_is_refused() {
    let deep = format!("{HEAD}spec:\n  extraLabels:\n  {}x\n", "- ".repeat(100_000));
    refused("deep-block.yaml", deep.as_bytes(), "nesting deeper than");
    let flow = format!(
        "{HEAD}spec:\n  extraLabels: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    refused("deep-flow.yaml", flow.as_bytes(), "recursion limit exceeded");
}

#[test]
fn a_billion_laughs_alias_bomb_is_refused() {
    let mut text = format!(
        "{HEAD}spec:\n  nodes: 3\n  podAnnotations:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    );
    for level in b'b'..=b'i' {
        let previous = char::from(level - 1);
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("    {0}: &{0} [{aliases}]\n", char::from(level)));
    }
    refused("laughs.yaml", text.as_bytes(), "alias bomb");
}

#[test]
fn invalid_utf8_is_refused() {
    let mut bytes = format!("{HEAD}spec:\n  nodes: 3\n  username: \"").into_bytes();
    bytes.extend_from_slice(b"\xc3\x28\xff\"\n");
    refused("binary.yaml", &bytes, "is not UTF-8 text");
}

#[test]
fn duplicate_keys_are_refused() {
    let text = format!("{HEAD}spec:\n  nodes: 3\n  nodes: 5\n");
    refused("duplicate.yaml", text.as_bytes(), "duplicate key \"nodes\"");
    let json = r#"{"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "metadata": {"name": "a", "name": "b"}}"#;
    refused("duplicate.json", json.as_bytes(), "duplicate key \"name\"");
}

#[test]
fn a_nan_is_refused() {
    let text = format!("{HEAD}spec:\n  nodes: .nan\n");
    refused("nan.yaml", text.as_bytes(), "finite");
}
