// Tests written against surviving mutants of src/types/json.ts (docs/testing.md): the paths of
// errors inside tuples, SIMD types and fn types, the depth each field adds, how found values read.
import { describe, expect, it } from 'vitest';
import { thrown } from '../thrown.js';
import { MAX_TYPE_DEPTH, T, TypeJsonError, fnType, simd, tuple, typeFromJson, typeToJson, typeVar } from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';

const jsonError = (f: () => unknown): TypeJsonError => thrown(f, TypeJsonError);

describe('typeToJson names where a variable sits', () => {
  it('in a tuple, a fn parameter, a fn result and a SIMD lane', () => {
    expect(jsonError(() => typeToJson(tuple([T.i64, typeVar(3)]))).path).toBe('$.elems[1]');
    expect(jsonError(() => typeToJson(fnType([T.i64, typeVar(3)], T.bool))).path).toBe('$.params[1]');
    expect(jsonError(() => typeToJson(fnType([], typeVar(3)))).path).toBe('$.ret');
    const odd = { kind: 'simd', lanes: 4, elem: typeVar(3) } as unknown as Type;
    expect(jsonError(() => typeToJson(odd)).path).toBe('$.elem');
    expect(jsonError(() => typeToJson(fnType([], typeVar(3)))).message).toBe('invalid type JSON at $.ret: unification variable ?3 cannot be serialized');
  });
});

/** `wrap` applied `n` times around i64's JSON. */
const nest = (n: number, wrap: (inner: unknown) => unknown): unknown => {
  let v: unknown = { kind: 'int', bits: 64, signed: true };
  for (let i = 0; i < n; i++) v = wrap(v);
  return v;
};

describe('typeFromJson counts one level per nested type', () => {
  const wrappers: Array<[string, (inner: unknown) => unknown]> = [
    ['array element', (v) => ({ kind: 'array', elem: v })],
    ['fn result', (v) => ({ kind: 'fn', params: [], ret: v })],
    ['fn parameter', (v) => ({ kind: 'fn', params: [v], ret: { kind: 'unit' } })],
    ['tuple element', (v) => ({ kind: 'tuple', elems: [v] })],
    ['struct argument', (v) => ({ kind: 'named', name: 'Box', args: [v] })],
  ];
  for (const [what, wrap] of wrappers) {
    it(`${what}: ${MAX_TYPE_DEPTH} levels read, ${MAX_TYPE_DEPTH + 1} do not`, () => {
      expect(() => typeFromJson(nest(MAX_TYPE_DEPTH - 1, wrap))).not.toThrow();
      expect(jsonError(() => typeFromJson(nest(MAX_TYPE_DEPTH, wrap))).reason).toBe(`type nested deeper than ${MAX_TYPE_DEPTH} levels`);
    });
  }
  it('a SIMD lane is one level below its vector', () => {
    const lane = { kind: 'float', bits: 32 };
    const vector = nest(MAX_TYPE_DEPTH - 2, (v) => ({ kind: 'array', elem: v }));
    let deepest = vector as { kind: string; elem?: unknown };
    while (deepest.elem !== undefined && (deepest.elem as { kind: string }).kind === 'array') deepest = deepest.elem as typeof deepest;
    deepest.elem = { kind: 'simd', lanes: 4, elem: lane };
    expect(() => typeFromJson(vector)).not.toThrow();
    const tooDeep = { kind: 'array', elem: vector };
    const e = jsonError(() => typeFromJson(tooDeep));
    expect(e.reason).toBe(`type nested deeper than ${MAX_TYPE_DEPTH} levels`);
    expect(e.path.endsWith('.elem.elem')).toBe(true);
  });
  it('the SIMD lane and fn result paths', () => {
    expect(jsonError(() => typeFromJson({ kind: 'simd', lanes: 4, elem: { kind: 'bool', x: 1 } })).path).toBe('$.elem.x');
    expect(jsonError(() => typeFromJson({ kind: 'fn', params: [], ret: { kind: 'nope' } })).path).toBe('$.ret.kind');
    expect(typeFromJson({ kind: 'simd', lanes: 4, elem: { kind: 'float', bits: 32 } })).toEqual(simd(4, T.f32));
  });
});

describe('found values are described', () => {
  it('an object, an array, null, undefined, a number', () => {
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: {}, signed: true })).reason).toBe('integer bits must be 8, 16, 32 or 64, found an object');
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: [], signed: true })).reason).toBe('integer bits must be 8, 16, 32 or 64, found an array');
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: null, signed: true })).reason).toBe('integer bits must be 8, 16, 32 or 64, found null');
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: undefined, signed: true })).reason).toBe('integer bits must be 8, 16, 32 or 64, found undefined');
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: 7, signed: true })).reason).toBe('integer bits must be 8, 16, 32 or 64, found 7');
  });
  it('a string is quoted, cut after 40 characters', () => {
    const forty = 'x'.repeat(40);
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: forty, signed: true })).reason).toBe(`integer bits must be 8, 16, 32 or 64, found "${forty}"`);
    expect(jsonError(() => typeFromJson({ kind: 'int', bits: forty + 'yz', signed: true })).reason).toBe(`integer bits must be 8, 16, 32 or 64, found "${forty}…"`);
  });
});
