//! Part of section 5: the peak guest (linear) memory of the largest legitimate calls, to size the operator's
//! per-call memory cap (`rec-operator run --core-memory-mib`, SECURITY.md): cap x concurrency + the host's own
//! memory must fit the Deployment's memory limit.
//!
//! Measured as the smallest cap under which the call still answers (a binary search over 64 KiB wasm pages
//! with `Engine::with_limits`, each probe a fresh instance): that is exactly the figure the cap is compared
//! against, initial memory (data, stack) included. Every answer at the found cap is checked against the native
//! core's.

use crate::fixtures::Fixture;
use crate::table::Table;
use rec_engine::{Engine, EngineError, Limits, Op};
use serde_json::{Value, json};

const SECTION: &str = "5 operator";
const PAGE: usize = 64 << 10;
/// The API server's (etcd's) largest object: the biggest REC the operator can ever be handed.
const LARGEST_OBJECT: usize = 3 << 19;

pub fn run(table: &mut Table, fixture: &Fixture) {
    let engine = match Engine::embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "peak guest memory", e),
    };
    let largest = padded(&fixture.object, LARGEST_OBJECT);
    let yaml = yaml_text(&padded(&fixture.object, rec_core::yaml::MAX_INPUT_BYTES - 64 * 1024));
    let cases: Vec<(String, Op, Vec<u8>, &str)> = vec![
        (
            format!("render {}", fixture.name),
            Op::Render,
            fixture.request(Op::Render),
            "the largest real render (operator)",
        ),
        (
            "validate a 1.5 MiB REC on update".into(),
            Op::Validate,
            json!({ "object": largest, "oldObject": largest })
                .to_string()
                .into_bytes(),
            "the API server's largest object, old and new (operator)",
        ),
        (
            "render a 1.5 MiB REC".into(),
            Op::Render,
            json!({ "object": largest }).to_string().into_bytes(),
            "the API server's largest object (operator)",
        ),
        (
            "preview a 3 MiB YAML text".into(),
            Op::Preview,
            match &yaml {
                Ok(text) => json!({ "text": text }).to_string().into_bytes(),
                Err(_) => Vec::new(),
            },
            "the core's YAML input limit (CLI and browser, not the operator)",
        ),
    ];
    for (what, op, request, note) in cases {
        let what = format!("peak guest memory: {what}");
        if request.is_empty() {
            table.skipped(SECTION, what, "no YAML text for the preview");
            continue;
        }
        match peak(&engine, op, &request) {
            Ok(bytes) => table.value(
                SECTION,
                what,
                format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64),
                format!("request {:.1} MiB", request.len() as f64 / (1 << 20) as f64),
                format!("smallest memory cap that answers; {note}"),
            ),
            Err(e) => table.skipped(SECTION, what, e),
        }
    }
}

/// The smallest cap (whole pages) under which `op` answers `request` as the native core does.
fn peak(engine: &Engine, op: Op, request: &[u8]) -> Result<usize, String> {
    let expected = rec_core::abi::call(op as u32, request);
    let answers = |pages: usize| -> Result<bool, String> {
        let limits = Limits {
            memory_bytes: pages * PAGE,
            ..engine.limits()
        };
        match engine.with_limits(limits).call(op, request) {
            Ok(answer) if answer == expected => Ok(true),
            Ok(_) => Err("the module's answer differs from the native one".into()),
            Err(EngineError::OutOfMemory) => Ok(false),
            Err(e) => Err(e.to_string()),
        }
    };
    let (mut low, mut high) = (0, engine.limits().memory_bytes / PAGE);
    if !answers(high)? {
        return Err(format!(
            "needs more than the engine's cap of {} MiB",
            (high * PAGE) >> 20
        ));
    }
    while high - low > 1 {
        let mid = (low + high) / 2;
        if answers(mid)? {
            high = mid;
        } else {
            low = mid;
        }
    }
    Ok(high * PAGE)
}

/// `object` with an annotation padding its JSON to about `size` bytes.
fn padded(object: &Value, size: usize) -> Value {
    let mut object = object.clone();
    let pad = size.saturating_sub(object.to_string().len() + 64);
    object["metadata"]["annotations"]["bench.example.com/padding"] = json!("x".repeat(pad));
    object
}

/// `object` as YAML, written by the native core.
fn yaml_text(object: &Value) -> Result<String, String> {
    let request = json!({ "documents": [object] }).to_string();
    let answer: Value = serde_json::from_slice(&rec_core::abi::call(Op::ToYaml as u32, request.as_bytes()))
        .map_err(|e| e.to_string())?;
    answer["ok"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no YAML: {answer}"))
}
