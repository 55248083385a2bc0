/** Conversions between numeric types of the value on the stack. */
import { ValType } from '../wasm/index.js';
import type { FunctionBuilder } from '../wasm/index.js';
import type { Type } from '../../types/index.js';
import type { TempLocals } from './temps.js';
import { emitNormalize, wasmType } from './values.js';

/** Numeric conversion of the value on the stack (LANGUAGE.md: float→int truncates and saturates, NaN → 0). */
export function cast(f: FunctionBuilder, temps: TempLocals, from: Type, to: Type): void {
  if (from.kind === 'int' && to.kind === 'int') {
    const fromV = wasmType(from);
    const toV = wasmType(to);
    if (fromV === ValType.i64 && toV === ValType.i32) f.i32WrapI64();
    else if (fromV === ValType.i32 && toV === ValType.i64) from.signed ? f.i64ExtendI32S() : f.i64ExtendI32U();
    if (to.bits < 32 && (to.bits !== from.bits || to.signed !== from.signed)) emitNormalize(f, to);
    return;
  }
  if (from.kind === 'int' && to.kind === 'float') {
    const from64 = wasmType(from) === ValType.i64;
    if (to.bits === 64) from64 ? (from.signed ? f.f64ConvertI64S() : f.f64ConvertI64U()) : from.signed ? f.f64ConvertI32S() : f.f64ConvertI32U();
    else from64 ? (from.signed ? f.f32ConvertI64S() : f.f32ConvertI64U()) : from.signed ? f.f32ConvertI32S() : f.f32ConvertI32U();
    return;
  }
  if (from.kind === 'float' && to.kind === 'float') {
    if (from.bits === 32 && to.bits === 64) f.f64PromoteF32();
    else if (from.bits === 64 && to.bits === 32) f.f32DemoteF64();
    return;
  }
  if (from.kind === 'float' && to.kind === 'int') {
    const f64 = from.bits === 64;
    if (to.bits === 64) {
      if (f64) to.signed ? f.i64TruncSatF64S() : f.i64TruncSatF64U();
      else to.signed ? f.i64TruncSatF32S() : f.i64TruncSatF32U();
      return;
    }
    if (f64) to.signed ? f.i32TruncSatF64S() : f.i32TruncSatF64U();
    else to.signed ? f.i32TruncSatF32S() : f.i32TruncSatF32U();
    if (to.bits < 32) {
      // Saturate to the narrow range: clamp the 32-bit result.
      const lo = to.signed ? -(1 << (to.bits - 1)) : 0;
      const hi = to.signed ? (1 << (to.bits - 1)) - 1 : (1 << to.bits) - 1;
      const x = temps.take(ValType.i32);
      f.localTee(x).i32Const(hi).localGet(x).i32Const(hi);
      to.signed ? f.i32LtS() : f.i32LtU();
      f.select().localTee(x).i32Const(lo).localGet(x).i32Const(lo);
      to.signed ? f.i32GtS() : f.i32GtU();
      f.select();
      temps.release(ValType.i32, x);
    }
    return;
  }
  if (from.kind !== to.kind) throw new Error(`internal: cast from ${from.kind} to ${to.kind}`);
}

/** Widens the integer on the stack to i64 by its signedness. */
export function toI64(f: FunctionBuilder, t: Type): void {
  if (wasmType(t) === ValType.i64) return;
  if (t.kind === 'int' && !t.signed) f.i64ExtendI32U();
  else f.i64ExtendI32S();
}
