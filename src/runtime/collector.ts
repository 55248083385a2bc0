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
import { SimpleTrap } from './trap.js';

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

/**
 * Headroom over the live size before the next collection: a quarter of the live size, at least
 * this — so memory stays under twice the live data, with the collection count linear in it.
 */
const MIN_HEADROOM = 8 << 20;
/** Block size by class, header included. */
const CLASS_SIZES = Int32Array.from({ length: CLASS_COUNT }, (_, cls) => sizeOfClass(cls));

/** Bytes of mark bitmap for a heap ending at `heapTop`: a bit per granule, whole words. */
function bitmapBytes(heapTop: number): number {
  return (((heapTop - HEAP_BASE) >>> 3) + 31 >>> 5) << 2;
}

export class Collector {
  private readonly pins = new Map<number, number>();
  /** Static blocks, sorted by address: pointers into them are valid but never followed. */
  private statics: StaticRange[] = [];
  private stack = new Int32Array(1024);
  private collections = 0;
  private liveAfterLast = 0;
  private blocksFreed = 0;
  private totalMs = 0;
  private readonly stress: boolean;

  /**
   * `maximumBytes`: the memory's limit. Collections are asked for well before the heap could
   * reach it (the allocator itself never collects, so a threshold past the limit would end in
   * out-of-memory with garbage still to free).
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly rt: RuntimeModuleExports,
    options: CollectorOptions = {},
    private readonly maximumBytes = 2 ** 32,
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
    const heapTop = (this.rt.heap_top.value as number) >>> 0;
    const marks = this.markBitmap(heapTop);
    const u32 = new Uint32Array(this.memory.buffer);
    u32.fill(0, marks >>> 2, (marks + bitmapBytes(heapTop)) >>> 2);
    for (const r of this.statics) r.referenced = false;

    // Static blocks given back by their owners are freed once nothing points into them; only
    // the JavaScript mark notes which static block each pointer lands in.
    const tracking = this.statics.some((r) => r.released);
    let liveEnd = tracking ? this.mark(u32, marks >>> 2, heapTop, shadowTop) : this.markInWasm(marks, heapTop, shadowTop);
    // Released static blocks nothing points into lose their Static flag, so the sweep frees them.
    if (this.statics.some((r) => r.released && !r.referenced)) {
      this.statics = this.statics.filter((r) => {
        if (!r.released || r.referenced) return true;
        u32[r.start >> 2] &= ~BlockFlag.Static;
        return false;
      });
    }
    for (const r of this.statics) liveEnd = Math.max(liveEnd, r.end);
    this.blocksFreed += this.rt.gc_sweep(marks, liveEnd, this.stress ? 1 : 0);

    u32[GC_CELLS.pending >> 2] = 0;
    const live = (this.rt.bytes_in_use.value as number) >>> 0;
    this.liveAfterLast = live;
    this.setThreshold(this.stress ? 0 : live + Math.max(live >>> 2, MIN_HEADROOM));
    this.collections++;
    this.totalMs += performance.now() - started;
  }

  /**
   * The mark bitmap's address: one bit per 8-byte granule of the heap, in the unused memory just
   * above the heap's top (nothing allocates while a collection runs, and a block there would
   * keep the heap's top from coming down). Grows the memory when the gap is too small.
   */
  private markBitmap(heapTop: number): number {
    const at = (heapTop + 7) & ~7;
    const end = at + bitmapBytes(heapTop);
    if (end > this.memory.buffer.byteLength) this.grow(end);
    return at;
  }

  /** The WebAssembly mark (wasm/mark.ts) from the same roots; returns the end of the highest marked block. */
  private markInWasm(marks: number, heapTop: number, shadowTop: number): number {
    const base = marks + bitmapBytes(heapTop);
    const sp0 = new Uint32Array(this.memory.buffer, GC_CELLS.shadowSp, 1)[0];
    const roots = (shadowTop - sp0) / 4 + this.pins.size;
    const need = base + roots * 4 + 4;
    if (need > this.memory.buffer.byteLength) this.grow(need);
    const u32 = new Uint32Array(this.memory.buffer);
    let sp = base;
    for (let a = sp0; a < shadowTop; a += 4) {
      const p = u32[a >>> 2];
      if (p !== 0) u32[(sp += 4) / 4 - 1] = p;
    }
    for (const p of this.pins.keys()) u32[(sp += 4) / 4 - 1] = p;
    const liveEnd = this.rt.gc_mark(marks, base, sp, heapTop);
    if (liveEnd === -1) throw new SimpleTrap('OutOfMemory', undefined, { requested: 0n });
    return liveEnd >>> 0;
  }

  private grow(end: number): void {
    const have = this.memory.buffer.byteLength;
    try {
      this.memory.grow(Math.ceil((end - have) / 65536));
    } catch {
      throw new SimpleTrap('OutOfMemory', undefined, { requested: BigInt(end - have) });
    }
  }

  /**
   * Marks what the roots reach; returns the end of the highest marked block. One loop over a
   * stack of candidate pointers, each checked when it is popped: no call per pointer, which is
   * what this loop's speed comes down to.
   */
  private mark(u32: Uint32Array, marksAt: number, heapTop: number, shadowTop: number): number {
    let liveEnd = HEAP_BASE;
    let stack = this.stack;
    let sp = 0;
    const push = (p: number): void => {
      if (sp === stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        this.stack = stack = bigger;
      }
      stack[sp++] = p;
    };
    const sp0 = u32[GC_CELLS.shadowSp >> 2];
    for (let a = sp0; a < shadowTop; a += 4) if (u32[a >>> 2] !== 0) push(u32[a >>> 2]);
    for (const p of this.pins.keys()) push(p);

    const lastStaticEnd = this.statics.length > 0 ? this.statics[this.statics.length - 1].end : 0;
    const lowest = HEAP_BASE + BLOCK_HEADER;
    const notBlock = BlockFlag.Free | BlockFlag.Static;
    while (sp > 0) {
      const p = stack[--sp] >>> 0;
      if (p < lowest || p >= heapTop || (p & 7) !== 0) continue;
      if (p < lastStaticEnd) {
        const r = this.staticContaining(p);
        if (r) {
          r.referenced = true;
          continue;
        }
      }
      const g = (p - HEAP_BASE) >>> 3;
      const bit = 1 << (g & 31);
      const word = marksAt + (g >>> 5);
      if ((u32[word] & bit) !== 0) continue;
      const w0 = u32[(p - BLOCK_HEADER) >>> 2];
      const cls = w0 & CLASS_MASK;
      if (cls >= CLASS_COUNT || (w0 & notBlock) !== 0) continue;
      u32[word] |= bit;
      const end = p - BLOCK_HEADER + CLASS_SIZES[cls];
      if (end > liveEnd) liveEnd = end;

      const shape = u32[(p - 4) >>> 2];
      if (shape === HeapShape.Leaf) continue;
      const base = p >>> 2;
      if (shape === HeapShape.ArrayOfPointers || shape === HeapShape.ArrayOfValues) {
        const data = u32[base + 2];
        if (data === 0) continue;
        push(data);
        if (shape === HeapShape.ArrayOfValues || data < lowest || data >= heapTop) continue;
        // Never past the buffer, whatever the length word says.
        const capacity = (CLASS_SIZES[u32[(data - BLOCK_HEADER) >>> 2] & CLASS_MASK] - BLOCK_HEADER) >>> 2;
        const len = Math.min(u32[base], capacity);
        const from = data >>> 2;
        for (let i = 0; i < len; i++) {
          const q = u32[from + i];
          if (q !== 0) push(q);
        }
      } else if ((shape & HeapShape.Record) !== 0) {
        let bits = shape & ((1 << HeapShape.RecordBitmapWords) - 1);
        for (let i = 0; bits !== 0; i++, bits >>>= 1) {
          if ((bits & 1) !== 0 && u32[base + i] !== 0) push(u32[base + i]);
        }
        if ((shape & HeapShape.RecordTail) !== 0) {
          const payloadWords = (CLASS_SIZES[cls] - BLOCK_HEADER) >>> 2;
          for (let i = HeapShape.RecordBitmapWords; i < payloadWords; i++) if (u32[base + i] !== 0) push(u32[base + i]);
        }
      }
    }
    return liveEnd;
  }

  private setThreshold(bytes: number): void {
    // Room for the collection's own bitmap and stack above the heap is kept too.
    const cap = Math.floor(this.maximumBytes * 0.8);
    this.rt.gc_threshold.value = Math.min(bytes, cap, 0xffff_ffff) | 0;
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
