#!/usr/bin/env bash
# The browser preview: build it (reports the page's gzip transfer size), run the page's unit tests (its YAML
# cursor reading, field tables, line diff, the build's function order), hold the browser build against the
# native core over the agreement corpus byte for byte, then drive the page end to end in headless Chromium
# (screenshots in artifacts/).
# The native answers come from a test step 20 already built (`--workspace` keeps its feature set, so nothing is
# compiled again).
set -euo pipefail
cd "$(dirname "$0")/../.."
./preview/build
cargo test --locked -q --workspace --test native_answers
node --test-reporter=spec preview/test/units.mjs
node --test-reporter=spec preview/test/corpus.mjs
node --test-reporter=spec preview/test/e2e.mjs
