// The browser build against the native core, byte for byte, over the agreement corpus.
//
// Loads preview/dist/pkg (the wasm-bindgen --target web module) with initSync and the wasm bytes, and for every
// case file present (wasm-tests/corpus/**/*.json, when that corpus exists, and preview/test/cases/*.json) feeds
// the browser build's `call` the request bytes the native core was fed, then compares the answer bytes with the
// native core's. The native answers come from `cargo test --workspace --test native_answers` (see
// scripts/test.d/60-preview.sh), which writes target/preview/native-answers.json; this script never guesses an
// answer. Usage: node preview/test/corpus.mjs [native-answers.json]
//
// Also every native answer whose file is under `generated/`: the cases too big to commit (over 10 MB each,
// rec_wasm_tests::generated), whose request bytes come in the answers file.
//
// Skipped, and counted in the output: the cases of the operations the browser build leaves out (NOT_IN_BROWSER).
// The browser build has no `crd` operation: generating the CRD links schemars and the whole Kubernetes API text
// (about 1 MB of wasm, more than the rest of the page), and the page never asks for it (its field docs come from
// the core's compact table). Nor `defaults` (about 9 KB gzip: the whole model written back, which the page never
// shows): the browser build answers only the operations in rec_web::BROWSER_OPS (preview/web/src/lib.rs). For the
// cases of a left-out operation the browser answers `Unsupported`, which is checked instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pkg = join(root, 'preview/dist/pkg');
const answersFile = resolve(process.argv[2] ?? join(root, 'target/preview/native-answers.json'));
const caseDirs = ['wasm-tests/corpus', 'preview/test/cases'];
/** Operations compiled out of the browser build (rec_core::abi::Op numbers), with why. */
const NOT_IN_BROWSER = new Map([
  [3, 'defaults: neither the page nor the benchmark asks for it, so the browser build leaves it out (rec_web::BROWSER_OPS)'],
  [4, 'crd: the CRD generator is not in the browser build (core feature `crd`)'],
]);

function caseFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return caseFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const { initSync, call } = await import(join(pkg, 'rec_web.js'));
initSync({ module: readFileSync(join(pkg, 'rec_web_bg.wasm')) });

const native = JSON.parse(readFileSync(answersFile, 'utf8')).cases;
const byFile = new Map(native.map((c) => [relative(root, resolve(root, c.file)), c]));
const files = caseDirs.flatMap((d) => caseFiles(join(root, d))).map((f) => relative(root, f)).sort();
const generated = native.filter((c) => c.file.startsWith('generated/')).map((c) => c.file);

test('the corpus is there and every case has a native answer', () => {
  assert.ok(files.length > 0, `no case files under ${caseDirs.join(' or ')}`);
  const missing = files.filter((f) => !byFile.has(f));
  assert.deepEqual(missing, [], 'cases without a native answer: re-run `cargo test --workspace --test native_answers`');
  assert.ok(generated.length > 0, 'no generated (10 MB) case in the answers file');
});

const skipped = files.map((f) => byFile.get(f)).filter((c) => c && NOT_IN_BROWSER.has(c.op));
for (const [op, why] of NOT_IN_BROWSER) {
  const count = skipped.filter((c) => c.op === op).length;
  console.log(`skipped ${count} case(s) of operation ${op}: ${why}`);
  test(`operation ${op} answers Unsupported in the browser build (${count} corpus case(s) skipped)`, () => {
    const answer = JSON.parse(Buffer.from(call(op, Buffer.from('{}'))).toString('utf8'));
    assert.equal(answer.error?.kind, 'Unsupported', JSON.stringify(answer));
  });
}

for (const file of [...files, ...generated]) {
  const expected = byFile.get(file);
  if (!expected || NOT_IN_BROWSER.has(expected.op)) continue;
  test(`${file}: the browser build answers byte for byte as the native core`, () => {
    const request = Buffer.from(expected.request, 'base64');
    const got = Buffer.from(call(expected.op, request));
    const want = Buffer.from(expected.answer, 'base64');
    if (!got.equals(want)) {
      let at = 0;
      while (at < got.length && got[at] === want[at]) at++;
      const around = (b) => b.subarray(Math.max(at - 60, 0), at + 60).toString('utf8');
      assert.fail(`answers differ at byte ${at} (browser ${got.length} B, native ${want.length} B)\n` +
        `  browser: ${around(got)}\n  native:  ${around(want)}`);
    }
  });
}
