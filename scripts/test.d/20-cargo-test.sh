#!/usr/bin/env bash
# The Rust test suites of every crate (native).
set -euo pipefail
cargo test --workspace --locked
