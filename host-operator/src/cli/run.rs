//! `run`: the controller's flags, and the tokio runtime it runs on (the offline commands need none).

use super::exit;
use crate::controller::{self, Config};
use crate::leader::LeaseConfig;
use clap::Args;
use rec_engine::Engine;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Watch RECs in this namespace only (default: all namespaces).
    #[arg(long, env = "WATCH_NAMESPACE")]
    pub namespace: Option<String>,
    /// Address of /healthz, /readyz and /metrics.
    #[arg(long, env = "REC_LISTEN", default_value = "0.0.0.0:8080")]
    pub listen: SocketAddr,
    /// Elect a leader on a Lease so several replicas can run.
    #[arg(long, env = "REC_LEADER_ELECT")]
    pub leader_elect: bool,
    /// Namespace of the Lease (default: the pod's namespace from POD_NAMESPACE).
    #[arg(long, env = "POD_NAMESPACE", default_value = "rec-operator")]
    pub lease_namespace: String,
    /// Name of the Lease.
    #[arg(long, default_value = "rec-operator-leader")]
    pub lease_name: String,
    /// This replica's identity in the Lease (default: the pod name from POD_NAME).
    #[arg(long, env = "POD_NAME")]
    pub identity: Option<String>,
    /// Reconciles running at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: u16,
    /// Seconds each reconcile step may wait for the API server before the step fails (and is retried).
    #[arg(long, default_value_t = 30)]
    pub api_timeout_seconds: u64,
}

impl RunArgs {
    /// The controller configuration these flags describe.
    pub fn config(&self) -> Config {
        let identity = self
            .identity
            .clone()
            .unwrap_or_else(|| format!("rec-operator-{}", std::process::id()));
        Config {
            namespace: self.namespace.clone().filter(|ns| !ns.is_empty()),
            listen: self.listen,
            lease: self.leader_elect.then(|| {
                (
                    self.lease_namespace.clone(),
                    LeaseConfig::new(self.lease_name.clone(), identity),
                )
            }),
            concurrency: self.concurrency.max(1),
            api_timeout: std::time::Duration::from_secs(self.api_timeout_seconds.max(1)),
        }
    }
}

/// Runs the controller until shutdown; 0 after a graceful shutdown, 2 when it could not run.
pub fn execute(args: RunArgs, engine: Engine) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: no async runtime: {e}");
            return ExitCode::from(exit::UNREADABLE);
        }
    };
    match runtime.block_on(controller::run(args.config(), engine)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the controller stopped");
            ExitCode::FAILURE
        }
    }
}
