/**
 * The built-ins as compiled code (src/compiler/lower/builtins.ts): print of every type, push
 * with and without room in the buffer, pop of every element size, lengths, SIMD splat and sum.
 */
import { describe, expect, it } from 'vitest';
import { printed, runSource } from './run-source.js';

describe('push and pop of every element type', () => {
  const types: Array<[string, string, string, string]> = [
    // type, a value, another value, how the second prints
    ['i8', '-128', '-1', '-1'],
    ['u8', '255', '254', '254'],
    ['i16', '-32768', '-300', '-300'],
    ['u16', '65535', '65534', '65534'],
    ['i32', '-2147483648', '-7', '-7'],
    ['u32', '4294967295', '4294967294', '4294967294'],
    ['i64', '-9223372036854775808', '-9', '-9'],
    ['u64', '18446744073709551615', '18446744073709551614', '18446744073709551614'],
    ['f32', '0.1', '-2.5', '-2.5'],
    ['f64', '0.1', '-0.0', '-0.0'],
    ['bool', 'true', 'false', 'false'],
    ['text', '"a"', '"bé"', 'bé'],
  ];
  for (const [t, a, b, shown] of types) {
    it(`[${t}]: pushed past the first buffer, read back, popped in reverse`, () => {
      const src = [
        'fn main():',
        `    var xs: [${t}] = []`,
        '    for i in 0..9:',
        `        xs.push(${a})`,
        `    xs.push(${b})`,
        '    print(xs.len())',
        '    print(xs[9])',
        '    print(xs[8])',
        '    print(xs.pop())',
        '    print(xs.len())',
        '    print(xs.pop())',
        '    print(xs[0])',
        '    print(xs.len())',
        '',
      ].join('\n');
      const first = a.replace(/"/g, '');
      expect(printed(src, { gcStress: t === 'text' })).toEqual(['10', shown, first, shown, '9', first, first, '8']);
    });
  }

  it('vectors, tuples and structs as elements', () => {
    const src = [
      'struct P:',
      '    a: i8',
      '    b: text',
      'fn main():',
      '    var vs: [i64x2] = []',
      '    for i in 0..5:',
      '        vs.push(i64x2(i, -i))',
      '    val v = vs.pop()',
      '    print(v[0])',
      '    print(v[1])',
      '    print(vs.len())',
      '    var ts = [(1, "x")]',
      '    ts.push((2, "y"))',
      '    val t = ts.pop()',
      '    print("{t.0}{t.1}{ts.len()}")',
      '    var ps: [P] = []',
      '    for i in 0..6:',
      '        ps.push(P(a: -1, b: "p{i}"))',
      '    print(ps.pop().b)',
      '    print(ps[4].b)',
      '    print(ps[0].a)',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['4', '-4', '4', '2y1', 'p5', 'p4', '-1']);
  });

  it('pop of an empty array traps naming the function', () => {
    const r = runSource('fn take(xs: [u16]) -> u16:\n    xs.pop()\nfn main():\n    var xs: [u16] = [1]\n    print(take(xs))\n    print(take(xs))\n');
    expect(r.stdout).toBe('1\n');
    expect(r.exit).toBe(3);
    expect(r.trap).toBe("pop on an empty array in function 'take'");
  });
});

describe('lengths, print, SIMD splat and sum', () => {
  it('text.len counts bytes; array.len counts elements', () => {
    expect(printed('fn main():\n    val t = "héllo"\n    print(t.len())\n    val xs: [u8] = [1, 2, 3]\n    print(xs.len())\n    print("".len())\n')).toEqual(['6', '3', '0']);
  });

  it('print of every integer width, both floats and bool', () => {
    const src = [
      'fn main():',
      '    val a: i8 = -1',
      '    val b: u8 = 255',
      '    val c: i16 = -1',
      '    val d: u16 = 65535',
      '    val e: i32 = -1',
      '    val f: u32 = 4294967295',
      '    val g: i64 = -1',
      '    val h: u64 = 18446744073709551615',
      '    val x: f32 = 16777217.0',
      '    val y: f64 = 16777217.0',
      '    print(a)', '    print(b)', '    print(c)', '    print(d)', '    print(e)', '    print(f)', '    print(g)', '    print(h)',
      '    print(x)', '    print(y)', '    print(a < 0)',
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['-1', '255', '-1', '65535', '-1', '4294967295', '-1', '18446744073709551615', '16777216.0', '16777217.0', 'true']);
  });

  it('splat fills every lane and sum adds every lane, for each vector type', () => {
    const src = [
      'fn main():',
      '    print(f32x4.splat(0.5).sum())',
      '    print(f64x2.splat(0.25).sum())',
      '    print(i32x4.splat(-3).sum())',
      '    print(i64x2.splat(4611686018427387904).sum())',
      '    print(i32x4(1, 10, 100, 1000).sum())',
      '    print(i64x2(1, 10).sum())',
      '    print(f64x2(1.5, 10.0).sum())',
      '    print(f32x4(1.0, 10.0, 100.0, 1000.0).sum())',
      '    val v = i32x4.splat(7)',
      '    print("{v[0]} {v[1]} {v[2]} {v[3]}")',
      '    val w = f64x2.splat(-1.5)',
      '    print("{w[0]} {w[1]}")',
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['2.0', '0.5', '-12', '-9223372036854775808', '1111', '11', '11.5', '1111.0', '7 7 7 7', '-1.5 -1.5']);
  });
});
