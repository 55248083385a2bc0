import { describe, expect, it } from 'vitest';
import { formatSdnInline, parseSdn, stringifySdn } from '../../src/sdn/index.js';
import type { SdnDict, SdnValue } from '../../src/sdn/index.js';
import { refusal } from './failure.js';

// The canonical writer at its edges: exact text, exact refusals and their paths, written where
// mutation testing (docs/testing.md) found the suite silent.

const m = (entries: [string, SdnValue][]): SdnDict => new Map(entries);


describe('numbers', () => {
  it('writes integers beyond the safe range with .0 and bigints at the i64 edges as they are', () => {
    expect(formatSdnInline(2 ** 53)).toBe('9007199254740992.0');
    expect(formatSdnInline(-(2 ** 53))).toBe('-9007199254740992.0');
    expect(formatSdnInline(0)).toBe('0');
    expect(formatSdnInline(1.25)).toBe('1.25');
    expect(formatSdnInline(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(formatSdnInline(2n ** 63n - 1n)).toBe('9223372036854775807');
  });

  it('refuses bigints one past the i64 range and non-finite numbers, naming them', () => {
    expect(refusal(m([['x', -(2n ** 63n) - 1n]]))).toEqual({ path: 'x', reason: 'integer outside the i64 range' });
    expect(refusal(m([['x', 2n ** 63n]]))).toEqual({ path: 'x', reason: 'integer outside the i64 range' });
    expect(refusal(m([['x', -Infinity]]))).toEqual({ path: 'x', reason: '-Infinity has no SDN spelling' });
    expect(refusal(m([['x', NaN]]))).toEqual({ path: 'x', reason: 'NaN has no SDN spelling' });
  });
});

describe('layout', () => {
  it('writes scalars, booleans and null after key: and in rows', () => {
    expect(stringifySdn(m([['t', true], ['f', false], ['n', null], ['s', 'a:b']]))).toBe('t: true\nf: false\nn: null\ns: "a:b"\n');
    expect(formatSdnInline(m([['a', [true, null]], ['b c', m([])]]))).toBe('{a: [true, null], "b c": {}}');
  });

  it('nests dict blocks four spaces deeper each level and writes empty dicts inline', () => {
    const doc = m([['a', m([['b', m([['c', m([])]])]])]]);
    expect(stringifySdn(doc)).toBe('a:\n    b:\n        c = {}\n');
    expect(parseSdn(stringifySdn(doc))).toEqual(doc);
  });

  it('writes a dict holding a table, inside an array, as a - block, and plain items inline', () => {
    const t = { fields: ['x'], rows: [[1]] };
    const doc = m([['a', [m([['q', 1]]), m([['t', t]]), [[m([['u', t]])]]]]]);
    expect(stringifySdn(doc)).toBe(
      [
        'a:',
        '    - {q: 1}',
        '    -',
        '        t |x|',
        '            1',
        '    -',
        '        -',
        '            -',
        '                u |x|',
        '                    1',
        '',
      ].join('\n'),
    );
    expect(parseSdn(stringifySdn(doc))).toEqual(doc);
  });

  it('writes typed tables with and without column names, and quotes names that need it', () => {
    expect(stringifySdn(m([['t', { fields: [], types: ['i32'], rows: [[1], [2]] }]]))).toBe('t: table{i32}\n    1\n    2\n');
    expect(stringifySdn(m([['t', { fields: ['a b', 'c'], types: ['i32', 'text'], rows: [[1, 'x']] }]]))).toBe(
      't: table{"a b": i32, c: text}\n    1, x\n',
    );
  });
});

describe('refusals', () => {
  it('names the path of a bad value at any depth', () => {
    expect(refusal(m([['a', m([['b', [1, m([['c', NaN]])]]])]]))).toEqual({ path: 'a.b[1].c', reason: 'NaN has no SDN spelling' });
    expect(refusal(m([['a', [m([['t', { fields: ['x'], rows: [] }]]), { fields: ['y'], rows: [] }]]]))).toEqual({
      path: 'a[1]',
      reason: 'a table can only be the value of a dict entry',
    });
    expect(refusal(m([['t', { fields: ['x'], rows: [[[NaN]]] }]]))).toEqual({ path: 't.rows[0][0][0]', reason: 'NaN has no SDN spelling' });
  });

  it('checks the shape of every table', () => {
    const bad = (t: unknown) => refusal(m([['t', t as SdnValue]])).reason;
    const shape = 'not an SDN value (a table needs fields: string[] and rows: SdnValue[][])';
    expect(bad({ fields: 'x', rows: [] })).toBe(shape);
    expect(bad({ fields: ['x', 1], rows: [] })).toBe(shape);
    expect(bad({ fields: ['x'], rows: {} })).toBe(shape);
    expect(bad({ fields: ['x', 'x'], rows: [] })).toBe('duplicate column name');
    expect(bad({ fields: [], types: [], rows: [] })).toBe('a typed table needs at least one column type');
    expect(bad({ fields: [], types: 'i32', rows: [] })).toBe('a typed table needs at least one column type');
    expect(bad({ fields: ['a'], types: ['i32', 'i32'], rows: [] })).toBe('a typed table names every column or none');
    expect(bad({ fields: ['a', 'b'], types: ['i32'], rows: [] })).toBe('a typed table names every column or none');
    expect(bad({ fields: ['a'], rows: [[1, 2]] })).toBe('every row needs exactly 1 cells');
    expect(bad({ fields: [], types: ['i32', 'i32'], rows: [[1]] })).toBe('every row needs exactly 2 cells');
    expect(bad({ fields: ['a'], rows: ['x'] })).toBe('every row needs exactly 1 cells');
  });

  it('names the document when the value has no path', () => {
    expect(() => formatSdnInline(NaN)).toThrow('cannot write document as SDN: NaN has no SDN spelling');
    expect(() => stringifySdn(m([['x', NaN]]))).toThrow('cannot write x as SDN: NaN has no SDN spelling');
  });

  it('names a value of no SDN kind', () => {
    expect(refusal(m([['f', (() => 1) as unknown as SdnValue]]))).toEqual({ path: 'f', reason: 'not an SDN value (function)' });
    expect(refusal(m([['u', [undefined as unknown as SdnValue]]]))).toEqual({ path: 'u[0]', reason: 'not an SDN value (undefined)' });
  });

  it('refuses nesting deeper than the hard maximum, whatever the container', () => {
    // The document is level 1: 999 arrays (or dicts) inside it fit, 1000 do not.
    const arrays = (n: number): SdnDict => {
      let v: SdnValue = 1;
      for (let i = 0; i < n; i++) v = [v];
      return m([['a', v]]);
    };
    const dicts = (n: number): SdnDict => {
      let v: SdnDict = m([['x', 1]]);
      for (let i = 0; i < n; i++) v = m([['k', v]]);
      return v;
    };
    expect(stringifySdn(arrays(999))).toBe(`a = ${'['.repeat(999)}1${']'.repeat(999)}\n`);
    expect(refusal(arrays(1000)).reason).toBe('nested deeper than 1000 levels (or cyclic)');
    expect(stringifySdn(dicts(999)).split('\n').length).toBe(1001);
    expect(refusal(dicts(1000)).reason).toBe('nested deeper than 1000 levels (or cyclic)');
  });

});
