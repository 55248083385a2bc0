import { describe, expect, it } from 'vitest';
import { parseSdn, SdnLimitError, stringifySdn } from '../../src/sdn/index.js';
import type { SdnDict, SdnValue } from '../../src/sdn/index.js';
import { refusal } from './failure.js';

// Depth counted through every construct that nests, at the exact edge: the document is level 1
// and every container one more. Written where mutation testing (docs/testing.md) found a level
// miscounted in one construct go unnoticed.

const m = (entries: [string, SdnValue][]): SdnDict => new Map(entries);

describe('parsing: maxDepth through each construct', () => {
  // Each document's deepest container is at level 3: accepted at maxDepth 3, refused at 2.
  const cases: Array<[string, string, number]> = [
    ['an inline value after key:', 'a: [[1]]', 1],
    ['a - item of an array block', 'a:\n    - [1]', 2],
    ['a block below a - item', 'a:\n    -\n        1', 3],
    ['a comma-separated array block', 'a:\n    [1], 2', 2],
    ['a row of a typed table after =', 'a: table{i32} = [([1])]', 1],
    ['a row of a typed table below it', 'a: table{i32}\n    [1]', 2],
    ['a row of a named table below it', 't |c|\n    [1]', 2],
    ['a row of a named table on its line', 't |c| [1]', 1],
  ];
  for (const [what, text, line] of cases) {
    it(`${what}: ${JSON.stringify(text)}`, () => {
      expect(() => parseSdn(text, { maxDepth: 3 })).not.toThrow();
      let caught: unknown;
      try {
        parseSdn(text, { maxDepth: 2 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SdnLimitError);
      expect((caught as SdnLimitError).line).toBe(line);
      expect((caught as SdnLimitError).message).toContain('nesting too deep');
    });
  }
});

describe('writing: the hard depth limit through each construct', () => {
  const arrays = (n: number): SdnValue => {
    let v: SdnValue = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };
  const table = { fields: ['c'], rows: [[1]] };
  const tooDeep = 'nested deeper than 1000 levels (or cyclic)';
  const deep = (prefix: string, n: number) => prefix + '[0]'.repeat(n);

  it('a table is one level: arrays in a cell reach level 1000 at 998 deep', () => {
    const doc = (n: number) => m([['t', { fields: ['c'], rows: [[arrays(n)]] }]]);
    expect(stringifySdn(doc(998))).toBe(`t |c|\n    ${'['.repeat(998)}1${']'.repeat(998)}\n`);
    expect(refusal(doc(999))).toEqual({ path: deep('t.rows[0][0]', 998), reason: tooDeep });
  });

  it('an inline dict is one level', () => {
    const doc = (n: number) => m([['a', [m([['k', arrays(n)]])]]]);
    expect(stringifySdn(doc(997))).toBe(`a = [{k: ${'['.repeat(997)}1${']'.repeat(997)}}]\n`);
    expect(refusal(doc(998))).toEqual({ path: deep('a[0].k', 997), reason: tooDeep });
  });

  it('an array written as a block (it holds a table) is one level, and so is each item', () => {
    const doc = (n: number) => m([['a', [arrays(n), m([['t', table]])]]]);
    expect(stringifySdn(doc(998)).split('\n')[1]).toBe(`    - ${'['.repeat(998)}1${']'.repeat(998)}`);
    expect(refusal(doc(999))).toEqual({ path: deep('a[0]', 998), reason: tooDeep });
  });

  it('arrays of blocks nest one level each', () => {
    const doc = (n: number) => {
      let v: SdnValue = [m([['t', table]])];
      for (let i = 0; i < n; i++) v = [v];
      return m([['a', v]]);
    };
    expect(stringifySdn(doc(997)).split('\n').length).toBe(997 + 5);
    expect(refusal(doc(998))).toEqual({ path: deep('a', 999), reason: tooDeep });
  });

  it('a dict item of a block array is one level, and its entries one more', () => {
    const doc = (n: number) => m([['a', [m([['t', table], ['x', arrays(n)]])]]]);
    expect(stringifySdn(doc(997)).endsWith(`        x = ${'['.repeat(997)}1${']'.repeat(997)}\n`)).toBe(true);
    expect(refusal(doc(998)).reason).toBe(tooDeep);
  });

  it('an item after the one that makes the array a block is measured before it is written', () => {
    // The search for a table stops at the first one, so the later item is measured on its own
    // and refused under its own path.
    const doc = (n: number) => m([['a', [m([['t', table]]), arrays(n)]]]);
    expect(stringifySdn(doc(998)).endsWith(`    - ${'['.repeat(998)}1${']'.repeat(998)}\n`)).toBe(true);
    expect(refusal(doc(999))).toEqual({ path: 'a[1]', reason: tooDeep });
  });
});
