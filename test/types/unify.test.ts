import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import {
  Substitution,
  T,
  TypeVarSupply,
  UnifyError,
  array,
  fnType,
  freeVars,
  instantiateParams,
  mapChildren,
  named,
  param,
  substituteParams,
  tryUnify,
  tuple,
  typeEquals,
  typeVar,
  unify,
} from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';
import { typeArb } from './arbitraries.js';

const v = typeVar;

function unifyError(a: Type, b: Type, s = new Substitution()): UnifyError {
  try {
    unify(a, b, s);
  } catch (e) {
    expect(e).toBeInstanceOf(UnifyError);
    expect(e).toBeInstanceOf(SimpleError);
    return e as UnifyError;
  }
  throw new Error('unified');
}

describe('unify', () => {
  it('binds variables on either side', () => {
    const s = new Substitution();
    unify(v(0), T.i64, s);
    unify(T.text, v(1), s);
    unify(v(2), v(2), s);
    expect(s.apply(tuple([v(0), v(1)]))).toEqual(tuple([T.i64, T.text]));
    expect(s.isBound(2)).toBe(false);
  });

  it('links variables and resolves them together', () => {
    const s = new Substitution();
    unify(v(0), v(1), s);
    unify(v(1), v(2), s);
    unify(v(2), array(T.bool), s);
    expect(s.apply(v(0))).toEqual(array(T.bool));
    unify(v(0), array(T.bool), s);
  });

  it('accepts identical concrete types', () => {
    const s = new Substitution();
    for (const t of [T.i64, T.u8, T.f32, T.bool, T.text, T.unit, T.f32x4, named('Pair', [T.i64, T.text])]) {
      unify(t, structuredClone(t), s);
    }
    unify(fnType([T.i64], T.bool), fnType([T.i64], T.bool), s);
    expect(s.size).toBe(0);
  });

  it('unifies inside structures', () => {
    const s = new Substitution();
    unify(named('Pair', [v(0), T.i64]), named('Pair', [T.text, v(1)]), s);
    unify(array(tuple([v(2), v(0)])), array(tuple([T.f64x2, T.text])), s);
    unify(fnType([v(3)], v(4)), fnType([T.bool], array(v(3))), s);
    expect(s.apply(tuple([v(0), v(1), v(2), v(3), v(4)]))).toEqual(
      tuple([T.text, T.i64, T.f64x2, T.bool, array(T.bool)]),
    );
  });

  const mismatches: Array<[string, Type, Type]> = [
    ['sign', T.i64, T.u64],
    ['width', T.i32, T.i64],
    ['float width', T.f32, T.f64],
    ['int and float', T.i64, T.f64],
    ['bool and text', T.bool, T.text],
    ['unit and tuple', T.unit, tuple([T.i64])],
    ['simd shapes', T.f32x4, T.i32x4],
    ['struct names', named('Pair', [T.i64]), named('Pear', [T.i64])],
    ['array and struct', array(T.i64), named('Vec', [T.i64])],
    ['fn and tuple', fnType([], T.unit), tuple([T.unit])],
  ];
  it.each(mismatches)('rejects %s', (_name, a, b) => {
    const e = unifyError(a, b);
    expect(e.reason).toBe('mismatch');
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(unifyError(b, a).reason).toBe('mismatch');
  });

  it('reports arity mismatches', () => {
    const pairAB = named('Pair', [v(0), v(1)]);
    const e = unifyError(pairAB, named('Pair', [v(2)]));
    expect(e.reason).toBe('arity');
    expect(e.message).toMatch(/2 and 1 type arguments/);
    expect(unifyError(tuple([T.i64, T.i64]), tuple([T.i64])).reason).toBe('arity');
    expect(unifyError(fnType([T.i64], T.unit), fnType([], T.unit)).reason).toBe('arity');
  });

  it('refuses function types whose parameter counts differ, in both directions', () => {
    const none = fnType([], T.unit);
    const one = fnType([T.i64], T.unit);
    for (const [a, b] of [
      [none, one],
      [one, none],
    ]) {
      const s = new Substitution();
      expect(tryUnify(a, b, s)).toEqual({ reason: 'arity', left: a, right: b });
      expect(s.size).toBe(0);
      const e = unifyError(a, b);
      expect(e.reason).toBe('arity');
      expect(e.message).toContain(`have ${a.kind === 'fn' ? a.params.length : -1} and ${b.kind === 'fn' ? b.params.length : -1} parameters`);
    }
    // Variables everywhere do not paper over the missing parameter.
    expect(tryUnify(fnType([], v(0)), fnType([v(1)], v(2)), new Substitution())?.reason).toBe('arity');
    expect(tryUnify(fnType([v(1)], v(2)), fnType([], v(0)), new Substitution())?.reason).toBe('arity');
    // Nested inside another type, too.
    expect(tryUnify(array(fnType([], T.unit)), array(fnType([T.i64, T.i64], T.unit)), new Substitution())?.reason).toBe('arity');
  });

  it('runs the occurs check', () => {
    const e = unifyError(v(0), array(v(0)));
    expect(e.reason).toBe('occurs');
    expect(e.message).toMatch(/\?0 occurs in \[\?0\]/);
    const s = new Substitution();
    unify(v(0), v(1), s);
    expect(unifyError(v(1), named('Box', [tuple([T.i64, v(0)])]), s).reason).toBe('occurs');
    expect(unifyError(named('Box', [v(0)]), v(0)).reason).toBe('occurs');
  });

  it('treats params as rigid', () => {
    const s = new Substitution();
    unify(param('T'), param('T'), s);
    expect(unifyError(param('T'), param('U')).reason).toBe('mismatch');
    expect(unifyError(param('T'), T.i64).reason).toBe('mismatch');
    expect(unifyError(param('T'), named('T')).reason).toBe('mismatch');
    unify(v(0), param('T'), s);
    expect(s.apply(v(0))).toEqual(param('T'));
    expect(unifyError(v(0), T.i64, s).reason).toBe('mismatch');
  });

  it('prints both sides through the substitution and names the inner clash', () => {
    const s = new Substitution();
    unify(v(0), T.text, s);
    const e = unifyError(named('Pair', [T.i64, v(0)]), named('Pair', [T.i64, T.bool]), s);
    expect(e.left).toEqual(named('Pair', [T.i64, T.text]));
    expect(e.right).toEqual(named('Pair', [T.i64, T.bool]));
    expect(e.innerLeft).toEqual(T.text);
    expect(e.innerRight).toEqual(T.bool);
    expect(e.message).toBe('cannot unify Pair<i64, text> with Pair<i64, bool>: text is not bool');
    expect(unifyError(T.i64, T.bool).message).toBe('cannot unify i64 with bool');
  });

  it('leaves the substitution unchanged when it fails', () => {
    const s = new Substitution();
    unify(v(9), T.i64, s);
    const e = unifyError(tuple([v(0), v(1), v(0)]), tuple([T.i64, T.text, T.bool]), s);
    expect(e.innerLeft).toEqual(T.i64);
    expect(e.innerRight).toEqual(T.bool);
    expect(e.left).toEqual(tuple([v(0), v(1), v(0)]));
    expect(s.size).toBe(1);
    expect(s.isBound(0)).toBe(false);
    expect(s.isBound(1)).toBe(false);
  });

  it('tryUnify reports failures as values, with the variable behind a clash', () => {
    const s = new Substitution();
    unify(v(0), T.i64, s);
    const f = tryUnify(array(v(0)), array(T.text), s);
    expect(f).toEqual({ reason: 'mismatch', left: T.i64, right: T.text, leftVar: 0 });
    expect(tryUnify(v(1), T.text, s)).toBeNull();
    expect(s.apply(v(1))).toBe(T.text);
  });

  // Punching holes into a type gives a pattern that must unify with it, recovering the holes.
  const holes = fc.tuple(typeArb({ fns: true }), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }));
  it('matches a type against any pattern made by replacing parts with variables', () => {
    fc.assert(
      fc.property(holes, ([t, flags]) => {
        let next = 0;
        const punch = (x: Type): Type => (flags[next++ % flags.length] ? v(next) : mapChildren(x, punch));
        const pattern = punch(t);
        const s = new Substitution();
        unify(pattern, t, s);
        expect(s.apply(pattern)).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it('is symmetric and makes both sides equal (function types included)', () => {
    const small = typeArb({ varIds: 3, maxDepth: 3, fns: true });
    fc.assert(
      fc.property(small, small, (a, b) => {
        const s1 = new Substitution();
        const s2 = new Substitution();
        const ok1 = tryUnify(a, b, s1) === null;
        const ok2 = tryUnify(b, a, s2) === null;
        expect(ok1).toBe(ok2);
        if (ok1) expect(typeEquals(s1.apply(a), s1.apply(b))).toBe(true);
        else expect(s1.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('unifies two function types exactly when their parameter counts agree and the parts unify', () => {
    const small = typeArb({ varIds: 3, maxDepth: 2 });
    const fn = fc.tuple(fc.array(small, { maxLength: 3 }), small).map(([params, ret]) => fnType(params, ret));
    fc.assert(
      fc.property(fn, fn, (a, b) => {
        if (a.kind !== 'fn' || b.kind !== 'fn') throw new Error('not fns');
        const s = new Substitution();
        const f = tryUnify(a, b, s);
        if (a.params.length !== b.params.length) {
          expect(f?.reason).toBe('arity');
          expect(s.size).toBe(0);
          return;
        }
        // Same count: the same answer as unifying the parts as a tuple.
        const parts = new Substitution();
        const viaTuple = tryUnify(tuple([...a.params, a.ret]), tuple([...b.params, b.ret]), parts);
        expect(f === null).toBe(viaTuple === null);
        if (f === null) expect(typeEquals(s.apply(a), s.apply(b))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  // Its speed is a row of `npm run bench` (compiler section), not a time bound here.
  it('handles long variable chains and wide types', () => {
    const s = new Substitution();
    const n = 50_000;
    for (let i = 0; i < n; i++) unify(v(i), v(i + 1), s);
    unify(v(n), named('Wide', Array.from({ length: 1000 }, () => T.i64)), s);
    for (let i = 0; i < n; i += 7) expect(s.resolve(v(i)).kind).toBe('named');
  });
});

describe('instantiateParams', () => {
  it('replaces each param with one fresh variable', () => {
    const supply = new TypeVarSupply(5);
    const sig = fnType([param('T'), param('T'), array(param('U'))], param('T'));
    const { type, vars } = instantiateParams(sig, ['T', 'U'], supply);
    expect(type).toEqual(fnType([v(5), v(5), array(v(6))], v(5)));
    expect([...vars]).toEqual([
      ['T', v(5)],
      ['U', v(6)],
    ]);
    expect(supply.next).toBe(7);
    // The same mapping instantiates further types of the generic consistently.
    expect(substituteParams(named('Pair', [param('U'), param('T')]), vars)).toEqual(named('Pair', [v(6), v(5)]));
  });

  it('leaves params it is not asked about, and gives every use its own variables', () => {
    const supply = new TypeVarSupply();
    const a = instantiateParams(array(param('V')), ['T'], supply);
    expect(a.type).toEqual(array(param('V')));
    const one = instantiateParams(param('T'), ['T'], supply);
    const two = instantiateParams(param('T'), ['T'], supply);
    expect(one.type).not.toEqual(two.type);
    expect(freeVars(tuple([one.type, two.type])).size).toBe(2);
  });
});
