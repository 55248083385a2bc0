/**
 * The contract between compiled code and the runtime: the functions every compiled module may
 * import from the `rt` namespace, with their WebAssembly signatures.
 *
 * Compiled code imports only what it uses. The loader builds the `rt` namespace once per process
 * from the shared runtime instance's exports and the host glue (printing, formatting, traps).
 *
 * `site` parameters are pointers to a text object holding the display name of the calling
 * function (e.g. `max<i64>`); they are read only when the call fails, to name the function in
 * the trap message.
 */
import type { WasmValType } from './layout.js';

export interface RuntimeFunction {
  readonly params: readonly WasmValType[];
  readonly results: readonly WasmValType[];
}

/**
 * Goes up whenever code compiled against one runtime would misbehave with another (2: the
 * collector — shadow-stack frames, safepoints, shaped allocation; 3: generations — the write
 * barrier on pointer stores, wide records laid out pointers first; 4: allocation inline, the
 * allocator's counters and young log in GC_CELLS, `text_append`). Code kept from earlier runs
 * (`jit_cache`) is only reused when it was compiled for this version.
 */
export const CODE_ABI_VERSION = 4;
/**
 * The custom section every unit carries with its CODE_ABI_VERSION (a u32 LEB): code without it,
 * or with another version, is refused by the linker and the loader instead of being run against
 * a runtime whose collector it does not cooperate with.
 */
export const CODE_ABI_SECTION = 'simple.abi';

export const RUNTIME_ABI = {
  /** Allocates `size` bytes, 8-aligned, uninitialized. Traps with out-of-memory on failure. */
  alloc: { params: ['i32', 'i32'], results: ['i32'] }, // (size, site) -> ptr
  /** `alloc` for a struct or tuple: also writes the block's HeapShape word. */
  alloc_shaped: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (size, shape, site) -> ptr
  free: { params: ['i32'], results: [] }, // (ptr)
  /**
   * A new array of `len` uninitialized elements of `elemSize` bytes; `shape` is
   * HeapShape.ArrayOfPointers or ArrayOfValues. The caller writes every element before the next
   * safepoint (a collection follows a pointer array's elements).
   */
  array_new: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] }, // (elemSize, len, shape, site) -> arr
  /** Grows the array by one element and returns that element's address (for `push`). */
  array_push_slot: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (arr, elemSize, site) -> addr
  /** Shrinks the array by one element and returns the removed element's address (for `pop`). */
  array_pop_slot: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (arr, elemSize, site) -> addr
  text_concat: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (a, b, site) -> text
  /**
   * `s + b` where the compiler proved `s` the only reference to its text (text-append.ts): grows
   * `s` in place when its block has room, else copies it into a block with room to spare and
   * frees it. (a, b, site) -> text
   */
  text_append: { params: ['i32', 'i32', 'i32'], results: ['i32'] },
  /** Byte-wise lexicographic comparison: -1, 0 or 1. */
  text_cmp: { params: ['i32', 'i32'], results: ['i32'] },
  text_eq: { params: ['i32', 'i32'], results: ['i32'] },
  text_from_i64: { params: ['i64', 'i32'], results: ['i32'] }, // (value, site) -> text
  text_from_u64: { params: ['i64', 'i32'], results: ['i32'] },
  text_from_f64: { params: ['f64', 'i32'], results: ['i32'] },
  text_from_f32: { params: ['f32', 'i32'], results: ['i32'] },
  text_from_bool: { params: ['i32'], results: ['i32'] },
  /** Float remainder with the sign of the dividend (C fmod), exact. */
  f64_rem: { params: ['f64', 'f64'], results: ['f64'] },
  print_text: { params: ['i32'], results: [] },
  print_i64: { params: ['i64'], results: [] },
  print_u64: { params: ['i64'], results: [] },
  print_f64: { params: ['f64'], results: [] },
  print_f32: { params: ['f32'], results: [] },
  print_bool: { params: ['i32'], results: [] },
  /** Stops the program with a trap: (kind, site, detail a, detail b). Never returns. */
  panic: { params: ['i32', 'i32', 'i64', 'i64'], results: [] },
  /**
   * A safepoint found a collection pending (`GC_CELLS.pending` non-zero): collect now. Called
   * only where every live heap pointer of every active frame is in the shadow stack.
   */
  gc_collect: { params: [], results: [] },
  /**
   * The write barrier's slow path: a heap pointer was stored into the block at `obj`, which is
   * old and not yet remembered (compiled code checks the header's flags first). Records it, so
   * the next minor collection traces what it now points to.
   */
  gc_remember: { params: ['i32'], results: [] },
} as const satisfies Record<string, RuntimeFunction>;

export type RuntimeFunctionName = keyof typeof RUNTIME_ABI;

/** The `kind` argument of `panic`. */
export const TrapKind = {
  DivideByZero: 1,
  IndexOutOfBounds: 2, // a = index, b = length
  PopEmpty: 3,
  AssertFailed: 4,
  OutOfMemory: 5, // a = requested bytes
  Unreachable: 6,
  /** The shadow stack (the stack of heap-pointer slots, docs/memory.md) is full. */
  StackOverflow: 7,
} as const;
export type TrapKind = (typeof TrapKind)[keyof typeof TrapKind];

/**
 * Words of the runtime's static area that compiled code reads and writes at fixed addresses
 * (docs/memory.md). Fixed addresses instead of imported globals keep a unit's import list, and so
 * the linker and the loader, unaware of the collector.
 */
export const GC_CELLS = {
  /**
   * The allocator's counters and young log, which compiled code's inline allocation
   * (src/compiler/lower/inline-alloc.ts) updates as the runtime's `alloc` does: bytes of live
   * blocks, blocks allocated, the bytes in use past which a collection is asked for, and the
   * young log's cursor and end (docs/memory.md).
   */
  inUse: 2012,
  allocCount: 2016,
  threshold: 2020,
  logCursor: 2024,
  logEnd: 2028,
  /** Top of the shadow stack: the lowest address in use. Frames grow downwards. */
  shadowSp: 2032,
  /** Lowest address the shadow stack may reach; below it is a StackOverflow trap. */
  shadowLimit: 2036,
  /** Non-zero when the allocator has passed its threshold: the next safepoint collects. */
  pending: 2040,
} as const;

/**
 * The size classes compiled code allocates from inline: a request of `size` payload bytes whose
 * block (header included) is at most SMALL_BLOCK_MAX takes class `ceil((size + 8) / 16) - 1`,
 * a block of `(class + 1) * 16` bytes; the head of each class's free list is the u32 at
 * `FREE_LIST_HEADS + 4 * class` (the payload of the first free block, whose first word links to
 * the next, or 0).
 */
export const FREE_LIST_HEADS = 1024;
export const ALLOC_GRANULE = 16;
export const SMALL_BLOCK_MAX = 1024;

/**
 * Every heap block starts with an 8-byte header in front of its payload:
 * `[class: u8, flags: u8, 0: u16][shape: u32]`. Compiled code writes the shape of each struct,
 * tuple and array it makes (alloc leaves 0, a leaf) so the collector knows where pointers are.
 */
export const BLOCK_HEADER_BYTES = 8;
export const BlockFlag = {
  /** On a free list. */
  Free: 1 << 8,
  /** Static data and runtime regions: never collected, never traced, freed only explicitly. */
  Static: 1 << 9,
  /**
   * Survived a collection (the sticky mark of the generational scheme): minor collections
   * neither trace nor sweep it; a major collection decides again.
   */
  Old: 1 << 10,
  /** An old block a pointer was stored into since the last collection: in the remembered set. */
  Remembered: 1 << 11,
} as const;

/** The shape word: how the collector finds the pointers in a block's payload. */
export const HeapShape = {
  /** No pointers: text, buffers of numbers, records of numbers. */
  Leaf: 0,
  /** An array header `[len][cap][data]` whose `len` elements are pointers. */
  ArrayOfPointers: 1,
  /** An array header whose elements are not pointers: only the buffer is kept alive. */
  ArrayOfValues: 2,
  /** A struct or tuple: bit 31 set, bit i (i < 30) set if payload word i is a pointer. */
  Record: 0x8000_0000,
  /**
   * With Record: the low 30 bits are not a bitmap but a count n — the first n payload words are
   * pointers (a record too wide for the bitmap has its pointer fields laid out first).
   */
  RecordTail: 0x4000_0000,
  /** Words a record bitmap describes exactly. */
  RecordBitmapWords: 30,
} as const;

/** Why code stating `found` (undefined: no `simple.abi` section) cannot run here. */
export function codeAbiMismatch(found: number | undefined): string {
  const what = found === undefined ? 'code from before the garbage collector (no code ABI version)' : `code for code ABI ${found}`;
  return `it holds ${what}; this smf runs code ABI ${CODE_ABI_VERSION}: compile it again`;
}
