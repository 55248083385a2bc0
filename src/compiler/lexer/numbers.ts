import { isDigit, isIdentContinue, isRadixDigit } from './chars.js';
import { LEX_CODES } from './codes.js';
import type { Scanner } from './scanner.js';
import type { Token } from './token.js';

const RADIX_PREFIXES: Record<string, { radix: number; name: string }> = {
  x: { radix: 16, name: 'hexadecimal' },
  o: { radix: 8, name: 'octal' },
  b: { radix: 2, name: 'binary' },
};

/** Consumes digits of `radix` and `_` separators. */
function skipDigits(sc: Scanner, radix: number): void {
  while (sc.peek() === '_' || isRadixDigit(sc.peek(), radix)) sc.pos++;
}

/**
 * Letters or stray digits glued to a literal (`12abc`, `0b102`) are one mistake, so they are
 * reported once and swallowed rather than left to become a confusing identifier token.
 */
function rejectSuffix(sc: Scanner, radixName: string | null): void {
  const start = sc.pos;
  const first = sc.peekCodePoint();
  if (!isIdentContinue(first)) return;
  sc.skipIdentChars();
  const suffix = sc.text.slice(start, sc.pos);
  const message =
    radixName !== null && isDigit(first)
      ? `invalid digit '${first}' in ${radixName} literal`
      : `invalid suffix '${suffix}' on number literal`;
  sc.error(start, sc.pos, message, LEX_CODES.badNumber);
}

function scanRadixInt(sc: Scanner, start: number, radix: number, name: string): Token {
  const marker = sc.peek(1);
  sc.pos += 2;
  const digitsStart = sc.pos;
  skipDigits(sc, radix);
  const digits = sc.text.slice(digitsStart, sc.pos).replaceAll('_', '');
  if (digits === '') {
    sc.error(start, sc.pos, `expected ${name} digits after '0${marker}'`, LEX_CODES.badNumber);
  }
  const value = digits === '' ? 0n : BigInt(`0${marker.toLowerCase()}${digits}`);
  rejectSuffix(sc, name);
  return { kind: 'Int', span: { start, end: sc.pos }, text: sc.text.slice(start, sc.pos), value };
}

/**
 * Scans an integer or float literal. With `integerOnly` (right after a `.`), a following `.5` or
 * `e5` is left alone so `t.0.1` reads as two tuple indices.
 */
export function scanNumber(sc: Scanner, integerOnly: boolean): Token {
  const start = sc.pos;
  const prefix = sc.peek() === '0' ? RADIX_PREFIXES[sc.peek(1).toLowerCase()] : undefined;
  if (prefix !== undefined) return scanRadixInt(sc, start, prefix.radix, prefix.name);

  skipDigits(sc, 10);
  let isFloat = false;
  if (!integerOnly) {
    if (sc.peek() === '.' && isDigit(sc.peek(1))) {
      sc.pos++;
      skipDigits(sc, 10);
      isFloat = true;
    }
    const e = sc.peek();
    if (e === 'e' || e === 'E') {
      const sign = sc.peek(1) === '+' || sc.peek(1) === '-' ? 1 : 0;
      if (isDigit(sc.peek(1 + sign))) {
        sc.pos += 1 + sign;
        skipDigits(sc, 10);
        isFloat = true;
      }
    }
  }
  const numberEnd = sc.pos;
  const cleaned = sc.text.slice(start, numberEnd).replaceAll('_', '');
  rejectSuffix(sc, null);
  const span = { start, end: sc.pos };
  const text = sc.text.slice(start, sc.pos);
  if (isFloat) return { kind: 'Float', span, text, value: Number(cleaned) };
  return { kind: 'Int', span, text, value: BigInt(cleaned) };
}
