/**
 * Arrays that no local holds — a literal iterated or indexed in place — kept visible to the
 * collector by the lowering itself (src/compiler/lower/function.ts `forEach`, `elementAddress`)
 * while code that may collect runs; and a frame popped on every way out of a function. Under GC
 * stress (a collection at every safepoint, freed blocks poisoned) an array left unrooted is
 * freed mid-loop and its elements read back as garbage.
 */
import { describe, expect, it } from 'vitest';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { TextCapture } from '../../../src/runtime/index.js';
import { compileSource, printed } from './run-source.js';
import { callMain } from '../call-main.js';

/** `early`'s total, worked out here: "w{i}" is one byte longer than i's digits; odd i add "w{i + 1}". */
function expectedTotal(): number {
  const len = (i: number) => 1 + String(i).length;
  let total = 0;
  for (let i = 0; i < 5000; i++) total += i % 2 === 0 ? len(i) : len(i) + len(i + 1);
  return total;
}

const CHURN = ['fn churn(n: i64) -> i64:', '    var junk: [text] = []', '    for i in 0..n:', '        junk.push("junk {i}")', '    n', '', 'fn word(i: i64) -> text:', '    "w{i}"', ''];

describe('an array literal held by nothing but the code using it', () => {
  it('iterated by a body that collects but allocates nothing itself', () => {
    const src = [...CHURN, 'fn main():', '    var t = 0', '    for x in [word(1), word(22), word(333)]:', '        t = t * 10 + x.len() + churn(2) - 2', '    print(t)', ''].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['234']);
  });

  it('iterated by a body that allocates', () => {
    const src = [...CHURN, 'fn main():', '    var all = ""', '    for x in [word(1), word(22), word(333)]:', '        all = all + x + "."', '    print(all)', ''].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['w1.w22.w333.']);
  });

  it('indexed by an index that collects', () => {
    const src = [...CHURN, 'fn main():', '    print([word(1), word(22), word(333)][churn(2)])', '    print([10, 20, 30][churn(1)])', ''].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['w333', '20']);
  });
});

describe('a frame popped on every way out', () => {
  it('an early return from a function with a frame leaves the shadow stack as it was', () => {
    // 4 KiB of shadow stack: 1,024 slots. 5,000 calls that each left their two-slot frame behind
    // would overflow it.
    const src = [...CHURN, 'fn early(n: i64) -> i64:', '    val s = word(n)', '    if n % 2 == 0:', '        return s.len()', '    val t = word(n + 1)', '    s.len() + t.len()', '', 'fn main():', '    var total = 0', '    for i in 0..5000:', '        total += early(i)', '    print(total)', ''].join('\n');
    const out = new TextCapture();
    const l = new ModuleLoader({ output: out, memory: { maximumPages: 512, shadowStackBytes: 4096, gc: { stress: true } }, jit: { updateSmf: false } });
    for (const c of compileSource(src)) {
      const r = l.loadCompiled(c);
      if (r.kind === 'error') throw r.error;
    }
    expect(callMain(l, out)).toEqual({ stdout: `${expectedTotal()}\n`, exit: 0, trap: null });
  });
});
