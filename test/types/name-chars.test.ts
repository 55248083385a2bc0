// Names in type syntax and symbols: ASCII told by code unit, the rest by Unicode class.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameEnd, namePartAt, nameStartAt } from '../../src/types/name-chars.js';
import { demangle, isTypeName, mangle } from '../../src/types/index.js';

const START = /[\p{L}_]/u;
const PART = /[\p{L}\p{N}_]/u;

describe('name characters', () => {
  it('agree with the Unicode classes for every ASCII character and the edges of the letter and digit ranges', () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      expect([c, nameStartAt(ch, 0)]).toEqual([c, START.test(ch) ? 1 : 0]);
      expect([c, namePartAt(ch, 0)]).toEqual([c, PART.test(ch) ? 1 : 0]);
    }
  });

  it('agree with the Unicode classes for any code point, astral ones as two code units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x80, max: 0x10ffff }).filter((cp) => cp < 0xd800 || cp > 0xdfff), (cp) => {
        const ch = String.fromCodePoint(cp);
        expect(nameStartAt(ch, 0)).toBe(START.test(ch) ? ch.length : 0);
        expect(namePartAt(ch, 0)).toBe(PART.test(ch) ? ch.length : 0);
      }),
      { numRuns: 2000 },
    );
    expect(namePartAt('\ud835', 0)).toBe(0); // a lone surrogate is no character of a name
  });

  it('find where a name ends, cut at a limit', () => {
    expect(nameEnd('ab_9 x', 0)).toBe(4);
    expect(nameEnd('9ab', 0)).toBe(0);
    expect(nameEnd('x𝑥²<', 0)).toBe(4); // 𝑥 is two code units
    expect(nameEnd('abcdef', 1, 3)).toBe(3);
    expect(nameEnd('abc', 3)).toBe(3);
  });

  it('keep type names and symbol bases to the same rule', () => {
    expect(['Pair', '_T', 'Größe', '𝑥'].map(isTypeName)).toEqual([true, true, true, true]);
    expect(['', '1T', 'a-b', 'T!'].map(isTypeName)).toEqual([false, false, false, false]);
    const i64 = demangle('f$i64').args[0];
    expect(demangle(mangle('ns.f²', [i64]))).toEqual({ base: 'ns.f²', args: [i64] });
    expect(() => demangle('f-g$i64')).toThrow(/character "-" is not allowed in a symbol name/);
  });
});
