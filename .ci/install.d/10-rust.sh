#!/usr/bin/env bash
# The toolchain rust-toolchain.toml pins, with rustfmt, clippy and the wasm targets of the core module, the
# browser build (wasm32-unknown-unknown) and the policy (wasm32-wasip1). With no argument rustup installs what the
# file lists and adds missing targets and components to a toolchain installed without them; it skips what is there.
set -euo pipefail
rustup toolchain install
