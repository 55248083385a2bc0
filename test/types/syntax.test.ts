import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import {
  T,
  TypeSyntaxError,
  array,
  fnType,
  named,
  param,
  parseType,
  parseTypeList,
  parseTypeListIn,
  someType,
  tuple,
  typeToCompactString,
  typeToString,
  typeVar,
} from '../../src/types/index.js';
import type { ParseTypeOptions, Type } from '../../src/types/index.js';
import { typeArb } from './arbitraries.js';

function syntaxError(src: string, options?: ParseTypeOptions): TypeSyntaxError {
  try {
    parseType(src, options);
  } catch (e) {
    expect(e).toBeInstanceOf(TypeSyntaxError);
    return e as TypeSyntaxError;
  }
  throw new Error(`accepted ${JSON.stringify(src)}`);
}

const pair = (a: Type, b: Type) => named('Pair', [a, b]);

describe('parseType', () => {
  const examples: Array<[string, Type]> = [
    ['i64', T.i64],
    ['u16', T.u16],
    ['f32', T.f32],
    ['text', T.text],
    ['bool', T.bool],
    ['f32x4', T.f32x4],
    ['i32x4', T.i32x4],
    ['f64x2', T.f64x2],
    ['i64x2', T.i64x2],
    ['[text]', array(T.text)],
    ['(i64, text)', tuple([T.i64, T.text])],
    ['()', T.unit],
    ['Point', named('Point')],
    ['Pair<i64, [text]>', pair(T.i64, array(T.text))],
    ['Stack<Pair<i64, text>>', named('Stack', [pair(T.i64, T.text)])],
    ['[[i64]]', array(array(T.i64))],
    ['(i64)', T.i64],
    ['(i64,)', tuple([T.i64])],
    ['(i64, text,)', tuple([T.i64, T.text])],
    ['((), (bool, f64))', tuple([T.unit, tuple([T.bool, T.f64])])],
    ['fn(i64, text) -> bool', fnType([T.i64, T.text], T.bool)],
    ['fn()', fnType([], T.unit)],
    ['fn() -> fn(i64) -> ()', fnType([], fnType([T.i64], T.unit))],
    ['  Pair < i64 ,\n\t[ text ] >  ', pair(T.i64, array(T.text))],
    ['Pair<i64,[text]>', pair(T.i64, array(T.text))],
    ['str', named('str')],
    ['Пара<i8>', named('Пара', [T.i8])],
  ];
  it.each(examples)('parses %j', (src, want) => {
    expect(parseType(src)).toEqual(want);
  });

  it('reads names in params as type parameters and others as structs', () => {
    const params = new Set(['T', 'U']);
    expect(parseType('Pair<T, [U]>', { params })).toEqual(pair(param('T'), array(param('U'))));
    expect(parseType('Pair<T, V>', { params })).toEqual(pair(param('T'), named('V')));
    expect(parseType('T')).toEqual(named('T'));
  });

  it('reads unification variables only when asked to', () => {
    expect(parseType('[?12]', { allowVars: true })).toEqual(array(typeVar(12)));
    const e = syntaxError('[?12]');
    expect(e.offset).toBe(1);
    expect(e.reason).toMatch(/unification variables/);
    expect(syntaxError('?x', { allowVars: true }).offset).toBe(1);
  });

  const bad: Array<[string, number, RegExp]> = [
    ['', 0, /expected a type/],
    ['   ', 3, /expected a type/],
    ['Pair<i64 text>', 9, /expected '>'/],
    ['Pair<i64, text', 14, /expected '>'/],
    ['Pair<>', 5, /expected a type/],
    ['Pair<i64,>', 9, /expected a type/],
    ['[i64', 4, /expected '\]'/],
    ['[]', 1, /expected a type/],
    ['(i64, text', 10, /expected '\)'/],
    ['(i64 text)', 5, /expected ','/],
    ['i64<text>', 3, /built-in type i64 takes no type arguments/],
    ['T<i64>', 1, /type parameter T takes no type arguments/],
    ['i64 text', 4, /expected end of input/],
    ['Pair<i64>>', 9, /expected end of input/],
    ['fn', 2, /expected '\('/],
    ['fn(i64', 6, /expected '\)'/],
    ['fn(i64) ->', 10, /expected a type/],
    ['1abc', 0, /expected a type/],
    ['Pair<i64, $>', 10, /expected a type/],
    ['i64,', 3, /expected end of input/],
  ];
  it.each(bad)('rejects %j at offset %i', (src, offset, reason) => {
    const e = syntaxError(src, { params: new Set(['T']) });
    expect(e).toBeInstanceOf(SimpleError);
    expect(e.code).toBe('TYPE_SYNTAX');
    expect(e.input).toBe(src);
    expect(e.offset).toBe(offset);
    expect(e.reason).toMatch(reason);
    expect(e.message).toContain(`at offset ${offset}`);
  });

  it('words the missing-bracket error as documented', () => {
    expect(syntaxError('Pair<i64 [text]>').message).toMatch(/^expected '>' at offset 9/);
  });

  it('bounds the nesting depth', () => {
    const deep = (n: number) => '['.repeat(n - 1) + 'i64' + ']'.repeat(n - 1);
    expect(parseType(deep(64))).toBeDefined();
    const e = syntaxError(deep(65));
    expect(e.offset).toBe(64);
    expect(e.reason).toMatch(/deeper than 64/);
    expect(syntaxError('('.repeat(100_000)).reason).toMatch(/deeper than/);
  });
});

describe('typeToString', () => {
  it('prints readable and compact forms', () => {
    const t = named('Stack', [pair(T.i64, array(T.text))]);
    expect(typeToString(t)).toBe('Stack<Pair<i64, [text]>>');
    expect(typeToString(t, { compact: true })).toBe('Stack<Pair<i64,[text]>>');
    expect(typeToCompactString(t)).toBe('Stack<Pair<i64,[text]>>');
    expect(typeToString(tuple([T.i64, T.text]))).toBe('(i64, text)');
    expect(typeToCompactString(tuple([T.i64, T.text]))).toBe('(i64,text)');
    expect(typeToString(tuple([T.i64]))).toBe('(i64,)');
    expect(typeToString(T.unit)).toBe('()');
    expect(typeToString(T.text)).toBe('text');
    expect(typeToString(T.u32)).toBe('u32');
    expect(typeToString(T.f64x2)).toBe('f64x2');
    expect(typeToString(param('T'))).toBe('T');
    expect(typeToString(array(typeVar(0)))).toBe('[?0]');
    expect(typeToString(fnType([T.i64, T.text], T.bool))).toBe('fn(i64, text) -> bool');
    expect(typeToCompactString(fnType([T.i64, T.text], T.bool))).toBe('fn(i64,text)->bool');
    expect(typeToString(fnType([], T.unit))).toBe('fn() -> ()');
  });

  it('is inverted by parseType for concrete types', () => {
    fc.assert(
      fc.property(typeArb({ fns: true }), (t) => {
        expect(parseType(typeToString(t))).toEqual(t);
        expect(parseType(typeToCompactString(t))).toEqual(t);
      }),
      { numRuns: 400 },
    );
  });

  it('is inverted by parseType with params', () => {
    const names = ['T', 'U', 'Elem'];
    const params = new Set(names);
    const arb = typeArb({ params: names, fns: true }).filter(
      (t) => !someType(t, (x) => x.kind === 'named' && params.has(x.name)),
    );
    fc.assert(
      fc.property(arb, (t) => {
        expect(parseType(typeToString(t), { params })).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it('is inverted by parseType with variables', () => {
    fc.assert(
      fc.property(typeArb({ varIds: 100 }), (t) => {
        expect(parseType(typeToString(t), { allowVars: true })).toEqual(t);
      }),
    );
  });
});

describe('parseTypeList', () => {
  it('splits at top-level commas only', () => {
    expect(parseTypeList('i64, Pair<i64, text>')).toEqual([T.i64, pair(T.i64, T.text)]);
    expect(parseTypeList('(i64, text), [bool],fn(i64, i64) -> i64')).toEqual([
      tuple([T.i64, T.text]),
      array(T.bool),
      fnType([T.i64, T.i64], T.i64),
    ]);
    expect(parseTypeList('T, Pair<T, i64>', { params: new Set(['T']) })).toEqual([
      param('T'),
      pair(param('T'), T.i64),
    ]);
  });

  it('gives an empty list for an empty cell', () => {
    expect(parseTypeList('')).toEqual([]);
    expect(parseTypeList('  ')).toEqual([]);
  });

  it('reports errors with offsets in the whole list', () => {
    const cases: Array<[string, number]> = [
      ['i64, Pair<i64 text>', 14],
      ['i64,', 4],
      ['i64,, text', 4],
      ['i64 text', 4],
    ];
    for (const [src, offset] of cases) {
      try {
        parseTypeList(src);
        throw new Error(`accepted ${src}`);
      } catch (e) {
        expect(e).toBeInstanceOf(TypeSyntaxError);
        expect((e as TypeSyntaxError).offset, src).toBe(offset);
      }
    }
  });

  it('parses a slice of a larger string with offsets into it', () => {
    const src = 'max<i64, [text]>';
    expect(parseTypeListIn(src, 4, 15)).toEqual([T.i64, array(T.text)]);
    try {
      parseTypeListIn('xx<i64 bool>', 3, 11);
      throw new Error('accepted');
    } catch (e) {
      expect((e as TypeSyntaxError).offset).toBe(7);
    }
  });

  it('round-trips printed lists', () => {
    fc.assert(
      fc.property(fc.array(typeArb({ fns: true }), { maxLength: 4 }), (ts) => {
        expect(parseTypeList(ts.map((t) => typeToString(t)).join(', '))).toEqual(ts);
      }),
      { numRuns: 200 },
    );
  });
});
