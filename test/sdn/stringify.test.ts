import { describe, expect, it } from 'vitest';
import { SdnSerializeError, formatSdnInline, parseSdn, quoteSdnString, stringifySdn } from '../../src/sdn/index.js';
import type { SdnDict, SdnValue } from '../../src/sdn/index.js';
import { d } from './helpers.js';

describe('stringifySdn', () => {
  it('writes the canonical layout', () => {
    const doc = d({
      name: 'demo',
      quoted: 'a b',
      kw: 'true',
      n: 42,
      f: 1.5,
      big: 2n ** 60n,
      nothing: null,
      flag: false,
      list: [1, 'x', [2], d({ k: 'v' })],
      empty_list: [],
      empty_dict: new Map(),
      nested: d({ inner: d({ x: 1 }) }),
      users: { fields: ['id', 'full name'], rows: [[1, 'Ann Lee'], [2, 'bob']] },
      points: { fields: [], types: ['i32', 'i32'], rows: [[1, 2]] },
      named: { fields: ['id', 'm'], types: ['i32', 'Map<text, i32>'], rows: [] },
    });
    expect(stringifySdn(doc)).toBe(
      [
        'name: demo',
        'quoted: "a b"',
        'kw: "true"',
        'n: 42',
        'f: 1.5',
        'big: 1152921504606846976',
        'nothing: null',
        'flag: false',
        'list = [1, x, [2], {k: v}]',
        'empty_list = []',
        'empty_dict = {}',
        'nested:',
        '    inner:',
        '        x: 1',
        'users |id, "full name"|',
        '    1, "Ann Lee"',
        '    2, bob',
        'points: table{i32, i32}',
        '    1, 2',
        'named: table{id: i32, m: Map<text, i32>}',
        '',
      ].join('\n'),
    );
  });

  it('writes arrays that hold tables as - blocks', () => {
    const doc = d({ a: [1, d({ t: { fields: ['x'], rows: [[1]] } }), [d({ u: { fields: ['y'], rows: [] } })]] });
    expect(stringifySdn(doc)).toBe(
      ['a:', '    - 1', '    -', '        t |x|', '            1', '    -', '        -', '            u |y|', ''].join('\n'),
    );
    expect(parseSdn(stringifySdn(doc))).toEqual(doc);
  });

  it('writes numbers so they read back as the same kind', () => {
    expect(formatSdnInline(-0)).toBe('-0.0');
    expect(formatSdnInline(2 ** 60)).toBe('1152921504606847000.0');
    expect(formatSdnInline(1e21)).toBe('1e+21');
    expect(formatSdnInline(5e-7)).toBe('5e-7');
    expect(formatSdnInline(-9007199254740991)).toBe('-9007199254740991');
    expect(parseSdn('x: 1152921504606846976.0').get('x')).toBe(2 ** 60);
  });

  it('writes a safe-range bigint as an integer (read back as a number)', () => {
    expect(parseSdn(stringifySdn(d({ x: 5n }))).get('x')).toBe(5);
  });

  it('quotes with escapes and keeps text on one line', () => {
    expect(quoteSdnString('a"b\\c\nd\re\tf\u0001\u007f😀\ud800')).toBe(
      '"a\\"b\\\\c\\nd\\re\\tf\\u{1}\\u{7F}😀\\u{D800}"',
    );
    const s = 'x\n# END_NOTE\n';
    expect(parseSdn(stringifySdn(d({ s }))).get('s')).toBe(s);
  });

  it('returns empty text for an empty document', () => {
    expect(stringifySdn(new Map())).toBe('');
  });

  const bad: [string, SdnDict, string][] = [
    ['NaN', d({ x: NaN }), 'x'],
    ['Infinity', d({ x: [Infinity] }), 'x[0]'],
    ['bigint beyond i64', d({ x: 2n ** 63n }), 'x'],
    ['table in an array', d({ x: [{ fields: ['a'], rows: [] }] }), 'x[0]'],
    ['table in a cell', d({ t: { fields: ['a'], rows: [[{ fields: ['b'], rows: [] }]] } }), 't.rows[0][0]'],
    ['short row', d({ t: { fields: ['a', 'b'], rows: [[1]] } }), 't.rows[0]'],
    ['no columns', d({ t: { fields: [], rows: [] } }), 't'],
    ['bad type text', d({ t: { fields: [], types: ['a,b'], rows: [] } }), 't'],
    ['undefined', d({ x: undefined as unknown as SdnValue }), 'x'],
  ];
  it.each(bad)('refuses %s', (_name, doc, path) => {
    let err: unknown;
    try {
      stringifySdn(doc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SdnSerializeError);
    expect((err as SdnSerializeError).path).toBe(path);
  });

  it('refuses cyclic values instead of overflowing the stack', () => {
    const a: SdnValue[] = [];
    a.push(a);
    expect(() => stringifySdn(d({ a }))).toThrow(SdnSerializeError);
    const m: SdnDict = new Map();
    m.set('m', m);
    expect(() => stringifySdn(m)).toThrow(SdnSerializeError);
  });
});
