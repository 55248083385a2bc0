import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatF32, formatF64 } from '../../src/runtime/format.js';

describe('number formatting', () => {
  it('prints f64 in the shortest round-trip form with .0 when integral', () => {
    expect(formatF64(5)).toBe('5.0');
    expect(formatF64(0.1)).toBe('0.1');
    expect(formatF64(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatF64(-2.5)).toBe('-2.5');
    expect(formatF64(1e21)).toBe('1e21');
    expect(formatF64(1.5e-7)).toBe('1.5e-7');
    expect(formatF64(-0)).toBe('-0.0');
    expect(formatF64(NaN)).toBe('NaN');
    expect(formatF64(-Infinity)).toBe('-inf');
  });

  it('prints f32 values by their own shortest digits', () => {
    expect(formatF32(Math.fround(0.1))).toBe('0.1');
    expect(formatF32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(formatF32(Math.fround(16777216))).toBe('16777216.0');
    expect(formatF32(Math.fround(3.4028234663852886e38))).toBe('3.4028235e38');
  });

  it('reads back to the same value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Number(formatF64(x).replace('inf', 'Infinity'))).toBe(x);
      }),
    );
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        expect(Math.fround(Number(formatF32(x).replace('inf', 'Infinity')))).toBe(x);
      }),
    );
  });
});
