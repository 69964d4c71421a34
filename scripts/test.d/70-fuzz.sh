#!/usr/bin/env bash
# Fuzz smoke run: build the cargo-fuzz targets of fuzz/ (stable toolchain, no sanitizer; their own workspace,
# lock file and target dir fuzz/target, depending on the core only) and run each for FUZZ_SECONDS (default 20)
# from the seeds fuzz/seeds.py derives from the agreement corpus. `--dev` (unoptimised, overflow checks on): the
# optimised instrumented build takes several times longer to compile than a smoke run is worth. A crash, a
# timeout (>30 s for one input: unoptimised, the slowest seed takes 5 s) or an OOM (>2 GiB) fails the step;
# libFuzzer leaves the input in fuzz/artifacts/<target>/. The long runs and their figures are in fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${FUZZ_SECONDS:-20}"
python3 fuzz/seeds.py
cd fuzz
# Not a member of the root workspace, so step 10's `cargo fmt --all` does not see it.
cargo fmt -- --check
cargo fuzz build -s none --dev
mkdir -p target
for target in $(cargo fuzz list); do
  echo "::: fuzz $target for ${seconds}s"
  log="target/fuzz-$target.log"
  if ! cargo fuzz run -s none --dev "$target" -- -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed: the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )|cov: .*DONE' "$log" || true
done
