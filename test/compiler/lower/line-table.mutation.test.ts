/**
 * The line table (src/compiler/lower/line-table.ts): one mark per source line where its code
 * starts. A statement that emits no code gives its offset to the next line; a line holding
 * several statements (a one-line block) is marked once.
 */
import { describe, expect, it } from 'vitest';
import { LINES_SECTION, readLineTable } from '../../../src/compiler/wasm/line-section.js';
import { compileSource } from './run-source.js';

function marksOf(source: string): Array<{ line: number; lines: number[]; offsets: number[] }> {
  const [c] = compileSource(source);
  const module = new WebAssembly.Module(c.unit.wasm as Uint8Array<ArrayBuffer>);
  const [payload] = WebAssembly.Module.customSections(module, LINES_SECTION);
  return readLineTable(new Uint8Array(payload))!.functions.map((f) => ({
    line: f.line,
    lines: f.marks.filter((_, i) => i % 2 === 1),
    offsets: f.marks.filter((_, i) => i % 2 === 0),
  }));
}

describe('marks', () => {
  it('a statement with no code yields its offset; a one-line block is one mark', () => {
    const [f] = marksOf(['fn f(x: i64) -> i64:', '    val u = ()', '    val a = x + 1', '    if a > 5: return a', '    a * 2', ''].join('\n'));
    expect(f.line).toBe(1);
    expect(f.lines).toEqual([3, 4, 5]);
    expect(f.offsets[0]).toBeLessThan(f.offsets[1]);
    expect(f.offsets[1]).toBeLessThan(f.offsets[2]);
  });

  it('two statements on a line, then that line again after another: three marks', () => {
    const [f] = marksOf(['fn g(x: i64) -> i64:', '    var a = x', '    while a > 0: a -= 2', '    a', ''].join('\n'));
    expect(f.lines).toEqual([2, 3, 4]);
    const [h] = marksOf(['fn h(x: i64) -> i64:', '    var a = x', '    for i in 0..3: a += i', '    a', ''].join('\n'));
    expect(h.lines).toEqual([2, 3, 4]);
  });

  it('every function of the unit has its own entry, from its declaration line', () => {
    const fs = marksOf(['fn a() -> i64:', '    1', '', 'fn b() -> i64:', '    val x = 2', '    x', ''].join('\n'));
    expect(fs.map((f) => [f.line, f.lines])).toEqual([[1, [2]], [4, [5, 6]]]);
  });
});
