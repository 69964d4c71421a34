// The page: wires the two editors to the core's Preview operation and shows its answer (problems, plan, rendered
// objects and, in update mode, their diff; each REDB's Kubernetes side), the field documentation, examples, share
// links and the theme. No REC or REDB logic lives here: reading YAML (and its documents), validating, rendering,
// planning, the REDBs' Services and Secrets and locating fields are the core's; the field tables (schema.js, also
// the core's) only document and complete.

import { Op, ask, load } from './core.js';
import * as share from './share.js';
import { $, el } from './dom.js';
import { createEditor, setText, caret, lineColumn } from './editor.js';
import { loadAll } from './schema.js';
import { schemaCompletion } from './completion.js';
import { fieldAt, fieldDoc } from './field-doc.js';
import { showProblems, followCursor } from './problems.js';
import { showObjects, selectedObject } from './objects.js';
import { showPlan } from './plan.js';
import { showDatabases } from './databases.js';
import { setupTheme } from './theme.js';
import { setupExamples, fetchExample, EXAMPLES } from './examples.js';

const updateMode = $('update-mode');
let answer = null; // the core's last Preview answer
let oldAlone = { text: null, answer: null }; // update mode: the core's Preview of the old text alone (its render)
let schemas = {}; // the field tables by kind, from the core once it is loaded
let ready = false; // the core is loaded
let scheduled = false;
let diffView = true; // update mode shows the diff of the selected object (else its new YAML)
// Random bytes for the password of the rendered credentials secret: the host supplies entropy, the core stays
// pure. Made once per page, so the Secret does not change on every keystroke; never put in a share link.
const entropy = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');

const complete = schemaCompletion((kind) => schemas[kind] ?? null);
/** The field table of the document a field of `preview` (a core answer) is in: its kind's, the REC's by default. */
const schemaOf = (field, preview) =>
  schemas[preview?.documents?.[field?.documentIndex]?.kind ?? 'RedisEnterpriseCluster'] ?? null;
const hoverFrom = (source) => (view, pos) => {
  const { line, column } = lineColumn(view.state.doc, pos);
  const preview = source();
  const field = fieldAt(preview?.fields, line, column);
  return field ? fieldDoc(field, schemaOf(field, preview)) : null;
};
const newEditor = createEditor($('new-editor'), {
  label: 'REC and REDB YAML (documents separated by ---), checked as you type',
  complete,
  hover: hoverFrom(() => answer),
  onChange: schedule,
  onCursor: (view) => {
    followCursor(view);
    showField();
  },
});
const oldEditor = createEditor($('old-editor'), {
  label: 'Current REC and REDB YAML, as applied',
  complete,
  hover: hoverFrom(() => oldAlone.answer),
  onChange: schedule,
  onCursor: followCursor,
});
const textOf = (view) => view.state.doc.toString();
const isUpdate = () => updateMode.checked && textOf(oldEditor).trim() !== '';

/** Checks again once the current edit is done (editors cannot be updated while they dispatch one). */
function schedule() {
  if (scheduled || !ready) return;
  scheduled = true;
  queueMicrotask(check);
}

function check() {
  scheduled = false;
  const update = isUpdate();
  const request = { text: textOf(newEditor), context: { entropy }, describe: true };
  if (update) request.oldText = textOf(oldEditor);
  const started = performance.now();
  try {
    answer = ask(Op.preview, request);
    if (update && oldAlone.text !== request.oldText) {
      oldAlone = { text: request.oldText, answer: ask(Op.preview, { text: request.oldText, context: { entropy }, describe: true }) };
    }
  } catch (error) {
    answer = null;
    $('summary').textContent = `The core refused the request: ${error.message}`;
    $('summary').className = 'summary bad';
    return;
  }
  const took = performance.now() - started;
  for (const v of answer.violations) schemaOf(v, answer)?.see([v]);
  showProblems(answer, { new: newEditor, old: oldEditor }, { update, took });
  showPlan(answer.plan);
  showDatabases(answer.documents ?? []);
  showObjects({
    after: answer.objects ?? null,
    before: update ? (oldAlone.answer?.objects ?? null) : undefined,
    diff: diffView,
    why: answer.yamlError
      ? 'Nothing rendered: the YAML cannot be read.'
      : answer.documents?.length && !answer.documents.some((d) => d.kind === 'RedisEnterpriseCluster')
        ? 'Nothing rendered: the text holds no REC (each REDB\'s Services and Secret are under Databases).'
        : 'Nothing rendered: fix the errors of the REC first (the operator never applies half a cluster).',
  });
  showField();
  followCursor(newEditor);
  if (!document.body.dataset.ready) {
    performance.mark('rec:first-problems');
    document.body.dataset.ready = 'true';
  }
  document.dispatchEvent(new CustomEvent('rec:checked', { detail: { took } }));
}

/** The field panel: the field at the cursor, as the core located it, documented from the CRD. Drawn again only
 *  when that changes (the panel is a live region: a screen reader reads it out once per field). */
let fieldShown = null;
function showField() {
  const { line, column } = caret(newEditor);
  const field = fieldAt(answer?.fields, line, column);
  const why = answer?.yamlError ? 'The YAML cannot be read: fix it to see the field.' : 'Move the cursor onto a field.';
  const schema = schemaOf(field, answer);
  const key = JSON.stringify([field?.path ?? why, field?.type, field?.documentIndex, schema?.table.kind, schema?.version]);
  if (key === fieldShown) return;
  fieldShown = key;
  $('field-doc').replaceChildren(field ? fieldDoc(field, schema) : el('span', 'note', why));
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    flash(button, 'Copied');
  } catch {
    flash(button, 'Copy failed');
  }
}

function flash(button, text) {
  const before = button.dataset.label ?? button.textContent;
  button.dataset.label = before;
  button.textContent = text;
  setTimeout(() => (button.textContent = before), 1200);
}

async function shareLink() {
  const hash = await share.fragment(textOf(newEditor), updateMode.checked ? textOf(oldEditor) : undefined);
  const url = `${location.href.split('#')[0]}${hash}`;
  history.replaceState(null, '', url);
  $('share-box').hidden = false;
  $('share-link').value = url;
  $('share-link').select();
  try {
    await navigator.clipboard.writeText(url);
    $('share-note').textContent = 'Copied to the clipboard.';
  } catch {
    $('share-note').textContent = 'Copy it from the box.';
  }
}

/** The texts to start from: the URL's share link (spec, and old spec in update mode), else the first example. */
async function readTexts() {
  try {
    const shared = await share.read(location.hash);
    if (shared) return shared;
  } catch {
    $('summary').textContent = 'The share link is damaged; showing the example instead.';
  }
  return { spec: await fetchExample(EXAMPLES[0].file), old: undefined };
}

/** Puts `texts` into the editors (both before the check that follows), as their start: not undoable. */
function restore({ spec, old }) {
  updateMode.checked = old !== undefined;
  $('old-pane').hidden = !updateMode.checked;
  setText(oldEditor, old ?? '', false);
  setText(newEditor, spec, false);
}

function wire() {
  setupTheme($('theme'));
  setupExamples($('examples'), (text) => {
    setText(newEditor, text);
    newEditor.focus();
  });
  updateMode.addEventListener('change', () => {
    $('old-pane').hidden = !updateMode.checked;
    if (updateMode.checked && !textOf(oldEditor)) setText(oldEditor, textOf(newEditor));
    schedule();
  });
  $('diff-toggle').addEventListener('click', (e) => {
    diffView = !diffView;
    e.currentTarget.setAttribute('aria-pressed', String(diffView));
    schedule();
  });
  $('share').addEventListener('click', shareLink);
  $('copy').addEventListener('click', (e) => {
    const shown = selectedObject(answer?.objects);
    if (shown) copyText(shown.yaml, e.currentTarget);
  });
  $('download').addEventListener('click', () => {
    if (!answer?.manifest) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([answer.manifest], { type: 'application/yaml' }));
    link.download = 'rec-manifest.yaml';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  });
  window.addEventListener('hashchange', async () => restore(await readTexts()));
}

async function start() {
  wire();
  const texts = readTexts();
  try {
    await load();
  } catch (error) {
    $('summary').textContent = `The core failed to load: ${error.message}`;
    $('summary').className = 'summary bad';
    return;
  }
  // The field tables come from the core itself (compiled in: no other download), before the first check.
  schemas = loadAll((kind) => ask(Op.fieldTable, { kind }));
  ready = true;
  restore(await texts);
}

start();
