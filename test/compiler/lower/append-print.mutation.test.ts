/**
 * Printing a text local is a read that leaves it alone (src/compiler/lower/text-append.ts): a
 * local that is only appended to and printed still grows in place — a handful of blocks for a
 * thousand appends, not one each.
 */
import { describe, expect, it } from 'vitest';
import { loadSource } from './run-source.js';

describe('a printed text local is still appended in place', () => {
  it('1,000 appends, each printed, take a few dozen blocks', () => {
    const p = loadSource(['fn run(n: i64) -> i64:', '    var s = ""', '    for i in 0..n:', '        s += "x"', '        print(s.len())', '    print(s)', '    s.len()', ''].join('\n'));
    const before = p.loader.stats().memory.allocations;
    expect(p.fn('run')(1000n)).toBe(1000n);
    expect(p.loader.stats().memory.allocations - before).toBeLessThan(40);
    p.loader.runtime.flush();
    const lines = p.out.text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(lines[1000]).toBe('x'.repeat(1000));
  });
});
