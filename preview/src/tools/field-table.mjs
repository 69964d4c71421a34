// Build step (run by preview/build, never in the page): writes the page's field table, the data behind
// completion, hover and the field panel. Node script; prints nothing unless something is wrong.
//
// Sources, each read, none edited:
//  - core/src/field_docs.json: the core's compact table of every CRD path (type, description), generated from the
//    CRD by the core and held to it by a test. It is the shape of the output.
//  - deploy/crd.yaml: the committed CRD (generated from the Rust types, checked by a test), for what the core's
//    table does not carry yet: each field's `enum` values and schema `default`. When the core's table carries
//    them, this overlay goes (walkSchema below is the one place that reads the CRD's schema).
//  - docs/rules.md: the rule catalogue (generated from the core's rule table). A rule applies to a field when its
//    meaning names the field in backticks (`nodes`, `persistentSpec.volumeSize`, `digestHash`): a documentation
//    cross-reference, not a check. The page adds the codes it sees reported at a path during a session.
//
// Output (JSON): {kind, descriptions, nodes, root, rules: {code: severity}, rulesAt: {pattern: [code]}}. A node is
// as in the core's table (t type, d description index, p properties, a map values, i list items) plus e (enum
// values) and f (default: the schema's, else the "(default ...)" its description states). Nodes are stored once
// by content. The root also gets the Kubernetes object envelope the CRD leaves implicit (apiVersion and kind,
// with the values the CRD serves; metadata's usual fields); `status` is left out (never written by a user, and
// not checked). A pattern is a path with `[]` for list items and `*` for map values: `spec.podTolerations[].key`.
//
// Usage: node field-table.mjs <repo root> <output file> [kind: RedisEnterpriseCluster (default) | RedisEnterpriseDatabase]

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// Each kind's sources: the core's table, the committed CRD, and which rules of rules.md are its (the REDB's codes
// start with `redb-`), with the code of its enum rule.
const KINDS = {
  RedisEnterpriseCluster: { docs: 'core/src/field_docs.json', crd: 'deploy/crd.yaml', own: (code) => !code.startsWith('redb-'), enumRule: 'enum-value' },
  RedisEnterpriseDatabase: { docs: 'core/src/redb/field_docs.json', crd: 'deploy/crd-redb.yaml', own: (code) => code.startsWith('redb-'), enumRule: 'redb-enum-value' },
};
const [root, output, kindName = 'RedisEnterpriseCluster'] = process.argv.slice(2);
const kind = KINDS[kindName];
if (!kind) throw new Error(`field-table.mjs: no table for kind ${kindName}`);
const docs = JSON.parse(readFileSync(join(root, kind.docs), 'utf8'));
const crd = parse(readFileSync(join(root, kind.crd), 'utf8'));
const rulesText = readFileSync(join(root, 'docs/rules.md'), 'utf8');

const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
const schema = version.schema.openAPIV3Schema;

// The output table: nodes and descriptions stored once, each keyed by its JSON text.
const nodes = [];
const nodeIds = new Map();
const descriptions = [];
const descriptionIds = new Map();

function describe(text) {
  if (!descriptionIds.has(text)) {
    descriptionIds.set(text, descriptions.length);
    descriptions.push(text);
  }
  return descriptionIds.get(text);
}

function store(node) {
  const key = JSON.stringify(node);
  if (!nodeIds.has(key)) {
    nodeIds.set(key, nodes.length);
    nodes.push(node);
  }
  return nodeIds.get(key);
}

/** Every path pattern of the output, for resolving the names rules.md mentions. */
const patterns = [];

/** Copies core-table node `index` (at `path`), adding the enum and default of the CRD's `crdSchema` there. */
function walkSchema(index, crdSchema, path) {
  const from = docs.nodes[index];
  const node = {};
  if (from.t) node.t = from.t;
  if (from.d !== undefined) node.d = describe(docs.descriptions[from.d]);
  // A nullable enum lists null among its values; it is no value to write.
  if (Array.isArray(crdSchema?.enum)) node.e = crdSchema.enum.filter((v) => v !== null);
  const stated = from.d !== undefined && /\(default:? ([^)]+)\)/.exec(docs.descriptions[from.d]);
  if (crdSchema?.default !== undefined) node.f = JSON.stringify(crdSchema.default);
  else if (stated) node.f = stated[1].replace(/`/g, '');
  if (from.p) {
    node.p = {};
    for (const [key, child] of Object.entries(from.p)) {
      if (path === '' && key === 'status') continue;
      const at = path ? `${path}.${key}` : key;
      patterns.push(at);
      node.p[key] = walkSchema(child, crdSchema?.properties?.[key], at);
    }
  }
  if (from.a !== undefined) node.a = walkSchema(from.a, crdSchema?.additionalProperties, `${path}.*`);
  if (from.i !== undefined) node.i = walkSchema(from.i, crdSchema?.items, `${path}[]`);
  return store(node);
}

const spec = walkSchema(docs.root, schema, '');
const rootNode = nodes[spec];

// The envelope of every Kubernetes object, which a CRD's schema does not list.
const text = { t: 'string' };
const envelope = {
  apiVersion: store({ ...text, d: describe('The API group and version of the object.'),
    e: crd.spec.versions.filter((v) => v.served).map((v) => `${crd.spec.group}/${v.name}`) }),
  kind: store({ ...text, d: describe('The kind of the object.'), e: [crd.spec.names.kind] }),
  metadata: store({ t: 'object', d: describe('Standard object metadata.'), p: {
    name: store({ ...text, d: describe('The object\'s name, unique in its namespace.') }),
    namespace: store({ ...text, d: describe('The namespace of the object.') }),
    labels: store({ t: 'object', d: describe('Labels of the object.'), a: store(text) }),
    annotations: store({ t: 'object', d: describe('Annotations of the object.'), a: store(text) }),
  } }),
};
patterns.push('apiVersion', 'kind', 'metadata', 'metadata.name', 'metadata.namespace', 'metadata.labels',
  'metadata.annotations');
const tableRoot = store({ ...rootNode, p: { ...envelope, ...rootNode.p } });

// Rules: every table row of rules.md is "| `code` | severity | meaning |".
const rules = {};
const rulesAt = {};
const resolve = (name) => {
  const exact = [name, `spec.${name}`].filter((p) => patterns.includes(p));
  if (exact.length) return exact;
  // A bare field name such as `digestHash` names that field wherever it is; only names that look like fields
  // (camelCase or dotted), so plain words in backticks (`http`, `node:`) never match.
  if (!/[A-Z.]/.test(name)) return [];
  return patterns.filter((p) => p.endsWith(`.${name}`));
};
for (const [, code, severity, meaning] of rulesText.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \| (.*) \|$/gm)) {
  if (!kind.own(code)) continue;
  rules[code] = severity;
  for (const [, named] of meaning.matchAll(/`([^`]+)`/g)) {
    for (const pattern of resolve(named.replace(/:.*$/, '').trim())) {
      (rulesAt[pattern] ??= []).includes(code) || rulesAt[pattern].push(code);
    }
  }
}
if (!rules[kind.enumRule]) throw new Error('docs/rules.md: no rule table found (its format changed?)');
// Every field with enum values is checked by the rule for them.
for (const pattern of patterns) {
  const node = pattern.split(/\.|(?=\[\])/).reduce((n, step) => {
    if (n === undefined) return undefined;
    if (step === '[]') return nodes[n].i;
    if (step === '*') return nodes[n].a;
    return nodes[n].p?.[step];
  }, tableRoot);
  if (node !== undefined && nodes[node].e) {
    const codes = (rulesAt[pattern] ??= []);
    if (!codes.includes(kind.enumRule)) codes.push(kind.enumRule);
  }
}

const table = { kind: crd.spec.names.kind, descriptions, nodes, root: tableRoot, rules, rulesAt };
writeFileSync(output, JSON.stringify(table));
