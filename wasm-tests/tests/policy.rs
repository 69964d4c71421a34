//! The Kubewarden policy module, run in a real waPC host (wasmtime-provider, a fresh instance per request as
//! policy-server does), agrees with the native core on every `validate` case of the shared corpus
//! (`corpus/**/*.json`): accepted iff `rec_core::kind::validate` says valid, and a rejection lists exactly the
//! violations that made it invalid (path, message and code). A case's `context` is what the cluster holds: the host
//! serves it through Kubewarden's Kubernetes host capability (`rec_wasm_tests::kube_host`, field masks applied as
//! policy-server applies them), so a REDB's context rules run in the module on what the policy listed. A case
//! without context has a host that refuses the calls (a host cannot serve "no context": an empty cluster is a
//! context, in which every REDB lacks its REC), and the policy then validates without one, as the native core does
//! with `None`. It also checks what Kubewarden needs of the module: `protocol_version` is v1, settings are
//! validated, a REC request calls no host capability, and the module imports waPC and WASI only.
//!
//! The module is built by the test (`policy_host::build`) unless `REC_POLICY_WASM` names one.

use rec_core::abi::ValidateRequest;
use rec_core::kind::{Kind, validate};
use rec_core::validate::{Report, Severity, Violation};
use rec_wasm_tests::generated::big_cases;
use rec_wasm_tests::kube_host::KubernetesHost;
use rec_wasm_tests::policy_host::{Instances, PolicyModule, module_path};
use rec_wasm_tests::{OpName, corpus_dir, load};
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

fn policy() -> &'static PolicyModule {
    static MODULE: OnceLock<PolicyModule> = OnceLock::new();
    MODULE.get_or_init(|| {
        let path = module_path().unwrap_or_else(|e| panic!("{e}"));
        let module = PolicyModule::load(&path).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("policy module {}: {} bytes", path.display(), module.bytes.len());
        module
    })
}

/// The `validate` cases of the shared corpus whose request is a well-formed `ValidateRequest` (the others are
/// about the ABI, not about a REC: there is no admission request to make of them).
fn validate_cases() -> Vec<(String, ValidateRequest)> {
    let cases = load(&corpus_dir()).unwrap_or_else(|e| panic!("the corpus loads: {e}"));
    cases
        .into_iter()
        .filter(|case| case.op == OpName::Validate)
        .filter_map(|case| Some((case.name, serde_json::from_slice::<ValidateRequest>(&case.input).ok()?)))
        .collect()
}

/// The admission request Kubernetes would send for this validation (UPDATE when there is an old object).
fn admission_payload(request: &ValidateRequest) -> Value {
    let version = request.object["apiVersion"]
        .as_str()
        .and_then(|v| v.strip_prefix("app.redislabs.com/"))
        .unwrap_or("v1");
    let (kind, resource) = match Kind::of(&request.object) {
        Kind::Cluster => (Kind::Cluster.name(), "redisenterpriseclusters"),
        Kind::Database => (Kind::Database.name(), rec_core::redb::PLURAL),
    };
    let gvk = json!({"group": "app.redislabs.com", "version": version, "kind": kind});
    let gvr = json!({"group": "app.redislabs.com", "version": version, "resource": resource});
    let operation = if request.old_object.is_some() {
        "UPDATE"
    } else {
        "CREATE"
    };
    json!({
        "settings": request.options,
        "request": {
            "uid": "00000000-0000-0000-0000-000000000000",
            "kind": gvk, "requestKind": gvk, "resource": gvr, "requestResource": gvr,
            "name": request.object["metadata"]["name"].as_str().unwrap_or_default(),
            "namespace": request.object["metadata"]["namespace"].as_str().unwrap_or("default"),
            "operation": operation,
            "userInfo": {"username": "corpus", "groups": ["system:authenticated"]},
            "object": request.object,
            "oldObject": request.old_object,
        }
    })
}

/// The cluster a case runs in: its context, or a host that refuses the calls when it has none.
fn cluster(request: &ValidateRequest) -> Arc<KubernetesHost> {
    Arc::new(match &request.context {
        Some(objects) => KubernetesHost::new(objects.clone()),
        None => KubernetesHost::unavailable(),
    })
}

/// The native report on `request` as the policy sees its object: `metadata.namespace`, when missing, is the
/// admission request's (what the API server stores; the policy fills it in the same way).
fn native_report(request: &ValidateRequest, payload: &Value) -> Report {
    let mut object = request.object.clone();
    if Kind::of(&object) == Kind::Database
        && let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut)
        && metadata.get("namespace").is_none_or(Value::is_null)
    {
        metadata.insert("namespace".into(), payload["request"]["namespace"].clone());
    }
    validate(
        &object,
        request.old_object.as_ref(),
        request.context.as_deref(),
        &request.options,
    )
}

fn call_json(op: &str, payload: &Value) -> Value {
    let answer = policy()
        .call(op, payload.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{op}: {e}"));
    serde_json::from_slice(&answer).unwrap_or_else(|e| panic!("{op}: answer is not JSON: {e}"))
}

fn line(v: &Violation) -> String {
    format!(
        "{}: {} [{}]",
        if v.path.is_empty() { "(object)" } else { &v.path },
        v.message,
        v.code
    )
}

/// The native core's plan of an update, as the policy adds it to the warnings: `plan: <summary line>` when the
/// change moves a node or a volume (policy/README.md).
fn plan_lines(request: &ValidateRequest) -> Vec<String> {
    let Some(old) = &request.old_object else {
        return Vec::new();
    };
    let versions = rec_core::defaults::Versions {
        operator_tag: request
            .options
            .operator_tag
            .clone()
            .unwrap_or(rec_core::defaults::OPERATOR_TAG.into()),
        ..Default::default()
    };
    let plan = rec_core::plan::plan(&rec_core::plan::PlanRequest {
        object: request.object.clone(),
        applied: Some(rec_core::api::AppliedState {
            spec: old.get("spec").cloned().unwrap_or(Value::Null),
            ..Default::default()
        }),
        context: rec_core::render::RenderContext {
            versions,
            options: request.options.clone(),
            ..Default::default()
        },
        ..Default::default()
    });
    if !plan.refused.is_empty() || plan.steps.is_empty() {
        return Vec::new();
    }
    plan.summary.iter().map(|l| format!("plan: {l}")).collect()
}

/// What is wrong with the policy's answer, compared with the native report (empty: they agree).
fn disagreement(report: &Report, request: &ValidateRequest, answer: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if answer["accepted"] != report.valid {
        problems.push(format!(
            "accepted {} but the core says valid {}",
            answer["accepted"], report.valid
        ));
        return problems;
    }
    let warnings_as_errors = request.options.warnings_as_errors;
    let (listed, shown): (Vec<&Violation>, Vec<&Violation>) = report
        .violations
        .iter()
        .partition(|v| v.severity == Severity::Error || warnings_as_errors);
    if !report.valid {
        let message = answer["message"].as_str().unwrap_or_default();
        let count = if listed.len() == 1 {
            "(1 error)".to_string()
        } else {
            format!("({} errors)", listed.len())
        };
        if !message.contains(&count) {
            problems.push(format!("message does not count {count}: {message}"));
        }
        for v in &listed {
            if !message.contains(&line(v)) {
                problems.push(format!("message misses `{}`: {message}", line(v)));
            }
        }
        if !matches!(answer["code"].as_u64(), Some(400 | 422)) {
            problems.push(format!("code {} is neither 400 nor 422", answer["code"]));
        }
    }
    let warnings: Vec<&str> = answer["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut expected: Vec<String> = shown.iter().map(|v| line(v)).collect();
    if report.valid {
        expected.extend(plan_lines(request));
    }
    if warnings != expected {
        problems.push(format!("warnings {warnings:?}, expected {expected:?}"));
    }
    if !answer["mutated_object"].is_null() {
        problems.push("mutated the object without applyDefaults".into());
    }
    problems
}

#[test]
fn the_policy_decides_every_corpus_case_as_the_native_core_does() {
    let cases = validate_cases();
    assert!(!cases.is_empty(), "no validate case in corpus/");
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut served = 0;
    for (name, request) in &cases {
        let payload = admission_payload(request);
        let report = native_report(request, &payload);
        let host = cluster(request);
        let answer = policy()
            .call_in("validate", payload.to_string().as_bytes(), &host)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let answer: Value = serde_json::from_slice(&answer).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        for problem in disagreement(&report, request, &answer) {
            failures.push(format!("{name}: {problem}"));
        }
        let calls = host.served();
        let database = Kind::of(&request.object) == Kind::Database;
        if !database && !calls.is_empty() {
            failures.push(format!("{name}: a REC request called the host: {:?}", calls[0].request));
        }
        if database && calls.is_empty() {
            failures.push(format!("{name}: a REDB was judged without asking for its context"));
        }
        served += calls.len();
    }
    eprintln!(
        "{} corpus cases through the policy module in {:?} ({served} host calls answered)",
        cases.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The generated 10 MB REC (`rec_wasm_tests::generated`; bigger than Kubernetes ever sends): the policy decides it
/// as the native core does, within the host's time bound, without a trap.
#[test]
fn the_policy_decides_the_10_mb_rec_as_the_native_core_does() {
    let cases = big_cases();
    let big: Vec<_> = cases.iter().filter(|c| c.op == OpName::Validate).collect();
    assert!(!big.is_empty(), "no generated validate case");
    for case in big {
        let request: ValidateRequest = serde_json::from_slice(&case.input).expect("a validate request");
        let report = validate(
            &request.object,
            request.old_object.as_ref(),
            request.context.as_deref(),
            &request.options,
        );
        let payload = admission_payload(&request);
        let started = Instant::now();
        let answer = call_json("validate", &payload);
        eprintln!(
            "{}: {} bytes through the policy in {:?}",
            case.name,
            payload.to_string().len(),
            started.elapsed()
        );
        let problems = disagreement(&report, &request, &answer);
        assert!(problems.is_empty(), "{}: {}", case.name, problems.join("; "));
    }
}

/// The bench's pooled host (`Instances::Pooling`) is the same policy: every corpus case and the generated 10 MB
/// REC get byte-identical answers from a pooled instance and from an on-demand one, and a slot reused after a
/// rejection answers the next request as a fresh one does (nothing of one request leaks into the next).
#[test]
fn a_pooled_instance_answers_as_an_on_demand_one() {
    let path = module_path().unwrap_or_else(|e| panic!("{e}"));
    let pooled = PolicyModule::load_with(&path, Instances::Pooling).unwrap_or_else(|e| panic!("{e}"));
    let big = big_cases();
    let generated = big.iter().filter(|c| c.op == OpName::Validate).map(|c| {
        (
            c.name.clone(),
            serde_json::from_slice(&c.input).expect("a validate request"),
        )
    });
    let mut compared = 0;
    for (name, request) in validate_cases().into_iter().chain(generated) {
        let payload = admission_payload(&request).to_string();
        let (host, pool_host) = (cluster(&request), cluster(&request));
        let on_demand = policy()
            .call_in("validate", payload.as_bytes(), &host)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let from_pool = pooled
            .call_in("validate", payload.as_bytes(), &pool_host)
            .unwrap_or_else(|e| panic!("{name}: pooled: {e}"));
        assert_eq!(
            host.served().len(),
            pool_host.served().len(),
            "{name}: the same request, the same host calls"
        );
        assert!(
            on_demand == from_pool,
            "{name}: the pooled instance answered\n{}\nthe on-demand one\n{}",
            String::from_utf8_lossy(&from_pool),
            String::from_utf8_lossy(&on_demand)
        );
        compared += 1;
    }
    eprintln!("{compared} requests answered alike by pooled and on-demand instances");
}

#[test]
fn delete_is_accepted_untouched() {
    let (_, request) = validate_cases().into_iter().next().expect("a corpus case");
    let mut payload = admission_payload(&request);
    payload["request"]["operation"] = json!("DELETE");
    payload["request"]["oldObject"] = payload["request"]["object"].take();
    payload["settings"] = json!({"applyDefaults": true});
    let answer = call_json("validate", &payload);
    assert_eq!(answer["accepted"], true);
    assert!(
        answer["mutated_object"].is_null() && answer["message"].is_null(),
        "{answer}"
    );
}

#[test]
fn hostile_payloads_are_rejected_with_a_message_not_a_trap() {
    let not_json = policy().call("validate", b"\xff{").expect("an answer, not a trap");
    let answer: Value = serde_json::from_slice(&not_json).unwrap();
    assert_eq!(
        (answer["accepted"].clone(), answer["code"].clone()),
        (json!(false), json!(400)),
        "{answer}"
    );
    for object in [
        json!("rec"),
        json!([1, 2]),
        json!({"apiVersion": "app.redislabs.com/v1"}),
    ] {
        let payload = json!({"settings": {}, "request": {
            "operation": "CREATE",
            "kind": {"group": "app.redislabs.com", "version": "v1", "kind": "RedisEnterpriseCluster"},
            "object": object}});
        let answer = call_json("validate", &payload);
        assert_eq!(answer["accepted"], false, "{object} accepted: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
}

/// 100,000-deep nesting in the admission request itself (the corpus's deep cases are not JSON a validate
/// request can be made of, so the policy never saw them): rejected with a message, no trap, no stack overflow.
#[test]
fn deeply_nested_payloads_are_rejected_with_a_message_not_a_trap() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let payload = format!(
            "{{\"settings\": {{}}, \"request\": {{\"operation\": \"CREATE\", \"object\": {}1{}}}}}",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let answer = policy()
            .call("validate", payload.as_bytes())
            .unwrap_or_else(|e| panic!("{open}: no answer: {e}"));
        let answer: Value = serde_json::from_slice(&answer).expect("the answer is JSON");
        assert_eq!(answer["accepted"], false, "{open}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{open}: {answer}"
        );
    }
}

#[test]
fn apply_defaults_mutates_a_valid_rec_through_the_module() {
    let (_, request) = validate_cases()
        .into_iter()
        .find(|(_, r)| r.old_object.is_none() && validate(&r.object, None, r.context.as_deref(), &r.options).valid)
        .expect("a valid create case");
    let mut payload = admission_payload(&request);
    payload["settings"]["applyDefaults"] = json!(true);
    let answer = call_json("validate", &payload);
    assert_eq!(answer["accepted"], true, "{answer}");
    let rec: rec_core::RecObject = serde_json::from_value(request.object.clone()).unwrap();
    let spec = rec_core::defaults::filled_in(request.object.get("spec"), &rec, &Default::default()).unwrap();
    assert_eq!(answer["mutated_object"]["spec"], spec);
    assert_ne!(
        request.object.get("spec"),
        Some(&spec),
        "the case leaves a default to fill in"
    );
}

#[test]
fn settings_are_validated_by_the_module() {
    let good = call_json(
        "validate_settings",
        &json!({"warningsAsErrors": true, "applyDefaults": false}),
    );
    assert_eq!(good, json!({"valid": true, "message": null}));
    let bad = call_json("validate_settings", &json!({"warningsAsError": true}));
    assert_eq!(bad["valid"], false);
    assert!(bad["message"].as_str().unwrap().contains("warningsAsError"), "{bad}");
}

#[test]
fn protocol_version_is_v1() {
    assert_eq!(call_json("protocol_version", &json!({})), json!("v1"));
}

/// The guest side of waPC (requests, and the host calls of a REDB's context) and WASI: nothing policy-server
/// does not provide.
#[test]
fn the_module_imports_the_wapc_guest_protocol_and_wasi_only() {
    let imports = &policy().imports;
    eprintln!("policy module imports: {imports:?}");
    let protocol = ["wapc::__guest_request", "wapc::__guest_response", "wapc::__guest_error"];
    let host_calls = [
        "wapc::__host_call",
        "wapc::__host_response",
        "wapc::__host_response_len",
        "wapc::__host_error",
        "wapc::__host_error_len",
    ];
    for import in imports {
        let allowed = protocol.contains(&import.as_str())
            || host_calls.contains(&import.as_str())
            || import.starts_with("wasi_snapshot_preview1::");
        assert!(allowed, "unexpected import {import}");
    }
    assert!(
        imports.iter().any(|i| i == "wapc::__host_call"),
        "the policy lists a REDB's context through host calls"
    );
    for needed in protocol {
        assert!(
            imports.iter().any(|i| i == needed),
            "{needed} missing: not a waPC guest"
        );
    }
}
