import type { NamedType, TypeExpr, TypeParam } from '../ast.js';
import type { Parser } from './parser.js';

/**
 * `<A, B>` after a type name. In type context `<` always opens arguments, so this commits;
 * expression context wraps it in speculation (see generics.ts).
 */
export function parseTypeArgList(p: Parser): TypeExpr[] {
  p.expect('<', "expected '<'");
  const args: TypeExpr[] = [];
  do {
    if (p.at('>')) break;
    args.push(parseType(p));
  } while (p.eat(','));
  if (args.length === 0) p.failExpected('a type argument');
  p.expectCloseAngle("expected ',' or '>' after a type argument");
  return args;
}

/** A named type whose name has just been seen; `<…>` after it is always its arguments. */
function parseNamedType(p: Parser): NamedType {
  const name = p.expectIdent('a type');
  const args = p.at('<') ? parseTypeArgList(p) : [];
  return { kind: 'NamedType', name, args, span: p.spanFrom(name.span.start) };
}

/** `()`, `(T)` (just T) or `(A, B, …)`, with the `(` current. */
function parseParenType(p: Parser): TypeExpr {
  const start = p.advance().span.start;
  if (p.eat(')')) return { kind: 'UnitType', span: p.spanFrom(start) };
  const elements: TypeExpr[] = [parseType(p)];
  let sawComma = false;
  while (p.eat(',')) {
    sawComma = true;
    if (p.at(')')) break;
    elements.push(parseType(p));
  }
  p.expect(')', "expected ',' or ')' in a tuple type");
  if (!sawComma) return elements[0];
  return { kind: 'TupleType', elements, span: p.spanFrom(start) };
}

/** A type; nested types (`[[i64]]`, tuples, type arguments) count towards MAX_NESTING. */
export function parseType(p: Parser): TypeExpr {
  return p.nested(() => parseTypeAt(p));
}

function parseTypeAt(p: Parser): TypeExpr {
  const t = p.peek();
  if (t.kind === 'Ident') return parseNamedType(p);
  if (t.kind === '[') {
    p.advance();
    const element = parseType(p);
    p.expect(']', "expected ']' after the element type of an array type");
    return { kind: 'ArrayType', element, span: p.spanFrom(t.span.start) };
  }
  if (t.kind === '(') return parseParenType(p);
  return p.failExpected('a type');
}

/** `<T, U>` after the name in a declaration. */
export function parseTypeParams(p: Parser): TypeParam[] {
  if (!p.eat('<')) return [];
  const params: TypeParam[] = [];
  do {
    if (p.at('>')) break;
    const name = p.expectIdent('a type parameter name');
    params.push({ kind: 'TypeParam', name, span: name.span });
  } while (p.eat(','));
  if (params.length === 0) p.failExpected('a type parameter name');
  p.expectCloseAngle("expected ',' or '>' after a type parameter");
  return params;
}
