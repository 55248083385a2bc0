import { isBlank, isNewline, isRadixDigit } from './chars.js';
import { LEX_CODES } from './codes.js';
import type { Scanner } from './scanner.js';
import type { StrInterpPart, StrToken, StrTokenPart, Token, TokenKind } from './token.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '{': '{',
  '}': '}',
};

/** `\u{1F600}`: one to six hex digits naming a Unicode scalar value. */
function scanUnicodeEscape(sc: Scanner, escStart: number): string {
  if (sc.peek() !== '{') {
    sc.error(escStart, sc.pos, "expected '{' after '\\u'; write '\\u{XXXX}'", LEX_CODES.badEscape);
    return '';
  }
  sc.pos++;
  const digitsStart = sc.pos;
  while (isRadixDigit(sc.peek(), 16)) sc.pos++;
  const digits = sc.text.slice(digitsStart, sc.pos);
  if (sc.peek() !== '}' || digits.length === 0 || digits.length > 6) {
    // Swallow the rest of a botched `\u{…}` so its letters do not show up as text.
    while (/[0-9A-Za-z]/.test(sc.peek())) sc.pos++;
    if (sc.peek() === '}') sc.pos++;
    sc.error(escStart, sc.pos, "invalid unicode escape; write '\\u{XXXX}' with 1 to 6 hex digits", LEX_CODES.badEscape);
    return '';
  }
  sc.pos++;
  const value = parseInt(digits, 16);
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    sc.error(escStart, sc.pos, `'\\u{${digits}}' is not a Unicode scalar value`, LEX_CODES.badEscape);
    return '';
  }
  return String.fromCodePoint(value);
}

/** Decodes one escape at a backslash; unknown escapes are reported and kept literally. */
function scanEscape(sc: Scanner): string {
  const start = sc.pos;
  sc.pos++;
  const cp = sc.peekCodePoint();
  // A backslash at the end of the line: the caller reports the unterminated string.
  if (cp === '' || isNewline(cp)) return '';
  sc.pos += cp.length;
  const simple = SIMPLE_ESCAPES[cp];
  if (simple !== undefined) return simple;
  if (cp === 'u') return scanUnicodeEscape(sc, start);
  sc.error(start, sc.pos, `unknown escape sequence '\\${cp}'`, LEX_CODES.badEscape);
  return cp;
}

/**
 * Scans the ordinary tokens of `{ ... }` inside a string. Brackets are counted so a `}` closing
 * an inner `{` does not end the interpolation; nested strings recurse through scanToken. An
 * interpolation cut off by the end of the line is left for the string to report.
 */
function scanInterpolation(sc: Scanner): StrInterpPart {
  const open = sc.pos;
  sc.pos++;
  const tokens: Token[] = [];
  let depth = 0;
  let prev: TokenKind | null = null;
  for (;;) {
    while (isBlank(sc.peek())) sc.pos++;
    const c = sc.peek();
    if (c === '' || isNewline(c)) break;
    if (c === '}' && depth === 0) {
      sc.pos++;
      break;
    }
    const tok = sc.scanToken(prev);
    if (tok === null) continue;
    if (tok.kind === '(' || tok.kind === '[' || tok.kind === '{') depth++;
    else if (tok.kind === ')' || tok.kind === ']' || tok.kind === '}') depth = Math.max(0, depth - 1);
    tokens.push(tok);
    prev = tok.kind;
  }
  return { kind: 'interp', tokens, span: { start: open, end: sc.pos } };
}

/**
 * Scans a string literal at its opening quote into text parts (escapes decoded) and
 * interpolation parts. `""` has no parts. Strings end at the end of their line.
 */
export function scanString(sc: Scanner): StrToken {
  const start = sc.pos;
  sc.pos++;
  const parts: StrTokenPart[] = [];
  let buf = '';
  let bufStart = sc.pos;
  const flush = (): void => {
    if (buf !== '') parts.push({ kind: 'text', value: buf, span: { start: bufStart, end: sc.pos } });
    buf = '';
  };
  for (;;) {
    const c = sc.peek();
    if (c === '' || isNewline(c)) {
      flush();
      sc.error(start, sc.pos, 'unterminated string literal', LEX_CODES.unterminatedString);
      break;
    }
    if (c === '"') {
      flush();
      sc.pos++;
      break;
    }
    if (c === '\\') {
      buf += scanEscape(sc);
    } else if (c === '{') {
      flush();
      parts.push(scanInterpolation(sc));
      bufStart = sc.pos;
    } else if (c === '}') {
      sc.error(sc.pos, sc.pos + 1, "unmatched '}' in string literal; write '\\}' for a literal brace", LEX_CODES.strayBrace);
      buf += c;
      sc.pos++;
    } else {
      buf += c;
      sc.pos++;
    }
  }
  return { kind: 'Str', span: { start, end: sc.pos }, text: sc.text.slice(start, sc.pos), parts };
}
