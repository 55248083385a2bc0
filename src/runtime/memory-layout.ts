/**
 * Where the runtime keeps its own state in the shared linear memory. Fixed addresses, so the
 * wasm half can use them as constants and the host half (and tests) can inspect them.
 *
 *   [0, 1024)        never allocated: 0 must never be a valid pointer, and small offsets from a
 *                    null pointer should not land on live data
 *   [1024, 2048)     the runtime's static area (free-list heads, static texts, scratch, and the
 *                    collector's cells at the end: GC_CELLS)
 *   [2048, …)        the heap; every module's static data is allocated from it too
 */

import { ALLOC_GRANULE, BLOCK_HEADER_BYTES, FREE_LIST_HEADS, GC_CELLS, SMALL_BLOCK_MAX as ABI_SMALL_BLOCK_MAX } from './abi.js';

/** First byte the runtime may use. */
export const RESERVED_END = 1024;

/** Allocation granule for small blocks and the alignment of every block. */
export const GRANULE = ALLOC_GRANULE;
/**
 * Bytes in front of every payload: `[class: u8, flags: u8, 0: u16][shape: u32]` (see BlockFlag
 * and HeapShape in the ABI). 8 keeps payloads 8-aligned.
 */
export const BLOCK_HEADER = BLOCK_HEADER_BYTES;
/** The class of a block is the low byte of its first header word. */
export const CLASS_MASK = 0xff;
/** Largest block (header included) served by the 16-byte granule classes. */
export const SMALL_BLOCK_MAX = ABI_SMALL_BLOCK_MAX;
export const SMALL_CLASSES = SMALL_BLOCK_MAX / GRANULE;
/**
 * Larger requests get power-of-two payloads of 2^10 … 2^31 bytes (plus the header), so an array
 * buffer of a power-of-two size, the common case with doubling, fills its block exactly.
 */
export const LARGE_MIN_LOG2 = 10;
export const LARGE_MAX_LOG2 = 31;
export const CLASS_COUNT = SMALL_CLASSES + (LARGE_MAX_LOG2 - LARGE_MIN_LOG2 + 1);
/** Largest request: the payload of the largest class. */
export const MAX_REQUEST = 2 ** LARGE_MAX_LOG2;

/** One u32 per class: the payload address of the first free block, or 0. */
export const FREE_HEADS = FREE_LIST_HEADS;
const FREE_HEADS_END = FREE_HEADS + CLASS_COUNT * 4;

/** The text objects `text_from_bool` returns; never freed (free ignores non-heap pointers). */
export const TRUE_TEXT = align(FREE_HEADS_END, 8);
export const FALSE_TEXT = TRUE_TEXT + 8;
/** Integer formatting writes digits backwards here before copying them into a new text. */
export const SCRATCH = align(FALSE_TEXT + 9, 8);
export const SCRATCH_SIZE = 32;

/** One u32 per class: its block size, header included (a load instead of a computation). */
export const CLASS_SIZE_TABLE = align(SCRATCH + SCRATCH_SIZE, 8);

export const STATIC_END = CLASS_SIZE_TABLE + CLASS_COUNT * 4;

/** Bytes in use before the first collection is asked for (the collector sets the next). */
export const INITIAL_GC_THRESHOLD = 8 << 20;
export const HEAP_BASE = 2048;

if (FREE_HEADS !== RESERVED_END) throw new Error('internal: the free-list heads must start the static area');
if (STATIC_END > GC_CELLS.inUse) throw new Error('internal: the runtime static area overflows into the collector cells');
if (GC_CELLS.pending + 4 > HEAP_BASE) throw new Error('internal: the collector cells overflow into the heap');

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Class index and block size (header included) for a request of `size` bytes, as the wasm computes them. */
export function sizeClass(size: number): { cls: number; blockSize: number } {
  const total = size + BLOCK_HEADER;
  if (total <= SMALL_BLOCK_MAX) {
    const cls = Math.ceil(total / GRANULE) - 1;
    return { cls, blockSize: (cls + 1) * GRANULE };
  }
  const log2 = Math.ceil(Math.log2(size));
  return { cls: SMALL_CLASSES + log2 - LARGE_MIN_LOG2, blockSize: 2 ** log2 + BLOCK_HEADER };
}

/** Size of a block of class `cls`, header included (CLASS_SIZE_TABLE holds these). */
export function sizeOfClass(cls: number): number {
  return cls < SMALL_CLASSES ? (cls + 1) * GRANULE : 2 ** (cls - SMALL_CLASSES + LARGE_MIN_LOG2) + BLOCK_HEADER;
}

/**
 * The static area's initial image: zeroed free-list heads, the two boolean texts, the class
 * sizes, and the allocator's cells (GC_CELLS up to the shadow stack's, which the host sets).
 */
export function staticImage(): Uint8Array {
  const image = new Uint8Array(GC_CELLS.shadowSp - RESERVED_END);
  const put = (addr: number, s: string): void => {
    const at = addr - RESERVED_END;
    new DataView(image.buffer).setUint32(at, s.length, true);
    for (let i = 0; i < s.length; i++) image[at + 4 + i] = s.charCodeAt(i);
  };
  put(TRUE_TEXT, 'true');
  put(FALSE_TEXT, 'false');
  const view = new DataView(image.buffer);
  for (let cls = 0; cls < CLASS_COUNT; cls++) view.setUint32(CLASS_SIZE_TABLE - RESERVED_END + cls * 4, sizeOfClass(cls), true);
  view.setUint32(GC_CELLS.threshold - RESERVED_END, INITIAL_GC_THRESHOLD, true);
  return image;
}
