// Completion from the CRDs' field tables (the REC's or the REDB's, by the document's `kind:`): the keys the
// mapping at the cursor takes (those not written yet), and a field's enum values (or true/false) after `key: `.
// Offered while typing and on Ctrl-Space.
// The cursor's place comes from yaml-path.js (the text being typed is not readable YAML yet).

import { cursorPlace, documentKind } from './yaml-path.js';

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/** A CodeMirror completion source over the field tables (`getSchema(kind)`, a getter: the tables may load after
 *  the editor), each document completed from the table of its own `kind:` (a REC's when it names none yet). */
export function schemaCompletion(getSchema) {
  return (context) => {
    const { state, pos } = context;
    const line = state.doc.lineAt(pos);
    const lines = state.doc.toString().split('\n');
    const schema = getSchema(documentKind(lines, line.number - 1) ?? 'RedisEnterpriseCluster');
    if (!schema) return null;
    const place = cursorPlace(lines, line.number - 1, pos - line.from);
    if (!place) return null;
    if (place.value) return valueOptions(schema, place, line, context);
    const typed = place.key.text;
    if (!typed && !context.explicit) return null;
    const options = schema.keys(place.path)
      .filter((f) => !place.siblings.includes(f.key))
      .map((f) => ({
        label: f.key,
        type: 'property',
        detail: f.type ?? '',
        info: f.description ?? undefined,
        apply: applyKey(f, line.text.slice(pos - line.from), place.key.from),
      }));
    if (!options.length) return null;
    return { from: line.from + place.key.from, options, validFor: /^[\w./-]*$/ };
  };
}

function valueOptions(schema, place, line, context) {
  const field = schema.field([...place.path, place.value.key]);
  const values = field?.values ?? (field?.type === 'boolean' ? ['true', 'false'] : null);
  if (!values || (!place.value.text && !context.explicit && !field.values)) return null;
  return {
    from: line.from + place.value.from,
    options: values.map((v) => ({ label: String(v), type: 'enum', detail: field.type ?? '' })),
    validFor: /^[\w.-]*$/,
  };
}

/** What choosing a key inserts: `key: ` for a scalar, `key:` and an indented new line for a block. */
function applyKey(field, after, column) {
  if (after.trimStart().startsWith(':')) return field.key;
  if (SCALARS.has(field.type) || !field.type) return `${field.key}: `;
  const indent = ' '.repeat(column + 2);
  return (view, completion, from, to) => {
    const insert = field.type === 'array' ? `${field.key}:\n${indent}- ` : `${field.key}:\n${indent}`;
    view.dispatch({ changes: { from, to, insert }, selection: { anchor: from + insert.length }, userEvent: 'input.complete' });
  };
}
