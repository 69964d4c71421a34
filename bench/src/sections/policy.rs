//! Section 2: the Kubewarden policy through a waPC host (wapc + wasmtime-provider), a fresh instance per request
//! as policy-server does (`rec_wasm_tests::policy_host`): p50 / p99 per request and requests per second on one
//! core, on each fixture as a CREATE admission request. Then the same with each request's fresh instance taken
//! from wasmtime's pooling allocator (`Instances::Pooling`): what a host saves on the kernel's side of an
//! on-demand instance (mapping, page faults, unmapping). And a REDB with 1,000 REDBs in its context, served by the
//! host (`policy_context`).
//!
//! The module is `$REC_POLICY_WASM`, else built by `policy_host::build` (cached in `target/policy-module`).

use crate::fixtures::Fixture;
use crate::table::Table;
use crate::timing::{Plan, human, measure};
use rec_wasm_tests::policy_host::{Instances, PolicyModule, module_path};
use serde_json::{Value, json};
use std::path::PathBuf;

const SECTION: &str = "2 policy";

/// Runs the section; the policy module's path when there is one (for the sizes section).
pub fn run(table: &mut Table, plan: Plan, fixtures: &[Fixture]) -> Option<PathBuf> {
    let path = match module_path() {
        Ok(p) if p.exists() => p,
        Ok(p) => {
            table.skipped(SECTION, "policy", format!("{} does not exist", p.display()));
            return None;
        }
        Err(e) => {
            table.skipped(SECTION, "policy", e);
            return None;
        }
    };
    for (instances, how) in [
        (Instances::OnDemand, "fresh waPC instance per request"),
        (Instances::Pooling, "fresh pooled waPC instance per request"),
    ] {
        match PolicyModule::load_with(&path, instances) {
            Ok(policy) => measure_policy(table, plan, fixtures, &policy, how),
            Err(e) => table.skipped(SECTION, how, e),
        }
        super::policy_context::run(table, plan, &path, instances, how);
    }
    super::policy_context::baselines(table, plan);
    Some(path)
}

/// Times `validate` of each fixture, one request after another, each in a fresh instance of `policy`.
fn measure_policy(table: &mut Table, plan: Plan, fixtures: &[Fixture], policy: &PolicyModule, how: &str) {
    for fixture in fixtures {
        let payload = admission(&fixture.object).to_string().into_bytes();
        let what = format!("validate {} — {how}", fixture.name);
        let result = measure(plan, || {
            let answer = policy.call("validate", &payload).map_err(|e| e.to_string())?;
            let answer: Value = serde_json::from_slice(&answer).map_err(|e| e.to_string())?;
            match answer.get("accepted") {
                Some(Value::Bool(true)) => Ok(()),
                _ => Err(format!("the policy did not accept the {}: {answer}", fixture.name)),
            }
        });
        match result {
            Ok(s) => {
                table.time(
                    SECTION,
                    what,
                    &s,
                    format!("p99 {}; target p50 < 100 us, p99 < 500 us", human(s.p99)),
                );
                table.value(
                    SECTION,
                    format!("requests/s {} on one core, {how}", fixture.name),
                    format!("{:.0}/s", s.per_second()),
                    format!("1 / p50 = {:.0}/s", 1.0 / s.median.as_secs_f64().max(f64::MIN_POSITIVE)),
                    "sequential requests on one thread",
                );
            }
            Err(e) => table.skipped(SECTION, what, e),
        }
    }
}

/// The admission review Kubernetes sends for creating `object` (as wasm-tests/tests/policy.rs builds it).
pub fn admission(object: &Value) -> Value {
    let gvk = json!({"group": "app.redislabs.com", "version": "v1", "kind": "RedisEnterpriseCluster"});
    let gvr = json!({"group": "app.redislabs.com", "version": "v1", "resource": "redisenterpriseclusters"});
    json!({
        "settings": {},
        "request": {
            "uid": "00000000-0000-0000-0000-000000000000",
            "kind": gvk, "requestKind": gvk, "resource": gvr, "requestResource": gvr,
            "name": object["metadata"]["name"],
            // The API server always names the namespace of a namespaced object; the example has none of its own.
            "namespace": object["metadata"]["namespace"].as_str().unwrap_or("default"),
            "operation": "CREATE",
            "userInfo": {"username": "rec-bench", "groups": ["system:authenticated"]},
            "object": object,
        }
    })
}
