// The Databases pane: for each REDB of the text, what it gets on the Kubernetes side, as the core computed it
// (rec_core::redb::kubernetes, REDB.md section 4): its Services (name, type, port), its Secret and keys, the
// finalizer, and what is not known yet. One disclosure per REDB (keyboard reachable, labelled by its name); the
// page computes nothing here, it only lays out the core's answer.

import { $, el } from './dom.js';

const PORT_FROM = {
  databaseServicePort: 'databaseServicePort',
  databasePort: 'databasePort',
  redisDefaultPort: "the REC's RedisDefaultPort policy",
  cluster: 'chosen by the cluster',
};

let drawn = ''; // what the pane shows: an edit that changes none of it costs no redraw
const open = new Map(); // REDB name -> whether its disclosure is open (kept across redraws)

/** Shows the REDBs among `documents` (the core's `documents`, empty for a text of one REC). */
export function showDatabases(documents) {
  const databases = documents.filter((d) => d.kubernetes);
  const now = JSON.stringify(databases);
  if (now === drawn) return;
  drawn = now;
  $('databases-pane').hidden = !databases.length;
  $('databases').replaceChildren(...databases.map(panel));
}

function panel(db, index) {
  const side = db.kubernetes;
  const name = db.name ?? '(unnamed)';
  const box = el('details', `database ${db.valid ? 'valid' : 'invalid'}`);
  box.open = open.get(name) ?? true;
  box.addEventListener('toggle', () => open.set(name, box.open));
  box.dataset.name = name;
  const summary = el('summary');
  const id = `database-${index}`;
  summary.id = id;
  summary.append(el('span', 'db-name', `REDB ${name}`));
  const where = [side.namespace && `namespace ${side.namespace}`, side.cluster ? `REC ${side.cluster}` : 'no REC in the text']
    .filter(Boolean).join(' · ');
  summary.append(el('span', 'hint', ` ${where}`));
  summary.append(el('span', `verdict ${db.valid ? 'good' : 'bad'}`, db.valid ? '✓ valid' : `✗ ${db.errors} error${db.errors === 1 ? '' : 's'}`));
  const body = el('div', 'db-body');
  body.setAttribute('role', 'group');
  body.setAttribute('aria-labelledby', id);

  const table = el('table', 'services');
  table.append(el('caption', '', 'Services (created by the services rigger)'));
  const head = el('tr');
  for (const h of ['Name', 'Type', 'Port']) {
    const th = el('th', '', h);
    th.scope = 'col';
    head.append(th);
  }
  table.append(head);
  for (const service of side.services) {
    const row = el('tr');
    row.dataset.service = service.name ?? '';
    row.append(el('td', 'service-name', service.name ?? 'redis-<port>'),
      el('td', '', service.headless ? `${service.type} (headless)` : service.type),
      el('td', '', service.port === null ? PORT_FROM[service.portFrom] : `${service.port} (${PORT_FROM[service.portFrom]})`));
    table.append(row);
  }
  const facts = el('dl', 'facts');
  const keys = el('dd', 'values');
  keys.append(...side.secret.keys.map((k) => el('code', '', k)));
  facts.append(el('dt', '', 'Secret'), el('dd', 'secret-name', side.secret.name), el('dt', '', 'Secret keys'), keys,
    el('dt', '', 'Finalizer'), el('dd', 'finalizer', side.finalizer));
  body.append(table, facts);
  if (side.notes.length) {
    const notes = el('ul', 'db-notes');
    notes.append(...side.notes.map((n) => el('li', 'note', n)));
    body.append(notes);
  }
  box.append(summary, body);
  return box;
}
