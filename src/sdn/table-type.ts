import type { ParseContext } from './context.js';
import type { LineCursor } from './cursor.js';
import { matchKey, readQuoted } from './scalars.js';

/** Column types are kept as text; these are the characters a type may use outside brackets. */
const TYPE_CHAR = /[A-Za-z0-9_ ?.$&*]/;
const CLOSER: Record<string, string> = { '<': '>', '(': ')', '[': ']' };

export interface ColumnTypes {
  names: string[];
  types: string[];
}

/**
 * Reads `{i32, text}` or `{id: i32, name: text}` with the cursor on `{`. Commas inside `<>`,
 * `()` or `[]` belong to the type, so `Map<text, i32>` is one column.
 */
export function readColumnTypes(cur: LineCursor, ctx: ParseContext): ColumnTypes {
  cur.expect('{', "'{'");
  const names: string[] = [];
  const types: string[] = [];
  const seen = new Set<string>();
  let named: boolean | undefined;
  for (;;) {
    cur.skipSpaces();
    const entry = cur.pos;
    const name = readColumnName(cur, ctx);
    if (named === undefined) named = name !== undefined;
    else if (named !== (name !== undefined)) throw cur.error('name every column of a typed table or none', entry);
    if (name !== undefined) {
      if (seen.has(name)) throw cur.error(`duplicate column '${name}'`, entry);
      seen.add(name);
      names.push(name);
    }
    ctx.countValue(cur, entry);
    types.push(readTypeText(cur));
    const c = cur.peek();
    if (c === '}') {
      cur.pos++;
      return { names, types };
    }
    if (c !== ',') throw cur.error(`expected ',' or '}' in the table type, found ${cur.found()}`);
    cur.pos++;
  }
}

/** Consumes `name:` if the entry starts with one; otherwise leaves the cursor where it was. */
function readColumnName(cur: LineCursor, ctx: ParseContext): string | undefined {
  if (cur.peek() === '"') {
    const name = readQuoted(cur, ctx);
    cur.skipSpaces();
    cur.expect(':', "':' after the column name");
    return name;
  }
  const len = matchKey(cur.text, cur.pos);
  let q = cur.pos + len;
  while (cur.text[q] === ' ' || cur.text[q] === '\t') q++;
  if (len === 0 || cur.text[q] !== ':') return undefined;
  const name = cur.text.slice(cur.pos, cur.pos + len);
  cur.pos = q + 1;
  return name;
}

function readTypeText(cur: LineCursor): string {
  cur.skipSpaces();
  const start = cur.pos;
  const end = scanType(cur.text, start, (reason, at) => cur.error(reason, at));
  const text = cur.text.slice(start, end).trim();
  if (text === '') throw cur.error(`expected a column type, found ${cur.found()}`);
  cur.pos = end;
  return text;
}

/** Index where the type starting at `start` ends: a top-level `,` or `}`, or the end of text. */
function scanType(text: string, start: number, fail: (reason: string, at: number) => Error): number {
  const open: string[] = [];
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c in CLOSER) open.push(CLOSER[c]);
    else if (c === '>' || c === ')' || c === ']') {
      if (open.pop() !== c) throw fail(`unbalanced '${c}' in column type`, i);
    } else if (open.length === 0 && (c === ',' || c === '}')) break;
    else if (!TYPE_CHAR.test(c) && !(c === ',' && open.length > 0)) {
      throw fail(`unexpected '${c}' in column type`, i);
    }
  }
  if (open.length > 0) throw fail(`unclosed bracket in column type, expected '${open[open.length - 1]}'`, i);
  return i;
}

/** Whether `t` would be read back unchanged as one column type. */
export function isValidTypeText(t: string): boolean {
  if (t === '' || t !== t.trim()) return false;
  try {
    return scanType(t, 0, () => new Error('invalid')) === t.length;
  } catch {
    return false;
  }
}
