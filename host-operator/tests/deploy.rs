//! The operator's container as deployed (`deploy/deployment.yaml`, `Dockerfile`): non-root, read-only root
//! filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp, and its only writable path is
//! the `/tmp` emptyDir where the engine caches the compiled core module.

mod common;

use common::*;
use serde_json::Value;

fn workspace_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_operator_runs_non_root_on_a_read_only_root_filesystem() {
    let parsed = engine()
        .parse_yaml(&workspace_file("deploy/deployment.yaml"))
        .expect("the core parses it");
    let pod = &parsed["value"]["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_eq!(pod["securityContext"]["runAsUser"], 65532);
    assert_eq!(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
    let containers = pod["containers"].as_array().expect("containers");
    assert_eq!(containers.len(), 1);
    let container = &containers[0];
    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["runAsNonRoot"], true);
    assert_eq!(security["capabilities"]["drop"], serde_json::json!(["ALL"]));
    assert!(security["capabilities"].get("add").is_none(), "no capability is added");
    assert!(security.get("privileged").is_none_or(|p| p == false));

    let mounts: Vec<&str> = container["volumeMounts"]
        .as_array()
        .map(|m| m.iter().filter_map(|m| m["mountPath"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(mounts, ["/tmp"], "the only writable path is /tmp");
    let env = |name: &str| -> Option<Value> {
        container["env"]
            .as_array()
            .and_then(|e| e.iter().find(|v| v["name"] == name))
            .map(|v| v["value"].clone())
    };
    let cache = env("REC_ENGINE_CACHE_DIR").expect("the engine cache is configured");
    assert!(cache.as_str().is_some_and(|c| c.starts_with("/tmp/")), "{cache}");

    let dockerfile = workspace_file("Dockerfile");
    assert!(dockerfile.contains("distroless"), "a distroless runtime image");
    let user = dockerfile
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("the image sets its user");
    assert_eq!(user, "USER 65532:65532");
}

/// The memory budget of SECURITY.md: the guest memory of the calls running at once (per-call cap x
/// concurrency, as the Deployment's args set them or the defaults) leaves the process room in the pod's limit,
/// and so does the cold start (compiling the core module when the cache is empty), with the compiler threads
/// bounded as the figure was measured.
#[test]
fn guest_memory_at_full_concurrency_fits_the_pods_memory_limit() {
    use rec_operator::cli::{DEFAULT_CONCURRENCY, DEFAULT_CORE_MEMORY_MIB};
    /// The process itself: about 20 MiB measured (`rec-bench` section 5, one REC), plus its watch caches.
    const PROCESS_MIB: u64 = 64;
    /// A cold start: 319-387 MiB peak over seven runs with two compiler threads (`rec-bench` section 5; the
    /// compiler's parallel work varies), with headroom. It comes before the first reconcile, so it does not add to
    /// the calls' memory.
    const COLD_START_MIB: u64 = 450;
    const COMPILER_THREADS: &str = "2";
    let parsed = engine()
        .parse_yaml(&workspace_file("deploy/deployment.yaml"))
        .expect("the core parses it");
    let container = &parsed["value"]["spec"]["template"]["spec"]["containers"][0];
    let flag = |name: &str, default: u64| -> u64 {
        let prefix = format!("--{name}=");
        container["args"]
            .as_array()
            .and_then(|args| {
                args.iter()
                    .filter_map(Value::as_str)
                    .find_map(|a| a.strip_prefix(&prefix))
            })
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let concurrency = flag("concurrency", u64::from(DEFAULT_CONCURRENCY));
    let cap = flag("core-memory-mib", u64::from(DEFAULT_CORE_MEMORY_MIB));
    let limit = container["resources"]["limits"]["memory"]
        .as_str()
        .expect("a memory limit");
    let limit_mib: u64 = limit
        .strip_suffix("Mi")
        .and_then(|m| m.parse().ok())
        .expect("a limit in Mi");
    assert!(
        cap * concurrency + PROCESS_MIB <= limit_mib,
        "{concurrency} calls x {cap} MiB + {PROCESS_MIB} MiB for the process exceed the pod's {limit}"
    );
    assert!(
        COLD_START_MIB <= limit_mib,
        "a cold start ({COLD_START_MIB} MiB) exceeds the pod's {limit}"
    );
    let rayon_threads = container["env"]
        .as_array()
        .and_then(|env| env.iter().find(|e| e["name"] == "RAYON_NUM_THREADS"))
        .and_then(|e| e["value"].as_str());
    assert_eq!(
        rayon_threads,
        Some(COMPILER_THREADS),
        "the cold start's figure holds for {COMPILER_THREADS} compiler threads only"
    );
}
