// fast-check generators for types, shared by the property tests of this folder.
import fc from 'fast-check';
import { T, isTypeName } from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';

export interface TypeArbOptions {
  /** Param names that may appear; none when empty or absent. */
  readonly params?: readonly string[];
  /** Allow unification variables with ids below this bound. */
  readonly varIds?: number;
  /** Allow fn types (which the surface language never writes, but diagnostics print). */
  readonly fns?: boolean;
  readonly maxDepth?: number;
}

/** Struct names: ASCII identifiers plus a few non-ASCII ones, never a built-in name. */
export const structName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).filter(isTypeName),
  fc.constantFrom('Pair', 'Stack', 'Vec', 'Ünïcode', 'Пара', 'T', 'fnx', 'i64x', 'text2'),
);

/** Symbol bases: letters, digits, `_` and `.`, as generic fns and methods are named. */
export const symbolBase: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.]{1,12}$/),
  fc.constantFrom('max', 'Stack.push', 'Pair.map', 'sum', 'größe', '_local'),
);

const leafTypes: readonly Type[] = Object.values(T);

export function typeArb(options: TypeArbOptions = {}): fc.Arbitrary<Type> {
  const leaves: fc.Arbitrary<Type>[] = [
    fc.constantFrom(...leafTypes),
    structName.map((name): Type => ({ kind: 'named', name, args: [] })),
  ];
  if (options.params && options.params.length > 0) {
    leaves.push(fc.constantFrom(...options.params).map((name): Type => ({ kind: 'param', name })));
  }
  if (options.varIds !== undefined) {
    leaves.push(fc.nat({ max: options.varIds - 1 }).map((id): Type => ({ kind: 'var', id })));
  }
  const leaf = fc.oneof(...leaves);
  const { type } = fc.letrec<{ type: Type }>((tie) => {
    const sub = tie('type');
    const composite: fc.Arbitrary<Type>[] = [
      fc
        .tuple(structName, fc.array(sub, { minLength: 1, maxLength: 3 }))
        .map(([name, args]): Type => ({ kind: 'named', name, args })),
      sub.map((elem): Type => ({ kind: 'array', elem })),
      fc.array(sub, { minLength: 1, maxLength: 3 }).map((elems): Type => ({ kind: 'tuple', elems })),
    ];
    if (options.fns) {
      composite.push(
        fc.tuple(fc.array(sub, { maxLength: 3 }), sub).map(([params, ret]): Type => ({ kind: 'fn', params, ret })),
      );
    }
    return {
      type: fc.oneof({ maxDepth: options.maxDepth ?? 4, depthSize: 'small' }, leaf, ...composite),
    };
  });
  return type;
}
