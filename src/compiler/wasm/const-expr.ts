/**
 * Constant expressions: global initialisers and element/data segment offsets. Only the forms
 * Node 20's V8 accepts (no extended-const arithmetic).
 */
import type { ByteWriter } from './bytes.js';
import { WasmEncodeError } from './errors.js';
import { ValType } from './types.js';
import type { RefType } from './types.js';

export type ConstExpr =
  | { readonly op: 'i32.const'; readonly value: number }
  | { readonly op: 'i64.const'; readonly value: bigint | number }
  | { readonly op: 'f32.const'; readonly value: number }
  | { readonly op: 'f64.const'; readonly value: number }
  | { readonly op: 'v128.const'; readonly bytes: ArrayLike<number> }
  | { readonly op: 'global.get'; readonly index: number }
  | { readonly op: 'ref.null'; readonly type: RefType }
  | { readonly op: 'ref.func'; readonly index: number };

export const ConstExpr = {
  i32: (value: number): ConstExpr => ({ op: 'i32.const', value }),
  i64: (value: bigint | number): ConstExpr => ({ op: 'i64.const', value }),
  f32: (value: number): ConstExpr => ({ op: 'f32.const', value }),
  f64: (value: number): ConstExpr => ({ op: 'f64.const', value }),
  v128: (bytes: ArrayLike<number>): ConstExpr => ({ op: 'v128.const', bytes }),
  /** Reads an (imported, immutable) global, e.g. `__memory_base` / `__table_base` when linking. */
  globalGet: (index: number): ConstExpr => ({ op: 'global.get', index }),
  refNull: (type: RefType): ConstExpr => ({ op: 'ref.null', type }),
  refFunc: (index: number): ConstExpr => ({ op: 'ref.func', index }),
} as const;

function writeI32Const(w: ByteWriter, n: number): void {
  // Same leniency as FunctionBuilder.i32Const: unsigned spellings wrap to the signed value.
  if ((n | 0) !== n) {
    if (n >>> 0 !== n) throw new WasmEncodeError('WASM_RANGE', `not an i32: ${n}`);
    n |= 0;
  }
  w.u8(0x41).s32leb(n);
}

/**
 * Write `e` followed by `end`. A bare number (or bigint) is a constant of type `numberType`, so
 * the common `i32.const` offset needs no object.
 */
export function writeConstExpr(
  w: ByteWriter,
  e: ConstExpr | number | bigint,
  numberType: ValType = ValType.i32,
): void {
  if (typeof e === 'number' || typeof e === 'bigint') {
    switch (numberType) {
      case ValType.i32:
        writeI32Const(w, Number(e));
        break;
      case ValType.i64:
        w.u8(0x42).s64leb(e);
        break;
      case ValType.f32:
        w.u8(0x43).f32(Number(e));
        break;
      case ValType.f64:
        w.u8(0x44).f64(Number(e));
        break;
      default:
        throw new WasmEncodeError('WASM_RANGE', `a bare number cannot initialise type 0x${numberType.toString(16)}`);
    }
    w.u8(0x0b);
    return;
  }
  switch (e.op) {
    case 'i32.const':
      writeI32Const(w, e.value);
      break;
    case 'i64.const':
      w.u8(0x42).s64leb(e.value);
      break;
    case 'f32.const':
      w.u8(0x43).f32(e.value);
      break;
    case 'f64.const':
      w.u8(0x44).f64(e.value);
      break;
    case 'v128.const':
      if (e.bytes.length !== 16) throw new WasmEncodeError('WASM_RANGE', 'v128.const needs 16 bytes');
      w.u8(0xfd).u32leb(12).bytes(e.bytes);
      break;
    case 'global.get':
      w.u8(0x23).u32leb(e.index);
      break;
    case 'ref.null':
      w.u8(0xd0).u8(e.type);
      break;
    case 'ref.func':
      w.u8(0xd2).u32leb(e.index);
      break;
  }
  w.u8(0x0b);
}
