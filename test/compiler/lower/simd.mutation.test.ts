/**
 * SIMD lowering (src/compiler/lower/simd.ts, operators.ts): every lane-wise operator on every
 * vector type, each lane read back. Unary minus on f64x2, i32x4 and i64x2 and `+` on f64x2 had
 * no program at all; a wrong instruction there would have gone unseen.
 */
import { describe, expect, it } from 'vitest';
import { printed } from './run-source.js';

const lanes = (v: string, n: number): string => Array.from({ length: n }, (_, i) => `    print(${v}[${i}])`).join('\n');

describe('unary minus, lane by lane', () => {
  it('f32x4 and f64x2: the sign flips, zero included, and NaN stays NaN', () => {
    const src = ['fn main():', '    val a = -f32x4(1.5, -2.0, 0.0, -0.0)', lanes('a', 4), '    val b = -f64x2(0.25, -3.5)', lanes('b', 2), '    val c = -f64x2(0.0, 0.0 / 0.0)', lanes('c', 2), ''].join('\n');
    expect(printed(src)).toEqual(['-1.5', '2.0', '-0.0', '0.0', '-0.25', '3.5', '-0.0', 'NaN']);
  });

  it('i32x4 and i64x2: two’s complement, MIN wraps to itself', () => {
    const src = [
      'fn main():',
      '    val a = -i32x4(1, -2, 2147483647, -2147483648)',
      lanes('a', 4),
      '    val b = -i64x2(9223372036854775807, -9223372036854775808)',
      lanes('b', 2),
      '    val c = -i64x2(0, -5)',
      lanes('c', 2),
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['-1', '2', '-2147483647', '-2147483648', '-9223372036854775807', '-9223372036854775808', '0', '5']);
  });

  it('a negated parameter (the operand is not a literal the compiler could fold)', () => {
    const src = ['fn neg(v: i64x2) -> i64x2:', '    -v', '', 'fn main():', '    val v = neg(i64x2(3, -4))', lanes('v', 2), '    print(neg(neg(v)).sum())', ''].join('\n');
    expect(printed(src)).toEqual(['-3', '4', '1']);
  });
});

describe('binary operators on every vector type', () => {
  it('f64x2: + - * / per lane', () => {
    const src = [
      'fn main():',
      '    val a = f64x2(0.5, 10.0)',
      '    val b = f64x2(0.25, -4.0)',
      '    val s = a + b',
      lanes('s', 2),
      '    val d = a - b',
      lanes('d', 2),
      '    val m = a * b',
      lanes('m', 2),
      '    val q = a / b',
      lanes('q', 2),
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['0.75', '6.0', '0.25', '14.0', '0.125', '-40.0', '2.0', '-2.5']);
  });

  it('f32x4: + - * / per lane, in single precision', () => {
    const src = ['fn main():', '    val a = f32x4(0.1, 1.0, 3.0, 16777216.0)', '    val b = f32x4(0.2, 3.0, -0.5, 1.0)', '    val s = a + b', lanes('s', 4), '    val d = a - b', lanes('d', 4), '    val m = a * b', lanes('m', 4), '    val q = a / b', lanes('q', 4), ''].join('\n');
    // f32: 0.1 + 0.2 is 0.3 exactly as f32 prints it; 2^24 + 1 rounds back to 2^24.
    expect(printed(src)).toEqual([
      '0.3', '4.0', '2.5', '16777216.0',
      '-0.1', '-2.0', '3.5', '16777215.0',
      '0.020000001', '3.0', '-1.5', '16777216.0',
      '0.5', '0.33333334', '-6.0', '16777216.0',
    ]);
  });

  it('i32x4 and i64x2: + - * wrap per lane', () => {
    const src = [
      'fn main():',
      '    val a = i32x4(2147483647, -2147483648, 7, 65536)',
      '    val b = i32x4(1, 1, -3, 65536)',
      '    val s = a + b',
      lanes('s', 4),
      '    val d = a - b',
      lanes('d', 4),
      '    val m = a * b',
      lanes('m', 4),
      '    val x = i64x2(9223372036854775807, 4294967296)',
      '    val y = i64x2(1, 4294967296)',
      '    val t = x + y',
      lanes('t', 2),
      '    val u = x - y',
      lanes('u', 2),
      '    val v = x * y',
      lanes('v', 2),
      '',
    ].join('\n');
    expect(printed(src)).toEqual([
      '-2147483648', '-2147483647', '4', '131072',
      '2147483646', '2147483647', '10', '0',
      '2147483647', '-2147483648', '-21', '0',
      '-9223372036854775808', '8589934592',
      '9223372036854775806', '0',
      '9223372036854775807', '0',
    ]);
  });
});
