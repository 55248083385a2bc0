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

/** Words of a record the shape's bitmap describes one by one (HeapShape.RecordBitmapWords). */
const BITMAP_WORDS = 30;

/**
 * Struct and tuple layout: declaration order, natural alignment, size rounded to the alignment —
 * except that a record whose declaration order would put a pointer past the words its shape's
 * bitmap describes has its pointer fields laid out first, so its shape stays exact (the
 * collector never has to guess which words are pointers; docs/memory.md).
 */
export function recordLayout(fields: readonly Type[]): RecordLayout {
  const inOrder = layoutInOrder(fields, fields.map((_, i) => i));
  const pastBitmap = fields.some((f, i) => isHeapPointer(f) && inOrder.offsets[i] / 4 >= BITMAP_WORDS);
  if (!pastBitmap) return inOrder;
  const order = [...fields.keys()].sort((a, b) => Number(isHeapPointer(fields[b])) - Number(isHeapPointer(fields[a])) || a - b);
  return layoutInOrder(fields, order);
}

/** Lays out `fields` in the order `order` gives; offsets are by field index. */
function layoutInOrder(fields: readonly Type[], order: readonly number[]): RecordLayout {
  let offset = 0;
  let align = 1;
  const offsets: number[] = new Array(fields.length);
  for (const i of order) {
    const r = reprOf(fields[i]);
    const a = Math.max(r.align, 1);
    offset = (offset + a - 1) & ~(a - 1);
    offsets[i] = offset;
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
 * or Leaf when none does. A record with pointers past word 29 has them first (recordLayout):
 * its shape is the tail bit and their count.
 */
export function recordShape(fields: readonly Type[], layout: RecordLayout = recordLayout(fields)): number {
  const words = fields.flatMap((f, i) => (isHeapPointer(f) ? [layout.offsets[i] / 4] : []));
  if (words.length === 0) return 0;
  if (words.every((w) => w < BITMAP_WORDS)) return (0x8000_0000 | words.reduce((bits, w) => bits | (1 << w), 0)) >>> 0;
  if (words.some((w) => w >= words.length)) throw new Error('internal: a wide record whose pointers are not laid out first');
  return (0x8000_0000 | 0x4000_0000 | words.length) >>> 0;
}

/**
 * Layout of the array header `[len: u32][cap: u32][data: u32]`. A new array's first buffer, when
 * small, shares the header's block: `data` is then the header's address plus `inlineData`
 * (`inlineMax` bytes at most), until a push outgrows it.
 */
export const ARRAY_HEADER = { size: 12, len: 0, cap: 4, data: 8, inlineData: 16, inlineMax: 128, minCapacity: 4 } as const;
/** Layout of text: `[len: u32][bytes]`. */
export const TEXT_HEADER = { size: 4, len: 0 } as const;
