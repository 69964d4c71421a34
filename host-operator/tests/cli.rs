//! The binary without a cluster: `validate`, `render` and `crd` through the embedded wasm core, with the exit
//! codes the README promises (0 valid, 1 invalid with the full report, 2 unreadable input).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

mod cli_support;
use cli_support::bin;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(input) = stdin {
        // A binary that fails before it reads stdin (a missing core module) closes the pipe first: that is its
        // answer, not the test's failure, so a broken pipe here is left to the exit code and stderr to judge.
        match child.stdin.take().expect("stdin").write_all(input.as_bytes()) {
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
            written => written.expect("write stdin"),
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_accepts_a_valid_rec() {
    let path = fixture("rec.yaml");
    let out = run(&["validate", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        text(&out.stdout).contains(": valid (0 error(s), 0 warning(s))"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn validate_reports_every_error_and_exits_1() {
    let path = fixture("invalid.yaml");
    let out = run(&["validate", path.to_str().expect("utf-8 path")], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("invalid"), "{stdout}");
    assert!(
        stdout.contains("[nodes-even]") && stdout.contains("[unknown-field]"),
        "{stdout}"
    );
}

#[test]
fn validate_reads_a_redb_by_its_kind() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/redb.yaml");
    let out = run(&["validate", example.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    // Alone, without its REC: valid, and it says what it could not check.
    assert!(
        text(&out.stdout).contains(": valid (0 error(s), 1 warning(s))")
            && text(&out.stdout).contains("[redb-no-context]"),
        "{}",
        text(&out.stdout)
    );
    let bad = "apiVersion: app.redislabs.com/v1alpha1\nkind: RedisEnterpriseDatabase\nmetadata: {name: redb}\n\
               spec: {memorySize: 50MB, replication: true, persistence: aofEverySecond}\n";
    let out = run(&["validate", "-"], Some(bad));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("spec.memorySize") && stdout.contains("[redb-memory-too-low]"),
        "{stdout}"
    );
}

#[test]
fn validate_reads_json_from_stdin_and_prints_json() {
    let rec = r#"{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{"nodes":2}}"#;
    let out = run(&["validate", "-", "-o", "json"], Some(rec));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON answer");
    assert_eq!(
        answer.as_array().map(Vec::len),
        Some(1),
        "one item per document: {answer}"
    );
    let report = &answer[0]["report"];
    assert_eq!(report["valid"], false);
    let codes: Vec<&str> = report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"nodes-even") && codes.contains(&"nodes-too-few"),
        "{codes:?}"
    );
}

#[test]
fn validate_checks_update_rules_with_old() {
    let old = fixture("rec.yaml");
    let dir = std::env::temp_dir().join(format!("rec-operator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let new = dir.join("fewer-nodes.yaml");
    let shrunk = std::fs::read_to_string(&old)
        .expect("fixture")
        .replace("nodes: 3", "nodes: 1");
    std::fs::write(&new, shrunk).expect("write");
    let out = run(
        &[
            "validate",
            new.to_str().expect("utf-8"),
            "--old",
            old.to_str().expect("utf-8"),
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("[nodes-decreased]"), "{stdout}");
}

#[test]
fn unreadable_input_exits_2() {
    let out = run(&["validate", "/nonexistent/rec.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/nonexistent/rec.yaml"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["validate", "-"], Some("spec: [unclosed"));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let out = run(&["render", "-"], Some("\u{0}\u{1}binary"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn render_prints_yaml_and_json() {
    let path = fixture("rec.yaml");
    let out = run(&["render", path.to_str().expect("utf-8")], None);
    let yaml = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(yaml.starts_with("---\n"), "{yaml}");
    assert!(yaml.contains("kind: StatefulSet"), "{yaml}");

    let out = run(&["render", path.to_str().expect("utf-8"), "-o", "json"], None);
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list["kind"], "List");
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"StatefulSet") && kinds.contains(&"Service"),
        "{kinds:?}"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "StatefulSet").count(), 1);
}

#[test]
fn render_of_an_invalid_rec_prints_the_report_and_exits_1() {
    let path = fixture("invalid.yaml");
    let out = run(&["render", path.to_str().expect("utf-8")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("[nodes-even]"), "{}", text(&out.stderr));
}

#[test]
fn crd_prints_the_generated_crd() {
    let out = run(&["crd"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), rec_core::crd::crd_yaml());
}

#[test]
fn a_missing_core_module_exits_2() {
    let out = run(
        &["--core-module", "/nonexistent/core.wasm", "validate", "-"],
        Some("{}"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("core module"), "{}", text(&out.stderr));
}

/// The entropy the core's golden files were rendered with (test data, not a secret).
const GOLDEN_ENTROPY: &str = "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978";

#[test]
fn render_of_every_shipped_example_matches_the_core_golden_file() {
    let core = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests");
    let examples = [
        "examples_v1_rec",
        "examples_v1alpha1_rec",
        "openshift_rec_rhel",
        "rack_awareness_rack_aware_rec",
    ];
    for name in examples {
        let input = core.join("fixtures/examples").join(format!("{name}.yaml"));
        let golden = std::fs::read_to_string(core.join("golden").join(format!("{name}.yaml"))).expect("golden file");
        let out = run(
            &["render", input.to_str().expect("utf-8"), "--entropy", GOLDEN_ENTROPY],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout) == golden,
            "{name}: the binary's render differs from core/tests/golden/{name}.yaml"
        );
    }
}

#[test]
fn render_makes_a_fresh_password_or_leaves_an_existing_secret_alone() {
    let path = fixture("rec.yaml");
    let path = path.to_str().expect("utf-8");
    let secrets = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|o| o["kind"] == "Secret")
            .cloned()
            .collect()
    };
    let first = secrets(&["render", path, "-o", "json"]);
    let second = secrets(&["render", path, "-o", "json"]);
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_ne!(
        first[0]["data"]["password"], second[0]["data"]["password"],
        "each render draws fresh entropy"
    );
    assert!(secrets(&["render", path, "-o", "json", "--existing-secret", "rec"]).is_empty());
}

#[test]
fn a_file_with_a_byte_order_mark_reads_as_kubectl_reads_it() {
    let rec = std::fs::read_to_string(fixture("rec.yaml")).expect("the fixture");
    let out = run(&["validate", "-"], Some(&format!("\u{feff}{rec}")));
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
}

/// Without `REC_ENGINE_CACHE_DIR` the CLI caches the compiled module in the user's cache directory (XDG rules):
/// the first call compiles and writes it, the second maps it and compiles nothing; `REC_ENGINE_CACHE_DIR=`
/// (empty) turns the cache off.
#[test]
fn a_second_call_compiles_nothing() {
    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let validate = |cache_dir: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rec-operator"));
        command
            .args(["validate", fixture("rec.yaml").to_str().expect("utf-8 path")])
            .env_remove("REC_ENGINE_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME")
            .env("HOME", &home)
            .env("RUST_LOG", "rec_operator=debug");
        if let Some(dir) = cache_dir {
            command.env("REC_ENGINE_CACHE_DIR", dir);
        }
        let out = command.output().expect("the binary runs");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    let cached = |log: &str| {
        let line = log
            .lines()
            .find(|l| l.contains("core module loaded"))
            .unwrap_or_default();
        assert!(line.contains("from_cache="), "no load line in: {log}");
        line.contains("from_cache=true")
    };
    assert!(!cached(&validate(None)), "a fresh home has no cache");
    let dir = home.join(".cache/rec-operator");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("the cache directory was made").collect();
    assert_eq!(files.len(), 1, "one compiled module in {}", dir.display());
    assert!(cached(&validate(None)), "the second call maps the cached module");
    assert!(
        !cached(&validate(Some(""))),
        "an empty REC_ENGINE_CACHE_DIR turns the cache off"
    );
    let _ = std::fs::remove_dir_all(&home);
}

/// A REC file for the plan tests: the fixture with `patch` merged into its spec.
fn rec_file(name: &str, patch: serde_json::Value) -> PathBuf {
    let text = std::fs::read_to_string(fixture("rec.yaml")).expect("the fixture");
    let mut rec: serde_json::Value =
        serde_json::to_value(rec_core::yaml::parse(&text).value.expect("the fixture reads")).expect("JSON");
    for (key, value) in patch.as_object().expect("an object") {
        rec["spec"][key] = value.clone();
    }
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("plan-{}-{name}.json", std::process::id()));
    std::fs::write(&path, rec.to_string()).expect("written");
    path
}

#[test]
fn plan_prints_the_steps_in_order_naming_pods() {
    let old = fixture("rec.yaml");
    let new = rec_file(
        "tag",
        serde_json::json!({"redisEnterpriseImageSpec": {"versionTag": "8.0.22-1"}}),
    );
    let out = run(
        &[
            "plan",
            new.to_str().expect("path"),
            "--old",
            old.to_str().expect("path"),
        ],
        None,
    );
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}{}", text(&out.stderr));
    assert!(printed.contains(": Upgrade (3 of 3 node(s) Ready)"), "{printed}");
    assert!(
        printed.contains(
            "upgrades Redis Enterprise 8.0.20-44 -> 8.0.22-1: restarts 3 node(s) one at a time (rec-2, rec-1, rec-0)"
        ),
        "{printed}"
    );
    let restart = printed.find("restart rec-2").expect("rec-2 first");
    assert!(
        restart < printed.find("restart rec-1").expect("then rec-1"),
        "{printed}"
    );

    let grown = rec_file(
        "grown",
        serde_json::json!({"persistentSpec": {"volumeSize": "80Gi", "enablePersistentVolumeResize": true}}),
    );
    let old_resize = rec_file(
        "old-resize",
        serde_json::json!({"persistentSpec": {"volumeSize": "40Gi"}}),
    );
    let out = run(
        &[
            "plan",
            grown.to_str().expect("path"),
            "--old",
            old_resize.to_str().expect("path"),
            "-o",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON plan");
    assert_eq!(plan["state"], "ExpandingVolumes");
    assert_eq!(plan["steps"][0]["action"], "expandVolume");
    assert_eq!(plan["steps"][0]["claim"], "redis-enterprise-storage-rec-0");
}

#[test]
fn plan_exits_1_when_refused_and_2_when_unreadable() {
    let old = fixture("rec.yaml");
    let fewer = rec_file("fewer", serde_json::json!({"nodes": 1}));
    let out = run(
        &[
            "plan",
            fewer.to_str().expect("path"),
            "--old",
            old.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("refused: spec.nodes [nodes-decreased]"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["plan", "/nonexistent.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["plan", "-"], Some("a: [unclosed"));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn plan_reads_what_runs_from_a_kubectl_list() {
    // What runs: the StatefulSet the CLI renders for the fixture, its three pods made from its template, rec-1
    // not Ready.
    let old = fixture("rec.yaml");
    let out = run(
        &[
            "render",
            old.to_str().expect("path"),
            "--existing-secret",
            "rec",
            "-o",
            "json",
        ],
        None,
    );
    let rendered: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a List");
    let sts = rendered["items"]
        .as_array()
        .and_then(|items| items.iter().find(|o| o["kind"] == "StatefulSet"))
        .expect("a StatefulSet")
        .clone();
    let pod = |i: i32, ready: &str| {
        serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("rec-{i}"), "annotations": sts["spec"]["template"]["metadata"]["annotations"]},
            "spec": sts["spec"]["template"]["spec"],
            "status": {"conditions": [{"type": "Ready", "status": ready}]}})
    };
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List",
        "items": [sts.clone(), pod(0, "True"), pod(1, "False"), pod(2, "True")]});
    let observed = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("observed-{}.json", std::process::id()));
    std::fs::write(&observed, list.to_string()).expect("written");
    let new = rec_file("five", serde_json::json!({"nodes": 5}));
    let out = run(
        &[
            "plan",
            new.to_str().expect("path"),
            "--old",
            old.to_str().expect("path"),
            "--observed",
            observed.to_str().expect("path"),
        ],
        None,
    );
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}{}", text(&out.stderr));
    assert!(printed.contains(": ScalingUp (2 of 5 node(s) Ready)"), "{printed}");
    assert!(printed.contains("1. [waiting] wait until rec-1 is Ready"), "{printed}");
    assert!(printed.contains("rec-1 is not Ready"), "{printed}");
    assert!(printed.contains("2. [then] add node rec-3"), "{printed}");
}

/// A file of this test process (under cargo's temporary directory for integration tests).
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-documents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
    std::fs::read_to_string(path).expect("the example")
}

/// A REDB of the example REC (`redis/rec`) on `port`.
fn redb(name: &str, port: u16) -> String {
    format!(
        "apiVersion: app.redislabs.com/v1alpha1\nkind: RedisEnterpriseDatabase\nmetadata:\n  name: {name}\n  \
         namespace: redis\nspec:\n  redisEnterpriseCluster:\n    name: rec\n  memorySize: 1GB\n  replication: true\n  \
         persistence: aofEverySecond\n  databasePort: {port}\n"
    )
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn validate_checks_every_document_of_a_file_with_the_others_as_context() {
    let all = temp_file(
        "rec-and-redbs.yaml",
        &format!(
            "{}---\n{}---\n{}",
            example("rec.yaml"),
            redb("one", 12000),
            redb("two", 12001)
        ),
    );
    let out = run(&["validate", path(&all)], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let file = path(&all);
    for line in [
        format!("{file} #1: RedisEnterpriseCluster redis/rec: valid"),
        format!("{file} #2: RedisEnterpriseDatabase redis/one: valid (0 error(s), 0 warning(s))"),
        format!("{file} #3: RedisEnterpriseDatabase redis/two: valid (0 error(s), 0 warning(s))"),
    ] {
        assert!(stdout.contains(&line), "{line} in:\n{stdout}");
    }
    assert!(!stdout.contains("redb-no-context"), "{stdout}");

    // The same port twice in one file: both REDBs see the other.
    let clash = temp_file(
        "port-clash.yaml",
        &format!(
            "{}---\n{}---\n{}",
            example("rec.yaml"),
            redb("one", 12000),
            redb("two", 12000)
        ),
    );
    let out = run(&["validate", path(&clash)], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("RedisEnterpriseDatabase redis/two: invalid") && stdout.contains("[redb-port-taken]"),
        "{stdout}"
    );
}

#[test]
fn a_lone_redb_has_no_context_unless_given_one() {
    let lone = temp_file("lone.yaml", &redb("one", 12000));
    let out = run(&["validate", path(&lone)], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("RedisEnterpriseDatabase redis/one: valid (0 error(s), 1 warning(s))")
            && stdout.contains("[redb-no-context]"),
        "{stdout}"
    );
    // Its REC as context: checked against it, nothing to warn about; the context is not reported on.
    let rec = temp_file("context-rec.yaml", &example("rec.yaml"));
    let out = run(&["validate", path(&lone), "--context", path(&rec)], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout,
        format!(
            "{}: RedisEnterpriseDatabase redis/one: valid (0 error(s), 0 warning(s))\n",
            path(&lone)
        )
    );
    // Context files are repeatable and may hold several documents: a REDB of the second one takes the port.
    let other = temp_file("context-other.yaml", &format!("---\n{}---\n", redb("other", 12000)));
    let out = run(
        &[
            "validate",
            path(&lone),
            "--context",
            path(&rec),
            "--context",
            path(&other),
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("[redb-port-taken]"), "{stdout}");
    // A REDB whose REC is in no input: an error, not a warning.
    let out = run(&["validate", path(&lone), "--context", path(&other)], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[test]
fn validate_compares_each_document_with_its_old_version_by_kind_namespace_and_name() {
    let old = temp_file(
        "old.yaml",
        &format!(
            "{}---\n{}---\n{}",
            example("rec.yaml"),
            redb("one", 12000),
            redb("two", 12001)
        ),
    );
    // `two` moves to another port: an update rule; `one` and the REC are unchanged.
    let new = temp_file(
        "new.yaml",
        &format!(
            "{}---\n{}---\n{}",
            redb("two", 12002),
            example("rec.yaml"),
            redb("one", 12000)
        ),
    );
    let out = run(&["validate", path(&new), "--old", path(&old)], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let two = stdout
        .split(&format!("{} #", path(&new)))
        .find(|part| part.contains("redis/two"))
        .unwrap_or_default();
    assert!(
        two.contains("invalid") && two.contains("[redb-port-changed]"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("[redb-port-changed]").count(), 1, "{stdout}");
    // Without --old there is no update rule.
    let out = run(&["validate", path(&new)], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn json_output_is_an_array_of_kind_name_namespace_and_report() {
    let clash = temp_file(
        "json-clash.yaml",
        &format!(
            "{}---\n{}---\n{}",
            example("rec.yaml"),
            redb("one", 12000),
            redb("two", 12000)
        ),
    );
    let out = run(&["validate", path(&clash), "-o", "json"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = answer.as_array().expect("an array");
    let named: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or_default(),
                i["namespace"].as_str().unwrap_or_default(),
                i["name"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("RedisEnterpriseCluster", "redis", "rec"),
            ("RedisEnterpriseDatabase", "redis", "one"),
            ("RedisEnterpriseDatabase", "redis", "two"),
        ]
    );
    for item in items {
        let keys: Vec<&String> = item.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["kind", "name", "namespace", "report"], "{item}");
    }
    assert_eq!(items[2]["report"]["valid"], false);
    assert_eq!(items[2]["report"]["violations"][0]["code"], "redb-port-taken");
    // Each REDB's report names the REC it belongs to; a REC's names none.
    assert_eq!(items[1]["report"]["cluster"], "rec", "{}", items[1]);
    assert!(items[0]["report"].get("cluster").is_none(), "{}", items[0]);
    // A document without a namespace: null, not missing.
    let out = run(
        &["validate", "-", "-o", "json"],
        Some("kind: RedisEnterpriseDatabase\nmetadata: {name: db}\n"),
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(answer[0]["namespace"], serde_json::Value::Null, "{answer}");
}

#[test]
fn an_unreadable_context_old_or_document_is_named_and_exits_2() {
    let lone = temp_file("unreadable-lone.yaml", &redb("one", 12000));
    let out = run(
        &["validate", path(&lone), "--context", "/nonexistent/context.yaml"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: /nonexistent/context.yaml: cannot be read"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing validated: {}", text(&out.stdout));

    let out = run(&["validate", path(&lone), "--old", "/nonexistent/old.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/nonexistent/old.yaml"),
        "{}",
        text(&out.stderr)
    );

    // A bad second document: the file, the document's number and the position in the file.
    let bad = temp_file(
        "bad-second.yaml",
        &format!("{}---\nmetadata:\n  a: 1\n  a: 2\n", redb("one", 12000)),
    );
    let out = run(&["validate", path(&lone), "--context", path(&bad)], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: document 2: line 16, column 3: duplicate key \"a\"",
            path(&bad)
        )),
        "{stderr}"
    );
    // Only `---` lines: no document.
    let out = run(&["validate", "-"], Some("---\n---\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("-: is empty"), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}
