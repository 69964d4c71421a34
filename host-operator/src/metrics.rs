//! Prometheus metrics: reconciles by outcome, failures by reason (the reconcile error's variant name), the
//! reconcile duration and the duration of each call into the wasm core. Served on `/metrics` by `health`.
//!
//! Every label value is a fixed string chosen by the code (never a name, a Debug string or a user value), so
//! cardinality stays bounded.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
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
    /// Valid REC, everything applied.
    Reconciled,
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
        Metrics {
            registry,
            reconciles,
            failures,
            duration,
            wasm,
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
    }
}
