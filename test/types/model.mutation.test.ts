// Tests written against surviving mutants of src/types/{type,unify,infer,print}.ts
// (docs/testing.md): unification messages, which hint a conflict names, fresh variables that
// must not collide with the caller's, the built-in types' signs, structure sharing.
import { describe, expect, it } from 'vitest';
import {
  Substitution,
  T,
  TypeVarSupply,
  UnifyError,
  array,
  fnType,
  inferTypeArgs,
  instantiateParams,
  isConcrete,
  isValidSimd,
  mapChildren,
  named,
  param,
  simd,
  tryUnify,
  tuple,
  typeEquals,
  typeKey,
  typeToString,
  typeVar,
  unify,
} from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';

function unifyMessage(a: Type, b: Type, s = new Substitution()): string {
  try {
    unify(a, b, s);
  } catch (e) {
    if (e instanceof UnifyError) return e.message;
    throw e;
  }
  throw new Error('expected a UnifyError');
}

describe('unification messages', () => {
  it('a clash at the top says only the two types', () => {
    expect(unifyMessage(T.i64, T.text)).toBe('cannot unify i64 with text');
  });
  it('a clash inside names the inner pair', () => {
    expect(unifyMessage(array(T.i64), array(T.text))).toBe('cannot unify [i64] with [text]: i64 is not text');
    expect(unifyMessage(named('Box', [T.i64]), named('Box', [T.bool]))).toBe('cannot unify Box<i64> with Box<bool>: i64 is not bool');
  });
  it('arity: elements, parameters, type arguments', () => {
    expect(unifyMessage(tuple([T.i64, T.i64]), tuple([T.i64]))).toBe('cannot unify (i64, i64) with (i64,): (i64, i64) and (i64,) have 2 and 1 elements');
    expect(unifyMessage(fnType([T.i64], T.unit), fnType([], T.unit))).toBe('cannot unify fn(i64) -> () with fn() -> (): fn(i64) -> () and fn() -> () have 1 and 0 parameters');
    expect(unifyMessage(named('Box', [T.i64]), named('Box', [T.i64, T.i64]))).toBe(
      'cannot unify Box<i64> with Box<i64, i64>: Box<i64> and Box<i64, i64> have 1 and 2 type arguments',
    );
  });
  it('a failure says which variable brought in each side', () => {
    const s = new Substitution();
    s.bind(1, T.text);
    s.bind(2, T.i64);
    expect(tryUnify(T.i64, typeVar(1), s)).toEqual({ reason: 'mismatch', left: T.i64, right: T.text, rightVar: 1 });
    expect(tryUnify(typeVar(2), T.text, s)).toEqual({ reason: 'mismatch', left: T.i64, right: T.text, leftVar: 2 });
  });
});

describe('instantiateParams', () => {
  it('a parameter named twice takes one variable', () => {
    const supply = new TypeVarSupply(0);
    const { type, vars } = instantiateParams(tuple([param('T'), param('T')]), ['T', 'T'], supply);
    expect(vars.size).toBe(1);
    expect(type).toEqual(tuple([typeVar(0), typeVar(0)]));
    expect(supply.fresh()).toEqual(typeVar(1));
  });
});

describe('inferTypeArgs', () => {
  const T_ = param('T');
  const U_ = param('U');
  it('names the parameter declared twice', () => {
    expect(inferTypeArgs(['U', 'T', 'T'], [])).toEqual({ ok: false, error: 'type parameter T is declared more than once' });
  });
  it("fresh variables stay clear of the caller's", () => {
    // The caller's ?5 stands for an unknown type: B is that unknown, not left uninferred.
    expect(inferTypeArgs(['A', 'B'], [{ expected: tuple([param('A'), param('B')]), actual: tuple([T.i64, typeVar(5)]) }])).toEqual({ ok: true, args: [T.i64, typeVar(5)] });
    const five = ['A', 'B', 'C', 'D', 'E'];
    const r = inferTypeArgs(five, [{ expected: tuple(five.map(param)), actual: tuple([typeVar(7), typeVar(2), T.i64, T.i64, T.i64]) }]);
    expect(r).toEqual({ ok: true, args: [typeVar(7), typeVar(2), T.i64, T.i64, T.i64] });
  });
  it('a conflict names the hint that first bound the parameter', () => {
    const hints = [
      { expected: U_, actual: T.bool },
      { expected: T_, actual: T.i64 },
      { expected: U_, actual: T.bool },
      { expected: T_, actual: T.text },
    ];
    expect(inferTypeArgs(['T', 'U'], hints)).toEqual({ ok: false, error: 'conflicting types for type parameter T: i64 vs text (from hints 2 and 4)' });
  });
  it('an infinite type is reported as such, not as a conflict', () => {
    const r = inferTypeArgs(['T'], [{ expected: tuple([T_, T_]), actual: tuple([typeVar(1), array(typeVar(1))]) }]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe('hint 1: expected (T, T) but found (?1, [?1]) (?1 occurs in [?1])');
  });
  it('a clash at the top adds no inner pair; one inside does', () => {
    expect(inferTypeArgs(['T'], [{ expected: array(T_), actual: T.i64 }])).toEqual({ ok: false, error: 'hint 1: expected [T] but found i64' });
    expect(inferTypeArgs(['T'], [{ expected: tuple([T_, T.i64]), actual: tuple([T.bool, T.text]) }])).toEqual({
      ok: false,
      error: 'hint 1: expected (T, i64) but found (bool, text) (i64 does not match text)',
    });
  });
});

describe('the type model', () => {
  it('i8 and i16 are signed', () => {
    expect([T.i8.signed, T.i16.signed, T.u8.signed, T.u16.signed]).toEqual([true, true, false, false]);
    expect([typeToString(T.i8), typeToString(T.i16)]).toEqual(['i8', 'i16']);
  });
  it('SIMD lanes are 32- or 64-bit signed integers or floats, 128 bits in all', () => {
    expect(isValidSimd(4, T.i32)).toBe(true);
    expect(isValidSimd(8, T.i16)).toBe(false);
    expect(isValidSimd(16, T.i8)).toBe(false);
    expect(isValidSimd(4, T.u32)).toBe(false);
    expect(isValidSimd(2, T.f64)).toBe(true);
    expect(isValidSimd(4, T.bool)).toBe(false);
  });
  it('vectors with other lane counts are other types', () => {
    expect(typeEquals(simd(4, T.f32), simd(2, T.f32))).toBe(false);
    expect(typeEquals(simd(4, T.f32), simd(4, T.f32))).toBe(true);
  });
  it('a variable is not concrete, wherever it is', () => {
    expect(isConcrete(typeVar(1))).toBe(false);
    expect(isConcrete(array(typeVar(1)))).toBe(false);
    expect(isConcrete(array(T.i64))).toBe(true);
  });
  it('mapChildren shares what it does not change', () => {
    const t = tuple([T.i64, array(T.text)]);
    const f = fnType([T.i64], T.bool);
    expect(mapChildren(t, (x) => x)).toBe(t);
    expect(mapChildren(f, (x) => x)).toBe(f);
    expect(mapChildren(f, (x) => (x === T.bool ? T.text : x))).toEqual(fnType([T.i64], T.text));
  });
  it("a parameter's key differs from a struct's of the same name", () => {
    expect(typeKey(param('T'))).not.toBe(typeKey(named('T', [])));
    expect(typeKey(param('T'))).toBe("'T");
  });
});
