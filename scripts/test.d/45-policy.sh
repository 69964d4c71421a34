#!/usr/bin/env bash
# The Kubewarden policy module: build it as it ships (policy/build: wasm-release profile, wasm32-wasip1, wasm-opt
# --merge-similar-functions -Oz, metadata embedded into policy/dist/annotated-policy.wasm), report its sizes, and
# run the policy agreement test (wasm-tests/tests/policy.rs) and the REDB-context tests (policy_context.rs: the
# cluster served through the host capability) against the shrunk module. Step 46 checks the annotated one.
# Step 20 already runs the same test against the plain build (the test builds it through the same command).
# `--workspace` keeps the feature set of step 20, so nothing is compiled again.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/policy-module
if ! command -v wasm-opt >/dev/null; then
  cargo build -p rec-policy --target wasm32-wasip1 --profile wasm-release --locked --target-dir "$out"
  module="$out/wasm32-wasip1/wasm-release/rec_policy.wasm"
  echo "wasm-opt not found (.ci/install.d/45-policy.sh installs it): testing the plain module $module"
  REC_POLICY_WASM="$PWD/$module" cargo test --locked --workspace --test policy --test policy_context
  exit 0
fi
policy/build
REC_POLICY_WASM="$PWD/$out/policy.wasm" cargo test --locked --workspace --test policy --test policy_context
