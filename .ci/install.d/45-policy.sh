#!/usr/bin/env bash
# wasm-opt (npm binaryen 132; Debian's binaryen package is broken) to shrink the policy module. Skips when present.
set -euo pipefail
if wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  echo "wasm-opt 132 present"
else
  npm install -g binaryen@132.0.0
fi
