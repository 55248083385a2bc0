import type { NamedType, TypeExpr } from '../ast.js';
import type { Token, TokenKind } from '../lexer/token.js';
import type { Parser } from './parser.js';
import { parseType, parseTypeArgList } from './types.js';
import { isReservedTypeName } from '../../types/index.js';

/**
 * Resolves `<` after a name in expression context: `f<i64>(x)` vs `a < b`. If `<` starts a
 * well-formed type-argument list closed by `>` and the token after it satisfies `accept`, the
 * list is consumed and returned; otherwise nothing is consumed and `<` stays a comparison.
 *
 * Consequence: `x < y > (z)` is a generic call `x<y>(z)`. As comparisons it would be a chained
 * comparison, which is an error anyway, so nothing valid is lost.
 *
 * Two comparisons separated by a comma, `f(a < b, c > (d))`, read as a call `a<b, c>(d)` too,
 * and that does lose a valid reading. A list of several arguments one of which is a plain
 * lowercase name that no built-in type has (`b`, `c`) is therefore taken as comparisons: type
 * names are built-in or capitalized (`i64`, `Pair`, `T`) by convention.
 */
export function tryTypeArgs(p: Parser, accept: (next: Token) => boolean): TypeExpr[] | null {
  if (!p.at('<')) return null;
  return p.speculate(() => {
    const args = parseTypeArgList(p);
    if (args.length > 1 && args.some(looksLikeValue)) return null;
    return accept(p.peek()) ? args : null;
  });
}

function looksLikeValue(t: TypeExpr): boolean {
  if (t.kind !== 'NamedType' || t.args.length > 0) return false;
  const name = t.name.name;
  return !isReservedTypeName(name) && !/^[A-Z]/.test(name);
}

export function followedBy(kinds: readonly TokenKind[]): (next: Token) => boolean {
  return (next) => kinds.includes(next.kind);
}

/**
 * Tokens after which a `<…>` following a cast type must have been a comparison: the start of
 * an operand (`x as i64 < y > z`), or the rest of a `>>` / `>=` that the closing `>` was split
 * from (`x as i64 < y >> 2`).
 */
const NOT_AFTER_CAST_ARGS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'Ident', 'Int', 'Float', 'Str', 'true', 'false', 'self', '(', '[', '>', '>=', '>>', '=',
]);

/**
 * The target type of `as`. Its arguments are speculative too, so `x as i64 < y` compares. Only
 * numeric casts type-check, so arguments here exist just to give the checker a precise type to
 * complain about.
 */
export function parseCastType(p: Parser): TypeExpr {
  if (!p.at('Ident')) return parseType(p);
  const name = p.expectIdent('a type');
  const args = tryTypeArgs(p, (next) => !NOT_AFTER_CAST_ARGS.has(next.kind)) ?? [];
  const named: NamedType = { kind: 'NamedType', name, args, span: p.spanFrom(name.span.start) };
  return named;
}
