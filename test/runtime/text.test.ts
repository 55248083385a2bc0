import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FALSE_TEXT, TRUE_TEXT } from '../../src/runtime/memory-layout.js';
import { testRuntime, thrown } from './helpers.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Strings that share long prefixes, so comparisons run past the 8-byte fast path. */
const textPair = fc.oneof(
  fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })),
  fc
    .tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }))
    .map(([p, a, b]) => [p + a, p + b] as [string, string]),
  fc.string({ unit: 'grapheme' }).map((s) => [s, s] as [string, string]),
);

describe('text', () => {
  it('round-trips UTF-8 through writeText and readText', () => {
    const { rt } = testRuntime();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(rt.readText(rt.writeText(s))).toBe(s);
      }),
    );
  });

  it('concatenates, including multi-byte characters', () => {
    const { rt } = testRuntime();
    const cat = (a: string, b: string): string =>
      rt.readText(rt.imports.text_concat(rt.writeText(a), rt.writeText(b), 0));
    expect(cat('héllo, ', 'wörld 🌍')).toBe('héllo, wörld 🌍');
    expect(cat('', 'x')).toBe('x');
    expect(cat('', '')).toBe('');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(cat(a, b)).toBe(a + b);
      }),
    );
  });

  it('concat always returns a new object, so temporaries can be freed', () => {
    const { rt } = testRuntime();
    const empty = rt.writeText('');
    const a = rt.writeText('abc');
    const r = rt.imports.text_concat(a, empty, 0) >>> 0;
    expect(r).not.toBe(a);
    rt.free(r);
    expect(rt.readText(a)).toBe('abc');
  });

  it('traps with out of memory when the result cannot be allocated', () => {
    const { rt, site } = testRuntime({ maximumPages: 4 });
    const big = rt.alloc(100_000);
    new DataView(rt.memory.buffer).setUint32(big, 99_000, true);
    expect(thrown(() => rt.imports.text_concat(big, big, site('join')))).toMatchObject({
      code: 'TRAP_OUT_OF_MEMORY',
      message: "out of memory (requested 198004 bytes) in function 'join'",
    });
  });

  it('compares byte-wise, like Buffer.compare (property)', () => {
    const { rt } = testRuntime();
    fc.assert(
      fc.property(textPair, ([a, b]) => {
        const expected = Buffer.compare(Buffer.from(a), Buffer.from(b));
        const pa = rt.writeText(a);
        const pb = rt.writeText(b);
        expect(rt.imports.text_cmp(pa, pb)).toBe(expected);
        expect(rt.imports.text_cmp(pb, pa)).toBe(expected === 0 ? 0 : -expected);
        expect(rt.imports.text_eq(pa, pb)).toBe(expected === 0 ? 1 : 0);
        rt.free(pa);
        rt.free(pb);
      }),
      { numRuns: 300 },
    );
  });

  it('compares raw bytes, including bytes above 0x7f in every position of a word', () => {
    const { rt } = testRuntime();
    const put = (bytes: Uint8Array): number => {
      const p = rt.alloc(4 + bytes.length);
      new DataView(rt.memory.buffer).setUint32(p, bytes.length, true);
      new Uint8Array(rt.memory.buffer, p + 4, bytes.length).set(bytes);
      return p;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.nat(), (a, tail, cut) => {
        // b: a copy of a that differs from position `cut` on, or is a prefix of it.
        const k = a.length === 0 ? 0 : cut % (a.length + 1);
        const b = new Uint8Array([...a.subarray(0, k), ...tail]);
        expect(rt.imports.text_cmp(put(a), put(b))).toBe(sign(Buffer.compare(a, b)));
      }),
      { numRuns: 300 },
    );
    expect(rt.imports.text_cmp(put(Uint8Array.of(0x80)), put(Uint8Array.of(0x7f)))).toBe(1);
    expect(rt.imports.text_cmp(put(new Uint8Array(9).fill(0xff)), put(new Uint8Array(9).fill(0xff)))).toBe(0);
  });

  it('orders a proper prefix first', () => {
    const { rt } = testRuntime();
    const cmp = (a: string, b: string): number => rt.imports.text_cmp(rt.writeText(a), rt.writeText(b));
    expect(cmp('abc', 'abcd')).toBe(-1);
    expect(cmp('abcdefghij', 'abcdefgh')).toBe(1);
    expect(cmp('', '')).toBe(0);
    expect(cmp('', 'a')).toBe(-1);
    expect(cmp('b', 'abc')).toBe(1);
  });

  it('formats i64 like BigInt#toString (property and edges)', () => {
    const { rt } = testRuntime();
    const fmt = (v: bigint): string => {
      const p = rt.imports.text_from_i64(v, 0);
      const s = rt.readText(p);
      rt.free(p);
      return s;
    };
    for (const v of [0n, 1n, -1n, 9n, 10n, -10n, I64_MIN, I64_MIN + 1n, I64_MAX]) expect(fmt(v)).toBe(v.toString());
    fc.assert(fc.property(fc.bigInt({ min: I64_MIN, max: I64_MAX }), (v) => {
        expect(fmt(v)).toBe(v.toString());
      }), {
      numRuns: 500,
    });
  });

  it('formats u64 like BigInt#toString (property and edges)', () => {
    const { rt } = testRuntime();
    const fmt = (v: bigint): string => rt.readText(rt.imports.text_from_u64(v, 0));
    for (const v of [0n, 1n, 2n ** 63n, 2n ** 63n - 1n, 10n ** 19n, U64_MAX]) expect(fmt(v)).toBe(v.toString());
    // The same bits passed as a signed i64 read back as unsigned.
    expect(fmt(-1n)).toBe(U64_MAX.toString());
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (v) => {
        expect(fmt(v)).toBe(v.toString());
      }), {
      numRuns: 500,
    });
  });

  it('returns the runtime static texts for bool', () => {
    const { rt } = testRuntime();
    expect(rt.imports.text_from_bool(1)).toBe(TRUE_TEXT);
    expect(rt.imports.text_from_bool(0)).toBe(FALSE_TEXT);
    expect(rt.imports.text_from_bool(7)).toBe(TRUE_TEXT);
    expect(rt.readText(TRUE_TEXT)).toBe('true');
    expect(rt.readText(FALSE_TEXT)).toBe('false');
    // Freeing them is harmless.
    rt.free(TRUE_TEXT);
    expect(rt.readText(rt.imports.text_from_bool(1))).toBe('true');
  });

  it('formats floats in the host', () => {
    const { rt } = testRuntime();
    const f64 = (x: number): string => rt.readText(rt.imports.text_from_f64(x, 0));
    const f32 = (x: number): string => rt.readText(rt.imports.text_from_f32(Math.fround(x), 0));
    expect(f64(5)).toBe('5.0');
    expect(f64(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(f64(-0)).toBe('-0.0');
    expect(f64(NaN)).toBe('NaN');
    expect(f64(-Infinity)).toBe('-inf');
    expect(f64(1e21)).toBe('1e21');
    expect(f32(0.1)).toBe('0.1');
    expect(f32(1 / 3)).toBe('0.33333334');
  });

  it('float text allocation traps with out of memory, naming the function', () => {
    const { rt, site } = testRuntime({ initialPages: 1, maximumPages: 1 });
    const s = site('show');
    expect(() => {
      for (;;) rt.imports.text_from_f64(Math.PI, s);
    }).toThrow("out of memory (requested 21 bytes) in function 'show'");
  });
});
