/**
 * Where the lowering of a function (src/compiler/lower/function.ts) polls for a collection: on
 * entry to a function that allocates, and at the top of every loop whose body (or, for `while`,
 * whose condition) allocates. Under GC stress the allocator asks for a collection after every
 * allocation and a safepoint collects at once, so the number of collections counts the
 * safepoints reached with an allocation before them — one fewer poll and garbage piles up until
 * the next one, which this count shows exactly.
 */
import { describe, expect, it } from 'vitest';
import { loadSource } from './run-source.js';

/** `run(n)` of `body` under GC stress: its result and the collections it made. */
function collections(lines: string[], n: bigint): { value: unknown; collections: number } {
  const p = loadSource(lines.join('\n') + '\n', { gcStress: true });
  const before = p.loader.stats().memory.gc.collections;
  const value = p.fn('run')(n);
  return { value, collections: p.loader.stats().memory.gc.collections - before };
}

describe('a safepoint at the top of each loop that allocates', () => {
  it('a while loop whose condition alone allocates', () => {
    const src = ['fn run(n: i64) -> i64:', '    var i = 0', '    while "{i}".len() < 5 and i < n:', '        i += 1', '    i'];
    // The first collection is on entry (what loading the program allocated); then one at the top
    // after each of the n conditions that went on (the last one's text is left for later).
    expect(collections(src, 50n)).toEqual({ value: 50n, collections: 51 });
  });

  it('a range loop whose body allocates', () => {
    const src = ['fn run(n: i64) -> i64:', '    var t = 0', '    for i in 0..n:', '        t += "{i}".len()', '    t'];
    // On entry, then at the top after each of the n steps.
    expect(collections(src, 50n)).toEqual({ value: 90n, collections: 51 });
  });

  it('an inclusive range loop whose body allocates', () => {
    const src = ['fn run(n: i64) -> i64:', '    var t = 0', '    for i in 1..=n:', '        t += "{i}".len()', '    t'];
    // The last step leaves before going back to the top: one fewer than the exclusive loop.
    expect(collections(src, 50n)).toEqual({ value: 91n, collections: 50 });
  });

  it('an array loop whose body allocates', () => {
    const src = ['fn run(n: i64) -> i64:', '    var t = 0', '    for x in [5, 50, 500, 5000, n]:', '        t += "{x}".len()', '    t'];
    // On entry, at the top the first time (the literal was allocated), then after each element.
    expect(collections(src, 123n)).toEqual({ value: 13n, collections: 7 });
  });
});

describe('a safepoint on entry to a function that allocates', () => {
  it('is reached once per call, from a caller whose loop does not allocate', () => {
    const src = ['fn f(i: i64) -> i64:', '    "{i}".len()', '', 'fn run(n: i64) -> i64:', '    var t = 0', '    for i in 0..n:', '        t += f(i)', '    t'];
    // `run` itself allocates nothing: the polls are f's, one per call.
    expect(collections(src, 50n)).toEqual({ value: 90n, collections: 50 });
  });
});
