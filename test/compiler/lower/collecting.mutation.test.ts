/**
 * What src/compiler/lower/gc-facts.ts tells the lowering, seen where a wrong answer shows: a
 * function of the unit that collects only through another module's function (its callers must
 * root what they hold across a call to it); an allocation that is not a safepoint (nothing held
 * across it needs a spill slot); a call that returns a heap value counted as allocating (a loop
 * of host calls that return text polls for a collection).
 */
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { TextCapture } from '../../../src/runtime/index.js';
import { callMain } from '../call-main.js';
import { SHADOW_BYTES, frameLoader, framesOf } from './frame-probe.js';

/** `files` compiled together and loaded under GC stress, with `host` as the host functions. */
function stressedLoader(files: Record<string, string>, host: Record<string, (...args: never[]) => unknown> = {}): { loader: ModuleLoader; out: TextCapture } {
  const paths = Object.keys(files).map((f) => `/virtual/${f}`);
  const compiled = new CompileSession().compileFiles(paths, new Map(paths.map((p, i) => [p, Object.values(files)[i]])));
  const out = new TextCapture();
  const loader = new ModuleLoader({ output: out, host, memory: { maximumPages: 512, gc: { stress: true } }, jit: { updateSmf: false } });
  for (const c of compiled) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  return { loader, out };
}

/**
 * `via` (its body `viaBody`) allocates nothing itself and collects only through lib's `churn`; the
 * literal each `print` indexes is held by nothing but the indexing code while `via` runs.
 */
function throughAnotherModule(viaBody: string[]): ReturnType<typeof callMain> {
  const lib = ['fn churn(n: i64) -> i64:', '    var junk: [text] = []', '    for i in 0..n:', '        junk.push("junk {i}")', '    n', ''].join('\n');
  const main = [
    'use lib.{churn}',
    '',
    'fn via(n: i64) -> i64:',
    ...viaBody,
    '',
    'fn word(i: i64) -> text:',
    '    "w{i}"',
    '',
    'fn main():',
    '    print([word(1), word(22), word(333)][via(2)])',
    '    print([word(4), word(55), word(666)][via(1)])',
    '',
  ].join('\n');
  const { loader, out } = stressedLoader({ 'main.spl': main, 'lib.spl': lib });
  return callMain(loader, out);
}

describe('a function that collects only through another module', () => {
  it('roots what its callers hold across a call to it', () => {
    expect(throughAnotherModule(['    churn(n)'])).toEqual({ stdout: 'w333\nw55\n', exit: 0, trap: null });
  });

  it('whatever statement of it makes the call', () => {
    // The call is in `via`'s second statement, and not its first operand: every statement and
    // every operand is looked at, not the first of each.
    expect(throughAnotherModule(['    val k = n + 0', '    k * 0 + churn(k)'])).toEqual({ stdout: 'w333\nw55\n', exit: 0, trap: null });
  });
});

describe('an allocation is not a safepoint', () => {
  it('a pointer held across one takes no spill slot', () => {
    const src = [
      // Allocates nothing and calls nothing: a call to it cannot collect.
      'fn join(a: text, b: text) -> i64:',
      '    a.len() + b.len()',
      '',
      // `s` is held across the interpolation (an allocation) as an argument, and as the left of `+`.
      'fn p(n: i64, s: text) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    p(n - 1, s) + join(s, "{n}") + (s + "{n}").len()',
      '',
    ].join('\n');
    // One slot, for `s`: 4 bytes a frame.
    expect(framesOf(frameLoader(src), 'p', ['ab'])).toBe(SHADOW_BYTES / 4);
  });
});

describe('a call returning a heap value counts as an allocation', () => {
  it('a loop of host calls returning text polls for a collection each step', () => {
    const src = ['extern fn name(i: i64) -> text', '', 'fn run(n: i64) -> i64:', '    var t = 0', '    for i in 0..n:', '        t += name(i).len()', '    t', ''].join('\n');
    const { loader } = stressedLoader({ 'main.spl': src }, { name: (i: bigint) => `name ${i}` });
    const r = loader.resolveSymbol('run');
    if (r.kind !== 'found') throw new Error(`run: ${r.kind}`);
    const before = loader.stats().memory.gc.collections;
    expect(r.call(20n)).toBe(130n);
    // On entry (what loading allocated), then at the top after each of the 20 texts.
    expect(loader.stats().memory.gc.collections - before).toBe(21);
  });
});
