//! `run`: the controller's flags, and the tokio runtime it runs on (the offline commands need none).

use super::exit;
use crate::controller::{self, Config};
use crate::leader::LeaseConfig;
use crate::reconcile::Settings;
use clap::Args;
use rec_core::defaults::Versions;
use rec_core::validate::Options;
use rec_engine::{Engine, Limits};
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Watch RECs in this namespace (repeat it, or give a comma-separated list in WATCH_NAMESPACE, for
    /// several); none: all namespaces.
    #[arg(long = "namespace", env = "WATCH_NAMESPACE", value_delimiter = ',')]
    pub namespaces: Vec<String>,
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
    /// Validation option: report every warning as an error (as the policy's `warningsAsErrors`).
    #[arg(long, env = "REC_WARNINGS_AS_ERRORS")]
    pub warnings_as_errors: bool,
    /// Validation option: the lowest node memory request accepted (a quantity, at least 4Gi).
    #[arg(long, value_name = "QUANTITY")]
    pub min_node_memory: Option<String>,
    /// Validation option: a storage class RECs may name (repeatable; none given: any).
    #[arg(long = "allowed-storage-class", value_name = "NAME")]
    pub allowed_storage_classes: Vec<String>,
    /// Validation option: a registry (host or host/path prefix) every image must come from (repeatable).
    #[arg(long = "allowed-image-registry", value_name = "PREFIX")]
    pub allowed_image_registries: Vec<String>,
    /// The operator tag: the default tag of the bootstrapper and rigger images of new clusters (and of clusters
    /// with `upgradeSpec.autoUpgradeRedisEnterprise`).
    #[arg(long, env = "REC_OPERATOR_TAG", default_value = rec_core::defaults::OPERATOR_TAG)]
    pub operator_tag: String,
    /// The bundled Redis Enterprise tag: the default node image tag of new clusters (and auto-upgrading ones).
    #[arg(long, env = "REC_REDIS_ENTERPRISE_TAG", default_value = rec_core::defaults::REDIS_ENTERPRISE_TAG)]
    pub redis_enterprise_tag: String,
    /// Seconds a node may take to come back during a rolling change before the roll halts and says why.
    #[arg(long, default_value_t = rec_core::plan::ROLL_TIMEOUT_SECONDS)]
    pub roll_timeout_seconds: u64,
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
        let non_empty = |list: &[String]| -> Option<Vec<String>> {
            let list: Vec<String> = list.iter().filter(|s| !s.is_empty()).cloned().collect();
            (!list.is_empty()).then_some(list)
        };
        let settings = Settings {
            options: Options {
                warnings_as_errors: self.warnings_as_errors,
                min_node_memory: self.min_node_memory.clone(),
                allowed_storage_classes: non_empty(&self.allowed_storage_classes),
                allowed_image_registries: non_empty(&self.allowed_image_registries),
                operator_tag: Some(self.operator_tag.clone()),
            },
            versions: Versions {
                operator_tag: self.operator_tag.clone(),
                redis_enterprise_tag: self.redis_enterprise_tag.clone(),
                ..Versions::default()
            },
            roll_timeout_seconds: Some(self.roll_timeout_seconds),
        };
        Config {
            namespaces: non_empty(&self.namespaces).unwrap_or_default(),
            settings,
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
    let config = args.config();
    if let Err(problems) = config.settings.options.check() {
        eprintln!("error: invalid validation options: {}", problems.join("; "));
        return ExitCode::from(exit::UNREADABLE);
    }
    match runtime.block_on(controller::run(config, engine)) {
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

    #[test]
    fn namespaces_options_and_tags_reach_the_controller() {
        let config = args(&[
            "--namespace=a",
            "--namespace",
            "b,c",
            "--warnings-as-errors",
            "--min-node-memory=8Gi",
            "--allowed-storage-class=fast",
            "--allowed-image-registry=registry.example.com",
            "--operator-tag=8.0.22-5",
            "--redis-enterprise-tag=8.0.22-1",
            "--roll-timeout-seconds=60",
        ])
        .config();
        assert_eq!(config.namespaces, ["a", "b", "c"]);
        let s = &config.settings;
        assert!(s.options.warnings_as_errors);
        assert_eq!(s.options.min_node_memory.as_deref(), Some("8Gi"));
        assert_eq!(s.options.allowed_storage_classes, Some(vec!["fast".to_string()]));
        assert_eq!(
            s.options.allowed_image_registries,
            Some(vec!["registry.example.com".to_string()])
        );
        assert_eq!(s.options.operator_tag.as_deref(), Some("8.0.22-5"));
        assert_eq!(
            (
                s.versions.operator_tag.as_str(),
                s.versions.redis_enterprise_tag.as_str()
            ),
            ("8.0.22-5", "8.0.22-1")
        );
        assert_eq!(s.roll_timeout_seconds, Some(60));
        let defaults = args(&[]).config();
        assert!(defaults.namespaces.is_empty());
        assert_eq!(defaults.settings.options.allowed_storage_classes, None);
        assert_eq!(defaults.settings.versions, Versions::default());
    }
}
