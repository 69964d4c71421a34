//! Prometheus metrics: reconciles by outcome, failures by reason (the reconcile error's variant name), the
//! reconcile duration, the duration of each call into the wasm core, the nodes left to roll (over every REC) and
//! the rolls that halted. Served on `/metrics` by `health`.
//!
//! Every label value is a fixed string chosen by the code (never a name, a Debug string or a user value), so
//! cardinality stays bounded.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OpLabels {
    op: &'static str,
}

/// How one reconcile ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Valid REC, everything applied, nothing left to do.
    Reconciled,
    /// Applied, and a change is in progress (a roll, volumes, a scale-up): looked at again soon.
    Progressing,
    /// A change halted (a node did not come back in time).
    Halted,
    /// Invalid REC: status and event written, nothing applied.
    Invalid,
    /// A step failed; see the failure reason.
    Failed,
    /// The REC was deleted while it was being reconciled: nothing more to do, nothing written about it.
    Gone,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Reconciled => "reconciled",
            Outcome::Progressing => "progressing",
            Outcome::Halted => "halted",
            Outcome::Invalid => "invalid",
            Outcome::Failed => "failed",
            Outcome::Gone => "gone",
        }
    }
}

/// The operator's metrics and the registry that encodes them.
pub struct Metrics {
    registry: Registry,
    reconciles: Family<OutcomeLabels, Counter>,
    failures: Family<ReasonLabels, Counter>,
    duration: Histogram,
    wasm: Family<OpLabels, Histogram>,
    /// The sum of `rolling` (no REC name as a label: bounded cardinality).
    nodes_to_roll: Gauge,
    rolling: Mutex<HashMap<String, i64>>,
    halted: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("rec_operator");
        let reconciles = Family::<OutcomeLabels, Counter>::default();
        let failures = Family::<ReasonLabels, Counter>::default();
        let duration = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        let wasm = Family::<OpLabels, Histogram>::new_with_constructor(wasm_histogram as fn() -> Histogram);
        registry.register("reconciles", "Reconciles by outcome", reconciles.clone());
        registry.register("reconcile_failures", "Failed reconciles by reason", failures.clone());
        registry.register(
            "reconcile_duration_seconds",
            "Duration of one reconcile",
            duration.clone(),
        );
        registry.register(
            "wasm_call_duration_seconds",
            "Duration of one call into the wasm core",
            wasm.clone(),
        );
        let nodes_to_roll = Gauge::default();
        let halted = Counter::default();
        registry.register(
            "roll_nodes_remaining",
            "Nodes a rolling change still restarts or waits for, over every REC",
            nodes_to_roll.clone(),
        );
        registry.register("rolls_halted", "Rolling changes that halted on a node", halted.clone());
        Metrics {
            registry,
            reconciles,
            failures,
            duration,
            wasm,
            nodes_to_roll,
            rolling: Mutex::default(),
            halted,
        }
    }
}

fn wasm_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

impl Metrics {
    /// Counts one finished reconcile; `reason` is set for failures.
    pub fn reconciled(&self, outcome: Outcome, reason: Option<&'static str>, took: Duration) {
        self.reconciles
            .get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            })
            .inc();
        if let Some(reason) = reason {
            self.failures.get_or_create(&ReasonLabels { reason }).inc();
        }
        self.duration.observe(took.as_secs_f64());
    }

    /// Records one call into the wasm core.
    pub fn wasm_call(&self, op: &'static str, took: Duration) {
        self.wasm.get_or_create(&OpLabels { op }).observe(took.as_secs_f64());
    }

    /// Records how many nodes REC `key` still rolls; the gauge is the sum over every REC.
    pub fn roll(&self, key: &str, nodes: i64) {
        let mut rolling = self.rolling.lock().unwrap_or_else(|e| e.into_inner());
        if nodes > 0 {
            rolling.insert(key.to_string(), nodes);
        } else {
            rolling.remove(key);
        }
        self.nodes_to_roll.set(rolling.values().sum());
    }

    /// Counts a roll that halted.
    pub fn halted(&self) {
        self.halted.inc();
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_outcomes_failures_and_wasm_calls() {
        let m = Metrics::default();
        m.reconciled(Outcome::Reconciled, None, Duration::from_millis(3));
        m.reconciled(Outcome::Failed, Some("ApplyFailed"), Duration::from_millis(3));
        m.wasm_call("validate", Duration::from_micros(300));
        m.roll("a/rec", 3);
        m.roll("b/rec", 2);
        m.roll("a/rec", 1);
        m.halted();
        let text = m.encode().expect("encodes");
        assert!(
            text.contains("rec_operator_reconciles_total{outcome=\"reconciled\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("rec_operator_reconciles_total{outcome=\"failed\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("rec_operator_reconcile_failures_total{reason=\"ApplyFailed\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("rec_operator_reconcile_duration_seconds_count 2"),
            "{text}"
        );
        assert!(
            text.contains("rec_operator_wasm_call_duration_seconds_count{op=\"validate\"} 1"),
            "{text}"
        );
        assert!(text.contains("rec_operator_roll_nodes_remaining 3"), "{text}");
        assert!(text.contains("rec_operator_rolls_halted_total 1"), "{text}");
    }
}
