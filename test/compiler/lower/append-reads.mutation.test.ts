/**
 * More of what keeps an append in place (src/compiler/lower/text-append.ts) and what must not:
 * a local whose first value is an interpolation of several parts (new text) may grow in place; one
 * made from a one-part interpolation is the other text itself and may not; a local read as the
 * right operand of a concatenation or comparison, or appended to another, keeps its own appends
 * in place; a function whose only locals are texts is still rewritten; and the rewritten
 * statement keeps its source line. Counted with the allocator's statistics, on a second call.
 */
import { describe, expect, it } from 'vitest';
import { LINES_SECTION, readLineTable } from '../../../src/compiler/wasm/line-section.js';
import { compileSource, loadSource, printed } from './run-source.js';

/** Allocations of the second call `run(n)`, and its value. */
function counted(source: string, n: bigint): { value: unknown; allocations: number } {
  const p = loadSource(source);
  p.fn('run')(1n);
  const before = p.loader.stats().memory.allocations;
  const value = p.fn('run')(n);
  return { value, allocations: p.loader.stats().memory.allocations - before };
}

describe('appends that stay in place', () => {
  it('a function whose only local is the text', () => {
    const r = counted('fn run(n: i64) -> i64:\n    var s = "" + ""\n    while s.len() < n:\n        s += "ab"\n    s.len()\n', 1000n);
    expect(r.value).toBe(1000n);
    expect(r.allocations).toBeLessThan(40);
  });

  it('a local first given an interpolation of several parts', () => {
    const r = counted('fn run(n: i64) -> i64:\n    var s = "<{n}>"\n    for i in 0..n:\n        s += "ab"\n    s.len()\n', 500n);
    expect(r.value).toBe(1005n);
    // The interpolation: one conversion and two joins, two of them freed.
    expect(r.allocations).toBeLessThan(40);
  });

  it('a local appended to another keeps its own appends in place', () => {
    const src = 'fn run(n: i64) -> i64:\n    var u = "" + ""\n    var s = "" + ""\n    for i in 0..n:\n        u += "a"\n        s = s + u\n    s.len() * 1000 + u.len()\n';
    const r = counted(src, 200n);
    expect(r.value).toBe(20100n * 1000n + 200n);
    expect(r.allocations).toBeLessThan(60);
  });

  it('a local on the right of a comparison', () => {
    const src = 'fn run(n: i64) -> i64:\n    var s = "" + ""\n    var k = 0\n    for i in 0..n:\n        s += "ab"\n        if "abab" == s:\n            k += 1\n    s.len() + k\n';
    const r = counted(src, 500n);
    expect(r.value).toBe(1001n);
    expect(r.allocations).toBeLessThan(40);
  });

  it('a local on the right of a concatenation: one new text per iteration, the appends none', () => {
    const src = 'fn run(n: i64) -> i64:\n    var s = "" + ""\n    var k = 0\n    for i in 0..n:\n        s += "ab"\n        val u = "!" + s\n        k += u.len()\n    s.len() + k\n';
    const r = counted(src, 500n);
    expect(r.value).toBe(1000n + 500n + 500n * 501n);
    expect(r.allocations).toBeGreaterThanOrEqual(500);
    expect(r.allocations).toBeLessThan(540);
  });
});

describe('appends that may not be in place', () => {
  it('a local made from a one-part interpolation is that text: appending leaves the other alone', () => {
    const src = ['fn main():', '    val base = "a" + "b"', '    var s = "{base}"', '    s += "!"', '    s += "?"', '    print(base)', '    print(s)', ''].join('\n');
    expect(printed(src)).toEqual(['ab', 'ab!?']);
  });
});

describe('the rewritten statement', () => {
  it('keeps its line in the line table', () => {
    const [c] = compileSource(['fn f(n: i64) -> i64:', '    var s = "" + ""', '    s += "ab"', '    s.len() + n', ''].join('\n'));
    const module = new WebAssembly.Module(c.unit.wasm as Uint8Array<ArrayBuffer>);
    const [payload] = WebAssembly.Module.customSections(module, LINES_SECTION);
    const [f] = readLineTable(new Uint8Array(payload))!.functions;
    expect(f.marks.filter((_, i) => i % 2 === 1)).toEqual([2, 3, 4]);
  });
});
