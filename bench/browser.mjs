// rec-bench, section 4: the browser build (preview/dist) in headless Chromium (playwright-core, /usr/bin/chromium).
// Serves preview/dist on 127.0.0.1 and launches Chromium (preview/test/chromium.mjs, shared with the e2e test),
// opens the page, imports its core.js and times `call(...)` per keystroke with performance.now(): each keystroke
// sends a slightly different text, as typing does.
//
// Input: a JSON file (argv[2]) {warmup, samples, cases: [{name, calls: [{op, request}]}]}; a case's calls run
// back to back and are timed together. Output (stdout): {"results": [{"name", "ms": [...]}]}.

import { readFileSync } from 'node:fs';
import { start } from '../preview/test/chromium.mjs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const { base, browser, close } = await start();
try {
  const page = await browser.newPage();
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const results = await page.evaluate(async (input) => {
    const core = await import(new URL('./core.js', document.baseURI).href);
    const { call } = await import(new URL('./pkg/rec_web.js', document.baseURI).href);
    await core.load();
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
  process.stdout.write(JSON.stringify({ results }));
} finally {
  await close();
}
