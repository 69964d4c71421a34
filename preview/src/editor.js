// The YAML editor: CodeMirror 6 with line numbers, YAML highlighting, undo history, search (Ctrl-F), bracket
// matching and closing, YAML indentation, completion and hover from the page, problems as lint diagnostics, and a
// mark on the line a problem jumped to. It knows nothing about RECs: the page passes the completion source, the
// hover and the diagnostics.
//
// The YAML highlighting is CodeMirror's stream-parser port of the classic YAML mode (about 3 KB minified) rather
// than the Lezer YAML grammar (about 12 KB gzip more): the page's only use of a syntax tree would be colours.

import { EditorState, StateEffect, StateField, Transaction } from '@codemirror/state';
import {
  EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  hoverTooltip,
} from '@codemirror/view';
import { history, historyKeymap, standardKeymap, indentWithTab, toggleComment } from '@codemirror/commands';
import {
  StreamLanguage, HighlightStyle, syntaxHighlighting, bracketMatching, indentService,
  indentUnit,
} from '@codemirror/language';
import { yaml } from '@codemirror/legacy-modes/mode/yaml';
import { tags } from '@lezer/highlight';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';

// Colours come from the page's CSS variables, so the editor follows the light/dark theme with no second theme.
const highlight = HighlightStyle.define([
  { tag: tags.atom, color: 'var(--hl-key)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: [tags.number, tags.keyword], color: 'var(--hl-literal)' },
  { tag: tags.comment, color: 'var(--hl-comment)', fontStyle: 'italic' },
  { tag: [tags.meta, tags.definition(tags.variableName), tags.variableName], color: 'var(--hl-meta)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--code-bg)', color: 'var(--ink)', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '20px' },
  '.cm-content': { caretColor: 'var(--ink)' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-jumped': { backgroundColor: 'var(--mark)', boxShadow: 'inset 3px 0 0 var(--mark-edge)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--ink)', border: '1px solid var(--line)' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--ink)' },
});

// YAML indentation: one step (two spaces) more after a line that opens a block (`key:`, `- key:`), and the
// content column of a list item after `- value`. Null (keep the line's indentation) otherwise.
const yamlIndent = indentService.of((context, pos) => {
  const doc = context.state.doc;
  const line = doc.lineAt(pos);
  let text;
  if (context.simulatedBreak === pos) text = line.text.slice(0, pos - line.from);
  else if (line.number > 1) text = doc.line(line.number - 1).text;
  else return 0;
  const item = /^\s*(- +)+/.exec(text);
  if (/:\s*(#.*)?$/.test(text)) return (item ? item[0].length : /^\s*/.exec(text)[0].length) + 2;
  return item && /\S/.test(text.slice(item[0].length)) ? item[0].length : null;
});

// The line a problem jumped to, marked until the next edit.
const markLine = StateEffect.define();
const markedLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) {
      if (e.is(markLine)) {
        const line = tr.state.doc.line(e.value);
        return Decoration.set([Decoration.line({ class: 'cm-jumped', attributes: { 'data-line': String(e.value) } })
          .range(line.from)]);
      }
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/**
 * Makes an editor in `host`. Options: label (for screen readers), complete (a completion source), hover
 * ((view, pos) => DOM node or null), onChange(view) after an edit, onCursor(view) after the cursor moved.
 */
export function createEditor(host, { label, complete, hover, onChange, onCursor }) {
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentUnit.of('  '),
    EditorState.tabSize.of(2),
    yamlIndent,
    StreamLanguage.define(yaml),
    syntaxHighlighting(highlight),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ override: complete ? [complete] : [], activateOnTyping: true, icons: false }),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    lintGutter(),
    markedLine,
    keymap.of([
      ...closeBracketsKeymap, ...standardKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap,
      ...lintKeymap, { key: 'Mod-/', run: toggleComment }, indentWithTab,
    ]),
    theme,
    EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', autocapitalize: 'off' }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange?.(update.view);
      if (update.selectionSet || update.docChanged) onCursor?.(update.view);
    }),
  ];
  if (hover) extensions.push(hoverTooltip((view, pos) => {
    const dom = hover(view, pos);
    return dom && { pos, above: true, create: () => ({ dom }) };
  }));
  const view = new EditorView({ parent: host, state: EditorState.create({ doc: '', extensions }) });
  host.editorView = view; // for the end-to-end test and the benchmark, which read and place the cursor
  return view;
}

/** Replaces the whole text: undoable like any edit, unless `undoable` is false (the text a page opens with). */
export function setText(view, text, undoable = true) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    userEvent: 'input.replace',
    annotations: Transaction.addToHistory.of(undoable),
  });
}

/** The offset of 1-based `line`:`column`, clamped into the text. */
export function offsetOf(doc, line, column) {
  const row = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return row.from + Math.min(Math.max(column - 1, 0), row.length);
}

/** The cursor's 1-based line and column. */
export function caret(view) {
  const head = view.state.selection.main.head;
  const line = view.state.doc.lineAt(head);
  return { line: line.number, column: head - line.from + 1 };
}

/** The 1-based line and column of `pos`. */
export function lineColumn(doc, pos) {
  const line = doc.lineAt(pos);
  return { line: line.number, column: pos - line.from + 1 };
}

/** Puts the cursor at line:column, scrolls it into view, marks the line and focuses the editor. */
export function jumpTo(view, line, column) {
  const anchor = offsetOf(view.state.doc, line, column);
  view.dispatch({
    selection: { anchor },
    effects: [EditorView.scrollIntoView(anchor, { y: 'center' }), markLine.of(view.state.doc.lineAt(anchor).number)],
  });
  view.focus();
}

/** Shows `diagnostics` ({from, to, severity, message, source, actions}) in the text and the gutter. */
export function showDiagnostics(view, diagnostics) {
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
