#!/usr/bin/env bash
# cargo-fuzz (pinned) for the fuzz smoke step (scripts/test.d/70-fuzz.sh). It runs on stable with `-s none`
# (no sanitizer, so no -Z flag): libFuzzer's coverage instrumentation uses stable codegen options only.
# Skips when the pinned version is present.
set -euo pipefail
want="0.13.1"
if [[ "$(cargo fuzz --version 2>/dev/null)" == "cargo-fuzz $want" ]]; then
  echo "cargo-fuzz $want present"
  exit 0
fi
cargo install cargo-fuzz --version "=$want" --locked --force
