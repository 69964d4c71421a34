#!/usr/bin/env bash
# The core module's exports exist only on wasm32, so the workspace clippy (native) never sees them: lint them there.
set -euo pipefail
cargo clippy --locked -p rec-core-module --target wasm32-unknown-unknown -- -D warnings
