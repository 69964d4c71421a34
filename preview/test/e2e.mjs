// End to end, in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the built page
// (preview/dist, see preview/build) served on 127.0.0.1 by python3's http.server (both started by chromium.mjs).
//
// A user types an even node count, sees the error inline and in the list with its path and line, moves between
// the two, fixes it, sees the StatefulSet with the new replica count and shares it; breaks the YAML and sees the
// parser's position; completes a key and an enum value from the CRD; reads a field's documentation on hover;
// previews an update (problems, plan and the diff of the rendered objects); loads an example and undoes it;
// switches to dark mode and back; and does it from the keyboard. With REDBs in the text: completes a REDB key,
// loads the REC + REDBs example, sees a port clash between two REDBs inline and each REDB's Kubernetes side
// (Services, Secret). Screenshots go to artifacts/ (gitignored).
//
// The editor is CodeMirror; the test types with the keyboard and reads the editor's state through the view its
// host element carries (`#new-editor`.editorView), as the page's own code would.
//
// The page's pieces that need no browser (units.mjs) run in this file's run too, so the one command CI runs for
// the page (scripts/test.d/60-preview.sh) covers them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './chromium.mjs';
import './units.mjs';

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

async function open(url, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...options });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { page, errors };
}

/** The text of an editor ('new-editor' or 'old-editor'). */
const text = (page, host = 'new-editor') =>
  page.evaluate((id) => document.getElementById(id).editorView.state.doc.toString(), host);

/** The cursor's 1-based line in the new editor. */
const caretLine = (page) => page.evaluate(() => {
  const { state } = document.getElementById('new-editor').editorView;
  return state.doc.lineAt(state.selection.main.head).number;
});

/** Puts the cursor at `offset` of the new editor (as a click would) and focuses it. */
async function placeCursor(page, offset, end = offset) {
  await page.evaluate(([from, to]) => {
    const view = document.getElementById('new-editor').editorView;
    view.dispatch({ selection: { anchor: from, head: to } });
    view.focus();
  }, [offset, end]);
}

/** Selects the value on the first line starting with `key:` and types `typed` over it, as a user would. */
async function retype(page, key, typed) {
  const doc = await text(page);
  const match = new RegExp(`^(\\s*${key}:\\s*)(.*)$`, 'm').exec(doc);
  const start = match.index + match[1].length;
  await placeCursor(page, start, start + match[2].length);
  await page.keyboard.type(typed);
}

/** Replaces the whole text of the new editor with `doc` (one paste), leaving the cursor at its end. */
async function paste(page, doc) {
  await placeCursor(page, 0);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(doc);
}

/** Waits out the completion list's guard against accidental picks (Enter within 75 ms of a change types a new
 *  line instead), as a person reading the list does. */
const settle = (page) => page.waitForTimeout(150);

/** Clicks "Share link" and returns the link once the page has compressed the spec into it. */
async function shareLink(page) {
  await page.locator('#share').click();
  await page.locator('#share-box').waitFor({ state: 'visible' });
  return page.locator('#share-link').inputValue();
}

/** The 1-based line of the first `key:` line in the editor. */
async function lineOf(page, key) {
  return (await text(page)).split('\n').findIndex((l) => new RegExp(`^\\s*${key}:`).test(l)) + 1;
}

/** The editor's rendered line holding `snippet`. */
const editorLine = (page, snippet, host = 'new-editor') => page.locator(`#${host} .cm-line`, { hasText: snippet }).first();

test('an error inline and in the list, each leading to the other; fixed, rendered and shared', async () => {
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

  // Inline: the problem is marked in the text and in the gutter of its line.
  const inline = editorLine(page, 'nodes: 4').locator('.cm-lintRange-error');
  await inline.waitFor();
  assert.equal(await page.locator('#new-editor .cm-gutter-lint .cm-lint-marker-error').count(), 1);

  // From the list to the text: the cursor goes to the problem's line, which is marked.
  await placeCursor(page, 0);
  await problem.click();
  assert.equal(await caretLine(page), nodesLine, 'clicking the problem puts the cursor on its line');
  await page.locator(`#new-editor .cm-jumped[data-line="${nodesLine}"]`).waitFor();
  assert.match(await page.locator('#field-doc').textContent(), /spec\.nodes/);
  await page.screenshot({ path: join(artifacts, 'preview-error.png') });

  // From the text to the list: clicking the marked text marks the problem in the list.
  await placeCursor(page, 0);
  await page.locator('#problems li.current').waitFor({ state: 'detached' });
  await inline.click();
  await page.locator('#problems li.current[data-code="nodes-even"]').waitFor();

  await retype(page, 'nodes', '5');
  await page.locator('#problems li[data-code="nodes-even"]').waitFor({ state: 'detached', timeout: 5_000 });
  assert.equal(await page.locator('#new-editor .cm-lintRange-error').count(), 0);
  const tab = page.locator('#tabs .tab', { hasText: /^StatefulSet\// });
  await tab.click();
  assert.match(await page.locator('#object').textContent(), /^\s*replicas: 5$/m);
  await page.screenshot({ path: join(artifacts, 'preview.png') });

  const link = await shareLink(page);
  assert.match(link, /#spec=[A-Za-z0-9_-]+$/);
  const spec = await text(page);
  const shared = await open(link);
  assert.equal(await text(shared.page), spec, 'the share link restores the same spec');
  await shared.page.locator('#tabs .tab', { hasText: /^StatefulSet\// }).click();
  assert.match(await shared.page.locator('#object').textContent(), /^\s*replicas: 5$/m);
  assert.deepEqual([...errors, ...shared.errors], []);
});

test('a YAML syntax error shows the parser position, inline too, never a blank page', async () => {
  const { page, errors } = await open(base);
  await retype(page, 'nodes', '3: x'); // not `[3`: the editor closes brackets
  const problem = page.locator('#problems li[data-code="yaml-syntax"]');
  await problem.waitFor({ timeout: 5_000 });
  const line = Number(await problem.getAttribute('data-line'));
  assert.ok(line >= (await lineOf(page, 'nodes')), `the error is placed at or after the broken line (${line})`);
  assert.match(await page.locator('#summary').textContent(), /YAML syntax error .* at \d+:\d+/);
  await page.locator('#new-editor .cm-lint-marker-error').first().waitFor();
  assert.deepEqual(errors, []);
});

test('completion offers the keys the CRD has at the cursor, and enum values, while typing and on Ctrl-Space', async () => {
  const { page, errors } = await open(base);
  await paste(page, 'apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n  ');
  await page.keyboard.type('persistentSp');
  const options = page.locator('.cm-tooltip-autocomplete li .cm-completionLabel');
  await options.first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await options.allTextContents(), ['persistentSpec'], 'offered while typing');
  await page.keyboard.press('Escape');
  await options.first().waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Space');
  await options.first().waitFor();
  assert.match(await options.first().textContent(), /^persistentSpec/);
  await page.screenshot({ path: join(artifacts, 'completion.png') });
  await settle(page);
  await page.keyboard.press('Enter');
  // An object: its key, then a new line one step deeper, where Ctrl-Space offers its own keys only.
  assert.match(await text(page), /\n {2}persistentSpec:\n {4}$/);
  await page.keyboard.press('Control+Space');
  await options.first().waitFor();
  const inner = await options.allTextContents();
  assert.ok(inner.includes('volumeSize') && inner.includes('enabled') && !inner.includes('nodes'), inner.join());
  await page.keyboard.press('Escape');

  // Keys already written are not offered again; an enum field offers its values.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('uiServiceType: ');
  await page.keyboard.press('Control+Space');
  await options.first().waitFor();
  assert.deepEqual(await options.allTextContents(), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  await page.keyboard.type('Lo');
  await page.waitForFunction(() => [...document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')]
    .map((l) => l.textContent).join() === 'LoadBalancer');
  await settle(page);
  await page.keyboard.press('Enter');
  assert.match(await text(page), /\n {2}uiServiceType: LoadBalancer$/);
  await page.keyboard.press('Enter');
  await page.keyboard.type('node');
  await page.keyboard.press('Control+Space');
  await options.first().waitFor();
  const keys = await options.allTextContents();
  assert.ok(keys.includes('nodeSelector') && !keys.includes('nodes'), `nodes is written already: ${keys.join()}`);
  assert.deepEqual(errors, []);
});

test('hovering a field shows its CRD documentation: type, description, default and rules', async () => {
  const { page, errors } = await open(base);
  const key = editorLine(page, 'nodes: 3');
  const box = await key.boundingBox();
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  const tip = page.locator('.cm-tooltip-hover .field-info');
  await tip.waitFor({ timeout: 5_000 });
  const shown = await tip.textContent();
  assert.match(shown, /spec\.nodes/);
  assert.match(shown, /integer/);
  assert.match(shown, /Number of Redis Enterprise nodes/);
  assert.match(shown, /Default3/);
  for (const code of ['nodes-even', 'nodes-too-few', 'nodes-too-many']) assert.match(shown, new RegExp(code));
  await page.screenshot({ path: join(artifacts, 'hover.png') });

  // An enum field lists its values.
  const service = await editorLine(page, 'uiServiceType').boundingBox();
  await page.mouse.move(service.x + 40, service.y + service.height / 2);
  await page.locator('.cm-tooltip-hover .field-info', { hasText: 'spec.uiServiceType' }).waitFor();
  assert.match(await page.locator('.cm-tooltip-hover .values').textContent(), /ClusterIPNodePortLoadBalancer/);
  assert.deepEqual(errors, []);
});

test('update mode: the transition errors, the plan, and the diff of the rendered objects', async () => {
  const { page, errors } = await open(base);
  await page.locator('#update-mode').check();
  await page.locator('#old-pane').waitFor();
  assert.equal(await text(page, 'old-editor'), await text(page));
  assert.match(await page.locator('#count').textContent(), /0 changed by the edit/);
  await retype(page, 'nodes', '1');
  await page.locator('#problems li[data-code="nodes-decreased"]').waitFor({ timeout: 5_000 });
  assert.match(await page.locator('#summary').textContent(), /invalid update/);
  assert.equal(await page.locator('#plan-state').textContent(), 'Invalid');
  assert.match(await page.locator('#plan-summary').textContent(), /refused: spec\.nodes \[nodes-decreased\]/);

  // Two more nodes: the plan says how they join, and the diff shows what changes in the StatefulSet.
  await retype(page, 'nodes', '5');
  await page.locator('#plan-state', { hasText: 'ScalingUp' }).waitFor({ timeout: 5_000 });
  assert.match(await page.locator('#plan-summary').textContent(), /adds 2 node\(s\) one at a time \(rec-3, rec-4\)/);
  assert.equal(await page.locator('#plan-steps li').count(), 4);
  const sts = page.locator('#tabs .tab', { hasText: /^StatefulSet\// });
  assert.match(await sts.getAttribute('class'), /changed/);
  assert.match(await page.locator('#tabs .tab', { hasText: /^Service\/rec-ui$/ }).getAttribute('class'), /same/);
  await sts.click();
  const changed = page.locator('#object table.diff tr.changed', { hasText: 'replicas' });
  await changed.waitFor();
  assert.match(await changed.locator('td.old').textContent(), /^\s*replicas: 3$/);
  assert.match(await changed.locator('td.new').textContent(), /^\s*replicas: 5$/);
  assert.ok(await page.locator('#object table.diff tr.fold').count() > 0, 'unchanged lines are folded');
  await page.screenshot({ path: join(artifacts, 'update-plan.png'), fullPage: true });

  // The diff toggle shows the new YAML instead.
  await page.locator('#diff-toggle').click();
  assert.equal(await page.locator('#object table.diff').count(), 0);
  assert.match(await page.locator('#object').textContent(), /^\s*replicas: 5$/m);

  const shared = await open(await shareLink(page));
  assert.equal(await shared.page.locator('#update-mode').isChecked(), true, 'the link keeps update mode');
  await shared.page.locator('#plan-state', { hasText: 'ScalingUp' }).waitFor({ timeout: 5_000 });
  assert.deepEqual([...errors, ...shared.errors], []);
});

test('an example from the menu replaces the text, and undo brings the text back', async () => {
  const { page, errors } = await open(base);
  const before = await text(page);
  await page.locator('#examples summary').click();
  await page.locator('#examples button', { hasText: '5-node production' }).click();
  await page.waitForFunction(() => document.getElementById('new-editor').editorView.state.doc.toString().includes('name: prod'));
  await page.locator('#tabs .tab', { hasText: /^StatefulSet\/prod$/ }).click();
  assert.match(await page.locator('#summary').textContent(), /✓ valid · 0 errors · 0 warnings/);
  assert.match(await page.locator('#object').textContent(), /^\s*replicas: 5$/m);
  await page.screenshot({ path: join(artifacts, 'example.png') });

  await page.locator('#examples summary').click();
  await page.locator('#examples button', { hasText: 'rack-aware' }).click();
  await page.waitForFunction(() => document.getElementById('new-editor').editorView.state.doc.toString().includes('rackAwarenessNodeLabel'));
  await page.locator('#tabs .tab', { hasText: /^StatefulSet\/rack-aware$/ }).click();
  assert.match(await page.locator('#object').textContent(), /topologyKey: topology\.kubernetes\.io\/zone/);
  assert.match(await page.locator('#summary').textContent(), /✓ valid/);

  await placeCursor(page, 0);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  assert.equal(await text(page), before, 'two undos bring back the text before the two examples');
  await page.keyboard.press('Control+z');
  assert.equal(await text(page), before, 'the text the page opened with is not undone');
  assert.deepEqual(errors, []);
});

test('dark mode follows the system, and the toggle overrides it both ways', async () => {
  const { page, errors } = await open(base, { colorScheme: 'dark' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const editorBackground = () => page.evaluate(() => getComputedStyle(document.querySelector('#new-editor .cm-editor')).backgroundColor);
  assert.equal(await background(), 'rgb(20, 23, 28)');
  assert.equal(await editorBackground(), 'rgb(23, 26, 32)');
  assert.equal(await page.locator('#theme').getAttribute('aria-pressed'), 'true');
  await retype(page, 'nodes', '4');
  await page.locator('#problems li[data-code="nodes-even"]').waitFor();
  await page.screenshot({ path: join(artifacts, 'dark.png') });
  await page.locator('#theme').click();
  assert.equal(await background(), 'rgb(246, 247, 249)');
  assert.equal(await page.locator('#theme').getAttribute('aria-pressed'), 'false');

  // Light system: the toggle turns dark, and the choice outlives a reload; pressed again, the page follows the
  // system again (the choice is forgotten).
  await page.emulateMedia({ colorScheme: 'light' });
  await page.locator('#theme').click();
  assert.equal(await background(), 'rgb(20, 23, 28)');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await background(), 'rgb(20, 23, 28)');
  await page.locator('#theme').click();
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(), 'rgb(20, 23, 28)', 'follows the system again');
  // The toggle's state follows the system through the page's matchMedia listener, which runs after the media
  // change is emulated (the stylesheet's media query applies at once): wait for it, bounded.
  await page.waitForFunction(() => document.querySelector('#theme').getAttribute('aria-pressed') === 'true',
    null, { timeout: 5000 });
  assert.deepEqual(errors, []);
});

test('every action is reachable from the keyboard, and the controls are labelled', async () => {
  const { page, errors } = await open(base);
  // The editor is labelled for screen readers, and Tab from the header reaches the actions in order.
  assert.equal(await page.locator('#new-editor .cm-content').getAttribute('aria-label'),
    'REC and REDB YAML (documents separated by ---), checked as you type');
  const reached = [];
  await page.locator('body').focus();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim().slice(0, 20)));
  }
  for (const id of ['update-mode', 'Examples', 'theme', 'share']) assert.ok(reached.includes(id), `${id} not in ${reached}`);

  // An example from the keyboard: open the menu, pick with Tab and Enter.
  await page.locator('#examples summary').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('new-editor').editorView.state.doc.toString().includes('name: prod'));

  // A problem from the keyboard: F8 in the editor goes to it, Enter on the list item goes back to the text.
  await retype(page, 'nodes', '4');
  const problem = page.locator('#problems li[data-code="nodes-even"]');
  await problem.waitFor();
  await placeCursor(page, 0);
  await page.keyboard.press('F8');
  assert.equal(await caretLine(page), await lineOf(page, 'nodes'));
  await problem.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('cm-content')), true);

  // Escape, then Tab, leaves the editor (it keeps Tab for indentation otherwise).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('cm-content')), false);
  assert.deepEqual(errors, []);
});

const REC_TEXT = 'apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\n  namespace: ns\n'
  + 'spec:\n  nodes: 3\n';
const redbText = (name, port) => 'apiVersion: app.redislabs.com/v1alpha1\nkind: RedisEnterpriseDatabase\n'
  + `metadata:\n  name: ${name}\n  namespace: ns\nspec:\n  memorySize: 100MB\n  replication: true\n`
  + `  persistence: aofEverySecond\n  databasePort: ${port}\n`;

test('REDB: completion and hover from the REDB CRD in a REDB document, from the REC CRD in the REC', async () => {
  const { page, errors } = await open(base);
  await paste(page, `${REC_TEXT}---\napiVersion: app.redislabs.com/v1alpha1\nkind: RedisEnterpriseDatabase\n`
    + 'metadata:\n  name: db\nspec:\n  replication: true\n  ');
  await page.keyboard.type('memorySi');
  const options = page.locator('.cm-tooltip-autocomplete li .cm-completionLabel');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Space');
  await options.first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await options.allTextContents(), ['memorySize'], 'the REDB CRD offers memorySize');
  await page.screenshot({ path: join(artifacts, 'redb-completion.png') });
  await settle(page);
  await page.keyboard.press('Enter');
  await page.keyboard.type('1GB');
  assert.match(await text(page), /\n {2}memorySize: 1GB$/);
  // Hover on a REDB field (the text is readable YAML again): its documentation comes from the REDB CRD.
  const field = await editorLine(page, 'memorySize: 1GB').boundingBox();
  await page.mouse.move(field.x + 40, field.y + field.height / 2);
  const tip = page.locator('.cm-tooltip-hover .field-info', { hasText: 'spec.memorySize' });
  await tip.waitFor({ timeout: 5_000 });
  assert.match(await tip.textContent(), /Memory size/);
  await page.mouse.move(0, 0);
  // Keys already written are not offered; the REC document above still completes from the REC's CRD.
  await page.keyboard.press('Enter');
  await page.keyboard.type('repl');
  await page.keyboard.press('Control+Space');
  await options.first().waitFor();
  const keys = await options.allTextContents();
  assert.ok(keys.includes('replicaSources') && !keys.includes('replication'), keys.join());
  await page.keyboard.press('Escape');
  const nodes = (await text(page)).indexOf('  nodes: 3') + 2;
  await placeCursor(page, nodes + 'nodes: 3'.length);
  await page.keyboard.press('Enter');
  await page.keyboard.type('persistentSp');
  await options.first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await options.allTextContents(), ['persistentSpec'], 'the REC document completes from the REC CRD');
  await page.keyboard.press('Escape');

  assert.deepEqual(errors, []);
});

test('REDB: the REC + REDBs example, each REDB\'s Kubernetes side, and the lone REDB example', async () => {
  const { page, errors } = await open(base);
  await page.locator('#examples summary').click();
  await page.locator('#examples button', { hasText: 'REC + 2 REDBs' }).click();
  await page.waitForFunction(() => document.getElementById('new-editor').editorView.state.doc.toString().includes('name: sessions'));
  await page.locator('#databases-pane').waitFor({ state: 'visible' });
  assert.match(await page.locator('#summary').textContent(), /✓ valid · 3 documents · 0 errors · 0 warnings/);
  const orders = page.locator('#databases details[data-name="orders"]');
  const services = await orders.locator('td.service-name').allTextContents();
  assert.deepEqual(services, ['orders', 'orders-headless', 'orders-load-balancer']);
  assert.match(await orders.locator('tr[data-service="orders"]').textContent(), /ClusterIP12000 \(databasePort\)/);
  assert.equal(await orders.locator('.secret-name').textContent(), 'redb-orders');
  assert.match(await page.locator('#databases details[data-name="sessions"] tr[data-service="sessions-headless"]').textContent(),
    /ClusterIP \(headless\)6379 \(databaseServicePort\)/);
  assert.match(await orders.locator('.finalizer').textContent(), /^finalizer\.redisenterprisedatabases\.app\.redislabs\.com$/);
  // The REC still renders.
  await page.locator('#tabs .tab', { hasText: /^StatefulSet\/rec$/ }).waitFor();
  await page.screenshot({ path: join(artifacts, 'redb-example.png'), fullPage: true });
  // Dark mode: the Databases pane follows it as the rest of the page does.
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await page.locator('#databases-pane').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(28, 32, 39)');
  await page.screenshot({ path: join(artifacts, 'redb-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await page.locator('#databases-pane').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(255, 255, 255)');

  // Keyboard: a REDB's disclosure is reachable and folds with Enter.
  const summary = orders.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.equal(await orders.evaluate((d) => d.open), false);
  await page.keyboard.press('Enter');
  assert.equal(await orders.evaluate((d) => d.open), true);

  await page.locator('#examples summary').click();
  await page.locator('#examples button', { hasText: 'REDB alone' }).click();
  await page.locator('#problems li[data-code="redb-no-context"]').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#problems li[data-code="redb-no-context"]').getAttribute('data-line'), '1');
  assert.match(await page.locator('#object').textContent(), /no REC/);
  const alone = page.locator('#databases details[data-name="redb"]');
  assert.equal(await alone.locator('.secret-name').textContent(), 'redb-password');
  assert.match(await alone.textContent(), /no REC given/);
  assert.deepEqual(errors, []);
});

test('REDB: a port clash between two REDBs is shown inline in each, and the Kubernetes side lists redb-headless', async () => {
  const { page, errors } = await open(base);
  await paste(page, `${REC_TEXT}---\n${redbText('redb', 12000)}---\n${redbText('cache', 12000)}`);
  const clash = page.locator('#problems li[data-code="redb-port-taken"]');
  await clash.first().waitFor({ timeout: 5_000 });
  assert.equal(await clash.count(), 2, 'each REDB names the other');
  const lines = (await text(page)).split('\n');
  const portLines = lines.flatMap((l, i) => (l.includes('databasePort: 12000') ? [String(i + 1)] : []));
  assert.deepEqual(await clash.evaluateAll((items) => items.map((i) => i.dataset.line)), portLines);
  assert.deepEqual(await clash.evaluateAll((items) => items.map((i) => i.dataset.document)), ['1', '2']);
  assert.match(await clash.nth(1).textContent(), /REDB cache/);
  // Inline: both port lines are marked, in the text and in the gutter.
  assert.equal(await page.locator('#new-editor .cm-line', { hasText: 'databasePort: 12000' }).locator('.cm-lintRange-error').count(), 2);
  assert.ok(await page.locator('#new-editor .cm-gutter-lint .cm-lint-marker-error').count() >= 2);
  assert.match(await page.locator('#summary').textContent(), /✗ invalid · 3 documents · 2 errors/);
  // The REDBs' Kubernetes side is there all the same.
  const headless = page.locator('#databases details[data-name="redb"] tr[data-service="redb-headless"]');
  await headless.waitFor();
  assert.match(await headless.textContent(), /redb-headless/);
  await page.screenshot({ path: join(artifacts, 'redb-port-clash.png'), fullPage: true });

  // From the list to the second REDB's line.
  await clash.nth(1).click();
  assert.equal(await caretLine(page), Number(portLines[1]));
  // Fixed: no clash left.
  await retype(page, 'databasePort', '12001');
  await clash.first().waitFor({ state: 'detached', timeout: 5_000 });
  assert.deepEqual(errors, []);
});
