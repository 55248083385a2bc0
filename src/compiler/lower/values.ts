/**
 * Type-directed instruction selection for values: wasm value types, loads, stores, and keeping
 * narrow integers normalized (docs/code-model.md: i8/i16/u8/u16 live in i32 locals, sign- or
 * zero-extended after every operation).
 */
import type { FunctionBuilder } from '../wasm/index.js';
import { ValType } from '../wasm/index.js';
import { reprOf } from '../layout.js';
import type { WasmValType } from '../layout.js';
import type { Type } from '../../types/index.js';

export function valType(t: WasmValType): ValType {
  return ValType[t];
}

/** The wasm value type of a Simple type, or null for unit. */
export function wasmType(t: Type): ValType | null {
  const r = reprOf(t).wasm;
  return r === null ? null : ValType[r];
}

/** Log2 of the natural alignment, as memargs want it. */
function alignLog(size: number): number {
  return size >= 16 ? 4 : size >= 8 ? 3 : size >= 4 ? 2 : size >= 2 ? 1 : 0;
}

/** Loads a value of type `t` from the address on the stack, plus `offset`. */
export function emitLoad(f: FunctionBuilder, t: Type, offset: number): void {
  switch (t.kind) {
    case 'int':
      if (t.bits === 64) f.i64Load(offset, 3);
      else if (t.bits === 32) f.i32Load(offset, 2);
      else if (t.bits === 16) (t.signed ? f.i32Load16S(offset, 1) : f.i32Load16U(offset, 1));
      else t.signed ? f.i32Load8S(offset, 0) : f.i32Load8U(offset, 0);
      return;
    case 'float':
      if (t.bits === 64) f.f64Load(offset, 3);
      else f.f32Load(offset, 2);
      return;
    case 'bool':
      f.i32Load8U(offset, 0);
      return;
    case 'simd':
      f.v128Load(offset, 4);
      return;
    case 'unit':
      f.drop();
      return;
    default:
      f.i32Load(offset, 2);
  }
}

/** Stores the value on the stack at the address below it, plus `offset`. */
export function emitStore(f: FunctionBuilder, t: Type, offset: number): void {
  const size = reprOf(t).size;
  switch (t.kind) {
    case 'int':
      if (t.bits === 64) f.i64Store(offset, 3);
      else if (t.bits === 32) f.i32Store(offset, 2);
      else if (t.bits === 16) f.i32Store16(offset, 1);
      else f.i32Store8(offset, 0);
      return;
    case 'float':
      if (t.bits === 64) f.f64Store(offset, 3);
      else f.f32Store(offset, 2);
      return;
    case 'bool':
      f.i32Store8(offset, 0);
      return;
    case 'simd':
      f.v128Store(offset, alignLog(size));
      return;
    case 'unit':
      f.drop();
      return;
    default:
      f.i32Store(offset, 2);
  }
}

/** Re-normalizes a narrow integer on the stack after an operation that may leave high bits. */
export function emitNormalize(f: FunctionBuilder, t: Type): void {
  if (t.kind !== 'int' || t.bits >= 32) return;
  if (t.signed) {
    if (t.bits === 8) f.i32Extend8S();
    else f.i32Extend16S();
  } else {
    f.i32Const(t.bits === 8 ? 0xff : 0xffff).i32And();
  }
}

/** Pushes a constant of integer type `t`, wrapped to its width. */
export function emitIntConst(f: FunctionBuilder, t: Type, value: bigint): void {
  if (t.kind !== 'int') throw new Error(`internal: int constant of type ${t.kind}`);
  const wrapped = t.signed ? BigInt.asIntN(t.bits, value) : BigInt.asUintN(t.bits, value);
  if (t.bits === 64) f.i64Const(BigInt.asIntN(64, wrapped));
  else f.i32Const(Number(BigInt.asIntN(32, wrapped)));
}

/** Pushes the zero value of a wasm type (for dead paths that still need a value). */
export function emitZero(f: FunctionBuilder, v: ValType): void {
  if (v === ValType.i32) f.i32Const(0);
  else if (v === ValType.i64) f.i64Const(0);
  else if (v === ValType.f32) f.f32Const(0);
  else if (v === ValType.f64) f.f64Const(0);
  else f.v128Const(new Uint8Array(16));
}
