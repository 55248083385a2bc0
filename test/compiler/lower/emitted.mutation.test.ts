/**
 * What the lowering of statements (src/compiler/lower/function.ts, builtins.ts) emits where no
 * result shows it, read from the unit's WebAssembly: a write barrier only after storing a heap
 * pointer (a store of a number remembers nothing, so a unit that stores only numbers never calls
 * the runtime's `gc_remember`), and an `else` only for an `if` that has one.
 */
import { describe, expect, it } from 'vitest';
import { Reader, skipImmediates } from '../../../src/compiler/wasm/meter.js';
import { readWasmModule } from '../../../src/compiler/wasm/reader.js';
import { compileSource } from './run-source.js';

/** The runtime functions the unit of `source` calls. */
function runtimeCalls(source: string): readonly string[] {
  return compileSource(source)[0].unit.imports.runtime;
}

/** How many `else` instructions the body of each defined function holds, by its name. */
function elses(source: string): Map<string, number> {
  const info = readWasmModule(compileSource(source)[0].unit.wasm);
  const out = new Map<string, number>();
  info.bodies.forEach((b, i) => {
    const r = new Reader(info.code, b.code);
    let n = 0;
    while (r.pos < b.end) {
      const op = r.u8();
      if (op === 0x05) n++;
      skipImmediates(r, op);
    }
    out.set(info.names.get(info.importedFunctions + i) ?? `#${i}`, n);
  });
  return out;
}

// Each record is handed to `keep`, so that it escapes and stays a heap record.
const STORES = ['struct P:', '    a: i64', '    s: text', '', 'fn keep(p: P) -> i64:', '    p.a', ''];

describe('a write barrier only after storing a heap pointer', () => {
  it('field stores, element stores and pushes of numbers call no barrier', () => {
    const src = [...STORES, 'fn main():', '    val p = P(a: 1, s: "x")', '    p.a = 2', '    var xs = [1, 2]', '    xs[0] = 5', '    xs.push(3)', '    print(keep(p) + xs[0] + xs.len())', ''].join('\n');
    expect(runtimeCalls(src)).not.toContain('gc_remember');
  });

  it('the same stores of texts call it', () => {
    // The control: each of these alone brings the barrier in.
    for (const store of ['    p.s = "y"', '    ts[0] = "y"', '    ts.push("y")']) {
      const src = [...STORES, 'fn main():', '    val p = P(a: 1, s: "x")', '    var ts = ["x"]', store, '    print(keep(p) + ts.len())', ''].join('\n');
      expect(runtimeCalls(src), store).toContain('gc_remember');
    }
  });
});

describe('an else only where the source has one', () => {
  it('an if without else emits none; with one, one', () => {
    const src = [
      'fn without(c: bool) -> i64:',
      '    var x = 0',
      '    if c:',
      '        x = 1',
      '    x',
      '',
      'fn with(c: bool) -> i64:',
      '    var x = 0',
      '    if c:',
      '        x = 1',
      '    else:',
      '        x = 2',
      '    x',
      '',
    ].join('\n');
    const counts = elses(src);
    expect(counts.get('without')).toBe(0);
    expect(counts.get('with')).toBe(1);
  });
});
