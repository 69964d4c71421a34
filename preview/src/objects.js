// The rendered resources pane: one tab per object the core rendered, the selected object's YAML, and in update
// mode a side-by-side diff of each object before the edit (the core's render of the old text alone) and after.
// Tabs are marked added / removed / changed by comparing the core's texts; the page renders nothing itself.

import { $, el } from './dom.js';
import { sideBySide } from './diff.js';

const keyOf = (o) => `${o.kind}/${o.name}`;
let selected = ''; // the shown object's "Kind/name"
let shown = null; // the last call's arguments: a tab click draws them again
let drawn = ''; // what the pane shows now: an edit that leaves it as it is costs no redraw

/**
 * Shows `after` (the core's objects for the edited text, or null) and, when `before` is given (update mode:
 * the objects of the old text alone, or null when it renders nothing), the diff of each. `why` says why
 * nothing was rendered.
 */
export function showObjects({ after, before, diff, why }) {
  shown = { after, before, diff, why };
  const tabs = $('tabs');
  const pane = $('object');
  $('copy').disabled = $('download').disabled = !after;
  const update = before !== undefined;
  $('diff-toggle').hidden = !update;
  const entries = tabEntries(after, update ? before : after);
  // The selected object, else the StatefulSet (the one most edits change), else the first.
  const entry = entries.find((e) => e.key === selected) ?? entries.find((e) => e.key.startsWith('StatefulSet/')) ?? entries[0];
  const now = JSON.stringify([update, diff, why, entries.map((e) => `${e.key} ${e.change}`), entry?.key,
    entry?.after?.yaml, entry?.before?.yaml]);
  if (now === drawn) return;
  drawn = now;
  if (!entries.length) {
    tabs.replaceChildren();
    $('count').textContent = '';
    pane.className = 'object empty';
    pane.replaceChildren(why);
    return;
  }
  selected = entry.key;
  tabs.replaceChildren(...entries.map((e) => tab(e, update)));
  const changed = entries.filter((e) => e.change !== 'same').length;
  $('count').textContent = `${after?.length ?? 0} objects${update ? ` · ${changed} changed by the edit` : ''}`;
  pane.className = 'object';
  if (update && diff) {
    pane.replaceChildren(diffTable(entry));
  } else if (entry.after) {
    const pre = el('pre', 'yaml');
    pre.append(...highlight(entry.after.yaml));
    pane.replaceChildren(pre);
  } else {
    pane.className = 'object empty';
    pane.replaceChildren(update ? 'The edit removes this object.' : why);
  }
}

/** The shown object (for Copy). */
export function selectedObject(after) {
  return after?.find((o) => keyOf(o) === selected) ?? null;
}

/** Tabs in the order of the new render, then objects only the old text rendered; each with its change. */
function tabEntries(after, before) {
  const old = new Map((before ?? []).map((o) => [keyOf(o), o]));
  const entries = (after ?? []).map((o) => {
    const was = old.get(keyOf(o));
    const change = !before ? 'same' : !was ? 'added' : was.yaml === o.yaml ? 'same' : 'changed';
    return { key: keyOf(o), after: o, before: was ?? null, change };
  });
  const now = new Set(entries.map((e) => e.key));
  for (const [key, o] of old) if (!now.has(key) && after) entries.push({ key, after: null, before: o, change: 'removed' });
  return entries;
}

function tab(entry, update) {
  const button = el('button', `tab ${update ? entry.change : ''}`, entry.key);
  button.type = 'button';
  button.setAttribute('role', 'tab');
  button.setAttribute('aria-selected', String(entry.key === selected));
  if (update && entry.change !== 'same') button.setAttribute('aria-label', `${entry.key} (${entry.change})`);
  button.addEventListener('click', () => {
    selected = entry.key;
    showObjects(shown);
    $('tabs').querySelector('[aria-selected="true"]')?.focus();
  });
  return button;
}

/** A two-column table: the object before the edit, and after. */
function diffTable(entry) {
  const rows = sideBySide(entry.before?.yaml ?? '', entry.after?.yaml ?? '');
  const table = el('table', 'diff');
  const caption = el('caption', '', `${entry.key}: ${describeChange(entry)}`);
  const head = el('tr');
  head.append(el('th', 'ln', ''), el('th', '', 'Before the edit'), el('th', 'ln', ''), el('th', '', 'After the edit'));
  table.append(caption, head);
  for (const row of rows) {
    const tr = el('tr', row.kind);
    if (row.kind === 'fold') {
      const cell = el('td', 'fold', `⋯ ${row.count} unchanged line${row.count === 1 ? '' : 's'}`);
      cell.colSpan = 4;
      tr.append(cell);
    } else {
      tr.append(el('td', 'ln', row.old?.[0] ?? ''), el('td', 'old', row.old?.[1] ?? ''),
        el('td', 'ln', row.new?.[0] ?? ''), el('td', 'new', row.new?.[1] ?? ''));
    }
    table.append(tr);
  }
  return table;
}

function describeChange(entry) {
  return { same: 'unchanged', added: 'added by the edit', removed: 'removed by the edit', changed: 'changed' }[entry.change];
}

/** YAML lines with keys and list dashes marked for colour (text nodes only: no HTML is parsed). */
function highlight(yaml) {
  const key = /^(\s*(?:- )*)("(?:[^"\\]|\\.)*"|[^\s"#][^:]*?):(?= |$)(.*)$/;
  const nodes = [];
  for (const line of yaml.split('\n')) {
    const m = key.exec(line);
    if (m) nodes.push(el('span', 'dash', m[1]), el('span', 'key', `${m[2]}:`), el('span', 'value', m[3]));
    else nodes.push(el('span', 'value', line));
    nodes.push('\n');
  }
  return nodes;
}
