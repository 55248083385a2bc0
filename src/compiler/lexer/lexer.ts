import { DiagnosticBag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../source.js';
import { isBlank, isNewline } from './chars.js';
import { LEX_CODES } from './codes.js';
import { IndentStack } from './indentation.js';
import { Scanner } from './scanner.js';
import type { Token } from './token.js';

/** Keywords that never occur inside an expression, so never inside brackets. */
const STATEMENT_WORDS: ReadonlySet<string> = new Set([
  'val', 'var', 'fn', 'me', 'static', 'struct', 'impl', 'extern', 'use',
  'if', 'elif', 'else', 'while', 'for', 'return', 'break', 'continue',
]);

export interface LexResult {
  /** Always ends with an EOF token, preceded by the DEDENTs that close open blocks. */
  readonly tokens: Token[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Turns source text into tokens with Python-style layout: NEWLINE ends each logical line that
 * has tokens, INDENT / DEDENT bracket deeper lines. Blank and comment-only lines are invisible,
 * and inside `(`, `[` or `{` line breaks and indentation are ignored (implicit line joining).
 * Errors are reported to `bag` and scanning carries on.
 */
class Lexer {
  private readonly sc: Scanner;
  private readonly tokens: Token[] = [];
  private readonly indents = new IndentStack();
  private bracketDepth = 0;
  private lineHasTokens = false;

  constructor(
    private readonly source: SourceFile,
    private readonly bag: DiagnosticBag,
  ) {
    this.sc = new Scanner(source, bag);
  }

  run(): Token[] {
    const sc = this.sc;
    if (sc.peek() === '\uFEFF') sc.pos++;
    let atLineStart = true;
    while (!sc.atEnd && !this.bag.isFull) {
      if (atLineStart) {
        atLineStart = false;
        if (this.bracketDepth > 0 && this.lineStartsStatement()) this.abandonBrackets();
        if (this.bracketDepth === 0) this.startLine();
        continue;
      }
      const c = sc.peek();
      if (isBlank(c)) {
        sc.pos++;
      } else if (c === '#') {
        while (!sc.atEnd && !isNewline(sc.peek())) sc.pos++;
      } else if (isNewline(c)) {
        this.endLine();
        atLineStart = true;
      } else {
        this.scanOne();
      }
    }
    const end = this.source.text.length;
    if (this.lineHasTokens) this.push('Newline', end, end);
    for (let n = this.indents.closeAll(); n > 0; n--) this.push('Dedent', end, end);
    this.push('EOF', end, end);
    return this.tokens;
  }

  /** Layout tokens have no spelling of their own. */
  private push(kind: 'Newline' | 'Indent' | 'Dedent' | 'EOF', start: number, end: number): void {
    this.tokens.push({ kind, span: { start, end }, text: '' });
  }

  private scanOne(): void {
    const prev = this.tokens.length > 0 ? this.tokens[this.tokens.length - 1].kind : null;
    const tok = this.sc.scanToken(prev);
    if (tok === null) return;
    if (tok.kind === '(' || tok.kind === '[' || tok.kind === '{') this.bracketDepth++;
    else if (tok.kind === ')' || tok.kind === ']' || tok.kind === '}') {
      this.bracketDepth = Math.max(0, this.bracketDepth - 1);
    }
    this.tokens.push(tok);
    this.lineHasTokens = true;
  }

  private endLine(): void {
    const sc = this.sc;
    const start = sc.pos;
    sc.pos += sc.peek() === '\r' && sc.peek(1) === '\n' ? 2 : 1;
    if (this.bracketDepth === 0 && this.lineHasTokens) {
      // The NEWLINE token covers only the line break itself: a trailing comment is not part of it.
      this.push('Newline', start, sc.pos);
      this.lineHasTokens = false;
    }
  }

  /**
   * Inside brackets, a line starting with a word that can only begin a statement or an item
   * means a bracket was left open. Python would join the rest of the file into one line and
   * report a single error at its end; closing the line here instead makes the parser report
   * the missing bracket where it belongs and lets it check the following lines normally.
   */
  private lineStartsStatement(): boolean {
    const m = /^[ \t\f]*([A-Za-z_][A-Za-z0-9_]*)/.exec(this.sc.text.slice(this.sc.pos, this.sc.pos + 40));
    return m !== null && STATEMENT_WORDS.has(m[1]);
  }

  private abandonBrackets(): void {
    this.bracketDepth = 0;
    if (this.lineHasTokens) {
      this.push('Newline', this.sc.pos, this.sc.pos);
      this.lineHasTokens = false;
    }
  }

  /** Measures indentation at the start of a logical line and emits INDENT / DEDENT. */
  private startLine(): void {
    const sc = this.sc;
    const lineStart = sc.pos;
    let i = lineStart;
    let firstTab = -1;
    while (isBlank(sc.text.charAt(i))) {
      if (sc.text.charAt(i) === '\t' && firstTab < 0) firstTab = i;
      i++;
    }
    sc.pos = i;
    const c = sc.text.charAt(i);
    if (c === '' || c === '#' || isNewline(c)) return;
    if (firstTab >= 0) {
      sc.error(firstTab, firstTab + 1, 'tab in indentation; indent with spaces', LEX_CODES.tabIndent);
    }
    // A tab counts as one column, so a file indented consistently with tabs still nests right
    // after the error above.
    const change = this.indents.enter(i - lineStart);
    // With a tab in it the depth is a guess, so a mismatch would only repeat the tab error.
    if (change.mismatch && firstTab < 0) {
      sc.error(i, i, 'unindent does not match any outer indentation level', LEX_CODES.badDedent);
    }
    for (let n = change.dedents; n > 0; n--) this.push('Dedent', i, i);
    if (change.indents > 0) this.push('Indent', i, i);
  }
}

export function tokenize(source: SourceFile, bag: DiagnosticBag = new DiagnosticBag()): LexResult {
  const tokens = new Lexer(source, bag).run();
  return { tokens, diagnostics: bag.diagnostics };
}
