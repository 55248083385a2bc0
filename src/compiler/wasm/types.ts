/**
 * WebAssembly type vocabulary as the byte codes the binary format uses, so encoding a type is a
 * single `u8` and no lookup table sits on the hot path.
 */
import type { ByteWriter } from './bytes.js';
import { WasmEncodeError } from './errors.js';

export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
} as const;
export type ValType = (typeof ValType)[keyof typeof ValType];
export type NumType = typeof ValType.i32 | typeof ValType.i64 | typeof ValType.f32 | typeof ValType.f64;
export type RefType = typeof ValType.funcref | typeof ValType.externref;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** Sizes are in elements for tables and 64 KiB pages for memories. `shared` is memory-only. */
export interface Limits {
  readonly min: number;
  readonly max?: number;
  readonly shared?: boolean;
}

export interface TableType {
  readonly element: RefType;
  readonly limits: Limits;
}

export type MemoryType = Limits;

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

export const ExternalKind = { func: 0, table: 1, memory: 2, global: 3 } as const;
export type ExternalKind = (typeof ExternalKind)[keyof typeof ExternalKind];

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

/**
 * A block type in its binary meaning: the format stores it as an s33 where the negative values
 * -0x40 (empty) and -1..-0x11 (one value type) coexist with non-negative type indices. Keeping that
 * representation makes encoding one `s32leb`. The brand stops a bare `ValType` (e.g. 0x7f = 127)
 * from being taken as type index 127 by mistake; build values with `BlockType.*`.
 */
export type BlockType = number & { readonly __blockType: true };
export const BlockType = {
  empty: -0x40 as BlockType,
  i32: (ValType.i32 - 0x80) as BlockType,
  i64: (ValType.i64 - 0x80) as BlockType,
  f32: (ValType.f32 - 0x80) as BlockType,
  f64: (ValType.f64 - 0x80) as BlockType,
  v128: (ValType.v128 - 0x80) as BlockType,
  funcref: (ValType.funcref - 0x80) as BlockType,
  externref: (ValType.externref - 0x80) as BlockType,
  /** A block yielding one value of type `t`. */
  of(t: ValType): BlockType {
    return (t - 0x80) as BlockType;
  },
  /** A multi-value block with the params/results of function type `typeIndex`. */
  func(typeIndex: number): BlockType {
    if (typeIndex >>> 0 !== typeIndex || typeIndex > 0x7fffffff) {
      throw new WasmEncodeError('WASM_RANGE', `bad block type index: ${typeIndex}`);
    }
    return typeIndex as BlockType;
  },
} as const;

export function writeValTypes(w: ByteWriter, types: readonly ValType[]): void {
  w.u32leb(types.length);
  for (let i = 0; i < types.length; i++) w.u8(types[i]);
}

export function writeFuncType(w: ByteWriter, params: readonly ValType[], results: readonly ValType[]): void {
  w.u8(0x60);
  writeValTypes(w, params);
  writeValTypes(w, results);
}

export function writeLimits(w: ByteWriter, l: Limits): void {
  if (l.max === undefined) {
    if (l.shared) throw new WasmEncodeError('WASM_RANGE', 'a shared memory needs a maximum');
    w.u8(0x00).u32leb(l.min);
  } else {
    w.u8(l.shared ? 0x03 : 0x01).u32leb(l.min).u32leb(l.max);
  }
}

export function writeTableType(w: ByteWriter, t: TableType): void {
  w.u8(t.element);
  writeLimits(w, t.limits);
}

export function writeGlobalType(w: ByteWriter, t: GlobalType): void {
  w.u8(t.type).u8(t.mutable ? 1 : 0);
}
