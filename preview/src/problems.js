// The problems: the core's violations (and a YAML syntax error) as a list, each with its code, path and
// LINE:COLUMN, and as diagnostics in the editor it belongs to. Clicking a problem in the list jumps to it in the
// text; clicking (or moving the cursor into) a problem in the text marks it in the list, and the diagnostic's
// tooltip and the lint panel (Ctrl-Shift-M) have "Show in the list".

import { $, el, plural } from './dom.js';
import { jumpTo, offsetOf, showDiagnostics } from './editor.js';

let items = []; // [{li, editor, diagnostic}] in list order

/** Fills the list and the editors' diagnostics from the core's `answer`. `editors`: {new, old}. */
export function showProblems(answer, editors, { update, took }) {
  const list = $('problems');
  const summary = $('summary');
  items = [];
  const problems = [];
  const error = answer.yamlError;
  if (error) {
    const old = error.document === 'old';
    const which = error.documentIndex === undefined ? '' : ` (document ${error.documentIndex + 1})`;
    problems.push({ severity: 'error', code: 'yaml-syntax', path: `${old ? '(current text)' : '(document)'}${which}`,
      message: error.message, line: error.line, column: error.column, editor: old ? editors.old : editors.new });
    summary.textContent = `YAML syntax error in the ${old ? 'current ' : ''}text${which} at ${error.line}:${error.column}`;
    summary.className = 'summary bad';
  } else {
    const report = answer.report;
    const documents = answer.documents ?? [];
    problems.push(...answer.violations.map((v) => ({ ...v, editor: editors.new, document: documents[v.documentIndex] })));
    const several = documents.length > 1 ? `${plural(documents.length, 'document')} · ` : '';
    const counts = `${several}${plural(report.errors, 'error')} · ${plural(report.warnings, 'warning')}`;
    const mode = update ? 'update ' : '';
    summary.textContent = report.valid ? `✓ valid ${mode}· ${counts}` : `✗ invalid ${mode}· ${counts}`;
    summary.className = `summary ${report.valid ? (report.warnings ? 'warn' : 'good') : 'bad'}`;
  }
  summary.title = `checked by the core in ${took.toFixed(1)} ms`;
  const nodes = problems.map(item);
  if (!problems.length) nodes.push(el('li', 'none', 'No errors, no warnings.'));
  list.replaceChildren(...nodes);
  for (const editor of [editors.new, editors.old]) {
    showDiagnostics(editor, items.filter((i) => i.editor === editor && i.diagnostic).map((i) => i.diagnostic));
  }
}

function item(p) {
  const li = el('li', `problem ${p.severity}`);
  li.tabIndex = 0;
  const where = p.line ? `${p.line}:${p.column}` : '—';
  const path = el('span', 'path', p.path);
  path.title = p.path;
  li.append(el('span', 'severity', p.severity), el('code', 'code', p.code), path, el('span', 'position', where));
  // Which document of a text of several: its kind and name (the REC and each REDB).
  const docName = p.document ? documentLabel(p.document) : '';
  if (docName) li.append(el('span', 'document', docName));
  li.append(el('div', 'message', p.message));
  li.dataset.code = p.code;
  li.dataset.path = p.path;
  if (p.documentIndex !== undefined) li.dataset.document = p.documentIndex;
  const entry = { li, editor: p.editor, diagnostic: null };
  if (p.line) {
    li.dataset.line = p.line;
    li.dataset.column = p.column;
    const inDocument = docName ? ` in ${docName}` : '';
    li.setAttribute('aria-label', `${p.severity} ${p.code}${inDocument} at line ${p.line} column ${p.column}: ${p.message}`);
    const doc = p.editor.state.doc;
    const from = offsetOf(doc, p.line, p.column);
    const line = doc.lineAt(from);
    const end = line.from + line.text.replace(/\s+(#.*)?$/, '').length;
    entry.diagnostic = {
      from, to: Math.max(end, Math.min(from + 1, line.to)), severity: p.severity, source: p.code,
      message: `${p.code} (${p.path}): ${p.message}`,
      actions: [{ name: 'Show in the list', apply: () => markInList(entry, true) }],
    };
    const jump = () => {
      markInList(entry, false);
      jumpTo(p.editor, p.line, p.column);
    };
    li.addEventListener('click', jump);
    li.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), jump()));
  }
  items.push(entry);
  return li;
}

/** A document as the list names it: `REDB cache`, `REC rec`. */
export function documentLabel(document) {
  const short = { RedisEnterpriseCluster: 'REC', RedisEnterpriseDatabase: 'REDB' }[document.kind] ?? document.kind;
  return `${short} ${document.name ?? '(unnamed)'}`;
}

/** Marks the problem under the cursor of `editor` in the list (none when the cursor is on no problem). */
export function followCursor(editor) {
  const head = editor.state.selection.main.head;
  const entry = items.find((i) => i.editor === editor && i.diagnostic && i.diagnostic.from <= head && head <= i.diagnostic.to);
  markInList(entry ?? null, false);
}

/** Marks `entry` (or none) as the current problem; scrolls it into view, and focuses it when `focus`. */
function markInList(entry, focus) {
  for (const i of items) {
    i.li.classList.toggle('current', i === entry);
    if (i === entry) i.li.setAttribute('aria-current', 'true');
    else i.li.removeAttribute('aria-current');
  }
  entry?.li.scrollIntoView({ block: 'nearest' });
  if (focus) entry?.li.focus();
}
