import type { DiagnosticBag } from '../diagnostics.js';
import type { Ident } from '../ast.js';
import { describeToken } from '../lexer/token.js';
import type { Token, TokenKind } from '../lexer/token.js';
import type { SourceFile, Span } from '../source.js';
import { TokenCursor } from './cursor.js';

export const SYNTAX_ERROR = 'SYNTAX';

/** Deeper nesting than this is reported instead of risking a stack overflow in the host. */
export const MAX_NESTING = 256;
/**
 * The most operators on one path of an expression tree (`1 + 1 + … + 1` is a tree as deep as it
 * has operators); with MAX_NESTING, it bounds the tree's depth. The checker, the lowering and the
 * load-time JIT walk trees recursively; on Node's default stack about 2,500 levels fit, and this
 * leaves room for code that runs deep in a call stack. No real expression comes close.
 */
export const MAX_EXPRESSION_DEPTH = 1000;
/** The most `elif` arms in one `if`: each is a level of nesting for the checker and the lowering. */
export const MAX_ELIF_ARMS = 1000;

/**
 * Thrown after a syntax error has been reported, to unwind to the nearest statement or item
 * boundary, which recovers and carries on. Never escapes the parser.
 */
export class ParseBail extends Error {
  constructor() {
    super('syntax error (already reported)');
  }
}

/**
 * Parser state shared by the grammar modules (types, expressions, statements, items), which are
 * free functions over it.
 */
export class Parser {
  private readonly cursor: TokenCursor;
  /** While > 0 (during speculation) errors are not reported, only thrown. */
  private muted = 0;
  private nesting = 0;
  /** Operators chained on the path from the current expression's root (see MAX_EXPRESSION_DEPTH). */
  private chained = 0;

  constructor(
    readonly source: SourceFile,
    tokens: readonly Token[],
    readonly bag: DiagnosticBag,
  ) {
    this.cursor = new TokenCursor(tokens);
  }

  /** A parser over another token stream (a string interpolation) reporting to the same bag. */
  subParser(tokens: readonly Token[], muted: boolean): Parser {
    // Not `new Parser`: a class that names itself in its body is renamed by the bundler.
    const sub = new (this.constructor as typeof Parser)(this.source, tokens, this.bag);
    sub.muted = this.muted + (muted ? 1 : 0);
    sub.nesting = this.nesting;
    sub.chained = this.chained;
    return sub;
  }

  /** One more operator on the current path of an expression tree; reported past MAX_EXPRESSION_DEPTH. */
  chainOperator(): void {
    if (this.chained >= MAX_EXPRESSION_DEPTH) {
      this.failHere(`expression too deep: more than ${MAX_EXPRESSION_DEPTH} operators in a row; split it with 'val' bindings`);
    }
    this.chained++;
  }

  /** The operators `chainOperator` counted for an expression that is finished. */
  unchainOperators(n: number): void {
    this.chained -= n;
  }

  /** Runs one level of recursive descent (an expression, a block), bounded by MAX_NESTING. */
  nested<T>(parse: () => T): T {
    if (this.nesting >= MAX_NESTING) this.failHere('expression, block or type nested too deeply');
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  peek(ahead = 0): Token {
    return this.cursor.peek(ahead);
  }

  at(kind: TokenKind): boolean {
    return this.cursor.peek().kind === kind;
  }

  atAny(kinds: readonly TokenKind[]): boolean {
    return kinds.includes(this.cursor.peek().kind);
  }

  advance(): Token {
    return this.cursor.advance();
  }

  eat(kind: TokenKind): Token | null {
    return this.at(kind) ? this.cursor.advance() : null;
  }

  get prevEnd(): number {
    return this.cursor.prevEnd;
  }

  /** The span from `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.cursor.prevEnd) };
  }

  /**
   * Where to point when the current token is not what we wanted. A missing token at the end of
   * a line is best shown right after the last token, as clang does for a missing `;`.
   */
  errorSpan(): Span {
    const t = this.peek();
    if (t.kind === 'Newline' || (t.kind === 'EOF' && t.text === '')) {
      return { start: this.prevEnd, end: this.prevEnd };
    }
    return t.span;
  }

  report(sp: Span, message: string): void {
    if (this.muted > 0) return;
    this.bag.error(this.source, sp, message, SYNTAX_ERROR);
  }

  fail(sp: Span, message: string): never {
    this.report(sp, message);
    throw new ParseBail();
  }

  failHere(message: string): never {
    return this.fail(this.errorSpan(), message);
  }

  /** `expected X, found Y` at the current token. */
  failExpected(what: string): never {
    return this.failHere(`expected ${what}, found ${describeToken(this.peek())}`);
  }

  expect(kind: TokenKind, message: string): Token {
    const t = this.eat(kind);
    if (t === null) this.failHere(message);
    return t;
  }

  expectIdent(what: string): Ident {
    const t = this.peek();
    if (t.kind !== 'Ident') this.failExpected(what);
    this.advance();
    return { kind: 'Ident', name: t.text, span: t.span };
  }

  /** Closes a type-argument list, splitting `>>` or `>=` when that is what follows. */
  expectCloseAngle(message: string): void {
    if (this.eat('>')) return;
    if (this.at('>>') || this.at('>=')) {
      this.cursor.splitFirst('>');
      return;
    }
    this.failHere(message);
  }

  /**
   * Runs `attempt` without reporting errors; if it returns null or hits a syntax error, the
   * cursor is rewound as if nothing happened.
   */
  speculate<T>(attempt: () => T | null): T | null {
    const mark = this.cursor.mark();
    this.muted++;
    let result: T | null = null;
    try {
      result = attempt();
    } catch (e) {
      if (!(e instanceof ParseBail)) throw e;
    } finally {
      this.muted--;
    }
    if (result === null) this.cursor.reset(mark);
    return result;
  }

  /**
   * After an error inside a statement or item: skip to the end of its logical line, and also
   * past any block the line opened (and `elif` / `else` arms continuing it), stopping before a
   * DEDENT that closes the enclosing block.
   */
  recoverLine(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'EOF') return;
      if (t.kind === 'Dedent' && depth === 0) return;
      this.advance();
      if (t.kind === 'Indent') {
        depth++;
      } else if (t.kind === 'Dedent') {
        depth--;
        if (depth === 0 && !this.continuesSkippedStatement()) return;
      } else if (t.kind === 'Newline' && depth === 0 && !this.at('Indent')) {
        return;
      }
    }
  }

  private continuesSkippedStatement(): boolean {
    return this.at('Indent') || this.at('elif') || this.at('else');
  }

}
