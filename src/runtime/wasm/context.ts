/**
 * Indices the runtime module's function bodies refer to. All functions are declared before any
 * body is written, so bodies can call each other regardless of the order they are emitted in.
 */
import type { FunctionBuilder } from '../../compiler/wasm/index.js';

export interface RuntimeGlobals {
  /** End of the bump region: the next never-used block starts here. */
  readonly heapTop: number;
  /** The largest `GC_CELLS.inUse` seen (bytes of live blocks, headers and rounding included). */
  readonly peak: number;
  readonly freeCount: number;
  /**
   * The young generation (docs/memory.md): blocks bumped at or above `youngStart`, and blocks
   * reused from free lists since the last collection, whose addresses the young log holds at
   * [logBase, GC_CELLS.logCursor). Free lists are used only while the log has room (up to
   * GC_CELLS.logEnd). Those cells, the bytes in use, the allocation count and the threshold live
   * in memory, not in globals: compiled code allocates inline too (GC_CELLS).
   */
  readonly youngStart: number;
  readonly logBase: number;
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

/** Pushes the i32 in the runtime cell at `addr` (GC_CELLS). */
export function getCell(f: FunctionBuilder, addr: number): FunctionBuilder {
  return f.i32Const(0).i32Load(addr);
}

/** Stores what `value` pushes into the runtime cell at `addr`. */
export function setCell(f: FunctionBuilder, addr: number, value: () => void): void {
  f.i32Const(0);
  value();
  f.i32Store(addr);
}

export type BodyEmitter = (f: FunctionBuilder, cx: RuntimeContext) => void;
