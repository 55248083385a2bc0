import type { ParseContext } from './context.js';
import type { LineCursor } from './cursor.js';

/**
 * Keys (dict keys, column names) are narrower than bare string values: they exclude `:` and `/`
 * so that `key: value` splits at the first colon while a value such as `app.spl:10:5` or
 * `a/b` can still be written bare.
 */
export const KEY_PATTERN = '[A-Za-z_][A-Za-z0-9_.-]*';
export const BARE_PATTERN = '[A-Za-z_][A-Za-z0-9_./:-]*';
const KEY_STICKY = new RegExp(KEY_PATTERN, 'y');
const BARE_STICKY = new RegExp(BARE_PATTERN, 'y');
const NUMBER_STICKY =
  /-?(?:0[xX][0-9A-Fa-f](?:_?[0-9A-Fa-f])*|[0-9](?:_?[0-9])*(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9]+)?)/y;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

export const KEYWORDS: ReadonlyMap<string, null | boolean> = new Map<string, null | boolean>([
  ['true', true],
  ['false', false],
  ['null', null],
  ['nil', null],
]);

export function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function isIdentStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}

/** Length of the key at `pos`, or 0 if none starts there. */
export function matchKey(text: string, pos: number): number {
  KEY_STICKY.lastIndex = pos;
  const m = KEY_STICKY.exec(text);
  return m === null ? 0 : m[0].length;
}

/** A dict key or column name: bare (`KEY_PATTERN`) or double-quoted. */
export function readKey(cur: LineCursor, ctx: ParseContext, what: string): string {
  if (cur.peek() === '"') return readQuoted(cur, ctx);
  const len = matchKey(cur.text, cur.pos);
  if (len === 0) throw cur.error(`expected ${what}, found ${cur.found()}`);
  const key = cur.text.slice(cur.pos, cur.pos + len);
  ctx.checkString(key, cur, cur.pos);
  cur.pos += len;
  return key;
}

export function readQuoted(cur: LineCursor, ctx: ParseContext): string {
  const t = cur.text;
  const open = cur.pos;
  let i = open + 1;
  let chunk = i;
  let out = '';
  for (;;) {
    if (i >= t.length) throw cur.error('unterminated string', open);
    const c = t.charCodeAt(i);
    if (c === 0x22) break;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    out += t.slice(chunk, i);
    const [text, next] = readEscape(cur, i);
    out += text;
    i = chunk = next;
  }
  out += t.slice(chunk, i);
  cur.pos = i + 1;
  ctx.checkString(out, cur, open);
  return out;
}

/** Decodes the escape whose backslash is at `at`; returns its text and the index after it. */
function readEscape(cur: LineCursor, at: number): [string, number] {
  const e = cur.text.charAt(at + 1);
  switch (e) {
    case '\\':
    case '"':
      return [e, at + 2];
    case 'n':
      return ['\n', at + 2];
    case 'r':
      return ['\r', at + 2];
    case 't':
      return ['\t', at + 2];
    case 'u': {
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(cur.text.slice(at + 2, at + 11));
      const cp = m === null ? -1 : parseInt(m[1], 16);
      if (m === null || cp > 0x10ffff) throw cur.error('invalid unicode escape; expected \\u{hex} up to 10FFFF', at);
      return [String.fromCodePoint(cp), at + 2 + m[0].length];
    }
    case '':
      throw cur.error('unterminated string', at);
    default:
      throw cur.error(`unknown escape '\\${e}'`, at);
  }
}

export function readNumber(cur: LineCursor): number | bigint {
  const start = cur.pos;
  NUMBER_STICKY.lastIndex = start;
  const m = NUMBER_STICKY.exec(cur.text);
  const end = start + (m === null ? 0 : m[0].length);
  const after = cur.text.charAt(end);
  if (m === null || isIdentStart(after) || isDigit(after) || after === '.') {
    throw cur.error(`invalid number '${tokenAt(cur.text, start)}'`, start);
  }
  cur.pos = end;
  const lit = m[0].replaceAll('_', '');
  const neg = lit.startsWith('-');
  const body = neg ? lit.slice(1) : lit;
  if (/^0[xX]/.test(body)) return toInteger(cur, start, neg, body.slice(2).replace(/^0+(?=.)/, ''), 16);
  if (/[.eE]/.test(body)) {
    const f = Number(lit);
    if (!Number.isFinite(f)) throw cur.error('float literal out of range', start);
    return f;
  }
  return toInteger(cur, start, neg, body.replace(/^0+(?=.)/, ''), 10);
}

function toInteger(cur: LineCursor, start: number, neg: boolean, digits: string, radix: 10 | 16): number | bigint {
  // Bounding the digit count first keeps BigInt from ever seeing a huge literal.
  const tooLong = digits.length > (radix === 10 ? 19 : 16);
  const mag = tooLong ? 0n : BigInt(radix === 16 ? `0x${digits}` : digits);
  const v = neg ? -mag : mag;
  if (tooLong || v < I64_MIN || v > I64_MAX) throw cur.error('integer literal out of range for i64', start);
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v;
}

/** A bare string, or the value of a keyword (`true`, `false`, `null`, `nil`). */
export function readBare(cur: LineCursor, ctx: ParseContext): string | boolean | null {
  BARE_STICKY.lastIndex = cur.pos;
  const m = BARE_STICKY.exec(cur.text);
  if (m === null) throw cur.error(`expected a value, found ${cur.found()}`);
  const word = m[0];
  const kw = KEYWORDS.get(word);
  if (kw !== undefined) {
    cur.pos += word.length;
    return kw;
  }
  ctx.checkString(word, cur, cur.pos);
  cur.pos += word.length;
  return word;
}

function tokenAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && !/[\s,\]})#]/.test(text[end]) && end - start < 40) end++;
  return text.slice(start, end);
}
