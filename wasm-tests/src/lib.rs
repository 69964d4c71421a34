//! The agreement harness: one corpus of cases, fed as the same request bytes to every entry point of the core,
//! whose answers must be byte-identical and meet each case's expectation.
//!
//! An entry point is anything that turns `(op, request bytes)` into answer bytes ([`EntryPoint`]): the native
//! core ([`Native`]), the core module in `rec-engine` ([`Wasmtime`]); the policy and the browser build plug in
//! their own. Native is the reference; the expectation is checked on its answer. An entry point that leaves an
//! operation out ([`EntryPoint::ops`]: the core module has no `Crd`) must answer its cases `Unsupported`.
//!
//! Does not: decide anything itself; rule semantics live in the core.

pub mod corpus;
pub mod expect;
pub mod generated;
pub mod kube_host;
pub mod oracle;
pub mod policy_host;

pub use corpus::{Case, CorpusError, Expect, OpName, Outcome, corpus_dir, load};

/// Something that answers the core's ABI.
pub trait EntryPoint {
    /// A short name for failure messages (`native`, `wasmtime`, `policy`...).
    fn name(&self) -> &str;
    /// The answer bytes for `input` under `op`, or why there is none.
    fn answer(&self, op: rec_core::abi::Op, input: &[u8]) -> Result<Vec<u8>, String>;
    /// The operations it answers (`rec_core::abi::op_set`); for the others its answer must be `Unsupported`.
    fn ops(&self) -> u32 {
        rec_core::abi::ALL_OPS
    }
}

/// The core linked natively: `rec_core::abi::call`.
pub struct Native;

impl EntryPoint for Native {
    fn name(&self) -> &str {
        "native"
    }

    fn answer(&self, op: rec_core::abi::Op, input: &[u8]) -> Result<Vec<u8>, String> {
        Ok(rec_core::abi::call(op as u32, input))
    }
}

/// The core module in wasmtime, through `rec-engine`.
pub struct Wasmtime(pub rec_engine::Engine);

impl EntryPoint for Wasmtime {
    fn name(&self) -> &str {
        "wasmtime"
    }

    fn answer(&self, op: rec_core::abi::Op, input: &[u8]) -> Result<Vec<u8>, String> {
        self.0.call(op, input).map_err(|e| format!("{} ({})", e, e.reason()))
    }

    fn ops(&self) -> u32 {
        rec_engine::MODULE_OPS
    }
}

/// Runs one case through every entry point: `Ok(native answer)` when all answers are byte-identical and the
/// expectation holds; otherwise every problem found.
pub fn run_case(case: &Case, others: &[&dyn EntryPoint]) -> Result<Vec<u8>, Vec<String>> {
    let reference = match Native.answer(case.op.op(), &case.input) {
        Ok(answer) => answer,
        Err(e) => return Err(vec![format!("native: {e}")]),
    };
    let mut problems = Vec::new();
    if let Err(e) = expect::check(case, &reference) {
        problems.push(format!("expectation: {e}"));
    }
    for entry in others {
        let left_out = !rec_core::abi::answers(entry.ops(), case.op.op());
        match entry.answer(case.op.op(), &case.input) {
            Ok(answer) if left_out => {
                if let Err(e) = unsupported(&answer) {
                    problems.push(format!("{}: left out, but {e}", entry.name()));
                }
            }
            Ok(answer) if answer == reference => {}
            Ok(answer) => problems.push(format!("{}: {}", entry.name(), difference(&reference, &answer))),
            Err(e) => problems.push(format!("{}: no answer: {e}", entry.name())),
        }
    }
    if problems.is_empty() {
        Ok(reference)
    } else {
        Err(problems)
    }
}

/// Checks that an entry point answered an operation it leaves out with `Unsupported`.
fn unsupported(answer: &[u8]) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_slice(answer).map_err(|e| format!("the answer is not JSON: {e}"))?;
    match value.pointer("/error/kind").and_then(serde_json::Value::as_str) {
        Some("Unsupported") => Ok(()),
        _ => Err(format!("it answered {value}")),
    }
}

/// Where two answers first differ, with a little context.
pub fn difference(reference: &[u8], other: &[u8]) -> String {
    let at = reference
        .iter()
        .zip(other)
        .position(|(a, b)| a != b)
        .unwrap_or(reference.len().min(other.len()));
    let around =
        |bytes: &[u8]| String::from_utf8_lossy(&bytes[at.saturating_sub(40)..(at + 40).min(bytes.len())]).into_owned();
    format!(
        "answers differ at byte {at} (lengths {} vs {}): native ...{}... vs ...{}...",
        reference.len(),
        other.len(),
        around(reference),
        around(other)
    )
}
