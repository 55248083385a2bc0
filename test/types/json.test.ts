import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import {
  MAX_TYPE_DEPTH,
  T,
  TypeJsonError,
  array,
  fnType,
  named,
  param,
  tuple,
  typeFromJson,
  typeToJson,
  typeVar,
} from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';
import { typeArb } from './arbitraries.js';

const i64 = { kind: 'int', bits: 64, signed: true };

function jsonError(input: unknown): TypeJsonError {
  try {
    typeFromJson(input);
  } catch (e) {
    expect(e).toBeInstanceOf(TypeJsonError);
    return e as TypeJsonError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

function nest(depth: number): unknown {
  let v: unknown = { kind: 'bool' };
  for (let i = 1; i < depth; i++) v = { kind: 'array', elem: v };
  return v;
}

describe('typeToJson', () => {
  it('writes the exact boundary shapes', () => {
    const cases: Array<[Type, string]> = [
      [T.i64, '{"kind":"int","bits":64,"signed":true}'],
      [T.u8, '{"kind":"int","bits":8,"signed":false}'],
      [T.f64, '{"kind":"float","bits":64}'],
      [T.bool, '{"kind":"bool"}'],
      [T.text, '{"kind":"string"}'],
      [T.unit, '{"kind":"unit"}'],
      [named('Vec', [T.i64]), '{"kind":"named","name":"Vec","args":[{"kind":"int","bits":64,"signed":true}]}'],
      [array(T.text), '{"kind":"array","elem":{"kind":"string"}}'],
      [tuple([T.bool, T.text]), '{"kind":"tuple","elems":[{"kind":"bool"},{"kind":"string"}]}'],
      [T.f32x4, '{"kind":"simd","lanes":4,"elem":{"kind":"float","bits":32}}'],
      [param('T'), '{"kind":"param","name":"T"}'],
      [fnType([T.bool], T.unit), '{"kind":"fn","params":[{"kind":"bool"}],"ret":{"kind":"unit"}}'],
    ];
    for (const [t, json] of cases) expect(JSON.stringify(typeToJson(t))).toBe(json);
  });

  it('refuses unification variables, naming where they are', () => {
    const e = (() => {
      try {
        typeToJson(named('Pair', [T.i64, array(typeVar(3))]));
      } catch (err) {
        return err as TypeJsonError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(TypeJsonError);
    expect(e).toBeInstanceOf(SimpleError);
    expect(e.code).toBe('TYPE_JSON_INVALID');
    expect(e.path).toBe('$.args[1].elem');
    expect(e.message).toContain('?3');
  });
});

describe('typeFromJson', () => {
  it('round-trips every serializable type, also through a JSON string', () => {
    fc.assert(
      fc.property(typeArb({ params: ['T', 'U'], fns: true }), (t) => {
        expect(typeFromJson(typeToJson(t))).toEqual(t);
        expect(typeFromJson(JSON.parse(JSON.stringify(typeToJson(t))))).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the documented examples', () => {
    expect(typeFromJson({ kind: 'named', name: 'Vec', args: [i64] })).toEqual(named('Vec', [T.i64]));
    expect(typeFromJson({ kind: 'simd', lanes: 2, elem: i64 })).toEqual(T.i64x2);
  });

  it('builds fresh objects rather than aliasing the input', () => {
    const input = { kind: 'array', elem: { kind: 'bool' } };
    const t = typeFromJson(input);
    input.elem.kind = 'string';
    expect(t).toEqual(array(T.bool));
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    ['null', null, '$', /found null/],
    ['a string', 'i64', '$', /found "i64"/],
    ['an array', [i64], '$', /found an array/],
    ['no kind', {}, '$.kind', /unknown type kind undefined/],
    ['unknown kind', { kind: 'pointer' }, '$.kind', /unknown type kind "pointer"/],
    ['kind from the prototype', { kind: 'toString' }, '$.kind', /unknown type kind/],
    ['bad int bits', { kind: 'int', bits: 12, signed: true }, '$.bits', /8, 16, 32 or 64, found 12/],
    ['bits as a string', { kind: 'int', bits: '64', signed: true }, '$.bits', /found "64"/],
    ['missing signed', { kind: 'int', bits: 64 }, '$.signed', /missing field/],
    ['signed not boolean', { kind: 'int', bits: 64, signed: 1 }, '$.signed', /boolean/],
    ['bad float bits', { kind: 'float', bits: 16 }, '$.bits', /32 or 64/],
    ['extra field', { kind: 'bool', name: 'x' }, '$.name', /unexpected field/],
    ['extra odd field', { kind: 'string', 'a b': 1 }, '$["a b"]', /unexpected field/],
    ['nested bad bits', { kind: 'named', name: 'Vec', args: [i64, { kind: 'int', bits: 7, signed: true }] }, '$.args[1].bits', /found 7/],
    ['args not an array', { kind: 'named', name: 'Vec', args: {} }, '$.args', /expected an array/],
    ['missing args', { kind: 'named', name: 'Vec' }, '$.args', /missing field/],
    ['name not a string', { kind: 'named', name: 3, args: [] }, '$.name', /expected a string/],
    ['builtin as a struct name', { kind: 'named', name: 'i64', args: [] }, '$.name', /not a valid type name/],
    ['name with symbols', { kind: 'named', name: 'Pair<T>', args: [] }, '$.name', /not a valid type name/],
    ['empty param name', { kind: 'param', name: '' }, '$.name', /not a valid type name/],
    ['missing elem', { kind: 'array' }, '$.elem', /missing field/],
    ['empty tuple', { kind: 'tuple', elems: [] }, '$.elems', /at least one element/],
    ['bad tuple element', { kind: 'tuple', elems: [i64, null] }, '$.elems[1]', /found null/],
    ['bad lanes', { kind: 'simd', lanes: 3, elem: i64 }, '$.lanes', /2 or 4/],
    ['bad lane type', { kind: 'simd', lanes: 4, elem: i64 }, '$.elem', /not a SIMD lane type/],
    ['unsigned lanes', { kind: 'simd', lanes: 4, elem: { kind: 'int', bits: 32, signed: false } }, '$.elem', /SIMD/],
    ['bool lanes', { kind: 'simd', lanes: 2, elem: { kind: 'bool' } }, '$.elem', /SIMD/],
    ['fn params bad', { kind: 'fn', params: [{ kind: 'var', id: 0 }], ret: { kind: 'unit' } }, '$.params[0].kind', /unknown type kind "var"/],
    ['fn ret missing', { kind: 'fn', params: [] }, '$.ret', /missing field/],
    ['var', { kind: 'var', id: 1 }, '$.kind', /unknown type kind "var"/],
  ];
  it.each(bad)('rejects %s', (_name, input, path, reason) => {
    const e = jsonError(input);
    expect(e.path).toBe(path);
    expect(e.message).toMatch(reason);
    expect(e.message).toContain(path);
  });

  it('rejects holes in arrays', () => {
    const args: unknown[] = [i64];
    args.length = 2;
    expect(jsonError({ kind: 'named', name: 'Vec', args }).path).toBe('$.args[1]');
  });

  it('bounds the nesting depth', () => {
    expect(typeFromJson(nest(MAX_TYPE_DEPTH))).toBeDefined();
    const e = jsonError(nest(MAX_TYPE_DEPTH + 1));
    expect(e.path).toBe('$' + '.elem'.repeat(MAX_TYPE_DEPTH));
    expect(e.message).toMatch(/deeper than 64/);
    // A cyclic object is stopped by the same bound instead of overflowing the stack.
    const cyclic: { kind: string; elem?: unknown } = { kind: 'array' };
    cyclic.elem = cyclic;
    expect(jsonError(cyclic).message).toMatch(/deeper than/);
  });
});
