#!/usr/bin/env bash
# Rust targets for the core module, the browser build (wasm32-unknown-unknown) and the policy (wasm32-wasip1), and
# rustfmt/clippy. rust-toolchain.toml lists them too (rustup adds them when it installs the pinned toolchain); this
# covers a machine where that toolchain was installed before, without them. Both commands skip what is present.
set -euo pipefail
rustup target add wasm32-unknown-unknown wasm32-wasip1
rustup component add rustfmt clippy
