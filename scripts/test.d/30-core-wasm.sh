#!/usr/bin/env bash
# The core is pure: it must build for both WebAssembly targets.
set -euo pipefail
cargo build --locked -p rec-core --target wasm32-unknown-unknown
cargo build --locked -p rec-core --target wasm32-wasip1
