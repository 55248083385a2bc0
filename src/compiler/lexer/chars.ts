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

export function isIdentStart(cp: string): boolean {
  return cp !== '' && ID_START.test(cp);
}

export function isIdentContinue(cp: string): boolean {
  return cp !== '' && ID_CONTINUE.test(cp);
}

export function isRadixDigit(c: string, radix: number): boolean {
  if (c.length !== 1) return false;
  const d = parseInt(c, 36);
  return !Number.isNaN(d) && d < radix;
}
