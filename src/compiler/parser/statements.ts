import type {
  AssignOp,
  Block,
  Expr,
  ForStmt,
  IfBranch,
  IfStmt,
  LetStmt,
  Place,
  RangeIterable,
  Stmt,
  WhileStmt,
} from '../ast.js';
import type { TokenKind } from '../lexer/token.js';
import type { Span } from '../source.js';
import { parseExpr } from './expressions.js';
import { foreignBinding } from './habits.js';
import { MAX_ELIF_ARMS, ParseBail } from './parser.js';
import type { Parser } from './parser.js';
import { parseType } from './types.js';

const ASSIGN_OPS: readonly TokenKind[] = ['=', '+=', '-=', '*=', '/=', '%='];

/** Kinds that can only start a declaration, never a statement. */
const ITEM_KEYWORDS: readonly TokenKind[] = ['fn', 'struct', 'impl', 'extern', 'use', 'me', 'static'];

/**
 * A compound statement ends where its last block ends, not after the NEWLINE / DEDENT that
 * closed it, so spans never swallow trailing blank lines or comments.
 */
export function endingWith(start: number, last: { span: Span }): Span {
  return { start, end: Math.max(start, last.span.end) };
}

function endOfStatement(p: Parser): void {
  if (!p.eat('Newline')) p.failExpected('end of line');
}

function blockOf(statements: Stmt[], fallbackAt: number): Block {
  const span =
    statements.length === 0
      ? { start: fallbackAt, end: fallbackAt }
      : { start: statements[0].span.start, end: statements[statements.length - 1].span.end };
  return { kind: 'Block', statements, span };
}

/**
 * The body after a `:` that has just been consumed: an indented block, or a single statement
 * on the same line (`if c: return x`). A missing indented block is reported without bailing, so
 * the line that should have been indented is still parsed as the next statement.
 */
export function parseBlock(p: Parser, after: string): Block {
  return p.nested(() => parseBlockBody(p, after));
}

function parseBlockBody(p: Parser, after: string): Block {
  if (!p.at('Newline')) {
    const stmt = parseStatement(p);
    return blockOf([stmt], stmt.span.start);
  }
  const colonEnd = p.prevEnd;
  p.advance();
  if (!p.at('Indent')) {
    p.report(p.errorSpan(), `expected an indented block after ${after}`);
    return blockOf([], colonEnd);
  }
  p.advance();
  const statements = parseStatementList(p);
  p.eat('Dedent');
  return blockOf(statements, colonEnd);
}

/** Statements up to the DEDENT (or EOF) that ends the current block, recovering from errors. */
export function parseStatementList(p: Parser): Stmt[] {
  const out: Stmt[] = [];
  while (!p.at('Dedent') && !p.at('EOF') && !p.bag.isFull) {
    if (p.at('Indent')) {
      // Keep the over-indented lines as part of this block: they are likely fine on their own
      // and checking them surfaces more real errors in one run.
      p.report(p.advance().span, 'unexpected indent');
      out.push(...parseStatementList(p));
      p.eat('Dedent');
      continue;
    }
    const before = p.peek();
    try {
      out.push(parseStatement(p));
    } catch (e) {
      if (!(e instanceof ParseBail)) throw e;
      p.recoverLine();
      if (p.peek() === before) p.advance();
    }
  }
  return out;
}

export function parseStatement(p: Parser): Stmt {
  const t = p.peek();
  switch (t.kind) {
    case 'val':
    case 'var':
      return parseLet(p);
    case 'if':
      return parseIf(p);
    case 'while':
      return parseWhile(p);
    case 'for':
      return parseFor(p);
    case 'return': {
      p.advance();
      const value = p.atAny(['Newline', 'Dedent', 'EOF']) ? null : parseExpr(p);
      const span = p.spanFrom(t.span.start);
      endOfStatement(p);
      return { kind: 'Return', value, span };
    }
    case 'break':
    case 'continue':
      p.advance();
      endOfStatement(p);
      return { kind: t.kind === 'break' ? 'Break' : 'Continue', span: t.span };
    case 'elif':
    case 'else':
      return p.fail(t.span, `'${t.kind}' without a matching 'if'`);
    default:
      if (ITEM_KEYWORDS.includes(t.kind)) {
        return p.fail(t.span, `'${t.kind}' declarations are only allowed at the top level of a module`);
      }
      {
        const keyword = foreignBinding(p);
        if (keyword) return parseLet(p, { start: t.span.start, keyword });
      }
      return parseExprOrAssign(p);
  }
}

/** `val`/`var` (current), or, when `foreign` is given, a `let` already reported and consumed. */
function parseLet(p: Parser, foreign?: { start: number; keyword: 'val' | 'var' }): LetStmt {
  const start = foreign ? foreign.start : p.peek().span.start;
  const keyword = foreign ? foreign.keyword : p.advance().kind;
  const mutable = keyword === 'var';
  const name = p.expectIdent(`a variable name after '${keyword}'`);
  const type = p.eat(':') ? parseType(p) : null;
  p.expect('=', `expected '=' and an initial value for '${name.name}'`);
  const value = parseExpr(p);
  const span = p.spanFrom(start);
  endOfStatement(p);
  return { kind: 'Let', mutable, name, type, value, span };
}

function parseBranch(p: Parser, keyword: 'if' | 'elif' | 'while', start: number): IfBranch {
  const condition = parseExpr(p);
  p.expect(':', `expected ':' after the condition of '${keyword}'`);
  const body = parseBlock(p, `'${keyword}'`);
  return { kind: 'IfBranch', condition, body, span: endingWith(start, body) };
}

function parseIf(p: Parser): IfStmt {
  const start = p.advance().span.start;
  const branches = [parseBranch(p, 'if', start)];
  while (p.at('elif')) {
    // An arm is a level of nesting further down the line (the checker and the lowering nest them).
    if (branches.length > MAX_ELIF_ARMS) p.failHere(`more than ${MAX_ELIF_ARMS} 'elif' arms in one 'if'; split the chain`);
    const kw = p.advance();
    branches.push(parseBranch(p, 'elif', kw.span.start));
  }
  let elseBody: Block | null = null;
  if (p.eat('else')) {
    p.expect(':', "expected ':' after 'else'");
    elseBody = parseBlock(p, "'else'");
  }
  return { kind: 'If', branches, elseBody, span: endingWith(start, elseBody ?? branches[branches.length - 1]) };
}

function parseWhile(p: Parser): WhileStmt {
  const start = p.advance().span.start;
  const { condition, body } = parseBranch(p, 'while', start);
  return { kind: 'While', condition, body, span: endingWith(start, body) };
}

function parseFor(p: Parser): ForStmt {
  const start = p.advance().span.start;
  const binding = p.expectIdent("a loop variable name after 'for'");
  p.expect('in', "expected 'in' after the loop variable of 'for'");
  const first = parseExpr(p);
  let iterable: RangeIterable | Expr = first;
  if (p.at('..') || p.at('..=')) {
    const inclusive = p.advance().kind === '..=';
    const end = parseExpr(p);
    iterable = { kind: 'Range', start: first, end, inclusive, span: p.spanFrom(first.span.start) };
  }
  p.expect(':', "expected ':' after the iterable of 'for'");
  const body = parseBlock(p, "'for'");
  return { kind: 'For', binding, iterable, body, span: endingWith(start, body) };
}

function isPlace(e: Expr): e is Place {
  return e.kind === 'Name' || e.kind === 'Field' || e.kind === 'Index';
}

function parseExprOrAssign(p: Parser): Stmt {
  const expr = parseExpr(p);
  const opTok = p.peek();
  if (!ASSIGN_OPS.includes(opTok.kind)) {
    const span = expr.span;
    endOfStatement(p);
    return { kind: 'ExprStmt', expr, span };
  }
  p.advance();
  const value = parseExpr(p);
  const span = p.spanFrom(expr.span.start);
  endOfStatement(p);
  if (!isPlace(expr)) {
    p.report(expr.span, 'cannot assign to this expression; expected a variable, a field or an element');
    return { kind: 'ExprStmt', expr, span: expr.span };
  }
  return { kind: 'Assign', target: expr, op: opTok.kind as AssignOp, value, span };
}
