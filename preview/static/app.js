// The page: wires the editors to the core's Preview operation and shows its answer.
// No REC logic lives here: reading YAML, validating, rendering and locating fields are the core's.

import { Editor } from './editor.js';
import { Op, ask, load } from './core.js';
import * as share from './share.js';

const $ = (id) => document.getElementById(id);
const newEditor = new Editor($('new-editor'), { label: 'REC YAML' });
const oldEditor = new Editor($('old-editor'), { label: 'Current REC YAML' });
const updateMode = $('update-mode');

let answer = null; // the core's last Preview answer
let selectedKey = ''; // the shown object's "Kind/name"
let scheduled = false;
// Random bytes for the password of the rendered credentials secret: the host supplies entropy, the core stays
// pure. Made once per page, so the Secret does not change on every keystroke; never put in a share link.
const entropy = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Re-checks at the next frame; keystrokes within one frame cost one call. */
function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    check();
  });
}

// The CRD's field documentation is built on the first call that asks for it (a second or two): the first check
// goes without it, so the page shows its answer at once, and every later check includes it.
let describe = false;

function check() {
  const request = { text: newEditor.value, context: { entropy }, describe };
  if (updateMode.checked && oldEditor.value.trim() !== '') request.oldText = oldEditor.value;
  const started = performance.now();
  try {
    answer = ask(Op.preview, request);
  } catch (error) {
    answer = null;
    $('summary').textContent = `The core refused the request: ${error.message}`;
    $('summary').className = 'summary bad';
    return;
  }
  const took = performance.now() - started;
  showProblems(took);
  showPlan();
  showObjects();
  showField();
}

/** Update mode: the core's plan of the change, in its own words (state, summary lines, steps in order). */
function showPlan() {
  const plan = answer.plan;
  $('plan-pane').hidden = !plan;
  if (!plan) return;
  const state = $('plan-state');
  state.textContent = plan.state;
  state.className = `summary ${plan.refused.length ? 'bad' : plan.steps.length ? 'warn' : 'good'}`;
  const lines = $('plan-summary');
  lines.replaceChildren(...plan.summary.map((line) => el('li', line.startsWith('refused:') ? 'refused' : '', line)));
  $('plan-steps').replaceChildren(...plan.steps.map((step) => el('li', `step ${step.status}`, step.text)));
}

function showProblems(took) {
  const list = $('problems');
  list.replaceChildren();
  const newLines = new Map();
  const oldLines = new Map();
  const summary = $('summary');
  const error = answer.yamlError;
  if (error) {
    const old = error.document === 'old';
    list.append(problem({ severity: 'error', code: 'yaml-syntax', path: old ? '(current REC)' : '(document)',
      message: error.message, line: error.line, column: error.column, old }));
    (old ? oldLines : newLines).set(error.line, 'error');
    summary.textContent = `YAML syntax error in the ${old ? 'current ' : ''}REC at ${error.line}:${error.column}`;
    summary.className = 'summary bad';
  } else {
    const report = answer.report;
    for (const v of answer.violations) {
      list.append(problem(v));
      if (v.line && newLines.get(v.line) !== 'error') newLines.set(v.line, v.severity);
    }
    const counts = `${plural(report.errors, 'error')} · ${plural(report.warnings, 'warning')}`;
    const mode = isUpdate() ? 'update ' : '';
    summary.textContent = report.valid ? `✓ valid ${mode}· ${counts}` : `✗ invalid ${mode}· ${counts}`;
    summary.className = `summary ${report.valid ? (report.warnings ? 'warn' : 'good') : 'bad'}`;
    if (!answer.violations.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'No errors, no warnings.';
      list.append(li);
    }
  }
  summary.title = `checked by the core in ${took.toFixed(1)} ms`;
  newEditor.setProblems(newLines);
  oldEditor.setProblems(oldLines);
}

function isUpdate() {
  return updateMode.checked && oldEditor.value.trim() !== '';
}

function problem(v) {
  const li = document.createElement('li');
  li.className = `problem ${v.severity}`;
  li.tabIndex = 0;
  const where = v.line ? `${v.line}:${v.column}` : '—';
  li.append(
    el('span', 'severity', v.severity),
    el('code', 'code', v.code),
    el('span', 'path', v.path),
    el('span', 'position', where),
    el('div', 'message', v.message),
  );
  li.querySelector('.path').title = v.path;
  li.dataset.code = v.code;
  li.dataset.path = v.path;
  if (v.line) {
    li.dataset.line = v.line;
    li.dataset.column = v.column;
    const editor = v.old ? oldEditor : newEditor;
    const jump = () => {
      editor.jumpTo(v.line, v.column);
      showField();
    };
    li.addEventListener('click', jump);
    li.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), jump()));
  }
  return li;
}

function showObjects() {
  const tabs = $('tabs');
  const pre = $('object');
  tabs.replaceChildren();
  const objects = answer.objects;
  $('copy').disabled = $('download').disabled = !objects;
  if (!objects) {
    $('count').textContent = '';
    pre.className = 'object empty';
    pre.textContent = answer.yamlError
      ? 'Nothing rendered: the YAML cannot be read.'
      : 'Nothing rendered: fix the errors first (the operator never applies half a cluster).';
    return;
  }
  const keys = objects.map((o) => `${o.kind}/${o.name}`);
  if (!keys.includes(selectedKey)) selectedKey = keys.find((k) => k.startsWith('StatefulSet/')) ?? keys[0];
  objects.forEach((o, i) => {
    const tab = el('button', 'tab', `${o.kind}/${o.name}`);
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', String(keys[i] === selectedKey));
    tab.addEventListener('click', () => {
      selectedKey = keys[i];
      showObjects();
    });
    tabs.append(tab);
  });
  pre.className = 'object';
  highlight(pre, objects[keys.indexOf(selectedKey)]?.yaml ?? '');
  $('count').textContent = `${objects.length} objects`;
}

/** Writes YAML into `pre` with keys and list dashes marked for colour (text nodes only: no HTML is parsed). */
function highlight(pre, yaml) {
  const key = /^(\s*(?:- )*)("(?:[^"\\]|\\.)*"|[^\s"#][^:]*?):(?= |$)(.*)$/;
  const nodes = [];
  for (const line of yaml.split('\n')) {
    const m = key.exec(line);
    if (m) nodes.push(el('span', 'dash', m[1]), el('span', 'key', `${m[2]}:`), el('span', 'value', m[3]));
    else nodes.push(el('span', 'value', line));
    nodes.push('\n');
  }
  pre.replaceChildren(...nodes);
}

function showField() {
  const box = $('field-doc');
  const caret = newEditor.caret();
  const field = fieldAt(caret.line, caret.column);
  box.replaceChildren();
  if (!field) {
    box.append(el('span', 'note', 'Move the cursor onto a field.'));
    return;
  }
  box.append(el('code', 'path', field.path));
  if (field.type) box.append(el('span', 'type', field.type));
  box.append(el('p', field.description ? '' : 'note', field.description ?? 'The CRD documents nothing for this field.'));
}

/** The written field on `line` that starts at or before `column` (else the line's first). */
function fieldAt(line, column = Infinity) {
  const here = (answer?.fields ?? []).filter((f) => f.line === line);
  return here.filter((f) => f.column <= column).at(-1) ?? here[0];
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
  const hash = await share.fragment(newEditor.value, updateMode.checked ? oldEditor.value : undefined);
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

async function loadExample() {
  const response = await fetch(new URL('./example-rec.yaml', import.meta.url));
  return response.text();
}

async function restore() {
  let shared = null;
  try {
    shared = await share.read(location.hash);
  } catch {
    $('summary').textContent = 'The share link is damaged; showing the example instead.';
  }
  if (shared) {
    newEditor.value = shared.spec;
    updateMode.checked = shared.old !== undefined;
    oldEditor.value = shared.old ?? '';
  } else {
    newEditor.value = await loadExample();
  }
  $('old-pane').hidden = !updateMode.checked;
}

async function start() {
  newEditor.textarea.addEventListener('input', schedule);
  oldEditor.textarea.addEventListener('input', schedule);
  for (const event of ['keyup', 'click', 'focus']) newEditor.textarea.addEventListener(event, showField);
  newEditor.textarea.addEventListener('mousemove', (e) => {
    const field = fieldAt(newEditor.lineAt(e));
    newEditor.textarea.title = field ? `${field.path}${field.description ? `: ${field.description}` : ''}` : '';
  });
  updateMode.addEventListener('change', () => {
    $('old-pane').hidden = !updateMode.checked;
    if (updateMode.checked && !oldEditor.value) oldEditor.value = newEditor.value;
    schedule();
  });
  $('reset').addEventListener('click', async () => {
    newEditor.value = await loadExample();
    schedule();
  });
  $('share').addEventListener('click', shareLink);
  $('copy').addEventListener('click', (e) => {
    const shown = answer?.objects?.find((o) => `${o.kind}/${o.name}` === selectedKey);
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
  window.addEventListener('hashchange', async () => {
    await restore();
    check();
  });
  try {
    await load();
  } catch (error) {
    $('summary').textContent = `The core failed to load: ${error.message}`;
    $('summary').className = 'summary bad';
    return;
  }
  await restore();
  check();
  document.body.dataset.ready = 'true';
  setTimeout(() => {
    describe = true;
    check();
  }, 50);
}

start();
