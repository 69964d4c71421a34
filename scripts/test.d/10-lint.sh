#!/usr/bin/env bash
# Formatting and lints: rustfmt and clippy with warnings as errors, on every crate and target.
set -euo pipefail
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
