import type { DiagnosticBag } from '../diagnostics.js';
import type { SourceFile } from '../source.js';
import { isAsciiIdentContinue, isDigit, isIdentContinue, isIdentStart } from './chars.js';
import { LEX_CODES } from './codes.js';
import { scanNumber } from './numbers.js';
import { scanString } from './strings.js';
import { isKeyword, PUNCTUATORS } from './token.js';
import type { PlainToken, Punct, Token, TokenKind } from './token.js';

/** The punctuators by first character, longest first (as PUNCTUATORS lists them). */
const PUNCTUATORS_BY_FIRST = new Map<string, Punct[]>();
for (const p of PUNCTUATORS) {
  const list = PUNCTUATORS_BY_FIRST.get(p[0]);
  if (list) list.push(p);
  else PUNCTUATORS_BY_FIRST.set(p[0], [p]);
}

function describeChar(cp: string): string {
  const n = cp.codePointAt(0) ?? 0;
  const hex = 'U+' + n.toString(16).toUpperCase().padStart(4, '0');
  return n < 0x20 || n === 0x7f ? hex : `'${cp}' (${hex})`;
}

/**
 * A position in the source plus the rules for scanning one token that lies within a line.
 * Layout (newlines, indentation, comments) is the lexer's job; this class is shared with string
 * interpolation, which needs ordinary tokens but no layout.
 */
export class Scanner {
  pos = 0;

  constructor(
    readonly source: SourceFile,
    readonly bag: DiagnosticBag,
  ) {}

  get text(): string {
    return this.source.text;
  }

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** The code unit `ahead` positions on, or '' past the end. */
  peek(ahead = 0): string {
    return this.text.charAt(this.pos + ahead);
  }

  /** The whole code point at the current position (two code units for astral characters). */
  peekCodePoint(): string {
    const cp = this.text.codePointAt(this.pos);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  error(start: number, end: number, message: string, code: string): void {
    this.bag.error(this.source, { start, end }, message, code);
  }

  plain(kind: PlainToken['kind'], start: number): PlainToken {
    return { kind, span: { start, end: this.pos }, text: this.text.slice(start, this.pos) };
  }

  /**
   * Scans the token starting at `pos`, which must not be whitespace, a comment or a newline.
   * Returns null (after reporting) for a character that starts no token. `prev` is the kind of
   * the previous token: after `.` a number is a tuple index, so `t.0.1` is not `t . 0.1`.
   */
  scanToken(prev: TokenKind | null): Token | null {
    const start = this.pos;
    const cp = this.peekCodePoint();
    if (isIdentStart(cp)) return this.scanWord();
    if (isDigit(cp)) return scanNumber(this, prev === '.');
    if (cp === '"') return scanString(this);
    for (const p of PUNCTUATORS_BY_FIRST.get(cp) ?? []) {
      if (this.text.startsWith(p, start)) {
        this.pos += p.length;
        return this.plain(p, start);
      }
    }
    this.pos += cp.length;
    const message =
      cp === '!' ? "unexpected '!'; write 'not' for logical negation" : `unexpected character ${describeChar(cp)}`;
    this.error(start, this.pos, message, LEX_CODES.unexpectedChar);
    return null;
  }

  /** Consumes identifier-continue code points (used to swallow a bad number suffix whole). */
  skipIdentChars(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c < 0x80) {
        if (!isAsciiIdentContinue(c)) return;
        this.pos++;
        continue;
      }
      const cp = this.peekCodePoint();
      if (!isIdentContinue(cp)) return;
      this.pos += cp.length;
    }
  }

  private scanWord(): Token {
    const start = this.pos;
    this.pos += this.peekCodePoint().length;
    this.skipIdentChars();
    const word = this.text.slice(start, this.pos);
    return this.plain(isKeyword(word) ? word : 'Ident', start);
  }
}
