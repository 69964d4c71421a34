// rec-bench, section 4: the browser build (preview/dist) in headless Chromium (playwright-core, /usr/bin/chromium).
// Serves preview/dist on 127.0.0.1 and launches Chromium (preview/test/chromium.mjs, shared with the e2e test).
//
// Two kinds of figure:
//  - The core per keystroke (rec-bench's input): opens the page, imports its pkg/rec_web.js and times
//    `call(...)` with performance.now(); each keystroke sends a slightly different text, as typing does.
//  - The page's targets, measured as a user meets them:
//      transfer  every file the page loads (as Chromium requested them), and every file of preview/dist, each
//                gzip -9 (python's http.server sends them uncompressed; a static host would gzip them)
//                — target: the whole page within 500 KB gzip;
//      first     navigation start to the first problems on screen (the page's `rec:first-problems` mark), each
//                in a fresh browser context (cold cache) — target: within 1 s;
//      keystroke a key typed into the editor holding the 35-node REC, from the key event's timestamp to the
//                problems and the render updated (the page's `rec:checked` event, fired once the DOM is
//                updated) and to the next animation frame (when that frame paints) — target: within 16 ms;
//                new REC and update mode (a second call: the old text's own render is cached while it is unchanged).
//
// Usage:
//   node bench/browser.mjs INPUT.json   rec-bench: INPUT is {warmup, samples, cases: [{name, calls: [{op,
//       request}]}]}; prints {"results": [{"name", "ms": [...]}]}: the core per keystroke for each case, then the
//       page's first-problems and keystroke figures (on the input's large REC) as more results.
//   node bench/browser.mjs [--samples N]   the page's three targets on preview/test/fixtures/rec-35-nodes.yaml,
//       printed as a table (median, p90, max), met or not.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { start } from '../preview/test/chromium.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TARGETS = { transferBytes: 500_000, firstMs: 1000, keystrokeMs: 16 };

const args = process.argv.slice(2);
const inputFile = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const samplesFlag = args.indexOf('--samples');
const input = inputFile ? JSON.parse(readFileSync(inputFile, 'utf8')) : null;

let base;
let browser;

/** rec-bench's cases: the core's `call` per keystroke, inside the page. */
async function corePerKeystroke(input) {
  const page = await browser.newPage();
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const results = await page.evaluate(async (input) => {
    const { default: init, call } = await import(new URL('./pkg/rec_web.js', document.baseURI).href);
    await init({ module_or_path: new URL('./pkg/rec_web_bg.wasm', document.baseURI) }); // the page's instance
    const encoder = new TextEncoder();
    const out = [];
    for (const c of input.cases) {
      const ms = [];
      for (let i = 0; i < input.warmup + input.samples; i++) {
        // One keystroke: an annotation's value changes, so nothing can be cached between calls.
        const bytes = c.calls.map(({ op, request }) =>
          [op, encoder.encode(request.replaceAll('__KEY__', `k${i}`))]);
        const started = performance.now();
        for (const [op, b] of bytes) {
          const answer = call(op, b);
          if (answer[2] !== 0x6f /* o of {"ok" */) throw new Error(`${c.name}: ${new TextDecoder().decode(answer)}`);
        }
        const took = performance.now() - started;
        if (i >= input.warmup) ms.push(took);
      }
      out.push({ name: c.name, ms });
    }
    return out;
  }, input);
  await page.close();
  return results;
}

/** Every response of one cold page load (and of the files it fetches after), gzip -9 sized. */
async function transfer() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const files = [];
  page.on('response', async (response) => {
    const body = await response.body().catch(() => null);
    if (body) files.push({ url: response.url().replace(base, '') || 'index.html', raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  });
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await context.close();
  return files;
}

/** Every file of preview/dist, gzip -9 sized (what preview/build prints); not the precompressed copies (`.gz`,
 *  `.br`) the build writes beside them, which a host sends instead of a file, never as well. */
function site() {
  const dist = join(root, 'preview/dist');
  const walk = (dir) => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.(gz|br)$/.test(name) ? [] : [path];
  });
  return walk(dist).map((path) => {
    const body = readFileSync(path);
    return { url: path.slice(dist.length + 1), raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
}

/** Navigation start to the first problems shown, ms, each in a fresh context (cold HTTP cache). */
async function firstProblems(samples) {
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForSelector('#problems li', { timeout: 30_000 });
    ms.push(await page.evaluate(() => performance.getEntriesByName('rec:first-problems')[0].startTime));
    await context.close();
  }
  return ms;
}

/** The share-link fragment of `spec` (and `old`): what preview/src/share.js writes. */
function fragment(spec, old) {
  const encode = (t) => deflateRawSync(Buffer.from(t)).toString('base64url');
  return `#spec=${encode(spec)}${old === undefined ? '' : `&old=${encode(old)}`}`;
}

/** Keys typed into a value of `text` (opened by a share link): ms from each key event to the page updated. */
async function typing(text, { update, warmup, samples }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(base + fragment(text, update ? text : undefined));
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.evaluate(() => {
    const times = (window.benchKeystrokes = []);
    let pressed = null;
    document.addEventListener('keydown', (e) => (pressed = e.timeStamp), true);
    document.addEventListener('rec:checked', () => {
      if (pressed === null) return;
      const at = pressed;
      const updated = performance.now();
      pressed = null;
      requestAnimationFrame(() => times.push({ updated: updated - at, frame: performance.now() - at }));
    });
    // The cursor at the end of the first line holding `team: ` (a label's value: every key re-renders).
    const view = document.getElementById('new-editor').editorView;
    const line = view.state.doc.toString().split('\n').findIndex((l) => l.includes('team: ')) + 1;
    view.dispatch({ selection: { anchor: view.state.doc.line(line).to } });
    view.focus();
  });
  const updated = [];
  const frame = [];
  for (let i = 0; i < warmup + samples; i++) {
    // A digit, then Backspace: the label's value stays within Kubernetes' 63 characters (`label-invalid`)
    // however many samples are taken, and every key still changes the text.
    await page.keyboard.press(i % 2 ? 'Backspace' : String(i % 10));
    await page.waitForFunction((n) => window.benchKeystrokes.length > n, i);
    if (i >= warmup) {
      const t = await page.evaluate((n) => window.benchKeystrokes[n], i);
      updated.push(t.updated);
      frame.push(t.frame);
    }
  }
  const valid = await page.locator('#summary').textContent();
  if (!/valid/.test(valid) || /invalid/.test(valid)) throw new Error(`the 35-node REC is not valid while typing: ${valid}`);
  await page.close();
  return { updated, frame };
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), max: sorted.at(-1), n: sorted.length };
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const msText = (s) => `median ${s.median.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;

/** The three targets as a table. */
async function report(text, samples) {
  const loaded = await transfer();
  const all = site();
  const sum = (files, key) => files.reduce((n, f) => n + f[key], 0);
  const first = stats(await firstProblems(Math.min(samples, 10)));
  const rows = [];
  const row = (what, measured, target, met) =>
    rows.push(`| ${what} | ${measured} | ${target} | ${met === undefined ? '' : met ? 'met' : 'NOT met'} |`);
  row('page load: every file Chromium fetched', `${kb(sum(loaded, 'gzip'))} gzip (${kb(sum(loaded, 'raw'))} raw, ${loaded.length} files)`,
    '≤ 500 KB gzip', sum(loaded, 'gzip') <= TARGETS.transferBytes);
  row('site: every file of preview/dist', `${kb(sum(all, 'gzip'))} gzip (${kb(sum(all, 'raw'))} raw, ${all.length} files)`,
    '≤ 500 KB gzip', sum(all, 'gzip') <= TARGETS.transferBytes);
  row('navigation to first problems', msText(first), '≤ 1000 ms (max)', first.max <= TARGETS.firstMs);
  for (const update of [false, true]) {
    const k = await typing(text, { update, warmup: 10, samples });
    const mode = update ? ', update mode' : '';
    const u = stats(k.updated);
    const f = stats(k.frame);
    row(`keystroke to problems + render, 35 nodes${mode}`, msText(u), '≤ 16 ms (p90)', u.p90 <= TARGETS.keystrokeMs);
    row(`keystroke to the next frame, 35 nodes${mode}`, msText(f), '(no target: shown for the frame it paints in)');
  }
  console.log('| figure | measured | target | |\n|---|---|---|---|');
  console.log(rows.join('\n'));
  console.log('\nFiles Chromium fetched (bytes, raw / gzip -9):');
  for (const f of loaded.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.url.padEnd(34)} ${String(f.raw).padStart(9)} ${String(f.gzip).padStart(9)}`);
}

// Last, so every helper above is defined when it runs.
const session = await start();
({ base, browser } = session);
try {
  if (input) {
    const results = await corePerKeystroke(input);
    const large = input.cases.find((c) => c.name.startsWith('preview') && c.name.includes('large'));
    if (large) {
      const text = JSON.parse(large.calls[0].request).text.replaceAll('__KEY__', 'k0');
      const keystrokes = Math.min(input.samples, 200);
      results.push({ name: 'page: navigation to first problems', ms: await firstProblems(Math.min(input.samples, 10)) });
      for (const update of [false, true]) {
        const figures = await typing(text, { update, warmup: Math.min(input.warmup, 10), samples: keystrokes });
        const mode = update ? ', update mode' : '';
        results.push({ name: `page: keystroke to problems + render, large${mode}`, ms: figures.updated });
        results.push({ name: `page: keystroke to next frame, large${mode}`, ms: figures.frame });
      }
    }
    process.stdout.write(JSON.stringify({ results }));
  } else {
    const samples = samplesFlag >= 0 ? Number(args[samplesFlag + 1]) : 100;
    const text = readFileSync(join(root, 'preview/test/fixtures/rec-35-nodes.yaml'), 'utf8');
    await report(text, samples);
  }
} finally {
  await session.close();
}

