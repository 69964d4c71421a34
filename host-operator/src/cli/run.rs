//! `run`: the controller's flags, and the tokio runtime it runs on (the offline commands need none).

use super::exit;
use crate::controller::{self, Config};
use crate::leader::LeaseConfig;
use clap::Args;
use rec_engine::{Engine, Limits};
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
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: u16,
    /// Linear memory one call of the core module may use, in MiB (at most the engine's 256). The pod's memory
    /// limit must hold this times --concurrency plus the process itself (see SECURITY.md).
    #[arg(long, env = "REC_CORE_MEMORY_MIB", default_value_t = DEFAULT_CORE_MEMORY_MIB)]
    pub core_memory_mib: u32,
    /// Seconds each reconcile step may wait for the API server before the step fails (and is retried).
    #[arg(long, default_value_t = 30)]
    pub api_timeout_seconds: u64,
}

/// Default `--concurrency`.
pub const DEFAULT_CONCURRENCY: u16 = 4;

/// Default `--core-memory-mib`. The largest call the operator can be handed, validate on update of a REC at the
/// API server's 1.5 MiB object limit, peaks at 10.4 MiB of guest memory (`rec-bench`, section 5), the
/// largest real render at 1.6 MiB: 32 MiB leaves three times the room, and 4 calls at once take at most
/// 128 MiB, which with the process's own memory fits the Deployment's 256Mi limit.
pub const DEFAULT_CORE_MEMORY_MIB: u32 = 32;

impl RunArgs {
    /// The engine limits for reconciles: `limits` with the memory cap of `--core-memory-mib`, never above
    /// `limits`' own cap (the engine's pool is sized for it).
    pub fn core_limits(&self, limits: Limits) -> Limits {
        let asked = usize::try_from(self.core_memory_mib.max(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(1 << 20);
        Limits {
            memory_bytes: asked.min(limits.memory_bytes),
            ..limits
        }
    }

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
    let engine = engine.with_limits(args.core_limits(engine.limits()));
    match runtime.block_on(controller::run(args.config(), engine)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the controller stopped");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn args(extra: &[&str]) -> RunArgs {
        Cli::parse_from(std::iter::once("run").chain(extra.iter().copied())).run
    }

    #[test]
    fn the_core_memory_cap_is_in_mib_and_never_above_the_engines() {
        let engine = Limits::default();
        let limits = args(&[]).core_limits(engine);
        assert_eq!(limits.memory_bytes, (DEFAULT_CORE_MEMORY_MIB as usize) << 20);
        assert_eq!(limits.timeout, engine.timeout);
        assert_eq!(
            args(&["--core-memory-mib", "48"]).core_limits(engine).memory_bytes,
            48 << 20
        );
        assert_eq!(
            args(&["--core-memory-mib", "100000"]).core_limits(engine).memory_bytes,
            engine.memory_bytes
        );
        assert_eq!(
            args(&["--core-memory-mib", "0"]).core_limits(engine).memory_bytes,
            1 << 20
        );
        assert_eq!(args(&[]).concurrency, DEFAULT_CONCURRENCY);
    }
}
