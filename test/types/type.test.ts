import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  T,
  array,
  builtinType,
  childTypes,
  containsParams,
  containsVars,
  float,
  fnType,
  freeVars,
  int,
  isConcrete,
  isFloat,
  isHeapType,
  isInteger,
  isNumeric,
  isReservedTypeName,
  isTypeName,
  isValidSimd,
  mapChildren,
  named,
  param,
  paramNames,
  simd,
  someType,
  substituteParams,
  tuple,
  typeEquals,
  typeKey,
  typeListEquals,
  typeVar,
} from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';
import { typeArb } from './arbitraries.js';

const pairIT = named('Pair', [T.i64, T.text]);

describe('constructors and constants', () => {
  it('builds the documented plain objects', () => {
    expect(T.i64).toEqual({ kind: 'int', bits: 64, signed: true });
    expect(T.u8).toEqual({ kind: 'int', bits: 8, signed: false });
    expect(T.f32).toEqual({ kind: 'float', bits: 32 });
    expect(T.bool).toEqual({ kind: 'bool' });
    expect(T.text).toEqual({ kind: 'string' });
    expect(T.unit).toEqual({ kind: 'unit' });
    expect(T.f32x4).toEqual({ kind: 'simd', lanes: 4, elem: { kind: 'float', bits: 32 } });
    expect(T.i64x2).toEqual({ kind: 'simd', lanes: 2, elem: { kind: 'int', bits: 64, signed: true } });
    expect(int(16, false)).toEqual(T.u16);
    expect(float(64)).toEqual(T.f64);
    expect(named('Pair', [T.i64])).toEqual({ kind: 'named', name: 'Pair', args: [T.i64] });
    expect(named('Point')).toEqual({ kind: 'named', name: 'Point', args: [] });
    expect(array(T.text)).toEqual({ kind: 'array', elem: T.text });
    expect(tuple([T.i64, T.bool])).toEqual({ kind: 'tuple', elems: [T.i64, T.bool] });
    expect(simd(4, T.i32)).toEqual(T.i32x4);
    expect(param('T')).toEqual({ kind: 'param', name: 'T' });
    expect(typeVar(3)).toEqual({ kind: 'var', id: 3 });
    expect(fnType([T.i64], T.unit)).toEqual({ kind: 'fn', params: [T.i64], ret: T.unit });
  });

  it('freezes the shared constants', () => {
    expect(Object.isFrozen(T)).toBe(true);
    expect(Object.isFrozen(T.i64)).toBe(true);
    expect(Object.isFrozen(T.f32x4.elem)).toBe(true);
    expect(() => {
      (T.i64 as { bits: number }).bits = 8;
    }).toThrow(TypeError);
  });

  it('knows the built-in names, and only the language names', () => {
    expect(builtinType('i64')).toBe(T.i64);
    expect(builtinType('text')).toBe(T.text);
    expect(builtinType('f64x2')).toBe(T.f64x2);
    expect(builtinType('str')).toBeUndefined();
    expect(builtinType('string')).toBeUndefined();
    expect(builtinType('unit')).toBeUndefined();
    expect(builtinType('Pair')).toBeUndefined();
    expect(isReservedTypeName('u32')).toBe(true);
    expect(isReservedTypeName('fn')).toBe(true);
    expect(isReservedTypeName('Pair')).toBe(false);
  });

  it('accepts identifiers as type names and refuses the rest', () => {
    for (const ok of ['Pair', 'T', '_x', 'A1', 'Пара', 'i65', 'texts']) expect(isTypeName(ok), ok).toBe(true);
    for (const bad of ['', '1A', 'a.b', 'a-b', 'a b', 'i64', 'bool', 'fn', 'Pair<T>', '$']) {
      expect(isTypeName(bad), bad).toBe(false);
    }
  });

  it('accepts exactly the four SIMD shapes', () => {
    expect(isValidSimd(4, T.f32)).toBe(true);
    expect(isValidSimd(4, T.i32)).toBe(true);
    expect(isValidSimd(2, T.f64)).toBe(true);
    expect(isValidSimd(2, T.i64)).toBe(true);
    expect(isValidSimd(2, T.f32)).toBe(false);
    expect(isValidSimd(4, T.u32)).toBe(false);
    expect(isValidSimd(4, T.i16)).toBe(false);
    expect(isValidSimd(4, T.bool)).toBe(false);
  });
});

describe('classification', () => {
  const cases: Array<[string, Type, { num: boolean; int: boolean; float: boolean; heap: boolean }]> = [
    ['i8', T.i8, { num: true, int: true, float: false, heap: false }],
    ['u64', T.u64, { num: true, int: true, float: false, heap: false }],
    ['f64', T.f64, { num: true, int: false, float: true, heap: false }],
    ['bool', T.bool, { num: false, int: false, float: false, heap: false }],
    ['text', T.text, { num: false, int: false, float: false, heap: true }],
    ['unit', T.unit, { num: false, int: false, float: false, heap: false }],
    ['struct', pairIT, { num: false, int: false, float: false, heap: true }],
    ['array', array(T.i64), { num: false, int: false, float: false, heap: true }],
    ['tuple', tuple([T.i64, T.i64]), { num: false, int: false, float: false, heap: true }],
    ['simd', T.f32x4, { num: false, int: false, float: false, heap: false }],
    ['param', param('T'), { num: false, int: false, float: false, heap: false }],
    ['var', typeVar(0), { num: false, int: false, float: false, heap: false }],
    ['fn', fnType([], T.unit), { num: false, int: false, float: false, heap: false }],
  ];
  it.each(cases)('%s', (_name, t, want) => {
    expect(isNumeric(t)).toBe(want.num);
    expect(isInteger(t)).toBe(want.int);
    expect(isFloat(t)).toBe(want.float);
    expect(isHeapType(t)).toBe(want.heap);
  });
});

describe('typeEquals and typeKey', () => {
  it('is structural', () => {
    expect(typeEquals(named('Pair', [T.i64, T.text]), pairIT)).toBe(true);
    expect(typeEquals(pairIT, named('Pair', [T.i64, T.bool]))).toBe(false);
    expect(typeEquals(pairIT, named('Pair', [T.i64]))).toBe(false);
    expect(typeEquals(pairIT, named('Pear', [T.i64, T.text]))).toBe(false);
    expect(typeEquals(T.i64, T.u64)).toBe(false);
    expect(typeEquals(T.i32, T.i64)).toBe(false);
    expect(typeEquals(T.f32, T.f64)).toBe(false);
    expect(typeEquals(T.f32x4, T.i32x4)).toBe(false);
    expect(typeEquals(param('T'), named('T'))).toBe(false);
    expect(typeEquals(param('T'), param('U'))).toBe(false);
    expect(typeEquals(typeVar(1), typeVar(1))).toBe(true);
    expect(typeEquals(typeVar(1), typeVar(2))).toBe(false);
    expect(typeEquals(fnType([T.i64], T.bool), fnType([T.i64], T.bool))).toBe(true);
    expect(typeEquals(fnType([T.i64], T.bool), fnType([T.i64], T.unit))).toBe(false);
    expect(typeEquals(tuple([T.i64]), T.i64)).toBe(false);
    expect(typeListEquals([T.i64, T.text], [T.i64, T.text])).toBe(true);
    expect(typeListEquals([T.i64], [T.i64, T.text])).toBe(false);
  });

  it('is reflexive on deep copies', () => {
    fc.assert(
      fc.property(typeArb({ params: ['T'], varIds: 5, fns: true }), (t) => {
        expect(typeEquals(t, structuredClone(t))).toBe(true);
        expect(typeKey(structuredClone(t))).toBe(typeKey(t));
      }),
    );
  });

  it('gives equal keys exactly to equal types', () => {
    const small = typeArb({ params: ['T'], varIds: 2, fns: true, maxDepth: 2 });
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(typeKey(a) === typeKey(b)).toBe(typeEquals(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps params, structs and vars apart in keys', () => {
    expect(typeKey(param('T'))).not.toBe(typeKey(named('T')));
    expect(typeKey(tuple([T.i64]))).not.toBe(typeKey(T.i64));
    expect(typeKey(T.unit)).toBe('()');
    expect(typeKey(named('Pair', [T.i64, array(T.text)]))).toBe('Pair<i64,[text]>');
    expect(typeKey(typeVar(7))).toBe('?7');
  });
});

describe('traversal', () => {
  const a = typeVar(0);
  const b = typeVar(1);
  const t = fnType([named('Pair', [b, param('U')]), array(a)], tuple([a, param('T'), b]));

  it('lists free variables and params in order of appearance', () => {
    expect([...freeVars(t)]).toEqual([1, 0]);
    expect([...paramNames(t)]).toEqual(['U', 'T']);
    expect(freeVars(T.i64).size).toBe(0);
  });

  it('answers containment questions', () => {
    expect(containsVars(t)).toBe(true);
    expect(containsParams(t)).toBe(true);
    expect(isConcrete(t)).toBe(false);
    expect(containsVars(array(param('T')))).toBe(false);
    expect(containsParams(array(typeVar(0)))).toBe(false);
    expect(isConcrete(named('Pair', [T.i64, array(T.f32x4)]))).toBe(true);
    expect(isConcrete(array(param('T')))).toBe(false);
  });

  it('gives direct children', () => {
    expect(childTypes(pairIT)).toEqual([T.i64, T.text]);
    expect(childTypes(array(T.i64))).toEqual([T.i64]);
    expect(childTypes(fnType([T.i64], T.bool))).toEqual([T.i64, T.bool]);
    expect(childTypes(T.f32x4)).toEqual([T.f32]);
    expect(childTypes(T.i64)).toEqual([]);
    expect(someType(t, (x) => x.kind === 'param' && x.name === 'T')).toBe(true);
    expect(someType(t, (x) => x.kind === 'string')).toBe(false);
  });

  it('shares unchanged structure in mapChildren', () => {
    expect(mapChildren(pairIT, (c) => c)).toBe(pairIT);
    const swapped = mapChildren(pairIT, (c) => (c.kind === 'string' ? T.bool : c));
    expect(swapped).toEqual(named('Pair', [T.i64, T.bool]));
    expect(pairIT).toEqual(named('Pair', [T.i64, T.text]));
  });

  it('substitutes params', () => {
    const map = new Map<string, Type>([
      ['T', T.i64],
      ['U', array(T.text)],
    ]);
    expect(substituteParams(t, map)).toEqual(
      fnType([named('Pair', [b, array(T.text)]), array(a)], tuple([a, T.i64, b])),
    );
    expect(substituteParams(array(param('V')), map)).toEqual(array(param('V')));
    const concrete = named('Pair', [T.i64, array(T.text)]);
    expect(substituteParams(concrete, map)).toBe(concrete);
    expect(substituteParams(t, new Map())).toBe(t);
  });

  it('substitution removes every mapped param', () => {
    fc.assert(
      fc.property(typeArb({ params: ['T', 'U'], fns: true }), (x) => {
        const out = substituteParams(x, new Map([['T', T.bool]]));
        expect([...paramNames(out)]).not.toContain('T');
        expect(containsParams(out)).toBe(paramNames(x).has('U'));
      }),
    );
  });
});
