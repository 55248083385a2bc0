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

export const RUNTIME_ABI = {
  /** Allocates `size` bytes, 8-aligned, uninitialized. Traps with out-of-memory on failure. */
  alloc: { params: ['i32', 'i32'], results: ['i32'] }, // (size, site) -> ptr
  free: { params: ['i32'], results: [] }, // (ptr)
  /** A new array of `len` uninitialized elements of `elemSize` bytes. */
  array_new: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (elemSize, len, site) -> arr
  /** Grows the array by one element and returns that element's address (for `push`). */
  array_push_slot: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (arr, elemSize, site) -> addr
  /** Shrinks the array by one element and returns the removed element's address (for `pop`). */
  array_pop_slot: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (arr, elemSize, site) -> addr
  text_concat: { params: ['i32', 'i32', 'i32'], results: ['i32'] }, // (a, b, site) -> text
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
} as const;
export type TrapKind = (typeof TrapKind)[keyof typeof TrapKind];
