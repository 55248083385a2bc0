/**
 * Where typed IR came from, for the line table of the code it is lowered to (`simple.lines`,
 * docs/code-model.md). The IR itself has no spans: the checker notes the source line of each
 * statement it builds and the file and declaration line of each function here, and the lowering
 * reads them back. Weak maps, so IR that is dropped takes its lines with it.
 */
import type { IrFunction, IrStmt } from './ir.js';

export interface FunctionOrigin {
  /** The source file as the compilation names it (relative to where `smf` ran, for the CLI). */
  readonly file: string;
  /** The line of the function's declaration. */
  readonly line: number;
}

const stmtLines = new WeakMap<IrStmt, number>();
const fnOrigins = new WeakMap<IrFunction, FunctionOrigin>();

export function noteStmtLine(stmt: IrStmt, line: number): void {
  stmtLines.set(stmt, line);
}

export function stmtLine(stmt: IrStmt): number | undefined {
  return stmtLines.get(stmt);
}

export function noteFunctionOrigin(fn: IrFunction, origin: FunctionOrigin): void {
  fnOrigins.set(fn, origin);
}

export function functionOrigin(fn: IrFunction): FunctionOrigin | undefined {
  return fnOrigins.get(fn);
}
