import type { ParseContext } from './context.js';
import type { LineCursor } from './cursor.js';
import type { SdnPosition } from './positions.js';
import { isDigit, isIdentStart, readBare, readKey, readNumber, readQuoted } from './scalars.js';
import type { SdnDict, SdnValue } from './value.js';

/** Reads one single-line value at the cursor; `depth` is the nesting level the value would occupy. */
export function readValue(cur: LineCursor, ctx: ParseContext, depth: number): SdnValue {
  const start = cur.pos;
  const c = cur.peek();
  ctx.countValue(cur, start);
  if (c === '[') return readArray(cur, ctx, depth);
  if (c === '{') return readDict(cur, ctx, depth);
  if (c === '"') return readQuoted(cur, ctx);
  if (isDigit(c) || (c === '-' && isDigit(cur.peek(1)))) return readNumber(cur);
  if (isIdentStart(c)) return readBare(cur, ctx);
  throw cur.error(`expected a value, found ${cur.found()}`);
}

function readArray(cur: LineCursor, ctx: ParseContext, depth: number): SdnValue[] {
  const start = cur.pos;
  ctx.enter(depth, cur, start);
  cur.pos++;
  const arr: SdnValue[] = [];
  ctx.recordAt(arr, cur, start);
  cur.skipSpaces();
  if (cur.peek() === ']') {
    cur.pos++;
    return arr;
  }
  for (;;) {
    cur.skipSpaces();
    arr.push(readValue(cur, ctx, depth + 1));
    cur.skipSpaces();
    const c = cur.peek();
    cur.pos++;
    if (c === ']') return arr;
    if (c !== ',') throw cur.error(`expected ',' or ']', found ${foundBefore(cur)}`, cur.pos - 1);
  }
}

function readDict(cur: LineCursor, ctx: ParseContext, depth: number): SdnDict {
  const start = cur.pos;
  ctx.enter(depth, cur, start);
  cur.pos++;
  const dict: SdnDict = new Map();
  ctx.recordAt(dict, cur, start);
  cur.skipSpaces();
  if (cur.peek() === '}') {
    cur.pos++;
    return dict;
  }
  for (;;) {
    cur.skipSpaces();
    const keyPos = cur.pos;
    const key = readKey(cur, ctx, 'a key');
    if (dict.has(key)) throw cur.error(`duplicate key '${key}'`, keyPos);
    cur.skipSpaces();
    cur.expect(':', "':' after the key");
    cur.skipSpaces();
    ctx.recordKey(dict, key, cur, keyPos);
    dict.set(key, readValue(cur, ctx, depth + 1));
    cur.skipSpaces();
    const c = cur.peek();
    cur.pos++;
    if (c === '}') return dict;
    if (c !== ',') throw cur.error(`expected ',' or '}', found ${foundBefore(cur)}`, cur.pos - 1);
  }
}

/** `found()` for the character just stepped over. */
function foundBefore(cur: LineCursor): string {
  cur.pos--;
  const f = cur.found();
  cur.pos++;
  return f;
}

/**
 * One table row: `v1, v2` up to the end of the line, or `(v1, v2)` up to the closing
 * parenthesis (the caller decides what may follow it). The row must have `width` cells.
 */
export function readRow(cur: LineCursor, ctx: ParseContext, cellDepth: number, width: number): SdnValue[] {
  const start = cur.pos;
  ctx.countValue(cur, start);
  const paren = cur.peek() === '(';
  if (paren) cur.pos++;
  const row: SdnValue[] = [];
  const cells: SdnPosition[] = [];
  for (;;) {
    cur.skipSpaces();
    if (row.length === width) throw cur.error(`too many cells: the table has ${width} columns`);
    cells.push({ line: cur.line, column: cur.pos + 1 });
    row.push(readValue(cur, ctx, cellDepth));
    cur.skipSpaces();
    if (cur.peek() === ',') {
      cur.pos++;
      continue;
    }
    if (paren && cur.peek() === ')') {
      cur.pos++;
      break;
    }
    if (!paren && cur.atLineEnd()) break;
    throw cur.error(`expected ',' or ${paren ? "')'" : 'end of row'}, found ${cur.found()}`);
  }
  if (row.length < width) {
    throw cur.error(`too few cells: the table has ${width} columns, this row has ${row.length}`, start);
  }
  ctx.recordAt(row, cur, start);
  ctx.positions?.recordCells(row, cells);
  return row;
}
