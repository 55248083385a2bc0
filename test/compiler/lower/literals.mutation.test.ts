/**
 * Array literals (src/compiler/lower/literals.ts) are laid out as the runtime's `array_new` lays
 * out an array: elements of at most ARRAY_HEADER.inlineMax (128) bytes share the header's block
 * (`data` = header + inlineData), larger ones get a buffer of their own. No program had a literal
 * past the edge, so its whole path (`array_new` from compiled code) went untested.
 */
import { describe, expect, it } from 'vitest';
import { ARRAY_HEADER } from '../../../src/compiler/layout.js';
import { loadSource, printed } from './run-source.js';

const ints = (n: number): string => Array.from({ length: n }, (_, i) => String(i + 1)).join(', ');

describe('an array literal at the inline edge', () => {
  // 16 i64 and 128 u8 are 128 bytes; 17 i64 and 129 u8 are one element more.
  const source = [
    `fn i64_at() -> [i64]:`,
    `    [${ints(16)}]`,
    `fn i64_past() -> [i64]:`,
    `    [${ints(17)}]`,
    `fn u8_at() -> [u8]:`,
    `    [${ints(128)}]`,
    `fn u8_past() -> [u8]:`,
    `    [${ints(129)}]`,
    '',
  ].join('\n');

  it('the last size that fits shares the header’s block; one element more has a buffer of its own', () => {
    const p = loadSource(source);
    const header = (name: string) => {
      const { ptr } = p.fn(name)() as { ptr: number };
      return { ...p.loader.runtime.readArrayHeader(ptr), offset: p.loader.runtime.readArrayHeader(ptr).data - ptr };
    };
    const at = header('i64_at');
    expect(at).toMatchObject({ length: 16, capacity: 16, offset: ARRAY_HEADER.inlineData });
    const past = header('i64_past');
    expect(past).toMatchObject({ length: 17, capacity: 17 });
    expect(past.offset).not.toBe(ARRAY_HEADER.inlineData);
    expect(header('u8_at')).toMatchObject({ length: 128, capacity: 128, offset: ARRAY_HEADER.inlineData });
    const u8past = header('u8_past');
    expect(u8past).toMatchObject({ length: 129, capacity: 129 });
    expect(u8past.offset).not.toBe(ARRAY_HEADER.inlineData);
  });

  it('an empty literal gets room for ARRAY_HEADER.minCapacity pushes in the header’s block, as array_new gives it', () => {
    const p = loadSource('fn empty() -> [i64]:\n    []\nfn grown() -> i64:\n    var xs: [i64] = []\n    for i in 0..4:\n        xs.push(i)\n    xs[3]\n');
    const { ptr } = p.fn('empty')() as { ptr: number };
    const h = p.loader.runtime.readArrayHeader(ptr);
    expect({ ...h, offset: h.data - ptr }).toEqual({ length: 0, capacity: ARRAY_HEADER.minCapacity, data: ptr + ARRAY_HEADER.inlineData, offset: ARRAY_HEADER.inlineData });
    // Filling that room allocates nothing more.
    p.fn('grown')();
    const before = p.loader.stats().memory.allocations;
    expect(p.fn('grown')()).toBe(3n);
    expect(p.loader.stats().memory.allocations - before).toBe(1);
  });

  it('a literal past the edge holds its elements, grows by push and survives collections', () => {
    const src = [
      'fn main():',
      `    var xs: [i64] = [${ints(17)}]`,
      '    var sum: i64 = 0',
      '    for x in xs:',
      '        sum += x',
      '    print(sum)',
      '    xs.push(100)',
      '    print(xs.len())',
      '    print(xs[16])',
      '    print(xs[17])',
      `    val ts = [${Array.from({ length: 40 }, (_, i) => `"t${i}"`).join(', ')}]`,
      '    var all = ""',
      '    for t in ts:',
      '        all = all + t',
      '    print(all.len())',
      '    print(ts[39])',
      `    val bs: [u8] = [${ints(129)}]`,
      '    print(bs[128])',
      '    print(bs.len())',
      '',
    ].join('\n');
    const expected = ['153', '18', '17', '100', String(10 * 2 + 30 * 3), 't39', '129', '129'];
    expect(printed(src)).toEqual(expected);
    expect(printed(src, { gcStress: true })).toEqual(expected);
  });
});
