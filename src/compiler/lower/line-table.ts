/**
 * The line table of a unit: for each function, the code offsets where the statements of each
 * source line start, so a trap's engine stack frames (`wasm-function[N]:0xOFFSET`) map back to
 * `file.spl:line` (src/runtime/backtrace.ts). Written as the custom section `simple.lines`
 * (src/compiler/wasm/line-section.ts) of the unit's module, which travels with the code into SMF
 * files; nothing reads it unless a trap is reported, so it costs nothing while the program runs.
 */
import type { IrFunction, IrStmt } from '../ir.js';
import { functionOrigin, stmtLine } from '../source-lines.js';
import type { FunctionOrigin } from '../source-lines.js';
import { appendLineTable } from '../wasm/line-section.js';
import type { LineFunction } from '../wasm/line-section.js';

export { LINES_SECTION } from '../wasm/line-section.js';

/** The statement starts of one function body, as its lowering emits them. */
export class LineMarks {
  /** Pairs: offset in the function's instructions, line. */
  private readonly marks: number[] = [];
  readonly origin: FunctionOrigin | undefined;

  constructor(fn: IrFunction) {
    this.origin = functionOrigin(fn);
  }

  /** Called as the lowering starts `stmt`, with the length of the instructions so far. */
  mark(stmt: IrStmt, codeOffset: number): void {
    if (!this.origin) return;
    const line = stmtLine(stmt);
    if (line === undefined) return;
    const m = this.marks;
    const n = m.length;
    if (n > 0 && m[n - 1] === line) return;
    if (n > 0 && m[n - 2] === codeOffset) m[n - 1] = line;
    else m.push(codeOffset, line);
  }

  /**
   * The function's entry in the table: its body of `bodySize` bytes starts `bodyStart` into the
   * code section's payload, its instructions `instructionsStart`.
   */
  entry(index: number, bodyStart: number, bodySize: number, instructionsStart: number): LineFunction | undefined {
    if (!this.origin) return undefined;
    const marks = this.marks.map((v, i) => (i % 2 === 0 ? instructionsStart + v : v));
    return { index, file: this.origin.file, line: this.origin.line, codeStart: bodyStart, codeSize: bodySize, marks };
  }
}

/** `module` with its `simple.lines` section appended; `module` itself when nothing has a line. */
export function withLineTable(module: Uint8Array, fns: ReadonlyArray<LineFunction | undefined>): Uint8Array {
  return appendLineTable(module, fns.filter((f): f is LineFunction => f !== undefined));
}
