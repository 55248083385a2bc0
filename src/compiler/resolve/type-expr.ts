/**
 * Turns written types (`Pair<i64, [text]>`) into Type values.
 *
 * Type parameters come in as a map: while declaring signatures each parameter maps to its
 * `param` type; while checking an instance it maps to the concrete type argument, so the body
 * is checked with concrete types throughout.
 */
import type { TypeExpr } from '../ast.js';
import type { Span } from '../source.js';
import type { Scope, StructTable } from '../program.js';
import { array, builtinType, named, T, tuple } from '../../types/index.js';
import { suggestion } from './suggest.js';
import type { Type } from '../../types/index.js';

export interface TypeResolveContext {
  readonly scope: Scope;
  readonly structs: StructTable;
  readonly params: ReadonlyMap<string, Type>;
  error(span: Span, message: string): void;
  /**
   * What an invalid written type resolves to after reporting, so checking can go on: in a body,
   * the checker's error type (which silences errors that follow from it); `unit` by default.
   */
  errorType?(): Type;
}

/** An invalid written type resolves to {@link TypeResolveContext.errorType} after reporting. */
export function resolveTypeExpr(t: TypeExpr, ctx: TypeResolveContext): Type {
  switch (t.kind) {
    case 'UnitType':
      return T.unit;
    case 'ArrayType':
      return array(resolveTypeExpr(t.element, ctx));
    case 'TupleType':
      return tuple(t.elements.map((e) => resolveTypeExpr(e, ctx)));
    case 'NamedType': {
      const name = t.name.name;
      const builtin = builtinType(name);
      const param = ctx.params.get(name);
      if (builtin || param) {
        if (t.args.length > 0) ctx.error(t.span, `type '${name}' takes no type arguments`);
        return (builtin ?? param)!;
      }
      const def = ctx.scope.lookup(name);
      const struct = def?.kind === 'struct' ? def : def === undefined ? ctx.structs.struct(name) : undefined;
      if (!struct) {
        ctx.error(t.name.span, def ? `'${name}' is a function, not a type` : `unknown type '${name}'${suggestion(name, typeNames(ctx))}`);
        return ctx.errorType?.() ?? T.unit;
      }
      if (t.args.length !== struct.typeParams.length) {
        ctx.error(
          t.span,
          `struct '${name}' takes ${struct.typeParams.length} type argument${struct.typeParams.length === 1 ? '' : 's'}, found ${t.args.length}`,
        );
        return ctx.errorType?.() ?? T.unit;
      }
      return named(name, t.args.map((a) => resolveTypeExpr(a, ctx)));
    }
  }
}

const BUILTIN_TYPE_NAMES = ['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'bool', 'text', 'f32x4', 'i32x4', 'f64x2', 'i64x2'];

/** The type names visible here, for "did you mean". */
function* typeNames(ctx: TypeResolveContext): Iterable<string> {
  yield* BUILTIN_TYPE_NAMES;
  yield* ctx.params.keys();
  for (const [name, def] of ctx.scope.entries()) if (def.kind === 'struct') yield name;
}
