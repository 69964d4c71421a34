// A side-by-side line diff of two texts (the rendered YAML of one object before and after an edit): Myers'
// O((N+M)D) shortest edit script, then rows pairing removed with added lines, unchanged runs folded to a few
// lines of context. Generic text, no knowledge of what the lines mean.

/** The edit script from `a` to `b` (arrays of lines): [{op: '=' | '-' | '+', line}] in order. */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const script = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const frontier = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY && x > 0 && y > 0) script.push({ op: '=', line: a[--x], at: [x, --y] });
    if (d > 0) {
      if (down) script.push({ op: '+', line: b[--y], at: [x, y] });
      else script.push({ op: '-', line: a[--x], at: [x, y] });
    }
  }
  while (x > 0 && y > 0) script.push({ op: '=', line: a[--x], at: [x, --y] });
  return script.reverse();
}

/**
 * Side-by-side rows: {kind: 'same' | 'changed' | 'removed' | 'added' | 'fold', old: [no, text] | null,
 * new: [no, text] | null, count (fold only)}. Runs of unchanged lines longer than 2 x `context` are folded.
 */
export function sideBySide(before, after, context = 3) {
  const script = diffLines(before.split('\n'), after.split('\n'));
  const rows = [];
  let i = 0;
  while (i < script.length) {
    if (script[i].op === '=') {
      const run = [];
      while (i < script.length && script[i].op === '=') run.push(script[i++]);
      const row = (s) => ({ kind: 'same', old: [s.at[0] + 1, s.line], new: [s.at[1] + 1, s.line] });
      const first = rows.length === 0;
      const last = i === script.length;
      const keepHead = first ? 0 : context;
      const keepTail = last ? 0 : context;
      if (run.length > keepHead + keepTail + 1) {
        rows.push(...run.slice(0, keepHead).map(row));
        rows.push({ kind: 'fold', old: null, new: null, count: run.length - keepHead - keepTail });
        rows.push(...run.slice(run.length - keepTail).map(row));
      } else {
        rows.push(...run.map(row));
      }
      continue;
    }
    const removed = [];
    const added = [];
    while (i < script.length && script[i].op !== '=') (script[i].op === '-' ? removed : added).push(script[i++]);
    for (let j = 0; j < Math.max(removed.length, added.length); j++) {
      const r = removed[j];
      const a = added[j];
      rows.push({
        kind: r && a ? 'changed' : r ? 'removed' : 'added',
        old: r ? [r.at[0] + 1, r.line] : null,
        new: a ? [a.at[1] + 1, a.line] : null,
      });
    }
  }
  return rows;
}
