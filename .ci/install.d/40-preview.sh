#!/usr/bin/env bash
# The browser preview's tools: wasm-bindgen-cli 0.2.130 (must equal the wasm-bindgen crate pin; takes ~5-8 min
# to build, so only when missing), Debian's Chromium for the end-to-end test and zopfli, and the npm packages of
# preview/ (binaryen's wasm-opt, playwright-core, esbuild, terser, CodeMirror 6) from the committed lock file.
# Each is skipped when present.
set -euo pipefail
cd "$(dirname "$0")/../.."

want="0.2.130"
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
  # `cargo install --locked wasm-bindgen-cli` fails against this registry, so without `--locked`.
  cargo install wasm-bindgen-cli --version "=$want" --force
fi

# zopfli: preview/build writes each asset's precompressed `.gz` with it (gzip any browser reads, a few percent
# smaller than gzip -9; the build falls back to gzip -9 without it).
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/zopfli ]]; then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium zopfli
fi

if [[ ! -x preview/node_modules/.bin/wasm-opt || ! -x preview/node_modules/.bin/esbuild || ! -x preview/node_modules/.bin/terser || ! -d preview/node_modules/playwright-core ]]; then
  (cd preview && npm ci --no-audit --no-fund)
fi
