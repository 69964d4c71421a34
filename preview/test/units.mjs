// The page's own small pieces, without a browser: where the cursor is in a YAML text (completion's reading of
// unfinished text), the core's path format split into steps, the field tables as the page gets them (from the
// browser build's `fieldTable` operation, preview/dist/pkg: run preview/build first), and the line diff of update
// mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cursorPlace, documentKind } from '../src/yaml-path.js';
import { KINDS, loadAll, pathSteps } from '../src/schema.js';
import { diffLines, sideBySide } from '../src/diff.js';
import { Op, asker } from '../src/abi.js';
import { order } from '../src/tools/order-functions.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pkg = join(root, 'preview/dist/pkg');
const { initSync, call } = await import(join(pkg, 'rec_web.js'));
initSync({ module: readFileSync(join(pkg, 'rec_web_bg.wasm')) });

const ask = asker(call);
/** The field tables, by kind, loaded as main.js loads them. */
const tables = () => loadAll((kind) => ask(Op.fieldTable, { kind }));

/** cursorPlace on a text whose cursor is written `^`. */
function place(text) {
  const lines = text.split('\n');
  const row = lines.findIndex((l) => l.includes('^'));
  const column = lines[row].indexOf('^');
  lines[row] = lines[row].replace('^', '');
  return cursorPlace(lines, row, column);
}

test('the cursor on a key being typed: the mapping it is in, and the keys already there', () => {
  assert.deepEqual(place('spec:\n  nodes: 3\n  persistentSp^\n  uiServiceType: x'),
    { path: ['spec'], key: { from: 2, text: 'persistentSp' }, value: null, siblings: ['nodes', 'uiServiceType'] });
  assert.deepEqual(place('nod^'), { path: [], key: { from: 0, text: 'nod' }, value: null, siblings: [] });
  assert.deepEqual(place('spec:\n  persistentSpec:\n    enabled: true\n\n    # a comment\n    ^\n  nodes: 3').path,
    ['spec', 'persistentSpec']);
});

test('list items, written at their key\'s indentation or deeper, and a new item', () => {
  assert.deepEqual(place('spec:\n  pullSecrets:\n  - name: a\n    sec^').path, ['spec', 'pullSecrets', '[]']);
  const deeper = place('spec:\n  podTolerations:\n    - key: a\n      effect: x\n    - key: b\n      va^\n      operator: y\n    - key: c');
  assert.deepEqual(deeper.path, ['spec', 'podTolerations', '[]']);
  assert.deepEqual(deeper.siblings, ['key', 'operator'], 'the keys of this item only');
  assert.deepEqual(place('spec:\n  podTolerations:\n    - ^').path, ['spec', 'podTolerations', '[]']);
});

test('after `key: `, the value; nothing inside a block scalar, a comment or under a scalar', () => {
  assert.deepEqual(place('spec:\n  uiServiceType: Cl^').value, { key: 'uiServiceType', from: 17, text: 'Cl' });
  assert.equal(place('spec:\n  license: |\n    exam^'), null);
  assert.equal(place('spec:\n  nodes: 3 # odd^'), null);
  assert.equal(place('spec:\n  nodes: 3\n    pers^'), null);
});

test('paths in the core\'s format split into keys and list items', () => {
  assert.deepEqual(pathSteps('spec.podTolerations[0].key'), ['spec', 'podTolerations', '[]', 'key']);
  assert.deepEqual(pathSteps('spec.extraLabels["a.b/\\"c]"].x'), ['spec', 'extraLabels', 'a.b/"c]', 'x']);
  assert.deepEqual(pathSteps('.'), []);
  assert.equal(pathSteps('spec[x]'), null);
});

test('the field table: keys, types, enum values, defaults and rules of the CRD', () => {
  const schema = tables().RedisEnterpriseCluster;
  const nodes = schema.field(['spec', 'nodes']);
  assert.equal(nodes.type, 'integer');
  assert.equal(nodes.default, '3');
  assert.deepEqual(nodes.rules.map((r) => r.code), ['nodes-even', 'nodes-too-few', 'nodes-too-many', 'nodes-decreased']);
  assert.ok(schema.keys(['spec']).some((f) => f.key === 'persistentSpec' && f.type === 'object'));
  assert.deepEqual(schema.keys([]).map((f) => f.key), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(schema.field(['spec', 'uiServiceType']).values, ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
  assert.deepEqual(schema.field(['apiVersion']).values, ['app.redislabs.com/v1', 'app.redislabs.com/v1alpha1']);
  // Map values and list items, as the core's paths name them.
  assert.equal(schema.field(pathSteps('spec.extraLabels["team"]')).type, 'string');
  assert.equal(schema.pattern(pathSteps('spec.extraLabels["team"]')), 'spec.extraLabels.*');
  assert.equal(schema.field(pathSteps('spec.podTolerations[0].key')).type, 'string');
  assert.equal(schema.field(['spec', 'noSuchField']), null);
  // A code the core reports at a path joins that field's rules.
  schema.see([{ code: 'reserved-annotation', path: 'spec.podAnnotations["redis.io/last-keys"]' }]);
  assert.ok(schema.field(['spec', 'podAnnotations', 'other']).rules.some((r) => r.code === 'reserved-annotation'));
});

test('the line diff is a shortest edit script, and folds what did not change', () => {
  const a = ['a', 'b', 'c', 'd'];
  const b = ['a', 'x', 'c', 'd', 'e'];
  const script = diffLines(a, b);
  assert.deepEqual(script.map((s) => s.op).join(''), '=-+==+');
  assert.deepEqual(script.filter((s) => s.op !== '+').map((s) => s.line), a);
  assert.deepEqual(script.filter((s) => s.op !== '-').map((s) => s.line), b);
  const old = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const rows = sideBySide(old.join('\n'), old.map((l, i) => (i === 10 ? 'changed' : l)).join('\n'), 3);
  assert.deepEqual(rows.map((r) => r.kind), ['fold', 'same', 'same', 'same', 'changed', 'same', 'same', 'same', 'fold']);
  assert.deepEqual(rows[4].old, [11, 'line 10']);
  assert.deepEqual(rows[4].new, [11, 'changed']);
  assert.deepEqual(sideBySide(old.join('\n'), old.join('\n')).map((r) => r.kind), ['fold'], 'an unchanged object is one fold');
});

test('the kind of the document at the cursor: between its --- markers, for completion from its own CRD', () => {
  const lines = ['kind: RedisEnterpriseCluster', 'spec:', '  nodes: 3', '---', 'apiVersion: x', 'kind: "RedisEnterpriseDatabase"',
    'spec:', '  memorySi', '--- # next', 'spec:', '  a: 1', 'kind: RedisEnterpriseCluster'];
  assert.equal(documentKind(lines, 2), 'RedisEnterpriseCluster');
  assert.equal(documentKind(lines, 7), 'RedisEnterpriseDatabase');
  assert.equal(documentKind(lines, 3), 'RedisEnterpriseDatabase', 'a marker line opens its document');
  assert.equal(documentKind(lines, 10), 'RedisEnterpriseCluster', 'kind written below the cursor');
  assert.equal(documentKind(['spec:', '  kind: Nested', '  a: 1'], 2), null, 'only a top-level kind');
});

test('the REDB field table: its keys, enums and redb- rules only', () => {
  const loaded = tables();
  assert.deepEqual(Object.keys(loaded), KINDS, 'a table for every kind');
  const table = loaded.RedisEnterpriseDatabase;
  assert.equal(table.table.kind, 'RedisEnterpriseDatabase');
  const keys = table.keys(['spec']).map((k) => k.key);
  assert.ok(keys.includes('memorySize') && keys.includes('databasePort') && !keys.includes('nodes'), keys.join());
  const persistence = table.field(['spec', 'persistence']);
  assert.ok(persistence.values.includes('aofEverySecond'), persistence.values.join());
  assert.ok(persistence.rules.every((r) => r.code.startsWith('redb-')), JSON.stringify(persistence.rules));
  assert.equal(persistence.rules.filter((r) => r.code === 'redb-enum-value').length, 1);
  const rec = loaded.RedisEnterpriseCluster;
  assert.ok(Object.keys(rec.table.rules).every((code) => !code.startsWith('redb-')), 'the REC table has no redb- rules');
  assert.throws(() => ask(Op.fieldTable, { kind: 'Pod' }), /BadRequest: kind: "Pod" has no field table/);
});

test('the build\'s function order puts alike function bodies side by side, and keeps every function once', () => {
  const body = (seed, length) => Uint8Array.from({ length }, (_, i) => (seed * 31 + i * i * 7 + (i >> 3)) & 0xff);
  const a = body(1, 400);
  const b = body(2, 400);
  const nearA = Uint8Array.from(a, (byte, i) => (i === 200 ? byte ^ 1 : byte));
  const nearB = Uint8Array.from(b, (byte, i) => (i === 100 ? byte ^ 1 : byte));
  const placed = order([a, b, nearA, nearB, new Uint8Array(0)]);
  assert.deepEqual([...placed].sort(), [0, 1, 2, 3, 4]);
  assert.equal(placed[0], 0, 'the first function stays first');
  assert.equal(placed[1], 2, 'then the one most like it');
  assert.equal(Math.abs(placed.indexOf(1) - placed.indexOf(3)), 1, 'the other pair side by side');
});
