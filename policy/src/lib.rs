//! rec-policy: the Kubewarden admission policy for RedisEnterpriseClusters (waPC, `wasm32-wasip1`).
//!
//! It runs the core's validation on `CREATE` and `UPDATE` of `redisenterpriseclusters.app.redislabs.com`
//! (`v1`, `v1alpha1`) and answers accept, accept with warnings, accept with defaults (only with the
//! `applyDefaults` setting) or reject with one message listing every error with its field path. It exports the
//! three waPC functions Kubewarden calls (`validate`, `validate_settings`, `protocol_version`). A REC is judged on
//! the request alone; a REDB also against its context, the cluster's RECs and REDBs, which it lists through
//! Kubewarden's Kubernetes host capability (`context`).

pub mod admission;
pub mod context;
pub mod settings;

use admission::Decision;
use kubewarden_policy_sdk::request::ValidationRequest;
use kubewarden_policy_sdk::response::ValidationResponse;
use kubewarden_policy_sdk::wapc_guest as guest;
use settings::Settings;

/// Registers the waPC functions; the host calls it once per instance.
#[unsafe(no_mangle)]
pub extern "C" fn wapc_init() {
    guest::register_function("validate", validate);
    guest::register_function("validate_settings", validate_settings);
    guest::register_function("protocol_version", kubewarden_policy_sdk::protocol_version_guest);
}

/// `validate`: the admission decision for one `{settings, request}` payload. A payload that is not valid JSON or
/// whose settings are wrong is rejected with a message saying so (code 400), never a waPC error or a trap.
pub fn validate(payload: &[u8]) -> guest::CallResult {
    let decision = match ValidationRequest::<Settings>::new(payload) {
        Ok(request) => admission::decide(&request.request, &request.settings, &context::Host),
        Err(e) => Decision::Reject {
            message: bad_payload(payload, &e),
            code: admission::CODE_BAD_REQUEST,
            warnings: vec![],
        },
    };
    Ok(serde_json::to_vec(&response(decision))?)
}

/// `validate_settings`: `{"valid": true}` or `{"valid": false, "message": "..."}`.
pub fn validate_settings(payload: &[u8]) -> guest::CallResult {
    Ok(serde_json::to_vec(&settings::check(payload))?)
}

/// Names the part of a payload that did not parse: the settings (checked alone for a precise message) or the
/// request. The SDK's own error repeats the whole payload, which can be megabytes, so it is not used.
fn bad_payload(payload: &[u8], error: &kubewarden_policy_sdk::Error) -> String {
    let settings = serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v.get("settings").map(|s| serde_json::to_vec(s).unwrap_or_default()));
    if let Some(Err(message)) = settings.map(|s| Settings::parse(&s)) {
        return message;
    }
    let reason = match error {
        kubewarden_policy_sdk::Error::Deserialization { source, .. } => source.to_string(),
        other => other.to_string(),
    };
    format!("the admission payload is not a valid Kubewarden validation request: {reason}")
}

fn response(decision: Decision) -> ValidationResponse {
    let some = |w: Vec<String>| if w.is_empty() { None } else { Some(w) };
    let (accepted, message, code, mutated_object, warnings) = match decision {
        Decision::Accept { warnings } => (true, None, None, None, warnings),
        Decision::Mutate { object, warnings } => (true, None, None, Some(object), warnings),
        Decision::Reject {
            message,
            code,
            warnings,
        } => (false, Some(message), Some(code), None, warnings),
    };
    ValidationResponse {
        accepted,
        message,
        code,
        mutated_object,
        audit_annotations: None,
        warnings: some(warnings),
    }
}
