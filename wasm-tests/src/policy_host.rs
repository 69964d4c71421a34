//! Runs the Kubewarden policy module (`rec-policy`, `wasm32-wasip1`) as policy-server does: one wasmtime engine
//! with its default configuration plus epoch interruption (policy-server's policy timeout, on by default: a
//! ticker advances the epoch every second and each request gets [`POLICY_TIMEOUT_TICKS`]), the module compiled
//! once, and every request in a fresh waPC instance (`WasmtimeEngineProviderPre::rehydrate`, on-demand instance
//! allocation as policy-server uses). WASI is linked with nothing granted (no args, env, or directories). Host
//! capability calls are counted; [`PolicyModule::call`] refuses them all (a policy-server whose policy declares no
//! `contextAwareResources`), [`PolicyModule::call_in`] answers the Kubernetes ones from a [`KubernetesHost`].
//!
//! It also builds the module, so `cargo test` needs no earlier step. It sets no memory limits (policy-server
//! sets none by default either).
//!
//! [`Instances::Pooling`] is the one departure from policy-server, for the bench to show what it costs: the
//! same fresh instance per request, taken from wasmtime's pooling allocator instead of mapped on demand. An
//! on-demand instance maps its linear memory, faults in every page the request touches and unmaps it again;
//! `rec-bench --profile policy` found that kernel work to be 42% of a request. A pool slot is reset instead,
//! only the pages the request wrote (`pagemap_scan`), configured as `rec-engine` pools (`rec_engine::pooling`).

use crate::kube_host::KubernetesHost;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use wapc::WapcHost;
use wasmtime_provider::{EpochDeadlines, WasmtimeEngineProviderBuilder, WasmtimeEngineProviderPre, wasmtime};

/// policy-server's default policy timeout, in its one-second epoch ticks, for initialisation and for the call.
pub const POLICY_TIMEOUT_TICKS: u64 = 2;
const TICK: Duration = Duration::from_secs(1);

const DEADLINES: EpochDeadlines = EpochDeadlines {
    wapc_init: POLICY_TIMEOUT_TICKS,
    wapc_func: POLICY_TIMEOUT_TICKS,
};

/// Overrides the module to test (e.g. the `wasm-opt`-ed build); otherwise [`build`] makes it.
pub const MODULE_ENV: &str = "REC_POLICY_WASM";

/// What can go wrong loading or calling the policy.
#[derive(Debug, thiserror::Error)]
pub enum PolicyHostError {
    #[error("building the policy module failed: {0}")]
    Build(String),
    #[error("reading {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("compiling the policy module failed: {0}")]
    Compile(String),
    #[error("calling the policy failed: {0}")]
    Call(String),
}

/// The workspace root (this crate's parent folder).
fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(".."))
}

/// Builds the policy module with the `wasm-release` profile (release, optimised for size) into
/// `target/policy-module` (its own target folder, so the outer `cargo test` holding `target/` does not block it)
/// and returns its path. The command is the documented build:
/// `cargo build -p rec-policy --target wasm32-wasip1 --profile wasm-release --locked`.
pub fn build() -> Result<PathBuf, PolicyHostError> {
    let target_dir = workspace().join("target").join("policy-module");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(workspace())
        .args([
            "build",
            "-p",
            "rec-policy",
            "--target",
            "wasm32-wasip1",
            "--profile",
            "wasm-release",
            "--locked",
            "--target-dir",
        ])
        .arg(&target_dir)
        .output()
        .map_err(|e| PolicyHostError::Build(e.to_string()))?;
    if !output.status.success() {
        return Err(PolicyHostError::Build(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    Ok(target_dir
        .join("wasm32-wasip1")
        .join("wasm-release")
        .join("rec_policy.wasm"))
}

/// The module under test: `$REC_POLICY_WASM` when set, else a fresh [`build`].
pub fn module_path() -> Result<PathBuf, PolicyHostError> {
    match std::env::var_os(MODULE_ENV) {
        Some(path) => Ok(PathBuf::from(path)),
        None => build(),
    }
}

/// Where each request's fresh instance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instances {
    /// Mapped for the request and unmapped after it: wasmtime's default, and policy-server's.
    OnDemand,
    /// A slot of wasmtime's pooling allocator, reset after the request (see the module docs).
    Pooling,
}

/// The pooled host's slots: requests are sequential in the bench and the tests, so a few are plenty.
const POOL_SLOTS: u32 = 4;
/// The largest linear memory a pooled instance may grow to. policy-server sets no limit; the pool needs one. The
/// 10 MiB REC of the generated corpus needs well under this.
const POOL_MEMORY_BYTES: usize = 512 << 20;

fn config(instances: Instances) -> wasmtime::Config {
    let mut config = wasmtime::Config::new();
    config.epoch_interruption(true);
    if instances == Instances::Pooling {
        let pool = rec_engine::pooling(POOL_SLOTS, POOL_MEMORY_BYTES);
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    }
    config
}

/// The compiled policy, ready to give out fresh instances.
pub struct PolicyModule {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The module's imports as `module::name`.
    pub imports: Vec<String>,
    pre: WasmtimeEngineProviderPre,
}

impl PolicyModule {
    /// Reads and compiles the module at `path`, for on-demand instances as policy-server runs it.
    pub fn load(path: &Path) -> Result<PolicyModule, PolicyHostError> {
        Self::load_with(path, Instances::OnDemand)
    }

    /// Reads and compiles the module at `path`, taking each request's instance as `instances` says.
    pub fn load_with(path: &Path, instances: Instances) -> Result<PolicyModule, PolicyHostError> {
        let bytes = std::fs::read(path).map_err(|source| PolicyHostError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let compile = |e: wasmtime::Error| PolicyHostError::Compile(e.to_string());
        let engine = wasmtime::Engine::new(&config(instances)).map_err(compile)?;
        rec_engine::start_epoch_ticker(&engine, TICK)
            .map_err(|e| PolicyHostError::Compile(format!("cannot start the epoch ticker: {e}")))?;
        let module = wasmtime::Module::new(&engine, &bytes).map_err(compile)?;
        let imports = module
            .imports()
            .map(|i| format!("{}::{}", i.module(), i.name()))
            .collect();
        let pre = WasmtimeEngineProviderBuilder::new()
            .engine(engine)
            .module(module)
            .enable_epoch_interruptions(DEADLINES)
            .build_pre()
            .map_err(|e| PolicyHostError::Compile(e.to_string()))?;
        Ok(PolicyModule {
            path: path.to_path_buf(),
            bytes,
            imports,
            pre,
        })
    }

    /// Calls waPC function `op` with `payload` in a fresh instance, refusing every host capability call.
    pub fn call(&self, op: &str, payload: &[u8]) -> Result<Vec<u8>, PolicyHostError> {
        self.call_with(op, payload, None)
    }

    /// [`PolicyModule::call`] in a cluster: the Kubernetes host calls are answered by `kubernetes` (which records
    /// them), the others refused.
    pub fn call_in(
        &self,
        op: &str,
        payload: &[u8],
        kubernetes: &Arc<KubernetesHost>,
    ) -> Result<Vec<u8>, PolicyHostError> {
        self.call_with(op, payload, Some(kubernetes.clone()))
    }

    fn call_with(
        &self,
        op: &str,
        payload: &[u8],
        kubernetes: Option<Arc<KubernetesHost>>,
    ) -> Result<Vec<u8>, PolicyHostError> {
        let provider = self
            .pre
            .rehydrate(Some(DEADLINES))
            .map_err(|e| PolicyHostError::Call(e.to_string()))?;
        let callback =
            move |_id: u64, binding: &str, namespace: &str, operation: &str, payload: &[u8]| match &kubernetes {
                Some(host) => host.answer(binding, namespace, operation, payload).map_err(Into::into),
                None => Err(format!("host capability {binding}/{namespace}/{operation} refused").into()),
            };
        let host = WapcHost::new(Box::new(provider), Some(Box::new(callback)))
            .map_err(|e| PolicyHostError::Call(e.to_string()))?;
        host.call(op, payload).map_err(|e| PolicyHostError::Call(e.to_string()))
    }
}
