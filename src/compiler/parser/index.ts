import type { Expr, ModuleAst, TypeExpr } from '../ast.js';
import { DiagnosticBag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { tokenize } from '../lexer/lexer.js';
import { SourceFile } from '../source.js';
import { parseExpr } from './expressions.js';
import { parseModuleBody } from './items.js';
import { ParseBail, Parser } from './parser.js';
import { parseType } from './types.js';

export { SYNTAX_ERROR } from './parser.js';
export { PREC } from './expressions.js';

export interface ParseResult {
  readonly module: ModuleAst;
  /** Lexer and parser diagnostics together, in source order. */
  readonly diagnostics: Diagnostic[];
}

function inSourceOrder(ds: readonly Diagnostic[]): Diagnostic[] {
  const pos = (d: Diagnostic): number => (d.span === null ? Number.MAX_SAFE_INTEGER : d.span.start);
  return [...ds].sort((a, b) => pos(a) - pos(b));
}

function asSource(source: SourceFile | string): SourceFile {
  return typeof source === 'string' ? new SourceFile('<input>', source) : source;
}

/**
 * Parses one `.spl` module. Never throws on bad input: errors come back as diagnostics and the
 * module holds every item that parsed. Pass a bag to share an error limit with later phases.
 */
export function parseModule(source: SourceFile, bag: DiagnosticBag = new DiagnosticBag()): ParseResult {
  // The lexer reports all its errors before the parser starts: they are collected apart and
  // handed on in source order, so a shared bag reads top to bottom too.
  const own = new DiagnosticBag(Math.max(1, bag.limit - bag.errorCount));
  const { tokens } = tokenize(source, own);
  const { uses, items } = parseModuleBody(new Parser(source, tokens, own));
  const module: ModuleAst = { kind: 'Module', uses, items, span: { start: 0, end: source.text.length } };
  const diagnostics = inSourceOrder(own.diagnostics);
  for (const d of diagnostics) bag.add(d);
  return { module, diagnostics };
}

/** Parses a text that must be exactly one `what`, then the end of the line. */
function parseFragment<T>(
  source: SourceFile | string,
  what: string,
  parse: (p: Parser) => T,
): { result: T | null; diagnostics: Diagnostic[] } {
  const src = asSource(source);
  const bag = new DiagnosticBag();
  const { tokens } = tokenize(src, bag);
  const p = new Parser(src, tokens, bag);
  let result: T | null = null;
  try {
    result = parse(p);
    if (!p.at('Newline') && !p.at('EOF')) p.failExpected(`end of ${what}`);
  } catch (e) {
    if (!(e instanceof ParseBail)) throw e;
    result = null;
  }
  return { result, diagnostics: inSourceOrder(bag.diagnostics) };
}

/** Parses a standalone type expression such as `Stack<Pair<i64, text>>` (for tests and tools). */
export function parseTypeExpr(source: SourceFile | string): { type: TypeExpr | null; diagnostics: Diagnostic[] } {
  const { result, diagnostics } = parseFragment(source, 'the type', parseType);
  return { type: result, diagnostics };
}

/** Parses a standalone expression such as `a + b * c` (for tests and tools). */
export function parseExpression(source: SourceFile | string): { expr: Expr | null; diagnostics: Diagnostic[] } {
  const { result, diagnostics } = parseFragment(source, 'the expression', (p) => parseExpr(p));
  return { expr: result, diagnostics };
}
