// Where the cursor is in a block-style YAML text, read from indentation alone: the keys and list items above it,
// whether it is on a key or after `key: `, and the keys already written beside it. For completion only.
//
// Why not the core: completion runs on the text as it is being typed (`persistentSp` with no colon yet), which
// is not readable YAML, so the core has no answer for it. Everything else (problems, hover, the field panel)
// places fields with the core's own locations. Flow style (`{a: b}`, `[a]`) is not followed: no completion there.

const LINE = /^(\s*)((?:- +)*)(.*)$/;
// A mapping key (plain, "double" or 'single' quoted) followed by a colon and a space or the end of the line.
const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?:\s+(.*))?$/;

/** `{indent, dashes, keyColumn, rest}` of one line: its indentation, how many `- ` open items there, the column
 *  its content starts at (after the dashes) and that content. */
function shape(text) {
  const [, spaces, dashes, rest] = LINE.exec(text);
  return { indent: spaces.length, dashes: (dashes.match(/-/g) ?? []).length, keyColumn: spaces.length + dashes.length, rest };
}

/** The key a line's content opens, and whether its value is empty (a block follows), or null. */
function keyOf(rest) {
  const m = KEY.exec(rest.replace(/\s+$/, ''));
  if (!m) return null;
  const value = (m[2] ?? '').trim();
  return { key: unquote(m[1].trim()), opens: value === '' || value.startsWith('#') || /^[&!][^\s]*$/.test(value) };
}

function unquote(key) {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key);
    } catch {
      return key.slice(1, -1);
    }
  }
  return key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key;
}

const skipped = (text) => /^\s*(#.*)?$/.test(text);

/**
 * The cursor's place in `lines` (an array of strings) at line `row` (0-based), `column` (0-based):
 *   {path, key, value, siblings} where path is the container's keys and list items (`'[]'`), key is
 *   {from, text} when a key is being typed (from: column), value is {key, from, text} after `key: `, and
 *   siblings the keys already written in the same mapping. Null where neither applies (a comment, flow style).
 */
export function cursorPlace(lines, row, column) {
  const before = lines[row].slice(0, column);
  if (before.includes('#')) return null;
  const here = shape(before);
  let key = null;
  let value = null;
  const pair = KEY.exec(here.rest);
  if (pair && pair[2] !== undefined && !/[{}[\]]/.test(here.rest)) {
    value = { key: unquote(pair[1].trim()), from: column - pair[2].length, text: pair[2] };
  } else if (/^[\w./-]*$/.test(here.rest)) {
    key = { from: column - here.rest.length, text: here.rest };
  } else {
    return null;
  }

  const path = Array(here.dashes).fill('[]');
  const siblings = [];
  const own = here.keyColumn;
  // The column the container's line must be left of (or, after a list item, at: `key:\n- a` is allowed).
  let limit = here.dashes ? here.indent : own;
  let inItem = here.dashes > 0;
  let direct = !inItem; // still in the cursor's own mapping: same-column keys are siblings
  for (let r = row - 1; r >= 0 && (limit > 0 || inItem); r--) {
    const text = lines[r];
    if (skipped(text)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    const line = shape(text);
    const opened = keyOf(line.rest);
    if (line.keyColumn === limit && !inItem) {
      if (line.dashes) {
        // `- a: 1` above `  b|`: the cursor is in that list item.
        if (direct && opened) siblings.push(opened.key);
        direct = false;
        path.unshift(...Array(line.dashes).fill('[]'));
        limit = line.indent;
        inItem = true;
      } else if (direct && opened) {
        siblings.push(opened.key);
      }
    } else if (inItem && line.indent === limit && !line.dashes && opened?.opens) {
      path.unshift(opened.key); // a sequence written at its key's indentation
      inItem = false;
    } else if (line.keyColumn < limit && opened?.opens) {
      direct = false;
      path.unshift(opened.key);
      if (line.dashes) path.unshift(...Array(line.dashes).fill('[]'));
      limit = line.indent;
      inItem = line.dashes > 0;
    } else if (line.keyColumn < limit || (inItem && line.indent < limit)) {
      return null; // a scalar where a container should be: not a place completion can read
    }
  }
  if (limit > 0 && !inItem) return null;
  // Keys below the cursor in the same mapping: until a line left of it (the next list item, a parent's key).
  for (let r = row + 1; r < lines.length; r++) {
    if (skipped(lines[r])) continue;
    const line = shape(lines[r]);
    if (line.indent < own) break;
    const opened = line.indent === own && !line.dashes && keyOf(line.rest);
    if (opened) siblings.push(opened.key);
  }
  return { path, key, value, siblings };
}

/**
 * The `kind:` of the document of `lines` (an array of strings) that holds line `row` (0-based): the top-level
 * `kind:` between the `---` markers around it, else null. For completion only (the text being typed is not
 * readable YAML, so the core's documents cannot be asked); everything else takes the kind from the core.
 */
export function documentKind(lines, row) {
  const marker = (text) => /^(---|\.\.\.)(\s|$)/.test(text);
  let first = row;
  while (first > 0 && !marker(lines[first])) first--;
  for (let r = first; r < lines.length && (r === first || !marker(lines[r])); r++) {
    const m = /^kind:\s*["']?([A-Za-z]+)["']?\s*(#.*)?$/.exec(lines[r]);
    if (m) return m[1];
  }
  return null;
}
