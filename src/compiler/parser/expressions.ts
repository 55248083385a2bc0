import type {
  Arg,
  BinaryOp,
  CallExpr,
  Expr,
  Ident,
  StrLit,
  StrPart,
  TypeExpr,
} from '../ast.js';
import type { PlainToken, StrInterpPart, StrToken, TokenKind } from '../lexer/token.js';
import { followedBy, parseCastType, tryTypeArgs } from './generics.js';
import { consumeDoubled, doubledLogicOperator, incrementHint } from './habits.js';
import { ParseBail } from './parser.js';
import type { Parser } from './parser.js';

/**
 * Binding powers, low to high, as LANGUAGE.md lists them. `not` and unary `-` are prefix
 * operators whose operand is parsed at the level just above them; `as` is a postfix operator
 * taking a type.
 */
export const PREC = {
  or: 1,
  and: 2,
  not: 3,
  comparison: 4,
  bitOr: 5,
  bitXor: 6,
  bitAnd: 7,
  shift: 8,
  additive: 9,
  multiplicative: 10,
  negate: 11,
  cast: 12,
} as const;

const BINARY_PREC: Partial<Record<TokenKind, number>> = {
  or: PREC.or,
  and: PREC.and,
  '==': PREC.comparison,
  '!=': PREC.comparison,
  '<': PREC.comparison,
  '<=': PREC.comparison,
  '>': PREC.comparison,
  '>=': PREC.comparison,
  '|': PREC.bitOr,
  '^': PREC.bitXor,
  '&': PREC.bitAnd,
  '<<': PREC.shift,
  '>>': PREC.shift,
  '+': PREC.additive,
  '-': PREC.additive,
  '*': PREC.multiplicative,
  '/': PREC.multiplicative,
  '%': PREC.multiplicative,
};

function isComparison(kind: TokenKind): boolean {
  return BINARY_PREC[kind] === PREC.comparison;
}

/** Pratt loop: parses an expression whose operators all bind at least as tightly as `minPrec`. */
export function parseExpr(p: Parser, minPrec: number = PREC.or): Expr {
  return p.nested(() => parseExprAt(p, minPrec));
}

function parseExprAt(p: Parser, minPrec: number): Expr {
  const left = parsePrefix(p);
  // Each operator makes the tree one level deeper on the left: counted, and bounded.
  let chained = 0;
  try {
    return parseOperators(p, minPrec, left, () => {
      p.chainOperator();
      chained++;
    });
  } finally {
    p.unchainOperators(chained);
  }
}

function parseOperators(p: Parser, minPrec: number, first: Expr, chain: () => void): Expr {
  let left = first;
  for (;;) {
    const t = p.peek();
    if (t.kind === 'as') {
      if (PREC.cast < minPrec) break;
      chain();
      p.advance();
      const type = parseCastType(p);
      left = { kind: 'Cast', expr: left, type, span: p.spanFrom(left.span.start) };
      continue;
    }
    incrementHint(p, left);
    const word = doubledLogicOperator(p);
    const op = word ?? t.kind;
    const prec = BINARY_PREC[op];
    if (prec === undefined || prec < minPrec) break;
    chain();
    if (word) consumeDoubled(p, word);
    else p.advance();
    // Every binary operator is left-associative: the right operand binds strictly tighter.
    const right = parseExpr(p, prec + 1);
    left = { kind: 'Binary', op: op as BinaryOp, left, right, span: p.spanFrom(left.span.start) };
    if (prec === PREC.comparison && isComparison(p.peek().kind)) {
      // Report but keep going (as if left-associative) so the rest of the line is still checked.
      p.report(p.peek().span, "comparison operators cannot be chained; combine comparisons with 'and'");
    }
  }
  return left;
}

function parsePrefix(p: Parser): Expr {
  const t = p.peek();
  if (t.kind === '-' || t.kind === 'not') {
    p.advance();
    const operand = parseExpr(p, t.kind === '-' ? PREC.cast : PREC.comparison);
    return { kind: 'Unary', op: t.kind, operand, span: p.spanFrom(t.span.start) };
  }
  return parsePostfix(p, parsePrimary(p));
}

function parsePrimary(p: Parser): Expr {
  const t = p.peek();
  switch (t.kind) {
    case 'Int':
      p.advance();
      return { kind: 'Int', value: t.value, raw: t.text, span: t.span };
    case 'Float':
      p.advance();
      return { kind: 'Float', value: t.value, raw: t.text, span: t.span };
    case 'Str':
      p.advance();
      return parseStrLit(p, t);
    case 'true':
    case 'false':
      p.advance();
      return { kind: 'Bool', value: t.kind === 'true', span: t.span };
    case 'self':
      p.advance();
      return { kind: 'Self', span: t.span };
    case 'Ident':
      return parseNameOrGeneric(p);
    case '(':
      return parseParenOrTuple(p);
    case '[':
      return parseArrayLit(p);
    default:
      return p.failExpected('an expression');
  }
}

/** A name, a generic call `f<i64>(x)`, or a generic static-call receiver `Stack<i64>`. */
function parseNameOrGeneric(p: Parser): Expr {
  const t = p.advance();
  const name: Ident = { kind: 'Ident', name: t.text, span: t.span };
  const typeArgs = tryTypeArgs(p, followedBy(['(', '.']));
  const nameExpr: Expr = { kind: 'Name', name: t.text, span: t.span };
  if (typeArgs === null) return nameExpr;
  if (p.at('(')) return parseCall(p, nameExpr, typeArgs);
  return { kind: 'GenericName', name, typeArgs, span: p.spanFrom(t.span.start) };
}

function parsePostfix(p: Parser, expr: Expr): Expr {
  let e = expr;
  for (;;) {
    if (p.at('(')) {
      e = parseCall(p, e, []);
    } else if (p.at('.')) {
      e = parseDotSuffix(p, e);
    } else if (p.at('[')) {
      p.advance();
      const index = parseExpr(p);
      if (!p.eat(']')) p.failExpected("']' after the index");
      e = { kind: 'Index', object: e, index, span: p.spanFrom(e.span.start) };
    } else {
      return e;
    }
  }
}

/** `.name`, `.name<T>(…)` or `.0`, with the `.` current. */
function parseDotSuffix(p: Parser, object: Expr): Expr {
  p.advance();
  const t = p.peek();
  if (t.kind === 'Ident') {
    p.advance();
    const name: Ident = { kind: 'Ident', name: t.text, span: t.span };
    const field: Expr = { kind: 'Field', object, name, span: p.spanFrom(object.span.start) };
    const typeArgs = tryTypeArgs(p, followedBy(['(']));
    return typeArgs === null ? field : parseCall(p, field, typeArgs);
  }
  if (t.kind === 'Int' && /^[0-9]+$/.test(t.text)) {
    p.advance();
    return { kind: 'TupleField', object, index: Number(t.value), span: p.spanFrom(object.span.start) };
  }
  return p.failExpected("a field name or tuple index after '.'");
}

function parseArg(p: Parser): Arg {
  const t = p.peek();
  if (t.kind === 'Ident' && p.peek(1).kind === ':') {
    p.advance();
    p.advance();
    const value = parseExpr(p);
    const name: Ident = { kind: 'Ident', name: t.text, span: t.span };
    return { kind: 'Arg', name, value, span: p.spanFrom(t.span.start) };
  }
  const value = parseExpr(p);
  return { kind: 'Arg', name: null, value, span: value.span };
}

/** The argument list of a call, with `(` current. */
function parseCall(p: Parser, callee: Expr, typeArgs: TypeExpr[]): CallExpr {
  p.advance();
  const args: Arg[] = [];
  while (!p.at(')')) {
    args.push(parseArg(p));
    if (!p.eat(',')) break;
  }
  if (!p.eat(')')) p.failExpected("',' or ')' in the argument list");
  const odd = args.find((a) => (a.name === null) !== (args[0].name === null));
  if (odd !== undefined) p.report(odd.span, 'cannot mix named and positional arguments in one call');
  return { kind: 'Call', callee, typeArgs, args, span: p.spanFrom(callee.span.start) };
}

/** `()`, `(e)` (just e), or a tuple `(a, b)` / `(a,)`. */
function parseParenOrTuple(p: Parser): Expr {
  const start = p.advance().span.start;
  if (p.eat(')')) return { kind: 'Unit', span: p.spanFrom(start) };
  const first = parseExpr(p);
  if (!p.at(',')) {
    if (!p.eat(')')) p.failExpected("')'");
    return first;
  }
  const elements: Expr[] = [first];
  while (p.eat(',')) {
    if (p.at(')')) break;
    elements.push(parseExpr(p));
  }
  if (!p.eat(')')) p.failExpected("',' or ')' in the tuple");
  return { kind: 'Tuple', elements, span: p.spanFrom(start) };
}

function parseArrayLit(p: Parser): Expr {
  const start = p.advance().span.start;
  const elements: Expr[] = [];
  while (!p.at(']')) {
    elements.push(parseExpr(p));
    if (!p.eat(',')) break;
  }
  if (!p.eat(']')) p.failExpected("',' or ']' in the array literal");
  return { kind: 'Array', elements, span: p.spanFrom(start) };
}

/**
 * Each `{…}` of a string was lexed into its own token list; it is parsed here by a parser of
 * its own whose EOF is spelled `}`, so errors read "found '}'". A broken interpolation is
 * dropped from the literal after its error is reported.
 */
function parseInterpolation(p: Parser, part: StrInterpPart): Expr | null {
  const closed = part.span.end - part.span.start >= 2 && p.source.text.charAt(part.span.end - 1) === '}';
  const at = closed ? part.span.end - 1 : part.span.end;
  const eof: PlainToken = { kind: 'EOF', span: { start: at, end: at + (closed ? 1 : 0) }, text: closed ? '}' : '' };
  // An unclosed interpolation was already reported as an unterminated string.
  const sub = p.subParser([...part.tokens, eof], !closed);
  try {
    const expr = parseExpr(sub);
    if (!sub.at('EOF')) sub.failExpected("'}' to end the interpolation");
    return expr;
  } catch (e) {
    if (e instanceof ParseBail) return null;
    throw e;
  }
}

function parseStrLit(p: Parser, t: StrToken): StrLit {
  const parts: StrPart[] = [];
  for (const part of t.parts) {
    if (part.kind === 'text') {
      parts.push({ kind: 'StrText', value: part.value, span: part.span });
    } else {
      const expr = parseInterpolation(p, part);
      if (expr !== null) parts.push({ kind: 'StrInterp', expr, span: part.span });
    }
  }
  return { kind: 'Str', parts, span: t.span };
}
