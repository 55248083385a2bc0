/**
 * Indices the runtime module's function bodies refer to. All functions are declared before any
 * body is written, so bodies can call each other regardless of the order they are emitted in.
 */
import type { FunctionBuilder } from '../../compiler/wasm/index.js';

export interface RuntimeGlobals {
  /** End of the bump region: the next never-used block starts here. */
  readonly heapTop: number;
  /** Bytes of live blocks, headers and class rounding included. */
  readonly inUse: number;
  readonly peak: number;
  readonly allocCount: number;
  readonly freeCount: number;
  /** `bytes in use` past which alloc asks for a collection; the collector sets it after each one. */
  readonly threshold: number;
}

export interface RuntimeFunctions {
  /** Imported `host.panic(kind, site, a, b)`. */
  readonly panic: number;
  /** `(site, requested: i64)`: panics with OutOfMemory; never returns. */
  readonly oom: number;
  readonly alloc: number;
  readonly free: number;
  /** `(ptr) -> 0 | 1`. */
  readonly isBlock: number;
  /** `(ptr, used, size, site) -> ptr`. */
  readonly realloc: number;
  /** `(bytes: i64, site) -> i32`: a byte count known to be allocatable, or an OutOfMemory panic. */
  readonly checkedSize: number;
  /** `(a, b, n) -> -1 | 0 | 1` over raw byte ranges. */
  readonly bytesCmp: number;
  /** `(magnitude: i64, negative, site) -> text`. */
  readonly formatU64: number;
}

export interface RuntimeContext {
  readonly fn: RuntimeFunctions;
  readonly g: RuntimeGlobals;
}

export type BodyEmitter = (f: FunctionBuilder, cx: RuntimeContext) => void;
