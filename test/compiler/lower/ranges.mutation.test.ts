/**
 * Range loops (src/compiler/lower/function.ts `forRange`) compare their counter with the end
 * signed or unsigned as the type says. Ranges that cross 2^31 (u32) or 2^63 (u64) run only
 * with an unsigned compare, and ranges from a negative start only with a signed one, at both
 * widths, exclusive and inclusive.
 */
import { describe, expect, it } from 'vitest';
import { printed } from './run-source.js';

/** A `main` running each range over its type and printing its step count and last counter. */
function main(ranges: Array<[type: string, from: string, op: '..' | '..=', to: string]>): string {
  const body = ranges.flatMap(([type, from, op, to], i) => [
    `    var c${i} = 0`,
    `    var s${i}: ${type} = 0`,
    `    val lo${i}: ${type} = ${from}`,
    `    val hi${i}: ${type} = ${to}`,
    `    for k in lo${i}${op}hi${i}:`,
    `        c${i} += 1`,
    `        s${i} = k`,
    `    print("{c${i}} {s${i}}")`,
  ]);
  return ['fn main():', ...body, ''].join('\n');
}

describe('ranges compared by the sign of their type', () => {
  it('unsigned ranges across the sign bit run every step', () => {
    const src = main([
      ['u32', '2147483646', '..', '2147483650'],
      ['u32', '2147483646', '..=', '2147483650'],
      ['u64', '9223372036854775806', '..', '9223372036854775810'],
      ['u64', '9223372036854775806', '..=', '9223372036854775810'],
    ]);
    expect(printed(src)).toEqual(['4 2147483649', '5 2147483650', '4 9223372036854775809', '5 9223372036854775810']);
  });

  it('signed ranges from a negative start run every step', () => {
    const src = main([
      ['i32', '-2', '..', '2'],
      ['i32', '-2', '..=', '2'],
      ['i64', '-2', '..', '2'],
      ['i64', '-2', '..=', '2'],
    ]);
    expect(printed(src)).toEqual(['4 1', '5 2', '4 1', '5 2']);
  });

  it('a range whose start is past its end runs no step', () => {
    const src = main([
      ['u32', '2147483650', '..', '2147483646'],
      ['u32', '2147483650', '..=', '2147483646'],
      ['i64', '2', '..', '-2'],
      ['i64', '2', '..=', '-2'],
      ['i32', '3', '..', '3'],
      ['i32', '3', '..=', '3'],
    ]);
    expect(printed(src)).toEqual(['0 0', '0 0', '0 0', '0 0', '0 0', '1 3']);
  });
});
