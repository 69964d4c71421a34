// End to end, in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the built page
// (preview/dist, see preview/build) served on 127.0.0.1 by python3's http.server (both started by chromium.mjs).
//
// A user types an even node count, sees the error with its path and line, jumps to it, fixes it, sees the
// StatefulSet with the new replica count, breaks the YAML and sees the parser's position, previews an update,
// and opens a share link in a new page that restores the same spec. Screenshots go to artifacts/ (gitignored).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './chromium.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const artifacts = join(root, 'artifacts');

let session;
let browser;
let base;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  session = await start();
  ({ browser, base } = session);
});

after(async () => {
  await session?.close();
});

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { page, errors };
}

const editor = (page) => page.locator('#new-editor textarea');

/** Selects `value` on the first line starting with `key:` and types `typed` over it, as a user would. */
async function retype(page, key, typed) {
  await editor(page).evaluate((area, key) => {
    const match = new RegExp(`^(\\s*${key}:\\s*)(.*)$`, 'm').exec(area.value);
    const start = match.index + match[1].length;
    area.focus();
    area.setSelectionRange(start, start + match[2].length);
  }, key);
  await page.keyboard.type(typed);
}

/** Clicks "Share link" and returns the link once the page has compressed the spec into it. */
async function shareLink(page) {
  await page.locator('#share').click();
  await page.locator('#share-box').waitFor({ state: 'visible' });
  return page.locator('#share-link').inputValue();
}

/** The 1-based line of the first `key:` line in the editor. */
async function lineOf(page, key) {
  const text = await editor(page).inputValue();
  return text.split('\n').findIndex((l) => new RegExp(`^\\s*${key}:`).test(l)) + 1;
}

test('type an error, jump to it, fix it, see the StatefulSet, share the spec', async () => {
  const { page, errors } = await open(base);
  assert.match(await page.locator('#summary').textContent(), /valid/);

  await retype(page, 'nodes', '4');
  const problem = page.locator('#problems li[data-code="nodes-even"]');
  await problem.waitFor({ timeout: 5_000 });
  const nodesLine = await lineOf(page, 'nodes');
  assert.equal(await problem.getAttribute('data-path'), 'spec.nodes');
  assert.equal(await problem.getAttribute('data-line'), String(nodesLine));
  assert.match(await problem.locator('.position').textContent(), new RegExp(`^${nodesLine}:\\d+$`));
  assert.match(await page.locator('#object').textContent(), /Nothing rendered/);

  await editor(page).evaluate((area) => area.setSelectionRange(0, 0));
  await problem.click();
  const caretLine = await editor(page).evaluate((a) => a.value.slice(0, a.selectionStart).split('\n').length);
  assert.equal(caretLine, nodesLine, 'clicking the problem puts the cursor on its line');
  await page.locator(`#new-editor .marks .marked[data-line="${nodesLine}"]`).waitFor();
  assert.match(await page.locator('#field-doc').textContent(), /spec\.nodes/);
  await page.screenshot({ path: join(artifacts, 'preview-error.png') });

  await retype(page, 'nodes', '5');
  await page.locator('#problems li[data-code="nodes-even"]').waitFor({ state: 'detached', timeout: 5_000 });
  const tab = page.locator('#tabs .tab', { hasText: /^StatefulSet\// });
  await tab.click();
  assert.match(await page.locator('#object').textContent(), /^\s*replicas: 5$/m);
  await page.screenshot({ path: join(artifacts, 'preview.png') });

  const link = await shareLink(page);
  assert.match(link, /#spec=[A-Za-z0-9_-]+$/);
  const spec = await editor(page).inputValue();
  const shared = await open(link);
  assert.equal(await editor(shared.page).inputValue(), spec, 'the share link restores the same spec');
  await shared.page.locator('#tabs .tab', { hasText: /^StatefulSet\// }).click();
  assert.match(await shared.page.locator('#object').textContent(), /^\s*replicas: 5$/m);
  assert.deepEqual([...errors, ...shared.errors], []);
});

test('a YAML syntax error shows the parser position, never a blank page', async () => {
  const { page, errors } = await open(base);
  await retype(page, 'nodes', '[3');
  const problem = page.locator('#problems li[data-code="yaml-syntax"]');
  await problem.waitFor({ timeout: 5_000 });
  const line = Number(await problem.getAttribute('data-line'));
  assert.ok(line >= (await lineOf(page, 'nodes')), `the error is placed at or after the broken line (${line})`);
  assert.match(await page.locator('#summary').textContent(), /YAML syntax error .* at \d+:\d+/);
  await page.locator(`#new-editor .numbers .error`).first().waitFor();
  assert.deepEqual(errors, []);
});

test('update mode shows the transition errors against the current REC', async () => {
  const { page, errors } = await open(base);
  await page.locator('#update-mode').check();
  await page.locator('#old-pane').waitFor();
  assert.equal(await page.locator('#old-editor textarea').inputValue(), await editor(page).inputValue());
  await retype(page, 'nodes', '1');
  await page.locator('#problems li[data-code="nodes-decreased"]').waitFor({ timeout: 5_000 });
  assert.match(await page.locator('#summary').textContent(), /invalid update/);
  assert.equal(await page.locator('#plan-state').textContent(), 'Invalid');
  assert.match(await page.locator('#plan-summary').textContent(), /refused: spec\.nodes \[nodes-decreased\]/);

  // Two more nodes: the plan says how they join, one at a time, beside the problems.
  await retype(page, 'nodes', '5');
  await page.locator('#plan-state', { hasText: 'ScalingUp' }).waitFor({ timeout: 5_000 });
  assert.match(await page.locator('#plan-summary').textContent(), /adds 2 node\(s\) one at a time \(rec-3, rec-4\)/);
  assert.equal(await page.locator('#plan-steps li').count(), 4);
  await page.screenshot({ path: join(artifacts, 'update-plan.png'), fullPage: true });

  const shared = await open(await shareLink(page));
  assert.equal(await shared.page.locator('#update-mode').isChecked(), true, 'the link keeps update mode');
  await shared.page.locator('#problems li[data-code="nodes-decreased"]').waitFor({ timeout: 5_000 });
  assert.deepEqual([...errors, ...shared.errors], []);
});
