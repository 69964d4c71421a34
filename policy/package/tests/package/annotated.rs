//! The policy module as it ships: `policy/dist/annotated-policy.wasm` (written by `policy/build`, named by
//! `REC_POLICY_ANNOTATED`; scripts/test.d/46-policy-package.sh sets it). Without that variable the test annotates
//! the plain `wasm-release` build itself with the `rec-policy-package annotate` command (the build `rec-wasm-tests`
//! makes, so step 20 needs no earlier step). Either way the module is read back as Kubewarden reads it (the first
//! `io.kubewarden.metadata` custom section, through wasmparser, not this crate's reader) and every field is
//! checked against `policy/metadata.yml`, the protocol version against what the module answers in a
//! policy-server-like waPC host, and the usage annotation against `policy/README.md`; then the module is run.

use rec_wasm_tests::policy_host::{PolicyModule, build};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use wasmparser::{Parser, Payload};

const ANNOTATED_ENV: &str = "REC_POLICY_ANNOTATED";
/// The module `policy/build` annotated (`target/policy-module/policy.wasm`), to check nothing else changed.
const INPUT_ENV: &str = "REC_POLICY_WASM";
const SECTION: &str = "io.kubewarden.metadata";

fn policy_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(name: &str) -> String {
    String::from_utf8(read(&policy_file(name))).unwrap()
}

struct Shipped {
    path: PathBuf,
    bytes: Vec<u8>,
    /// The module before annotation, when known.
    input: Option<Vec<u8>>,
}

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| match std::env::var_os(ANNOTATED_ENV) {
        Some(path) => {
            let path = PathBuf::from(path);
            let input = std::env::var_os(INPUT_ENV).map(|p| read(Path::new(&p)));
            Shipped {
                bytes: read(&path),
                path,
                input,
            }
        }
        None => {
            let plain = build().unwrap_or_else(|e| panic!("{e}"));
            let path = std::env::temp_dir().join(format!("rec-policy-annotated-{}.wasm", std::process::id()));
            let run = Command::new(env!("CARGO_BIN_EXE_rec-policy-package"))
                .arg("annotate")
                .arg(&plain)
                .arg("--metadata")
                .arg(policy_file("metadata.yml"))
                .arg("--usage")
                .arg(policy_file("README.md"))
                .arg("--output")
                .arg(&path)
                .output()
                .expect("rec-policy-package runs");
            assert!(
                run.status.success(),
                "annotate failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            Shipped {
                bytes: read(&path),
                path,
                input: Some(read(&plain)),
            }
        }
    })
}

/// Every `io.kubewarden.metadata` section's data, in order.
fn sections(module: &[u8]) -> Vec<&[u8]> {
    Parser::new(0)
        .parse_all(module)
        .filter_map(|p| match p.expect("the module parses") {
            Payload::CustomSection(r) if r.name() == SECTION => Some(r.data()),
            _ => None,
        })
        .collect()
}

/// What is wrong with `section` (the embedded JSON) against metadata.yml, the module's protocol and the usage.
fn problems(section: &Value, metadata_yml: &Value, protocol: &Value, usage: &str) -> Vec<String> {
    let mut problems = vec![];
    let Some(fields) = section.as_object() else {
        return vec![format!("the section is not a JSON object: {section}")];
    };
    for (key, expected) in metadata_yml.as_object().expect("metadata.yml is a map") {
        if key == "annotations" {
            continue;
        }
        if fields.get(key) != Some(expected) {
            problems.push(format!(
                "{key}: metadata.yml has {expected}, the section {:?}",
                fields.get(key)
            ));
        }
    }
    let mut annotations = metadata_yml["annotations"].clone();
    annotations["io.kubewarden.policy.usage"] = json!(usage);
    if section["annotations"] != annotations {
        problems.push("annotations: not metadata.yml's plus the usage text".into());
    }
    if section["protocolVersion"] != *protocol {
        problems.push(format!(
            "protocolVersion {} but the module answers {protocol}",
            section["protocolVersion"]
        ));
    }
    // Fields Kubewarden fills in with its default when metadata.yml leaves them out; nothing else may appear.
    for (key, value) in fields {
        let known = metadata_yml.get(key).is_some() || key == "protocolVersion";
        let defaulted = key == "policyType" && value == "kubernetes";
        if !(known || defaulted) {
            problems.push(format!("{key}: {value} is in the section but not in metadata.yml"));
        }
    }
    problems
}

fn metadata_yml() -> Value {
    serde_yaml::from_str(&text("metadata.yml")).unwrap()
}

fn the_section() -> Value {
    let found = sections(&shipped().bytes);
    assert_eq!(
        found.len(),
        1,
        "{}: one {SECTION} section, found {}",
        shipped().path.display(),
        found.len()
    );
    serde_json::from_slice(found[0]).expect("the section is JSON")
}

fn module() -> &'static PolicyModule {
    static MODULE: OnceLock<PolicyModule> = OnceLock::new();
    MODULE.get_or_init(|| PolicyModule::load(&shipped().path).unwrap_or_else(|e| panic!("{e}")))
}

fn reported_protocol() -> Value {
    serde_json::from_slice(&module().call("protocol_version", b"{}").unwrap()).unwrap()
}

#[test]
fn the_section_is_metadata_yml_with_the_protocol_version_and_the_usage() {
    let section = the_section();
    let problems = problems(&section, &metadata_yml(), &reported_protocol(), &text("README.md"));
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        shipped().path.display(),
        problems.join("\n")
    );
    assert_eq!(section["protocolVersion"], "v1");
    eprintln!(
        "{}: {} bytes, section {} bytes",
        shipped().path.display(),
        shipped().bytes.len(),
        sections(&shipped().bytes)[0].len()
    );
}

#[test]
fn the_comparison_catches_a_broken_section() {
    let (good, yml, protocol, usage) = (the_section(), metadata_yml(), reported_protocol(), text("README.md"));
    assert!(problems(&good, &yml, &protocol, &usage).is_empty());
    type Break = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Break)> = vec![
        (
            "a missing field",
            Box::new(|s| drop(s.as_object_mut().unwrap().remove("backgroundAudit"))),
        ),
        (
            "a changed rule",
            Box::new(|s| s["rules"][0]["operations"] = json!(["CREATE"])),
        ),
        ("mutating flipped", Box::new(|s| s["mutating"] = json!(false))),
        ("another protocol", Box::new(|s| s["protocolVersion"] = json!("v2"))),
        (
            "no usage",
            Box::new(|s| {
                drop(
                    s["annotations"]
                        .as_object_mut()
                        .unwrap()
                        .remove("io.kubewarden.policy.usage"),
                )
            }),
        ),
        (
            "a lost annotation",
            Box::new(|s| {
                drop(
                    s["annotations"]
                        .as_object_mut()
                        .unwrap()
                        .remove("io.kubewarden.policy.title"),
                )
            }),
        ),
        ("an extra field", Box::new(|s| s["contextAware"] = json!(false))),
        ("not an object", Box::new(|s| *s = json!([]))),
    ];
    for (case, break_it) in cases {
        let mut broken = good.clone();
        break_it(&mut broken);
        assert!(
            !problems(&broken, &yml, &protocol, &usage).is_empty(),
            "{case} was not caught"
        );
    }
}

#[test]
fn the_annotated_module_is_the_module_plus_the_section_and_still_a_policy() {
    if let Some(input) = &shipped().input {
        let bytes = &shipped().bytes;
        assert!(
            bytes.len() > input.len() && bytes[..input.len()] == input[..],
            "only a section is appended"
        );
    }
    assert_eq!(reported_protocol(), json!("v1"));
    let request = serde_json::from_slice::<Value>(&read(&policy_file("test_data/create_valid.json"))).unwrap();
    // A REC request makes no host call: its own (empty) cluster serves nothing. Per call, not the module's count,
    // which the context test below runs up in parallel.
    let cluster = std::sync::Arc::new(rec_wasm_tests::kube_host::KubernetesHost::new(vec![]));
    let answer: Value = serde_json::from_slice(
        &module()
            .call_in(
                "validate",
                json!({"settings": {}, "request": request}).to_string().as_bytes(),
                &cluster,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answer["accepted"], true, "{answer}");
    let invalid = serde_json::from_slice::<Value>(&read(&policy_file("test_data/create_invalid.json"))).unwrap();
    let answer: Value = serde_json::from_slice(
        &module()
            .call_in(
                "validate",
                json!({"settings": {}, "request": invalid}).to_string().as_bytes(),
                &cluster,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answer["accepted"], false, "{answer}");
    assert!(
        cluster.served().is_empty(),
        "a REC request asked the host: {:?}",
        cluster.served().len()
    );
}

/// The section declares the resources the module reads, and the module reads no other: policy-server answers a
/// context-aware call only for what the policy's `contextAwareResources` lists (the ClusterAdmissionPolicy's,
/// which `kwctl scaffold manifest` takes from this section), so an undeclared one would leave a REDB without context.
#[test]
fn the_module_asks_only_for_the_context_aware_resources_it_declares() {
    use rec_wasm_tests::kube_host::KubernetesHost;
    let declared = the_section()["contextAwareResources"].clone();
    let declared: Vec<(String, String)> = declared
        .as_array()
        .expect("contextAwareResources in the section")
        .iter()
        .map(|r| {
            (
                r["apiVersion"].as_str().unwrap().into(),
                r["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(!declared.is_empty(), "a REDB's context needs the REC and the REDB");
    let gvk = json!({"group": "app.redislabs.com", "version": "v1alpha1", "kind": "RedisEnterpriseDatabase"});
    let request = json!({"settings": {}, "request": {
        "uid": "1", "kind": gvk, "requestKind": gvk, "operation": "CREATE", "namespace": "redis",
        "resource": {"group": "app.redislabs.com", "version": "v1alpha1", "resource": "redisenterprisedatabases"},
        "userInfo": {"username": "alice"},
        "object": {"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
                   "metadata": {"name": "orders"}, "spec": {"replication": true, "persistence": "aofEverySecond"}}}});
    let host = std::sync::Arc::new(KubernetesHost::new(vec![]));
    let answer: Value = serde_json::from_slice(
        &module()
            .call_in("validate", request.to_string().as_bytes(), &host)
            .unwrap(),
    )
    .unwrap();
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("[redb-cluster-not-found]"),
        "judged in the (empty) cluster: {answer}"
    );
    let asked: Vec<(String, String)> = host
        .served()
        .iter()
        .map(|s| {
            (
                s.request["api_version"].as_str().unwrap_or_default().into(),
                s.request["kind"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert!(!asked.is_empty(), "no host call for a REDB");
    for resource in &asked {
        assert!(
            declared.contains(resource),
            "{resource:?} is asked for but not declared ({declared:?})"
        );
    }
}
