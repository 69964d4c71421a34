// The examples menu: files served beside the page (preview/static/example-*.yaml, and examples/redb.yaml copied by
// preview/build), loaded into the editor as an undoable edit. Each entry names the kind it shows.

import { el } from './dom.js';

export const EXAMPLES = [
  { file: 'example-rec.yaml', kind: 'RedisEnterpriseCluster', title: 'REC: 3 nodes (the example)' },
  { file: 'example-rec-production.yaml', kind: 'RedisEnterpriseCluster', title: 'REC: 5-node production' },
  { file: 'example-rec-rack-aware.yaml', kind: 'RedisEnterpriseCluster', title: 'REC: rack-aware, 3 zones' },
  { file: 'example-rec-redb.yaml', kind: 'RedisEnterpriseDatabase', title: 'REC + 2 REDBs (one text, --- separated)' },
  { file: 'example-redb.yaml', kind: 'RedisEnterpriseDatabase', title: 'REDB alone (examples/redb.yaml)' },
];

export async function fetchExample(file) {
  const response = await fetch(new URL(`./${file}`, document.baseURI));
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  return response.text();
}

/** Fills the menu (a <details> with a list) with one button per example; `pick(text)` loads one. */
export function setupExamples(menu, pick) {
  const list = menu.querySelector('ul');
  for (const example of EXAMPLES) {
    const button = el('button', '', example.title);
    button.type = 'button';
    button.dataset.file = example.file;
    button.addEventListener('click', async () => {
      menu.open = false;
      menu.querySelector('summary').focus();
      pick(await fetchExample(example.file));
    });
    const item = el('li');
    item.append(button);
    list.append(item);
  }
  document.addEventListener('click', (e) => {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
}
