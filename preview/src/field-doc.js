// What the page shows about one field, in the hover tooltip and in the field panel alike: its path (as the core
// located it), CRD type, description, enum values, default, and the rules that apply to it (from the field
// table: the rules whose documentation names the field, and the codes the core reported there).

import { el } from './dom.js';
import { pathSteps } from './schema.js';

/** The written field (from the core's `fields`) on `line` that starts at or before `column`, else the line's first. */
export function fieldAt(fields, line, column = Infinity) {
  const here = (fields ?? []).filter((f) => f.line === line);
  return here.filter((f) => f.column <= column).at(-1) ?? here[0] ?? null;
}

/** A node describing `field` ({path, type, description} from the core), completed from `schema`. */
export function fieldDoc(field, schema) {
  const steps = pathSteps(field.path);
  const known = steps && schema ? schema.field(steps) : null;
  const type = known?.type ?? field.type;
  const description = known?.description ?? field.description;
  const box = el('div', 'field-info');
  const head = el('div', 'field-head');
  head.append(el('code', 'path', field.path));
  if (type) head.append(el('span', 'type', type));
  box.append(head);
  box.append(el('p', description ? 'description' : 'description note',
    description ?? (known || field.type ? 'The CRD documents nothing more for this field.' : 'Not a field of the CRD.')));
  const facts = el('dl', 'facts');
  const fact = (name, value) => value && facts.append(el('dt', '', name), value);
  if (known?.values) {
    const list = el('dd', 'values');
    list.append(...known.values.map((v) => el('code', '', String(v))));
    fact('Values', list);
  }
  if (known?.default) fact('Default', el('dd', '', known.default));
  if (known?.rules.length) {
    const list = el('dd', 'rules');
    list.append(...known.rules.map((r) => {
      const code = el('code', `rule ${r.severity}`, r.code);
      code.title = r.severity;
      return code;
    }));
    fact('Rules', list);
  }
  if (facts.childElementCount) box.append(facts);
  return box;
}
