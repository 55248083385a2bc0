/**
 * How values of each Simple type are represented: in WebAssembly locals and in linear memory.
 * The single source of truth for docs/code-model.md's "Values" table; the lowering, the runtime
 * glue and the host-call conversions all ask here.
 */
import type { Type } from '../types/index.js';

export type WasmValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

export interface ValueRepr {
  /** The WebAssembly value type, or null for unit (no value). */
  readonly wasm: WasmValType | null;
  /** Bytes the value takes in memory (as an array element or struct field). */
  readonly size: number;
  readonly align: number;
}

const UNIT: ValueRepr = { wasm: null, size: 0, align: 1 };
const PTR: ValueRepr = { wasm: 'i32', size: 4, align: 4 };

export function reprOf(t: Type): ValueRepr {
  switch (t.kind) {
    case 'int': {
      const size = t.bits / 8;
      return { wasm: t.bits === 64 ? 'i64' : 'i32', size, align: size };
    }
    case 'float':
      return t.bits === 64 ? { wasm: 'f64', size: 8, align: 8 } : { wasm: 'f32', size: 4, align: 4 };
    case 'bool':
      return { wasm: 'i32', size: 1, align: 1 };
    case 'simd':
      return { wasm: 'v128', size: 16, align: 16 };
    case 'unit':
      return UNIT;
    case 'string':
    case 'array':
    case 'tuple':
    case 'named':
      return PTR;
    default:
      throw new Error(`internal: no representation for a ${t.kind} type`);
  }
}

export interface RecordLayout {
  readonly size: number;
  readonly align: number;
  readonly offsets: readonly number[];
}

/** Struct and tuple layout: declaration order, natural alignment, size rounded to the alignment. */
export function recordLayout(fields: readonly Type[]): RecordLayout {
  let offset = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const f of fields) {
    const r = reprOf(f);
    const a = Math.max(r.align, 1);
    offset = (offset + a - 1) & ~(a - 1);
    offsets.push(offset);
    offset += r.size;
    align = Math.max(align, a);
  }
  const size = Math.max((offset + align - 1) & ~(align - 1), 1);
  return { size, align, offsets };
}

/** Whether values of `t` are pointers to heap objects (what the collector follows). */
export function isHeapPointer(t: Type): boolean {
  return t.kind === 'string' || t.kind === 'array' || t.kind === 'tuple' || t.kind === 'named';
}

/**
 * The shape word of a record (docs/memory.md): a bitmap of the 4-byte words holding pointers,
 * or Leaf when none does. Pointers past word 29 set the conservative-tail bit.
 */
export function recordShape(fields: readonly Type[], layout: RecordLayout = recordLayout(fields)): number {
  let bits = 0;
  let tail = false;
  fields.forEach((f, i) => {
    if (!isHeapPointer(f)) return;
    const word = layout.offsets[i] / 4;
    if (word < 30) bits |= 1 << word;
    else tail = true;
  });
  if (bits === 0 && !tail) return 0;
  return (0x8000_0000 | bits | (tail ? 0x4000_0000 : 0)) >>> 0;
}

/** Layout of the array header `[len: u32][cap: u32][data: u32]`. */
export const ARRAY_HEADER = { size: 12, len: 0, cap: 4, data: 8 } as const;
/** Layout of text: `[len: u32][bytes]`. */
export const TEXT_HEADER = { size: 4, len: 0 } as const;
