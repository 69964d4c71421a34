// Build step (run by preview/build): writes `<file>.br` beside each file named, brotli at quality 11 (node's
// zlib), for a static host that serves precompressed files (nginx `brotli_static`, Caddy `precompressed`).
// Prints each compressed size, one per line, in the order given.
//
// Usage: node brotli.mjs <file>...

import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const compressed = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(`${file}.br`, compressed);
  console.log(compressed.length);
}
