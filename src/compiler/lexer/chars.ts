/** Character classes of the lexer. Identifiers follow Unicode's ID_Start / ID_Continue, plus `_`. */

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}]/u;

export function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function isNewline(c: string): boolean {
  return c === '\n' || c === '\r';
}

/** Horizontal whitespace inside a line; form feed is tolerated as Python does. */
export function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/** An ASCII letter or `_` (ASCII code unit `c`). */
export function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** An ASCII letter, digit or `_`. */
export function isAsciiIdentContinue(c: number): boolean {
  return isAsciiIdentStart(c) || (c >= 48 && c <= 57);
}

// ASCII, nearly all of any source, is told by its code unit; the Unicode classes only for the rest.
export function isIdentStart(cp: string): boolean {
  if (cp.length === 1 && cp.charCodeAt(0) < 0x80) return isAsciiIdentStart(cp.charCodeAt(0));
  return cp !== '' && ID_START.test(cp);
}

export function isIdentContinue(cp: string): boolean {
  if (cp.length === 1 && cp.charCodeAt(0) < 0x80) return isAsciiIdentContinue(cp.charCodeAt(0));
  return cp !== '' && ID_CONTINUE.test(cp);
}

export function isRadixDigit(c: string, radix: number): boolean {
  if (c.length !== 1) return false;
  const d = parseInt(c, 36);
  return !Number.isNaN(d) && d < radix;
}
