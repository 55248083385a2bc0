/**
 * Hints for code written from the habits of other languages (`let`, `&&`, `x++`): the parser
 * would otherwise report a confusing "expected …, found …" one token later. Each hint names
 * what Simple writes instead (LANGUAGE.md).
 */
import type { Expr } from '../ast.js';
import type { Token, TokenKind } from '../lexer/token.js';
import type { Parser } from './parser.js';

/** Binding keywords of other languages, as they would start a statement. */
const FOREIGN_BINDINGS: Readonly<Record<string, string>> = {
  let: "write 'val' for a binding, or 'var' for one that changes",
  const: "write 'val' for a binding that never changes",
  auto: "write 'val' (or 'var' for a binding that changes)",
};

/**
 * At the start of a statement: `let x = …` (an identifier followed by another one and `=` or
 * `:`). Reports the hint and consumes the foreign word so the rest parses as a `val`; returns
 * whether it did. `let mut x` is `var x`.
 */
export function foreignBinding(p: Parser): 'val' | 'var' | null {
  const t = p.peek();
  if (t.kind !== 'Ident' || !(t.text in FOREIGN_BINDINGS) || p.peek(1).kind !== 'Ident') return null;
  const mut = p.peek(1).text === 'mut' && p.peek(2).kind === 'Ident';
  const after = p.peek(mut ? 2 : 1);
  const next = p.peek(mut ? 3 : 2).kind;
  if (next !== '=' && next !== ':') return null;
  p.report(mut ? { start: t.span.start, end: p.peek(1).span.end } : t.span, `Simple has no '${mut ? `${t.text} mut` : t.text}'; ${mut ? "write 'var' for a binding that changes" : FOREIGN_BINDINGS[t.text]}, as in '${mut ? 'var' : 'val'} ${after.text} = …'`);
  p.advance();
  if (mut) p.advance();
  return mut ? 'var' : 'val';
}

function adjacent(a: Token, b: Token): boolean {
  return a.span.end === b.span.start;
}

const WORD_OPERATORS: Partial<Record<TokenKind, 'and' | 'or'>> = { '&': 'and', '|': 'or' };

/**
 * Before a binary operator: `&&` / `||` (two adjacent tokens) mean the word Simple uses;
 * returns it, or null. {@link consumeDoubled} reports and consumes the pair.
 */
export function doubledLogicOperator(p: Parser): 'and' | 'or' | null {
  const t = p.peek();
  const word = WORD_OPERATORS[t.kind];
  const next = p.peek(1);
  return word && next.kind === t.kind && adjacent(t, next) ? word : null;
}

/** Reports `&&` / `||` with the word Simple writes, and consumes both tokens. */
export function consumeDoubled(p: Parser, word: 'and' | 'or'): void {
  const t = p.advance();
  const next = p.advance();
  p.report({ start: t.span.start, end: next.span.end }, `Simple writes '${t.text}${t.text}' as '${word}'`);
}

/** After an operand: `x++` / `x--` at the end of a statement is reported with its Simple form. */
export function incrementHint(p: Parser, operand: Expr): void {
  const t = p.peek();
  const next = p.peek(1);
  if ((t.kind !== '+' && t.kind !== '-') || next.kind !== t.kind || !adjacent(t, next)) return;
  const end = p.peek(2).kind;
  if (end !== 'Newline' && end !== 'EOF' && end !== 'Dedent' && end !== ')') return;
  const target = operand.kind === 'Name' ? operand.name : 'x';
  p.fail({ start: t.span.start, end: next.span.end }, `Simple has no '${t.kind}${t.kind}'; write '${target} ${t.kind}= 1'`);
}
