/**
 * The loops of src/compiler/lower/function.ts (`while`, `forRange`, `forEach`) where their
 * results alone do not show a wrong lowering: a poll for a collection where nothing allocates,
 * counted under GC stress (the allocator asks for a collection after every allocation, and a
 * safepoint then collects at once); and the spill slot that holds an iterated array handed back
 * after its loop, seen in the frame's size.
 */
import { describe, expect, it } from 'vitest';
import { SHADOW_BYTES, frameLoader, framesOf } from './frame-probe.js';
import { loadSource } from './run-source.js';

/** `run(n)` of `lines` under GC stress: its result, the collections it made and the blocks they freed. */
function stressed(lines: string[], n: bigint): { value: unknown; collections: number; freed: number } {
  const p = loadSource(lines.join('\n') + '\n', { gcStress: true });
  const before = p.loader.stats().memory.gc;
  const value = p.fn('run')(n);
  const after = p.loader.stats().memory.gc;
  return { value, collections: after.collections - before.collections, freed: after.blocksFreed - before.blocksFreed };
}

describe('no poll in a loop that allocates nothing', () => {
  it('a while loop in a function without a frame, entered with a collection asked for', () => {
    // `run` allocates the literal (under stress that asks for a collection) and hands it to
    // `total`, which reaches no safepoint and so has no frame: nothing roots the array while
    // `total` reads it. A poll at the top of its loop would collect and free it mid-loop.
    const src = [
      'fn total(xs: [i64]) -> i64:',
      '    var i = 0',
      '    var t = 0',
      '    while i < xs.len():',
      '        t += xs[i]',
      '        i += 1',
      '    t',
      '',
      'fn run(n: i64) -> i64:',
      '    total([1, 2, n])',
    ];
    // The one collection is `run`'s poll on entry, before the literal.
    expect(stressed(src, 3n)).toEqual({ value: 6n, collections: 1, freed: 0 });
  });

  it('a range loop and an array loop in a function without a frame', () => {
    // As above: the literal is held by nothing the collector sees while `total` runs.
    const src = [
      'fn total(xs: [i64]) -> i64:',
      '    var t = 0',
      '    for i in 0..xs.len():',
      '        t += xs[i]',
      '    for i in 0..=1:',
      '        t += xs[i]',
      '    for x in xs:',
      '        t += x',
      '    t',
      '',
      'fn run(n: i64) -> i64:',
      '    total([1, 2, n])',
    ];
    expect(stressed(src, 3n)).toEqual({ value: 15n, collections: 1, freed: 0 });
  });
});

describe('an iterated array rooted for its loop only', () => {
  it('two loops over literals one after the other share one spill slot', () => {
    // Each body allocates, so each literal is rooted while its loop runs; `p` has no pointer
    // local, so its frame is the spill slots alone.
    const src = [
      'fn p(n: i64) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    var t = 0',
      '    for x in [n, n + 1]:',
      '        t += "{x}".len()',
      '    for x in [n, n + 2]:',
      '        t += "{x}".len()',
      '    p(n - 1) + t',
      '',
    ].join('\n');
    expect(framesOf(frameLoader(src), 'p')).toBe(SHADOW_BYTES / 4);
  });
});
