/**
 * What the lowering proves about values that escape nothing: scalar replacement
 * (src/compiler/lower/scalar-replace.ts) — a record that never escapes its
 * function allocates nothing; one that escapes, or is aliased, still does — and appending in
 * place (text-append.ts).
 */
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { TextCapture } from '../../src/runtime/index.js';

const PRELUDE = 'struct P:\n    a: i64\n    b: i64\n\nfn take(p: P) -> i64:\n    p.b\n\n';

/** Runs `run(n)` from `body` and returns its result and the blocks it allocated. */
function allocationsOf(body: string, n: bigint): { value: unknown; allocations: number } {
  const loader = new ModuleLoader({ output: new TextCapture() });
  const compiled = new CompileSession().compileFiles(['/virtual/t.spl'], new Map([['/virtual/t.spl', PRELUDE + body]]));
  for (const c of compiled) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const run = loader.resolveSymbol('run');
  if (run.kind !== 'found') throw new Error('no run');
  const before = loader.stats().memory.allocations;
  const value = run.call(n);
  return { value, allocations: loader.stats().memory.allocations - before };
}

describe('scalar replacement', () => {
  it('a record only read and written through its fields allocates nothing', () => {
    const r = allocationsOf('fn run(n: i64) -> i64:\n    var sum = 0\n    for i in 0..n:\n        val p = P(a: i, b: 1)\n        p.a = p.b\n        sum += p.a + p.b\n    sum\n', 10_000n);
    expect(r).toEqual({ value: 20_000n, allocations: 0 });
  });

  it('a record passed to a function is still allocated, once per step', () => {
    const r = allocationsOf('fn run(n: i64) -> i64:\n    var sum = 0\n    for i in 0..n:\n        val p = P(a: i, b: 1)\n        sum += take(p)\n    sum\n', 10_000n);
    expect(r).toEqual({ value: 10_000n, allocations: 10_000 });
  });

  it('a record copied into another local is still allocated, and the copy aliases it', () => {
    const r = allocationsOf('fn run(n: i64) -> i64:\n    var sum = 0\n    for i in 0..n:\n        val p = P(a: i, b: 1)\n        val q = p\n        q.b = 2\n        sum += p.b\n    sum\n', 1000n);
    expect(r).toEqual({ value: 2000n, allocations: 1000 });
  });

  it('a record given the result of a call is still allocated by the callee', () => {
    const r = allocationsOf('fn make(i: i64) -> P:\n    P(a: i, b: 3)\n\nfn run(n: i64) -> i64:\n    var sum = 0\n    for i in 0..n:\n        val p = make(i)\n        sum += p.b\n    sum\n', 1000n);
    expect(r).toEqual({ value: 3000n, allocations: 1000 });
  });
});

describe('appending to a text only one local holds', () => {
  it('grows it in place: 10,000 appends take a few dozen blocks, not one each', () => {
    const r = allocationsOf('fn run(n: i64) -> i64:\n    var s = ""\n    for i in 0..n:\n        s += "x"\n    s.len()\n', 10_000n);
    expect(r.value).toBe(10_000n);
    expect(r.allocations).toBeLessThan(40);
  });

  it('copies, one block per append, when another name holds the text too', () => {
    const r = allocationsOf('fn run(n: i64) -> i64:\n    var s = ""\n    var all: [text] = []\n    for i in 0..n:\n        s += "x"\n        all.push(s)\n    all[all.len() - 1].len() + all[0].len()\n', 1000n);
    expect(r.value).toBe(1001n);
    expect(r.allocations).toBeGreaterThanOrEqual(1000);
  });
});
