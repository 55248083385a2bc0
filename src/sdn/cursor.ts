import { SdnError } from './errors.js';

/**
 * A read position inside one line. Inline values never span lines, so every scanner works on a
 * single line and reports errors with that line's number.
 */
export class LineCursor {
  pos: number;

  constructor(
    readonly text: string,
    readonly line: number,
    start: number,
    readonly file: string | undefined,
  ) {
    this.pos = start;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  skipSpaces(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t') break;
      this.pos++;
    }
  }

  /** True at the end of the line or at a comment: `#` outside quotes always starts one. */
  atLineEnd(): boolean {
    return this.pos >= this.text.length || this.text[this.pos] === '#';
  }

  where(pos = this.pos): { file: string | undefined; line: number; column: number } {
    return { file: this.file, line: this.line, column: pos + 1 };
  }

  error(reason: string, pos = this.pos): SdnError {
    return new SdnError(reason, this.where(pos));
  }

  /** Describes what sits at the cursor, for "expected X, found Y" messages. */
  found(): string {
    if (this.pos >= this.text.length) return 'end of line';
    if (this.text[this.pos] === '#') return 'a comment';
    const cp = this.text.codePointAt(this.pos) ?? 0;
    // Control characters are named by code so the message stays on one line.
    if (cp < 0x20 || cp === 0x7f) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${String.fromCodePoint(cp)}'`;
  }

  expect(ch: string, what: string): void {
    if (this.text[this.pos] !== ch) throw this.error(`expected ${what}, found ${this.found()}`);
    this.pos++;
  }
}
