// The CRD's field table in the page: what a field is (type, description, enum values, default, the rules that name
// it) and which keys a mapping takes. Looked up by path, never used to judge a value: validation is the core's.
// The table is the core's own (rec_core::field_docs, the one its `preview` documents fields from), which the
// core's `fieldTable` operation answers: nothing else is downloaded for it.
//
// One table per kind (`kind` in the table): the REC's and the REDB's. The page loads both and uses, for each
// document of the text, the table of that document's kind. The table's `object` is the object as a user writes it
// (the Kubernetes envelope and `spec`), where paths start.

/** The kinds the page can complete and document. */
export const KINDS = ['RedisEnterpriseCluster', 'RedisEnterpriseDatabase'];

/**
 * Every kind's table, by kind, from `table(kind)` (the core's answer to `fieldTable`; see main.js). A kind whose
 * table the core refuses is left out.
 */
export function loadAll(table) {
  const entries = KINDS.map((kind) => {
    try {
      return [kind, new Schema(table(kind))];
    } catch (error) {
      console.warn(`field table of ${kind}: ${error.message}`);
      return [kind, null];
    }
  });
  return Object.fromEntries(entries.filter(([, schema]) => schema));
}

export class Schema {
  constructor(table) {
    this.table = table;
    this.seen = new Map(); // pattern -> codes reported there in this session
    this.version = 0; // counts the changes to `seen`
  }

  /** The node index at `steps` (keys, and '[]' for a list item), or undefined. */
  nodeAt(steps) {
    const { nodes } = this.table;
    let here = this.table.object;
    for (const step of steps) {
      const node = nodes[here];
      here = step === '[]' ? node.i : (node.p?.[step] ?? node.a);
      if (here === undefined) return undefined;
    }
    return here;
  }

  /** The path pattern of `steps`: map keys become `*`, list items `[]` (`spec.extraLabels.*`). */
  pattern(steps) {
    const { nodes } = this.table;
    let here = this.table.object;
    let out = '';
    for (const step of steps) {
      const node = here === undefined ? undefined : nodes[here];
      if (step === '[]') {
        out += '[]';
        here = node?.i;
      } else {
        const named = node?.p?.[step] !== undefined || node?.a === undefined;
        out += `${out ? '.' : ''}${named ? step : '*'}`;
        here = named ? node?.p?.[step] : node.a;
      }
    }
    return out;
  }

  /** What the table says about the field at `steps`: {type, description, values, default, rules} or null. */
  field(steps) {
    const index = this.nodeAt(steps);
    if (index === undefined) return null;
    const node = this.table.nodes[index];
    const pattern = this.pattern(steps);
    const rules = [...new Set([...(this.table.rulesAt[pattern] ?? []), ...(this.seen.get(pattern) ?? [])])];
    return {
      type: node.t ?? null,
      description: node.d === undefined ? null : this.table.descriptions[node.d],
      values: node.e ?? null,
      default: node.f ?? null,
      rules: rules.map((code) => ({ code, severity: this.table.rules[code] ?? 'error' })),
    };
  }

  /** The keys the mapping at `steps` takes, each with its field (empty for a free-form map or a non-object). */
  keys(steps) {
    const index = this.nodeAt(steps);
    const props = index === undefined ? undefined : this.table.nodes[index].p;
    return Object.keys(props ?? {}).map((key) => ({ key, ...this.field([...steps, key]) }));
  }

  /** Remembers the codes the core reported, by the pattern of their path (shown with the field's rules). */
  see(violations) {
    for (const v of violations) {
      const steps = pathSteps(v.path);
      if (!steps) continue;
      const pattern = this.pattern(steps);
      const codes = this.seen.get(pattern) ?? [];
      if (!codes.includes(v.code)) {
        this.seen.set(pattern, [...codes, v.code]);
        this.version++;
      }
    }
  }
}

/**
 * Splits a path in the core's format (`spec.a[0].b`, `spec.extraLabels["x.y/z"]`, `.` for the root) into steps:
 * keys, and '[]' for a list index. Null when the path is not in that format.
 */
export function pathSteps(path) {
  const steps = [];
  let rest = path === '.' ? '' : path;
  while (rest) {
    let m;
    if ((m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) steps.push(JSON.parse(`"${m[1]}"`));
    else if ((m = /^\[\d+\]/.exec(rest))) steps.push('[]');
    else if ((m = /^\.?([^.[]+)/.exec(rest))) steps.push(m[1]);
    else return null;
    rest = rest.slice(m[0].length);
  }
  return steps;
}
