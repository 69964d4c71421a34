#!/usr/bin/env bash
# The Kubewarden policy module: build it (wasm-release profile, wasm32-wasip1), report its size, shrink it with wasm-opt and run
# the policy agreement test (wasm-tests/tests/policy.rs) against the shrunk module, the one that would ship.
# Step 20 already runs the same test against the plain build (the test builds it through the same command).
# `--workspace` keeps the feature set of step 20, so nothing is compiled again.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/policy-module
cargo build -p rec-policy --target wasm32-wasip1 --profile wasm-release --locked --target-dir "$out"
module="$out/wasm32-wasip1/wasm-release/rec_policy.wasm"
echo "policy module: $module $(stat -c %s "$module") bytes"
if ! command -v wasm-opt >/dev/null; then
  echo "wasm-opt not found (.ci/install.d/45-policy.sh installs it): testing the plain module"
  REC_POLICY_WASM="$PWD/$module" cargo test --locked --workspace --test policy
  exit 0
fi
shrunk="$out/policy.wasm"
# The features Rust 1.95 enables by default for wasm32-wasip1.
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-multivalue --enable-reference-types "$module" -o "$shrunk"
echo "policy module after wasm-opt -Oz: $shrunk $(stat -c %s "$shrunk") bytes"
REC_POLICY_WASM="$PWD/$shrunk" cargo test --locked --workspace --test policy
