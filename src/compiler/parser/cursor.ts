import type { PlainToken, Token } from '../lexer/token.js';

/** A saved cursor position for speculative parsing. */
export interface CursorMark {
  readonly index: number;
  readonly split: PlainToken | null;
  readonly prevEnd: number;
}

/**
 * Walks a token array that ends in EOF (peeking past the end keeps returning EOF). It can split
 * the current token in two, which is how `>>` closes two type-argument lists in
 * `Stack<Pair<i64, text>>` without the lexer knowing about types.
 */
export class TokenCursor {
  private index = 0;
  /** The unconsumed rest of a split token; when set, it is the current token. */
  private split: PlainToken | null = null;
  private lastEnd = 0;

  constructor(private readonly tokens: readonly Token[]) {
    if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'EOF') {
      throw new Error('TokenCursor: token stream must end with EOF');
    }
  }

  peek(ahead = 0): Token {
    if (this.split !== null) {
      if (ahead === 0) return this.split;
      ahead--;
    }
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  advance(): Token {
    const t = this.peek();
    if (this.split !== null) this.split = null;
    else if (this.index < this.tokens.length - 1) this.index++;
    this.lastEnd = t.span.end;
    return t;
  }

  /** End offset of the last consumed token (0 before any). */
  get prevEnd(): number {
    return this.lastEnd;
  }

  /**
   * Consumes the first character of the current punctuator (e.g. `>` of `>>` or `>=`) and
   * leaves the rest as the current token. Returns the consumed part.
   */
  splitFirst(kind: PlainToken['kind']): PlainToken {
    const t = this.peek();
    const start = t.span.start;
    const first: PlainToken = { kind, span: { start, end: start + 1 }, text: t.text.slice(0, 1) };
    const restText = t.text.slice(1);
    if (this.split === null && this.index < this.tokens.length - 1) this.index++;
    this.split = { kind: restText as PlainToken['kind'], span: { start: start + 1, end: t.span.end }, text: restText };
    this.lastEnd = start + 1;
    return first;
  }

  mark(): CursorMark {
    return { index: this.index, split: this.split, prevEnd: this.lastEnd };
  }

  reset(m: CursorMark): void {
    this.index = m.index;
    this.split = m.split;
    this.lastEnd = m.prevEnd;
  }
}
