//! The node container's health: readiness means "this node has joined the cluster", not "the process is up";
//! liveness catches a hung node; a startup bound keeps liveness off a node still recovering its data; a preStop
//! hook lets the node leave cleanly. The plan's roll gates every restart on readiness, so what readiness means is
//! what "the previous node is back" means.
//!
//! Where each command comes from (Redis Enterprise Software's public REST API reference, redis.io/docs, "REST
//! API requests"; every node serves the API on 9443, see REC.md §4):
//! - readiness: `GET /v1/local/node/master_healthcheck` answers `{"status": "active"}` when "the current node has
//!   a valid connection to the cluster's primary node and the Cluster Configuration Store" ("Node master
//!   healthcheck requests"): a joined node. It needs the admin credentials, which the pod mounts from the
//!   credentials Secret at `/opt/redislabs/credentials` (keys `username`, `password`).
//!   With vault credentials nothing is mounted, so readiness falls back to `GET /v1/bootstrap` ("Bootstrap
//!   requests"): answered without credentials until the node is part of an active cluster, after which it
//!   requires authentication; so `401`, or `200` with state `completed`, means joined.
//! - preStop: maintenance mode ("Maintenance mode for cluster nodes", and its REST API
//!   `POST /v1/nodes/{uid}/actions/maintenance_on|maintenance_off`) moves the node's shards and endpoints to the
//!   other nodes before it stops, after checking that the cluster keeps its quorum. The node's uid is the entry of
//!   `GET /v1/nodes` whose `addr` is the pod's IP (`POD_IP`, from the downward API). The hook records the uid in
//!   a marker file on the data volume and waits (at most 10 minutes) until the node holds no shard.
//! - startup: the same check as readiness; once the node is back in the cluster, if the marker is there, turns
//!   maintenance mode off (the shards may return) and removes it. A startup probe runs until its first success,
//!   once per container start: exactly the "node came back" moment. Bound: 30 minutes (180 x 10 s), for a node
//!   that reloads a large dataset; liveness starts after it.
//! - liveness: a TCP check of the REST API port; 8 failures 15 s apart (2 minutes) restart the container.
//!
//! With vault credentials the hook and the startup step cannot authenticate, so the node stops without
//! maintenance mode (Redis Enterprise fails its shards over, as after any node loss); the roll still waits for
//! each node to rejoin before the next.

use crate::render::pod::CREDENTIALS_PATH;
use crate::render::services::API_PORT;
use crate::render::statefulset::volumes::PERSIST_PATH;
use k8s_openapi::api::core::v1::{ExecAction, Lifecycle, LifecycleHandler, Probe, TCPSocketAction};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The node's health checks and hook, for credentials from a Kubernetes Secret (`kubernetes`) or from vault.
pub struct Health {
    pub readiness: Probe,
    pub liveness: Probe,
    pub startup: Probe,
    pub lifecycle: Option<Lifecycle>,
}

/// The admin credentials and the REST API's base URL, as shell variables.
fn credentials() -> String {
    format!("c={CREDENTIALS_PATH}; a=\"$(cat $c/username):$(cat $c/password)\"; api=https://localhost:{API_PORT}/v1")
}

/// Exits non-zero unless the local node is joined.
fn joined(kubernetes: bool) -> String {
    if kubernetes {
        format!(
            "{}; curl -sfk --max-time 5 -u \"$a\" $api/local/node/master_healthcheck | grep -q '\"active\"'",
            credentials()
        )
    } else {
        format!(
            "out=$(curl -sk --max-time 5 -w '\\n%{{http_code}}' https://localhost:{API_PORT}/v1/bootstrap) || exit 1; \
             code=${{out##*$'\\n'}}; [ \"$code\" = 401 ] || {{ [ \"$code\" = 200 ] && grep -q '\"completed\"' <<<\"$out\"; }}"
        )
    }
}

/// The marker file the preStop hook leaves on the data volume (it holds the node's uid).
fn marker() -> String {
    format!("{PERSIST_PATH}/.rec-maintenance-node")
}

fn startup_script(kubernetes: bool) -> String {
    if !kubernetes {
        return joined(false);
    }
    let m = marker();
    format!(
        "{} || exit 1; [ -f {m} ] || exit 0; curl -sfk --max-time 10 -u \"$a\" -X POST \
         \"$api/nodes/$(cat {m})/actions/maintenance_off\" -H 'Content-Type: application/json' -d '{{}}' >/dev/null \
         && rm -f {m}",
        joined(true)
    )
}

fn pre_stop_script() -> String {
    let m = marker();
    format!(
        "{}; uid=$(curl -sfk --max-time 10 -u \"$a\" $api/nodes | /opt/redislabs/bin/python -c 'import json,os,sys; \
         print(next(n[\"uid\"] for n in json.load(sys.stdin) if n.get(\"addr\") == os.environ[\"POD_IP\"]))') \
         || exit 0; curl -sfk --max-time 30 -u \"$a\" -X POST \"$api/nodes/$uid/actions/maintenance_on\" \
         -H 'Content-Type: application/json' -d '{{}}' >/dev/null || exit 0; echo \"$uid\" > {m}; \
         for i in $(seq 120); do curl -sfk --max-time 10 -u \"$a\" \"$api/nodes/$uid\" | grep -q '\"shard_count\": *0' \
         && exit 0; sleep 5; done",
        credentials()
    )
}

fn bash(script: String) -> Option<ExecAction> {
    Some(ExecAction {
        command: Some(vec!["/bin/bash".into(), "-c".into(), script]),
    })
}

/// The node container's probes and hook; `kubernetes`: the credentials are a mounted Kubernetes Secret.
pub fn node(kubernetes: bool) -> Health {
    Health {
        readiness: Probe {
            exec: bash(joined(kubernetes)),
            period_seconds: Some(10),
            timeout_seconds: Some(10),
            failure_threshold: Some(3),
            success_threshold: Some(1),
            ..Default::default()
        },
        liveness: Probe {
            tcp_socket: Some(TCPSocketAction {
                port: IntOrString::Int(API_PORT),
                host: None,
            }),
            period_seconds: Some(15),
            timeout_seconds: Some(5),
            failure_threshold: Some(8),
            ..Default::default()
        },
        startup: Probe {
            exec: bash(startup_script(kubernetes)),
            period_seconds: Some(10),
            timeout_seconds: Some(15),
            failure_threshold: Some(180),
            ..Default::default()
        },
        lifecycle: kubernetes.then(|| Lifecycle {
            pre_stop: Some(LifecycleHandler {
                exec: bash(pre_stop_script()),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scripts are handed to bash: each must at least parse (`bash -n`), with both kinds of credentials.
    #[test]
    fn every_script_is_valid_bash() {
        let scripts = [
            joined(true),
            joined(false),
            startup_script(true),
            startup_script(false),
            pre_stop_script(),
        ];
        for script in scripts {
            let out = std::process::Command::new("bash")
                .args(["-n", "-c", &script])
                .output()
                .expect("bash runs");
            assert!(
                out.status.success(),
                "{script}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    #[test]
    fn vault_credentials_get_no_hook_and_no_credential_files() {
        let health = node(false);
        assert!(health.lifecycle.is_none());
        let command = health
            .readiness
            .exec
            .and_then(|e| e.command)
            .unwrap_or_default()
            .join(" ");
        assert!(!command.contains(CREDENTIALS_PATH), "{command}");
        assert!(command.contains("/v1/bootstrap"), "{command}");
    }
}
