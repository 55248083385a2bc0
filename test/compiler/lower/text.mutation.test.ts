/**
 * Text interpolation (src/compiler/lower/text.ts): the parts are joined left to right, and
 * every intermediate text and every converted number is freed as soon as it is joined, while
 * literals and text values (static or shared) never are. Counted with the allocator's own
 * statistics, on a second call (the first may allocate once for the runtime's own use).
 */
import { describe, expect, it } from 'vitest';
import { loadSource, printed } from './run-source.js';

describe('interpolation frees exactly what it made', () => {
  // Compiled inside each test: mutation testing switches its mutant on per test, not while the
  // file is collected.
  const source = (
    [
      'fn mixed(x: i64) -> i64:',
      '    "a{x}b{x}".len()', // 2 conversions, 3 joins; frees both conversions and the 2 intermediate joins
      'fn flags(x: f64, b: bool) -> i64:',
      '    "{b}{x}".len()', // bool text is static: 1 conversion, 1 join, frees the conversion
      'fn alone(x: i64) -> i64:',
      '    "{x}".len()', // 1 conversion, no join, nothing freed (it is the result)
      'fn shared(x: u64) -> i64:',
      '    val t = "zz"',
      '    "{x}{t}!".len()', // 1 conversion, 2 joins; frees the conversion (as the first part) and one join
      'fn texts() -> i64:',
      '    val t = "abc"',
      '    val u = "{t}{t}"',
      '    "{u}{t}".len()', // joins of text values only: 2 joins, nothing freed
      '',
    ].join('\n'));
  const counted = (name: string, ...args: unknown[]) => {
    const p = loadSource(source);
    p.fn(name)(...args);
    const before = p.loader.stats().memory;
    const value = p.fn(name)(...args);
    const after = p.loader.stats().memory;
    return { value, allocations: after.allocations - before.allocations, frees: after.frees - before.frees };
  };

  it('numbers and literals', () => {
    expect(counted('mixed', 12n)).toEqual({ value: 6n, allocations: 5, frees: 4 });
    expect(counted('alone', -123n)).toEqual({ value: 4n, allocations: 1, frees: 0 });
  });
  it('a bool part is static text: only the number’s conversion is freed', () => {
    expect(counted('flags', 0.5, true)).toEqual({ value: 7n, allocations: 2, frees: 1 });
  });
  it('a converted first part is freed once joined; text values are never freed', () => {
    expect(counted('shared', 18446744073709551615n)).toEqual({ value: 23n, allocations: 3, frees: 2 });
    expect(counted('texts')).toEqual({ value: 9n, allocations: 2, frees: 0 });
  });
});

describe('interpolation of every kind of part', () => {
  it('each integer width and signedness, both floats, bool and text', () => {
    const src = [
      'fn main():',
      '    val a: i8 = -128',
      '    val b: u8 = 255',
      '    val c: i16 = -32768',
      '    val d: u16 = 65535',
      '    val e: i32 = -2147483648',
      '    val f: u32 = 4294967295',
      '    val g: i64 = -9223372036854775808',
      '    val h: u64 = 18446744073709551615',
      '    val x: f32 = 0.1',
      '    val y: f64 = 0.1',
      '    print("{a} {b} {c} {d}")',
      '    print("{e} {f}")',
      '    print("{g} {h}")',
      '    print("{x} {y} {true} {false} {"t"}")',
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['-128 255 -32768 65535', '-2147483648 4294967295', '-9223372036854775808 18446744073709551615', '0.1 0.1 true false t']);
  });

  it('a part that collects: the text built so far survives it (collections at every safepoint)', () => {
    const src = [
      'fn noisy(n: i64) -> i64:',
      '    var xs: [text] = []',
      '    for i in 0..n:',
      '        xs.push("garbage {i}")',
      '    n',
      'fn main():',
      '    val k: i64 = 41',
      '    val s = "{k}-{noisy(3)}-{k + 1}-{noisy(2)}"',
      '    print(s)',
      '    print("{s}|{noisy(1)}")',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['41-3-42-2', '41-3-42-2|1']);
  });
});
