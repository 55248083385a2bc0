/**
 * LineTableMerger on hand-built `simple.lines` tables, the ones the compiler never writes:
 * records of functions the unit does not define or of files past its list (dropped, each at its
 * exact edge), a table cut short (that unit's lines and files lost, the others' kept), a file
 * named twice in one unit's list, and the cases where nothing is appended. Written against the
 * survivors of a mutation run (docs/testing.md).
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/compiler/wasm/bytes.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { LINES_VERSION, readLineTable } from '../../src/compiler/wasm/line-section.js';
import type { LineTable } from '../../src/compiler/wasm/line-section.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { LineTableMerger } from '../../src/linker/merge-lines.js';

/** index, file index, line, body start, body size, marks as (offset delta, line delta). */
type Rec = [number, number, number, number, number, Array<[number, number]>];

/** A unit's table as the format lays it out, optionally cut `cut` bytes short. */
function table(files: string[], records: Rec[], cut = 0): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(LINES_VERSION).u32leb(0).u32leb(files.length);
  for (const f of files) w.name(f);
  w.u32leb(records.length);
  for (const [index, file, line, start, size, marks] of records) {
    w.u32leb(index).u32leb(file).u32leb(line).u32leb(start).u32leb(size).u32leb(marks.length);
    for (const [d, l] of marks) w.u32leb(d).s32leb(l);
  }
  const bytes = w.finish();
  return bytes.subarray(0, bytes.length - cut);
}

/** A module with a code section (one function), for the merged table to be appended to. */
function module(): Uint8Array {
  const mb = new ModuleBuilder();
  mb.addRawFunction(mb.addType([], [ValType.i32]), Uint8Array.of(0x00, 0x41, 0x00, 0x0b));
  return mb.finish();
}

function merged(m: LineTableMerger): LineTable {
  const out = readWasmModule(m.appendTo(module()));
  expect(out.lines).toBeDefined();
  return readLineTable(out.lines!)!;
}

// Two imported functions (merged to 10 and 11), two defined (to 20 and 21), moved by 100 and 200.
const MAP = Int32Array.of(10, 11, 20, 21);
const SHIFT = [100, 200];

describe('records with nowhere to go', () => {
  it('a record of an imported function, of one past the defined ones, or of a file past the list is dropped; the others move', () => {
    const m = new LineTableMerger();
    m.add(
      table(
        ['a.spl'],
        [
          [2, 0, 5, 3, 9, [[2, 1]]],
          [1, 0, 6, 3, 9, []], // imported: defined index -1
          [4, 0, 7, 3, 9, []], // defined index 2, past the two bodies
          [3, 1, 8, 3, 9, []], // file 1 of a list of one
          [3, 0, 9, 4, 7, [[1, 2], [3, -1]]],
        ],
      ),
      2,
      MAP,
      SHIFT,
    );
    expect(merged(m).functions).toEqual([
      { index: 20, file: 'a.spl', line: 5, codeStart: 103, codeSize: 9, marks: [105, 6] },
      { index: 21, file: 'a.spl', line: 9, codeStart: 204, codeSize: 7, marks: [205, 11, 208, 10] },
    ]);
  });
});

describe('a table cut short', () => {
  it("loses that unit's lines and files; the units before and after keep theirs", () => {
    const m = new LineTableMerger();
    const one = Int32Array.of(0);
    m.add(table(['a.spl'], [[0, 0, 1, 3, 5, [[1, 1]]]]), 0, one, [10]);
    m.add(table(['b.spl'], [[0, 0, 2, 3, 5, []], [0, 0, 3, 3, 5, [[1, 1]]]], 2), 0, Int32Array.of(1), [20]);
    m.add(table(['c.spl'], [[0, 0, 4, 3, 5, []]]), 0, Int32Array.of(2), [30]);
    expect(merged(m).functions.map((f) => [f.index, f.file, f.line, f.codeStart])).toEqual([
      [0, 'a.spl', 1, 13],
      [2, 'c.spl', 4, 33],
    ]);
    const files = new TextDecoder().decode(m.appendTo(module()));
    expect(files).not.toContain('b.spl');
  });
});

describe('files', () => {
  it('a file named twice in one unit’s list is one file of the merged table', () => {
    const m = new LineTableMerger();
    m.add(table(['x.spl'], [[0, 0, 1, 3, 5, []]]), 0, Int32Array.of(0), [0]);
    m.add(table(['a.spl', 'a.spl', 'x.spl'], [[0, 0, 2, 3, 5, []], [1, 1, 3, 3, 5, []], [1, 2, 4, 3, 5, []]]), 0, Int32Array.of(1, 2), [0, 0]);
    expect(merged(m).functions.map((f) => [f.index, f.file, f.line])).toEqual([
      [0, 'x.spl', 1],
      [1, 'a.spl', 2],
      [2, 'a.spl', 3],
      [2, 'x.spl', 4],
    ]);
    // Each name once: x.spl, then a.spl.
    const text = new TextDecoder().decode(m.appendTo(module()));
    expect(text.split('a.spl').length - 1).toBe(1);
    expect(text.split('x.spl').length - 1).toBe(1);
  });
});

describe('nothing to append', () => {
  it('no unit with lines, or only records that were dropped: the module itself', () => {
    const mod = module();
    const m = new LineTableMerger();
    m.add(undefined, 0, Int32Array.of(0), [0]);
    expect(m.appendTo(mod)).toBe(mod);
    m.add(table(['a.spl'], [[5, 0, 1, 3, 5, []]]), 0, Int32Array.of(0), [0]);
    expect(m.appendTo(mod)).toBe(mod);
  });

  it('a module without a code section gets no table', () => {
    const m = new LineTableMerger();
    m.add(table(['a.spl'], [[0, 0, 1, 3, 5, []]]), 0, Int32Array.of(0), [0]);
    const empty = new ModuleBuilder().finish();
    expect(m.appendTo(empty)).toBe(empty);
  });
});
