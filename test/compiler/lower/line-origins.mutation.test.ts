/**
 * The unit's line table (src/compiler/lower/line-table.ts `withLineTable`) has an entry for each
 * function lowered from checked source, and none for one the checker did not make (no source
 * origin): a unit that mixes the two still gets a table, holding only the first.
 */
import { describe, expect, it } from 'vitest';
import type { IrFunction, IrStmt } from '../../../src/compiler/ir.js';
import { lowerUnit } from '../../../src/compiler/lower/unit.js';
import { noteFunctionOrigin, noteStmtLine } from '../../../src/compiler/source-lines.js';
import { LINES_SECTION, readLineTable } from '../../../src/compiler/wasm/line-section.js';
import { T } from '../../../src/types/type.js';

function returning(symbol: string, value: bigint): IrFunction {
  const body: IrStmt[] = [{ kind: 'return', value: { kind: 'int', value, type: T.i64 } }];
  return { symbol, displayName: symbol, params: [], ret: T.i64, locals: [], body };
}

describe('a unit mixing functions with and without a source origin', () => {
  it('has a table with an entry only for the function that has one', () => {
    const bare = returning('bare', 1n);
    const sourced = returning('sourced', 2n);
    noteFunctionOrigin(sourced, { file: 'm.spl', line: 3 });
    noteStmtLine(sourced.body[0], 4);
    const unit = lowerUnit({ name: 'mixed', functions: [bare, sourced], externs: [], structs: { struct: () => undefined } as never });
    const module = new WebAssembly.Module(unit.wasm as Uint8Array<ArrayBuffer>);
    const [payload] = WebAssembly.Module.customSections(module, LINES_SECTION);
    const table = readLineTable(new Uint8Array(payload))!;
    expect(table.functions.map((f) => ({ index: f.index, file: f.file, line: f.line, lines: f.marks.filter((_, i) => i % 2 === 1) }))).toEqual([
      { index: 1, file: 'm.spl', line: 3, lines: [4] },
    ]);
  });
});
