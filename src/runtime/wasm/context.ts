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
  /**
   * The young generation (docs/memory.md): blocks bumped at or above `youngStart`, and blocks
   * reused from free lists since the last collection, whose addresses the young log holds at
   * [logBase, logCursor). Free lists are used only while the log has room.
   */
  readonly youngStart: number;
  readonly logBase: number;
  readonly logCursor: number;
  readonly logEnd: number;
  /** The remembered set at [remBase, remCursor): old blocks pointers were stored into. */
  readonly remBase: number;
  readonly remCursor: number;
  readonly remEnd: number;
  /** Set when the remembered set was full: the next collection must be a major one. */
  readonly remOverflow: number;
  /**
   * Bytes of large blocks (1 KiB and up) allocated since the last collection, and the figure
   * past which alloc asks for one: large blocks are never split or merged, so each size a
   * growing value passes through keeps a young generation's worth of them; a smaller young
   * generation for them keeps that waste small.
   */
  readonly largeYoung: number;
  readonly largeYoungLimit: number;
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
  /** `(obj)`: the write barrier's slow path (gc_remember). */
  readonly remember: number;
}

export interface RuntimeContext {
  readonly fn: RuntimeFunctions;
  readonly g: RuntimeGlobals;
}

export type BodyEmitter = (f: FunctionBuilder, cx: RuntimeContext) => void;
