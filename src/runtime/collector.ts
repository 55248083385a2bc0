/**
 * The garbage collector: a precise, non-moving mark-sweep over the allocator's blocks
 * (docs/memory.md).
 *
 * Roots are the shadow stack (every heap pointer a running function holds, kept there by
 * compiled code), the values the host holds (pinned through `HeapHandle`s) and, for static data
 * of unloaded modules, nothing: such data is kept only while something still points into it.
 * Compiled code calls the collector only at safepoints, so no pointer is anywhere else.
 *
 * Written in JavaScript rather than in the runtime's WebAssembly: it runs once per several
 * megabytes allocated, its loops are plain typed-array loops that V8 optimizes well, and mark
 * bits kept on this side cannot corrupt the heap even if a conservative word is followed.
 */
import { BlockFlag, GC_CELLS, HeapShape } from './abi.js';
import { BLOCK_HEADER, CLASS_COUNT, CLASS_MASK, FREE_HEADS, HEAP_BASE, INITIAL_GC_THRESHOLD, sizeOfClass } from './memory-layout.js';
import type { RuntimeModuleExports } from './runtime-module.js';

export interface CollectorOptions {
  /** Bytes in use at which the first collection happens (later ones follow the live size). Default 8 MiB. */
  readonly initialThreshold?: number;
  /** Collect at every safepoint: for tests that hunt for unrooted pointers. */
  readonly stress?: boolean;
}

export interface CollectorStats {
  readonly collections: number;
  /** Bytes of live blocks after the last collection. */
  readonly liveBytesAfterLast: number;
  /** Blocks freed by all collections. */
  readonly blocksFreed: number;
  /** Milliseconds spent collecting, in total. */
  readonly totalMs: number;
  /** Bytes in use past which the next collection happens. */
  readonly threshold: number;
}

interface StaticRange {
  readonly start: number;
  readonly end: number;
  /** Released by its owner (its module was unloaded): freed once nothing points into it. */
  released: boolean;
  referenced: boolean;
}

/** Headroom over the live size before the next collection: half the live size, at least this. */
const MIN_HEADROOM = 8 << 20;
/** Written over freed blocks under `stress`: not a valid pointer, not a plausible length. */
const POISON = 0xdeadbeef;

export class Collector {
  private readonly pins = new Map<number, number>();
  /** Static blocks, sorted by address: pointers into them are valid but never followed. */
  private statics: StaticRange[] = [];
  private marks = new Uint32Array(0);
  private stack = new Int32Array(1024);
  private collections = 0;
  private liveAfterLast = 0;
  private blocksFreed = 0;
  private totalMs = 0;
  private readonly stress: boolean;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly rt: RuntimeModuleExports,
    options: CollectorOptions = {},
  ) {
    this.stress = options.stress ?? false;
    this.setThreshold(this.stress ? 0 : (options.initialThreshold ?? INITIAL_GC_THRESHOLD));
  }

  /** Keeps the block at `ptr` (and what it reaches) alive until as many `unpin`s. */
  pin(ptr: number): void {
    this.pins.set(ptr, (this.pins.get(ptr) ?? 0) + 1);
  }

  unpin(ptr: number): void {
    const n = this.pins.get(ptr);
    if (n === undefined) return;
    if (n <= 1) this.pins.delete(ptr);
    else this.pins.set(ptr, n - 1);
  }

  get pinnedCount(): number {
    return this.pins.size;
  }

  /** Flags the block whose payload is at `block` Static and records it. */
  addStatic(block: number): void {
    const u32 = new Uint32Array(this.memory.buffer);
    const w0 = u32[(block - BLOCK_HEADER) >>> 2];
    u32[(block - BLOCK_HEADER) >>> 2] = w0 | BlockFlag.Static;
    const start = block - BLOCK_HEADER;
    const range: StaticRange = { start, end: start + sizeOfClass(w0 & CLASS_MASK), released: false, referenced: false };
    const at = this.staticIndex(range.start);
    this.statics.splice(at, 0, range);
  }

  /**
   * Its owner no longer needs the static block at `ptr`: it is freed by the next collection that
   * finds no pointer into it (a text literal of an unloaded module may still be held elsewhere).
   */
  releaseStatic(ptr: number): void {
    const r = this.staticContaining(ptr);
    if (r) r.released = true;
    this.request();
  }

  /** Asks the next safepoint to collect. */
  request(): void {
    new Uint32Array(this.memory.buffer, GC_CELLS.pending, 1)[0] = 1;
  }

  stats(): CollectorStats {
    return {
      collections: this.collections,
      liveBytesAfterLast: this.liveAfterLast,
      blocksFreed: this.blocksFreed,
      totalMs: this.totalMs,
      threshold: (this.rt.gc_threshold.value as number) >>> 0,
    };
  }

  /**
   * Collects. Only safe where every heap pointer of running Simple code is in the shadow stack:
   * at a safepoint, or when no Simple code is running.
   */
  collect(shadowTop: number): void {
    const started = performance.now();
    const u32 = new Uint32Array(this.memory.buffer);
    u32[GC_CELLS.pending >> 2] = 0;
    const heapTop = (this.rt.heap_top.value as number) >>> 0;
    const granules = (heapTop - HEAP_BASE) >>> 3;
    const words = (granules + 31) >>> 5;
    if (this.marks.length < words) this.marks = new Uint32Array(Math.max(words, this.marks.length * 2));
    else this.marks.fill(0, 0, words);
    for (const r of this.statics) r.referenced = false;

    this.mark(u32, heapTop, shadowTop);
    // Released static blocks nothing points into lose their Static flag, so the sweep frees them.
    if (this.statics.some((r) => r.released && !r.referenced)) {
      this.statics = this.statics.filter((r) => {
        if (!r.released || r.referenced) return true;
        u32[r.start >> 2] &= ~BlockFlag.Static;
        return false;
      });
    }
    this.sweep(u32, heapTop);

    this.collections++;
    this.totalMs += performance.now() - started;
  }

  private mark(u32: Uint32Array, heapTop: number, shadowTop: number): void {
    const marks = this.marks;
    let stack = this.stack;
    let sp = 0;
    const statics = this.statics;
    const lastStaticEnd = statics.length > 0 ? statics[statics.length - 1].end : 0;

    // Marks `p` if it is the payload of a live, non-static block not yet marked; returns whether
    // it must be traced.
    const visit = (p: number): void => {
      if (p < HEAP_BASE + BLOCK_HEADER || p >= heapTop || (p & 7) !== 0) return;
      if (p < lastStaticEnd) {
        const r = this.staticContaining(p);
        if (r) {
          r.referenced = true;
          return;
        }
      }
      const g = (p - HEAP_BASE) >>> 3;
      const bit = 1 << (g & 31);
      if (marks[g >>> 5] & bit) return;
      const w0 = u32[(p - BLOCK_HEADER) >>> 2];
      if ((w0 & CLASS_MASK) >= CLASS_COUNT || (w0 & (BlockFlag.Free | BlockFlag.Static)) !== 0) return;
      marks[g >>> 5] |= bit;
      if (u32[(p - 4) >>> 2] === HeapShape.Leaf) return;
      if (sp === stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        this.stack = stack = bigger;
      }
      stack[sp++] = p;
    };

    const sp0 = u32[GC_CELLS.shadowSp >> 2];
    for (let a = sp0; a < shadowTop; a += 4) visit(u32[a >>> 2]);
    for (const p of this.pins.keys()) visit(p);

    while (sp > 0) {
      const p = stack[--sp];
      const shape = u32[(p - 4) >>> 2];
      const base = p >>> 2;
      if (shape === HeapShape.ArrayOfPointers || shape === HeapShape.ArrayOfValues) {
        const data = u32[base + 2];
        visit(data);
        if (shape === HeapShape.ArrayOfPointers && data !== 0) {
          const len = u32[base];
          const from = data >>> 2;
          for (let i = 0; i < len; i++) visit(u32[from + i]);
        }
      } else if ((shape & HeapShape.Record) !== 0) {
        let bits = shape & ((1 << HeapShape.RecordBitmapWords) - 1);
        for (let i = 0; bits !== 0; i++, bits >>>= 1) if (bits & 1) visit(u32[base + i]);
        if ((shape & HeapShape.RecordTail) !== 0) {
          const payloadWords = (sizeOfClass(u32[(p - BLOCK_HEADER) >>> 2] & CLASS_MASK) - BLOCK_HEADER) >>> 2;
          for (let i = HeapShape.RecordBitmapWords; i < payloadWords; i++) visit(u32[base + i]);
        }
      }
    }
  }

  /**
   * Frees every block neither marked nor static, rebuilds the free lists in address order, and
   * gives the free blocks at the top of the heap back to the bump region.
   */
  private sweep(u32: Uint32Array, heapTop: number): void {
    const marks = this.marks;
    const live = (a: number, w0: number): boolean => {
      if ((w0 & BlockFlag.Static) !== 0) return true;
      if ((w0 & BlockFlag.Free) !== 0) return false;
      const g = (a + BLOCK_HEADER - HEAP_BASE) >>> 3;
      return (marks[g >>> 5] & (1 << (g & 31))) !== 0;
    };

    let liveEnd = HEAP_BASE;
    for (let a = HEAP_BASE; a < heapTop; ) {
      const w0 = u32[a >>> 2];
      const size = sizeOfClass(w0 & CLASS_MASK);
      if (live(a, w0)) liveEnd = a + size;
      a += size;
    }

    const heads = new Uint32Array(CLASS_COUNT);
    const tails = new Uint32Array(CLASS_COUNT);
    let liveBytes = 0;
    let freed = 0;
    for (let a = HEAP_BASE; a < liveEnd; ) {
      const w0 = u32[a >>> 2];
      const cls = w0 & CLASS_MASK;
      const size = sizeOfClass(cls);
      if (live(a, w0)) {
        liveBytes += size;
      } else {
        if ((w0 & BlockFlag.Free) === 0) {
          freed++;
          u32[a >>> 2] = cls | BlockFlag.Free;
          // Under stress, what is freed is poisoned, so a use after free shows.
          if (this.stress) u32.fill(POISON, (a + BLOCK_HEADER) >>> 2, (a + size) >>> 2);
        }
        const payload = a + BLOCK_HEADER;
        u32[payload >>> 2] = 0;
        if (tails[cls] !== 0) u32[tails[cls] >>> 2] = payload;
        else heads[cls] = payload;
        tails[cls] = payload;
      }
      a += size;
    }
    for (let a = liveEnd; a < heapTop; ) {
      const w0 = u32[a >>> 2];
      if ((w0 & BlockFlag.Free) === 0) freed++;
      a += sizeOfClass(w0 & CLASS_MASK);
    }
    u32.set(heads, FREE_HEADS >>> 2);

    const rt = this.rt;
    rt.heap_top.value = liveEnd;
    rt.bytes_in_use.value = liveBytes;
    rt.free_count.value = ((rt.free_count.value as number) + freed) | 0;
    this.blocksFreed += freed;
    this.liveAfterLast = liveBytes;
    this.setThreshold(this.stress ? 0 : liveBytes + Math.max(liveBytes >>> 1, MIN_HEADROOM));
  }

  private setThreshold(bytes: number): void {
    this.rt.gc_threshold.value = Math.min(bytes, 0xffff_ffff) | 0;
  }

  /** Index of the first static range starting at or after `start`. */
  private staticIndex(start: number): number {
    let lo = 0;
    let hi = this.statics.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.statics[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private staticContaining(p: number): StaticRange | undefined {
    const i = this.staticIndex(p + 1) - 1;
    const r = i >= 0 ? this.statics[i] : undefined;
    return r && p < r.end ? r : undefined;
  }
}
