/**
 * Which functions may reach a safepoint (src/compiler/lower/gc-facts.ts): those that allocate,
 * loops that allocate, and, to a fixpoint, functions that call one or call outside the unit. A
 * function that may not needs no frame, which shows as a recursion that never touches the shadow
 * stack (4 KiB here: 1,024 slots); one that may must root what it holds, which a collection at
 * every safepoint checks.
 */
import { describe, expect, it } from 'vitest';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { SimpleTrap, TextCapture } from '../../../src/runtime/index.js';
import { compileSource, loadSource, printed } from './run-source.js';

const SHADOW_BYTES = 4096;

function loaded(source: string): (name: string, ...args: unknown[]) => unknown {
  const l = new ModuleLoader({ output: new TextCapture(), memory: { maximumPages: 512, shadowStackBytes: SHADOW_BYTES }, jit: { updateSmf: false } });
  for (const c of compileSource(source)) {
    const r = l.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  return (name, ...args) => {
    const r = l.resolveSymbol(name);
    if (r.kind !== 'found') throw new Error(`${name}: ${r.kind}`);
    return r.call(...args);
  };
}

const overflows = (run: () => unknown): boolean => {
  try {
    run();
    return false;
  } catch (e) {
    if (e instanceof SimpleTrap && e.code === 'TRAP_STACK_OVERFLOW') return true;
    throw e;
  }
};

describe('functions that cannot collect have no frame', () => {
  it('a walk calling only functions of the unit that neither allocate nor call out; one that calls such a function through another has one', () => {
    // `walk` holds an array, but nothing it calls can collect: 3,000 levels and no frame. The
    // loops do not allocate, so their back-edges are no safepoints either.
    const src = [
      'fn first(t: [i64]) -> i64:',
      '    t[0]',
      'fn helper(t: [i64]) -> i64:',
      '    first(t) + 1',
      'fn walk(n: i64, t: [i64]) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    var k = 0',
      '    for x in t:',
      '        k += x',
      '    var i = 0',
      '    while i < 2:',
      '        i += 1',
      '    walk(n - 1, t) + helper(t) + k + i + t.len()',
      'fn start(n: i64) -> i64:',
      '    walk(n, [1, 2, 3])',
      // `deep` holds an array across a call that allocates: one slot a level, so 3,000 levels overflow.
      'fn alloc(n: i64) -> i64:',
      '    val s = "{n}"',
      '    s.len()',
      'fn deep(n: i64, t: [i64]) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    deep(n - 1, t) + alloc(n)',
      'fn deep_start(n: i64) -> i64:',
      '    deep(n, [1, 2, 3])',
      // `ra` calls `rb`, which calls `rc`, which calls `rd`, which allocates: the fixpoint finds
      // `rc`, then `rb` in a second round (the unit's order is ra, rb, rc, rd), and `ra` holds
      // its array across a call that may collect: a frame.
      'fn ra(n: i64, t: [i64]) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    ra(n - 1, t) + rb(n)',
      'fn rb(n: i64) -> i64:',
      '    rc(n) + 1',
      'fn rc(n: i64) -> i64:',
      '    rd(n)',
      'fn rd(n: i64) -> i64:',
      '    "{n}".len()',
      'fn ra_start(n: i64) -> i64:',
      '    ra(n, [1, 2, 3])',
      '',
    ].join('\n');
    const call = loaded(src);
    // Per level: helper 1 + 1, the loops 6 and 2, the length 3 (a builtin that allocates nothing).
    expect(call('start', 3000n)).toBe(3000n * 13n);
    expect(overflows(() => call('deep_start', 3000n))).toBe(true);
    expect(call('deep_start', 500n)).toBe(9n * 1n + 90n * 2n + 401n * 3n);
    expect(overflows(() => call('ra_start', 3000n))).toBe(true);
    expect(call('ra_start', 500n)).toBe(9n * 2n + 90n * 3n + 401n * 4n);
  });
});

describe('functions that can collect root what they hold', () => {
  it('through a chain of calls found in a second round of the fixpoint (collections at every safepoint)', () => {
    // `a` allocates nothing itself and calls only `b`, which calls `c`, which calls `d`, which
    // allocates: `a` must still keep its text parameter in a frame across `b`.
    const src = [
      'fn a(s: text) -> i64:',
      '    b(2) + s.len()',
      'fn b(n: i64) -> i64:',
      '    c(n) + 1',
      'fn c(n: i64) -> i64:',
      '    d(n)',
      'fn d(n: i64) -> i64:',
      '    var xs: [text] = []',
      '    for i in 0..n:',
      '        xs.push("garbage {i}")',
      '    xs.len()',
      'fn main():',
      '    val k: i64 = 12345',
      '    print(a("{k}{k}"))',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['13']);
  });
});

describe('a loop whose only allocation is an append in place', () => {
  it('is still a safepoint: under stress, each growth of the text is collected at the next round', () => {
    // Stress asks for a collection after every allocation; the appends allocate only when the
    // text outgrows its block, and each such ask is answered at the loop's next round.
    const p = loadSource('fn run(n: i64) -> i64:\n    var s = "" + ""\n    for i in 0..n:\n        s += "ab"\n    s.len()\n', { gcStress: true });
    const before = p.loader.runtime.stats();
    expect(p.fn('run')(300n)).toBe(600n);
    const after = p.loader.runtime.stats();
    const allocations = after.allocations - before.allocations;
    expect(allocations).toBeGreaterThan(5);
    expect(after.gc.collections - before.gc.collections).toBeGreaterThanOrEqual(allocations - 1);
  });
});
