//! Arbitrary JSON as a REC's `spec` (and sometimes as the old object of an update) through validation, by the
//! object's kind (a corpus REDB request, with its context, is validated as a REDB).
//!
//! Input: a first byte picks the mode. Even: the rest is JSON text, read as a whole validate request
//! (`{"object", "oldObject", "context", "options"}`: the seeds are the corpus's requests) or else as a spec. Odd: the rest
//! feeds a structure-aware generator (`rec_fuzz::json`, REC field names, bounded depth) for the spec, the old
//! object's spec and the options. Invariant: the report is self-consistent (`rec_fuzz::check_report`), sorted,
//! and the same input validates to the same report twice.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use rec_core::abi::ValidateRequest;
use rec_core::kind::validate;
use rec_core::validate::Options;
use serde_json::{Value, json};

fn rec(spec: Value) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns"}, "spec": spec
    })
}

fn from_text(text: &[u8]) -> Option<ValidateRequest> {
    if let Ok(request) = serde_json::from_slice::<ValidateRequest>(text) {
        return Some(request);
    }
    let spec: Value = serde_json::from_slice(text).ok()?;
    Some(ValidateRequest {
        object: rec(spec),
        ..Default::default()
    })
}

fn generated(u: &mut Unstructured) -> arbitrary::Result<ValidateRequest> {
    let object = rec(rec_fuzz::json::object(u, 1)?);
    let old_object = if u.ratio(1, 4)? {
        Some(rec(rec_fuzz::json::object(u, 1)?))
    } else {
        None
    };
    let options = Options {
        warnings_as_errors: u.ratio(1, 4)?,
        min_node_memory: if u.ratio(1, 8)? {
            Some(rec_fuzz::json::string(u)?)
        } else {
            None
        },
        ..Default::default()
    };
    Ok(ValidateRequest {
        object,
        old_object,
        context: None,
        options,
    })
}

fuzz_target!(init: rec_fuzz::json::warm_up(), |data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else { return };
    let request = if mode % 2 == 0 {
        from_text(rest)
    } else {
        generated(&mut Unstructured::new(rest)).ok()
    };
    let Some(request) = request else { return };
    let context = request.context.as_deref();
    let report = validate(&request.object, request.old_object.as_ref(), context, &request.options);
    rec_fuzz::check_report(&report, request.options.warnings_as_errors);
    rec_fuzz::check_sorted(&report);
    let again = validate(&request.object, request.old_object.as_ref(), context, &request.options);
    assert_eq!(report, again, "validation is not deterministic");
});
