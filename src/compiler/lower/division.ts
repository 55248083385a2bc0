/** Integer division and remainder, with the checks WebAssembly leaves to the language. */
import { BlockType, ValType } from '../wasm/index.js';
import type { FunctionBuilder } from '../wasm/index.js';
import type { IrExpr } from '../ir.js';
import { TrapKind } from '../runtime-abi.js';
import type { TempLocals } from './temps.js';
import { emitZero } from './values.js';

/** What division needs from the function being lowered. */
export interface DivisionContext {
  readonly f: FunctionBuilder;
  readonly temps: TempLocals;
  expr(e: IrExpr): void;
  open(kind: 'if', bt?: BlockType): number;
  close(): void;
  /** Calls the runtime's `panic` with this function's name, then `unreachable`. */
  panic(kind: number): void;
}

/**
 * Integer division: a zero divisor traps with the function's name; the one overflowing case
 * (MIN / -1) wraps as all integer arithmetic does, instead of trapping as wasm would.
 */
export function division(
  ctx: DivisionContext,
  e: Extract<IrExpr, { kind: 'arith' }>,
  signed: boolean,
  is64: boolean,
): void {
  const f = ctx.f;
  const v = is64 ? ValType.i64 : ValType.i32;
  const a = ctx.temps.take(v);
  const b = ctx.temps.take(v);
  ctx.expr(e.left);
  f.localSet(a);
  ctx.expr(e.right);
  f.localTee(b);
  is64 ? f.i64Eqz() : f.i32Eqz();
  ctx.open('if');
  ctx.panic(TrapKind.DivideByZero);
  ctx.close();
  const rem = e.op === 'rem';
  if (signed) {
    f.localGet(b);
    is64 ? f.i64Const(-1).i64Eq() : f.i32Const(-1).i32Eq();
    ctx.open('if', BlockType.of(v));
    if (rem) emitZero(f, v);
    else {
      // -a, wrapping
      is64 ? f.i64Const(0) : f.i32Const(0);
      f.localGet(a);
      is64 ? f.i64Sub() : f.i32Sub();
    }
    f.else_();
    f.localGet(a).localGet(b);
    if (is64) rem ? f.i64RemS() : f.i64DivS();
    else rem ? f.i32RemS() : f.i32DivS();
    ctx.close();
  } else {
    f.localGet(a).localGet(b);
    if (is64) rem ? f.i64RemU() : f.i64DivU();
    else rem ? f.i32RemU() : f.i32DivU();
  }
  ctx.temps.release(v, b);
  ctx.temps.release(v, a);
}
