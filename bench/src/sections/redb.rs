//! Section 7: a REDB's validation with its context (issue 22), native core vs the core module in wasmtime (one
//! reused instance with the epoch deadline, and `rec-engine`'s fresh instance per call), taken interleaved as
//! section 1 takes the REC's.
//!
//! Cases: `examples/redb.yaml` with its REC (`examples/rec.yaml`) as context, what the policy or the CLI asks
//! for one REDB; the same with 1,000 more REDBs of that REC in the context, which is what a context costs when a
//! cluster is full (the context rules read every REDB of the context, by field); and `validateDocuments` of the
//! REC and those 1,001 REDBs, what `rec-operator validate` asks for a file of them (each REDB against all the
//! others: quadratic, so it takes a hundredth of the samples).

use super::core::same;
use crate::reused::{Bound, Reused};
use crate::table::{Table, ratio, ratio_spread};
use crate::timing::{Plan, interleaved, samples};
use rec_core::abi::Op;
use rec_engine::{EMBEDDED_MODULE, Engine};
use serde_json::{Value, json};
use std::path::Path;

const SECTION: &str = "7 redb";

/// Turns per figure (see `timing::interleaved`).
const ROUNDS: usize = 10;

/// REDBs added to the context of the large cases.
const PEERS: usize = 1_000;

/// One request measured.
struct Case {
    name: &'static str,
    op: Op,
    request: Vec<u8>,
    about: String,
    /// Divides the plan's samples (the quadratic case).
    fewer: usize,
}

pub fn run(table: &mut Table, plan: Plan, workspace: &Path) {
    let cases = match cases(workspace) {
        Ok(cases) => cases,
        Err(e) => return table.skipped(SECTION, "fixtures", e),
    };
    let engine = match Engine::embedded() {
        Ok(e) => e,
        Err(e) => return table.skipped(SECTION, "engine", e),
    };
    let mut reused = match Reused::new(EMBEDDED_MODULE, Bound::Epoch) {
        Ok(r) => r,
        Err(e) => return table.skipped(SECTION, "reused instance", e),
    };
    for case in cases {
        let plan = if case.fewer > 1 { plan.fewer(case.fewer) } else { plan };
        let (op, request) = (case.op as u32, &case.request);
        let expected = rec_core::abi::call(op, request);
        let name = |how: &str| format!("{} — {how}", case.name);
        let verdict = match verdict(&expected) {
            Ok(verdict) => verdict,
            Err(e) => {
                table.skipped(SECTION, name("all"), e);
                continue;
            }
        };
        let mut native = |warmup, n| {
            samples(warmup, n, || {
                std::hint::black_box(rec_core::abi::call(op, std::hint::black_box(request)));
                Ok(())
            })
        };
        let mut kept = |warmup, n| samples(warmup, n, || same(&expected, reused.call(op, request)));
        let mut fresh = |warmup, n| samples(warmup, n, || same(&expected, engine.call(case.op, request)));
        // A figure that fails (the module over rec-engine's time limit) is a row saying so; the others stand.
        let [native, kept, fresh] = interleaved(plan, ROUNDS, [&mut native, &mut kept, &mut fresh]);
        let size = format!("request {} B, answer {} B: {verdict}", request.len(), expected.len());
        let rows = [
            ("native", &native, format!("{}; {size}", case.about)),
            (
                "wasm, reused instance",
                &kept,
                "epoch deadline, as rec-engine runs".into(),
            ),
            (
                "wasm, fresh instance (rec-engine)",
                &fresh,
                "Engine::call, pooling allocator (the default)".into(),
            ),
        ];
        for (how, stats, note) in rows {
            match stats {
                Ok(stats) => table.time(SECTION, name(how), stats, note),
                Err(e) => table.skipped(SECTION, name(how), e),
            }
        }
        let (Ok(native), Ok(kept), Ok(fresh)) = (native, kept, fresh) else {
            continue;
        };
        table.value(
            SECTION,
            name("ratio wasm reused / native"),
            ratio(&kept, &native),
            ratio_spread(&kept, &native),
            "",
        );
        table.value(
            SECTION,
            name("ratio fresh / native"),
            ratio(&fresh, &native),
            ratio_spread(&fresh, &native),
            "",
        );
    }
}

/// The three requests, from the examples.
fn cases(workspace: &Path) -> Result<Vec<Case>, String> {
    let rec = example(workspace, "rec.yaml")?;
    let redb = example(workspace, "redb.yaml")?;
    let peers: Vec<Value> = (0..PEERS).map(peer).collect();
    let mut with_peers = vec![rec.clone()];
    with_peers.extend(peers.iter().cloned());
    let mut documents = vec![rec.clone(), redb.clone()];
    documents.extend(peers);
    let bytes = |request: Value| request.to_string().into_bytes();
    Ok(vec![
        Case {
            name: "validate redb, its REC as context",
            op: Op::Validate,
            request: bytes(json!({ "object": redb, "context": [rec] })),
            about: "examples/redb.yaml, context examples/rec.yaml".into(),
            fewer: 1,
        },
        Case {
            name: "validate redb, its REC and 1,000 REDBs as context",
            op: Op::Validate,
            request: bytes(json!({ "object": redb, "context": with_peers })),
            about: format!("the same, {PEERS} more REDBs of the REC in the context"),
            fewer: 1,
        },
        Case {
            name: "validateDocuments REC + 1,001 REDBs",
            op: Op::ValidateDocuments,
            request: bytes(json!({ "documents": documents })),
            about: format!(
                "the REC, examples/redb.yaml and the {PEERS} REDBs as one input (a CLI file): 1,002 reports"
            ),
            fewer: 100,
        },
    ])
}

/// An example, read by the core's YAML reader.
fn example(workspace: &Path, name: &str) -> Result<Value, String> {
    let path = workspace.join("examples").join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parsed = rec_core::yaml::parse(&text);
    match (parsed.value, parsed.error) {
        (Some(value), None) => Ok(value),
        (_, error) => Err(format!("{}: not readable: {error:?}", path.display())),
    }
}

/// The `i`th other REDB of the example REC: its own name and port (13000 up: no port Redis Enterprise reserves).
fn peer(i: usize) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1alpha1",
        "kind": "RedisEnterpriseDatabase",
        "metadata": { "name": format!("db-{i:04}"), "namespace": "redis" },
        "spec": {
            "redisEnterpriseCluster": { "name": "rec" },
            "memorySize": "100MB",
            "replication": true,
            "persistence": "aofEverySecond",
            "databasePort": 13000 + i,
        }
    })
}

/// What the native answer says (valid or not, the codes), so the table shows what was timed; an error answer is
/// not timed.
fn verdict(answer: &[u8]) -> Result<String, String> {
    let answer: Value = serde_json::from_slice(answer).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let reports: Vec<&Value> = match answer.get("ok") {
        Some(Value::Array(reports)) => reports.iter().collect(),
        Some(report) => vec![report],
        None => return Err(format!("the core answered an error: {answer}")),
    };
    let valid = reports.iter().filter(|r| r["valid"] == json!(true)).count();
    let mut codes: Vec<&str> = reports
        .iter()
        .flat_map(|r| r["violations"].as_array().into_iter().flatten())
        .filter_map(|v| v["code"].as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(format!(
        "{valid} of {} valid, codes [{}]",
        reports.len(),
        codes.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cases_are_answered_and_the_example_with_its_rec_is_clean() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cases = cases(&workspace).unwrap();
        assert_eq!(cases.len(), 3);
        let first = verdict(&rec_core::abi::call(cases[0].op as u32, &cases[0].request)).unwrap();
        assert_eq!(first, "1 of 1 valid, codes []");
        let large = verdict(&rec_core::abi::call(cases[1].op as u32, &cases[1].request)).unwrap();
        assert!(large.starts_with("1 of 1 valid"), "{large}");
        assert!(
            !large.contains("redb-port-taken") && !large.contains("redb-no-context"),
            "{large}"
        );
    }
}
