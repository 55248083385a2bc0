// Tests written against surviving mutants of src/types/syntax.ts (docs/testing.md): the depth
// each constructor adds, slices whose tokens run past their limit, `?N` variables.
import { describe, expect, it } from 'vitest';
import { thrown } from '../thrown.js';
import { nameEnd } from '../../src/types/name-chars.js';
import { MAX_TYPE_DEPTH, TypeSyntaxError, T, fnType, named, parseType, parseTypeListIn, tuple, typeVar } from '../../src/types/index.js';

const syntaxError = (f: () => unknown): TypeSyntaxError => thrown(f, TypeSyntaxError);

/** `wrap` applied `n` times around `i64`. */
const nest = (n: number, wrap: (inner: string) => string): string => {
  let s = 'i64';
  for (let i = 0; i < n; i++) s = wrap(s);
  return s;
};

describe('each constructor counts one level of depth', () => {
  const wrappers: Array<[string, (inner: string) => string]> = [
    ['struct argument', (s) => `Box<${s}>`],
    ['second struct argument', (s) => `Pair<i64, ${s}>`],
    ['tuple element', (s) => `(${s},)`],
    ['second tuple element', (s) => `(i64, ${s})`],
    ['fn parameter', (s) => `fn(${s})`],
    ['second fn parameter', (s) => `fn(i64, ${s})`],
    ['fn result', (s) => `fn() -> ${s}`],
  ];
  for (const [what, wrap] of wrappers) {
    it(`${what}: ${MAX_TYPE_DEPTH} levels parse, ${MAX_TYPE_DEPTH + 1} do not`, () => {
      expect(() => parseType(nest(MAX_TYPE_DEPTH - 1, wrap))).not.toThrow();
      const e = syntaxError(() => parseType(nest(MAX_TYPE_DEPTH, wrap)));
      expect(e.reason).toBe(`type nested deeper than ${MAX_TYPE_DEPTH} levels`);
    });
  }
});

describe('a slice ends where its limit says', () => {
  it('a closing token past the limit is not seen', () => {
    const e = syntaxError(() => parseTypeListIn('[i64]', 0, 4));
    expect([e.reason, e.offset]).toEqual(["expected ']'", 4]);
  });
  it('nothing after a comma at the limit: the error is at the limit', () => {
    const e = syntaxError(() => parseTypeListIn('x, [i64]', 0, 3));
    expect([e.reason, e.offset]).toEqual(['expected a type', 3]);
    const spaced = syntaxError(() => parseTypeListIn('a, b', 0, 2));
    expect([spaced.reason, spaced.offset]).toEqual(['expected a type', 2]);
  });
  it('carriage returns, tabs and newlines are whitespace', () => {
    expect(parseType('\r\n\ti64\r\n')).toEqual(T.i64);
    expect(parseType('Pair<\ri64,\rtext\r>')).toEqual(named('Pair', [T.i64, T.text]));
  });
  it('a list inside a longer string parses only its part', () => {
    expect(parseTypeListIn('f<i64, (bool,)>', 2, 14)).toEqual([T.i64, tuple([T.bool])]);
    expect(parseTypeListIn('f<fn(i64) -> bool>', 2, 17)).toEqual([fnType([T.i64], T.bool)]);
  });
});

describe('unification variables', () => {
  it('read their number', () => {
    expect(parseType('?12', { allowVars: true })).toEqual(typeVar(12));
  });
  it('a number running past the slice is refused', () => {
    const e = syntaxError(() => parseTypeListIn('?12', 0, 2, { allowVars: true }));
    expect(e.message).toBe('expected a variable number at offset 1 in "?12"');
  });
  it('a missing number is refused where it should be', () => {
    const e = syntaxError(() => parseType('?x', { allowVars: true }));
    expect(e.message).toBe('expected a variable number at offset 1 in "?x"');
  });
  it('a number beyond the safe integers is refused at its first digit', () => {
    const e = syntaxError(() => parseType(' ?99999999999999999999', { allowVars: true }));
    expect(e.message).toBe('variable number too large at offset 2 in " ?99999999999999999999"');
    expect(parseType(`?${Number.MAX_SAFE_INTEGER}`, { allowVars: true })).toEqual(typeVar(Number.MAX_SAFE_INTEGER));
  });
});

describe('a name at the limit of a slice', () => {
  it('is not read, even when the text goes on', () => {
    expect(nameEnd('ab', 1, 1)).toBe(1);
    expect(nameEnd('ab', 2, 1)).toBe(2);
    const e = syntaxError(() => parseTypeListIn('x, yz', 0, 3));
    expect([e.reason, e.offset]).toEqual(['expected a type', 3]);
  });
});
