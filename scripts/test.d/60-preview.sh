#!/usr/bin/env bash
# The browser preview: build it (reports the page's gzip transfer size), hold the browser build against the
# native core over the agreement corpus byte for byte, then drive the page end to end in headless Chromium
# (screenshots in artifacts/).
set -euo pipefail
cd "$(dirname "$0")/../.."
./preview/build
cargo run --locked -q -p rec-web --example native-answers -- \
  target/preview/native-answers.json wasm-tests/corpus preview/test/cases
node --test-reporter=spec preview/test/corpus.mjs
node --test-reporter=spec preview/test/e2e.mjs
