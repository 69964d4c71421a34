#!/usr/bin/env bash
# Rust targets for the core module, the browser build (wasm32-unknown-unknown) and the policy (wasm32-wasip1).
set -euo pipefail
rustup target add wasm32-unknown-unknown wasm32-wasip1
rustup component add rustfmt clippy
