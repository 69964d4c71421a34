// Build step (run by preview/build between two wasm-opt runs): names a module's functions so that sorting them
// by name (wasm-opt's `--reorder-functions-by-name`, the next step) puts functions whose code is alike next to
// each other. gzip only finds repeats within its last 32 KB, and rustc lays out the module's ~2,300 functions
// (the model's readers, writers and drops among them, each a near copy of the others of its kind) in no such
// order; neighbours that share their byte sequences compress better. Function order changes no behaviour
// (indices are renumbered consistently by wasm-opt), so every answer stays byte-identical; only the download
// shrinks (bench/README.md, "The browser bundle").
//
// How: each function body is summarised by a MinHash signature of its 4-byte sequences; starting from the first
// function, the next is always the unplaced one whose signature agrees most with the last placed (ties: the
// lower index). Deterministic: the same module gives the same order.
//
// Writes a new `name` section (function names only: `f` and the zero-padded rank) in place of any existing one,
// so run it before names are stripped and strip them after the reorder.
//
// Usage: node order-functions.mjs <in.wasm> <out.wasm>

import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// Measured on the browser module (bench/README.md): 4-byte sequences and 256 hashes gave the smallest gzip
// (64 hashes: 1.6 KB more; 6- or 8-byte sequences: 1-2 KB more), in about 3 s.
const SIGNATURE = 256;
const GRAM = 4;

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function vecBytes(bytes) {
  return [...leb(bytes.length), ...bytes];
}

/** The module's sections: `{ id, start, end, name? }` (payload bounds; `name` for custom sections). */
function sections(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a wasm module');
  }
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, payload] = readLeb(bytes, at + 1);
    const section = { id, header: at, start: payload, end: payload + size };
    if (id === 0) {
      const [length, name] = readLeb(bytes, payload);
      section.name = new TextDecoder().decode(bytes.subarray(name, name + length));
    }
    out.push(section);
    at = payload + size;
  }
  return out;
}

function importedFunctions(bytes, section) {
  if (!section) return 0;
  let [count, at] = readLeb(bytes, section.start);
  let functions = 0;
  const skipName = () => {
    const [length, next] = readLeb(bytes, at);
    at = next + length;
  };
  for (; count > 0; count--) {
    skipName();
    skipName();
    const kind = bytes[at++];
    if (kind === 0) {
      functions++;
      at = readLeb(bytes, at)[1];
    } else if (kind === 1) {
      at += 1; // reftype
      at = limits(bytes, at);
    } else if (kind === 2) {
      at = limits(bytes, at);
    } else if (kind === 3) {
      at += 2; // valtype, mutability
    } else {
      throw new Error(`unknown import kind ${kind}`);
    }
  }
  return functions;
}

function limits(bytes, at) {
  const flags = bytes[at++];
  at = readLeb(bytes, at)[1];
  return flags & 1 ? readLeb(bytes, at)[1] : at;
}

function bodies(bytes, section) {
  let [count, at] = readLeb(bytes, section.start);
  const out = [];
  for (; count > 0; count--) {
    const [size, body] = readLeb(bytes, at);
    out.push(bytes.subarray(body, body + size));
    at = body + size;
  }
  return out;
}

function signature(body) {
  const mins = new Uint32Array(SIGNATURE).fill(0xffffffff);
  const last = Math.max(1, body.length - GRAM + 1);
  for (let i = 0; i < last; i++) {
    let hash = 0x811c9dc5;
    for (let j = i; j < Math.min(i + GRAM, body.length); j++) {
      hash = Math.imul(hash ^ body[j], 0x01000193) >>> 0;
    }
    for (let s = 0; s < SIGNATURE; s++) {
      const permuted = (Math.imul(hash, 2 * s + 1) + Math.imul(s, 0x9e3779b1)) >>> 0;
      if (permuted < mins[s]) mins[s] = permuted;
    }
  }
  return mins;
}

/** The greedy order: always the unplaced body most like the last placed one. */
export function order(functionBodies) {
  const signatures = functionBodies.map(signature);
  const placed = [0];
  const left = new Set(functionBodies.keys());
  left.delete(0);
  while (left.size > 0) {
    const last = signatures[placed[placed.length - 1]];
    let best = -1;
    let bestScore = -1;
    for (const candidate of left) {
      const other = signatures[candidate];
      let score = 0;
      for (let s = 0; s < SIGNATURE; s++) if (other[s] === last[s]) score++;
      if (score > bestScore || (score === bestScore && candidate < best)) {
        best = candidate;
        bestScore = score;
      }
    }
    placed.push(best);
    left.delete(best);
  }
  return placed;
}

function nameSection(imported, placed) {
  const width = String(placed.length).length;
  const rank = new Array(placed.length);
  placed.forEach((index, position) => {
    rank[index] = position;
  });
  const entries = [];
  const total = imported + placed.length;
  for (let index = 0; index < total; index++) {
    // Imports keep their place whatever their name; they are named only so that every name is unique.
    const name = index < imported ? `import${index}` : `f${String(rank[index - imported]).padStart(width, '0')}`;
    entries.push(...leb(index), ...vecBytes([...new TextEncoder().encode(name)]));
  }
  const functionNames = [...leb(total), ...entries];
  const payload = [...vecBytes([...new TextEncoder().encode('name')]), 1, ...vecBytes(functionNames)];
  return [0, ...vecBytes(payload)];
}

// Run as a script (not imported by the unit tests): the same file whatever the path was spelled like.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node order-functions.mjs <in.wasm> <out.wasm>');
    process.exit(2);
  }
  const bytes = readFileSync(input);
  const all = sections(bytes);
  const code = all.find((s) => s.id === 10);
  if (!code) throw new Error(`${input}: no code section`);
  const imported = importedFunctions(bytes, all.find((s) => s.id === 2));
  const placed = order(bodies(bytes, code));
  const kept = all.filter((s) => s.name !== 'name').map((s) => bytes.subarray(s.header, s.end));
  writeFileSync(output, Buffer.concat([bytes.subarray(0, 8), ...kept, Buffer.from(nameSection(imported, placed))]));
  console.log(`order-functions: ${placed.length} functions named in an order for gzip (${imported} imports kept)`);
}
