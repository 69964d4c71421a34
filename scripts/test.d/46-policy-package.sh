#!/usr/bin/env bash
# The policy as it ships: policy/dist/annotated-policy.wasm (policy/build; after step 45 nothing is rebuilt or
# shrunk again) carries metadata.yml, the module's protocol version and the README in its io.kubewarden.metadata
# section, and still answers as a policy (policy/package/tests/package/annotated.rs); the committed artifacthub-pkg.yml
# is what the generator writes (tests/package/artifacthub.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."
policy/build
REC_POLICY_ANNOTATED="$PWD/policy/dist/annotated-policy.wasm" REC_POLICY_WASM="$PWD/target/policy-module/policy.wasm" \
  cargo test --locked --workspace --test package
