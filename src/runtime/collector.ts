/**
 * The garbage collector: a precise, non-moving, generational mark-sweep over the allocator's
 * blocks (docs/memory.md).
 *
 * Roots are the shadow stack (every heap pointer a running function holds, kept there by
 * compiled code), the values the host holds (pinned through `HeapHandle`s) and, for static data
 * of unloaded modules, nothing: such data is kept only while something still points into it.
 * Compiled code calls the collector only at safepoints, so no pointer is anywhere else.
 *
 * Most collections are minor: they trace and sweep only the young generation (what was
 * allocated since the last collection; wasm/generations.ts). A major collection traces
 * everything, and is chosen when the old generation has grown past its limit, when the
 * remembered set overflowed, when unloaded static data waits to be freed, and when asked for
 * explicitly. This class decides, gathers the roots and keeps the statistics; the loops run in
 * the runtime's WebAssembly (wasm/mark.ts, wasm/sweep.ts) except the major mark that also notes
 * which static blocks are pointed into, which runs here.
 */
import { ARRAY_HEADER } from '../compiler/layout.js';
import { BlockFlag, GC_CELLS, HeapShape } from './abi.js';
import { BLOCK_HEADER, CLASS_COUNT, CLASS_MASK, HEAP_BASE, INITIAL_GC_THRESHOLD, sizeOfClass } from './memory-layout.js';
import type { RuntimeModuleExports } from './runtime-module.js';
import { SimpleTrap } from './trap.js';
import { natives } from '../platform/index.js';

export interface CollectorOptions {
  /** Bytes in use at which the first collection happens (later ones follow the live size). Default 8 MiB. */
  readonly initialThreshold?: number;
  /** Collect at every safepoint: for tests that hunt for unrooted pointers. */
  readonly stress?: boolean;
}

export interface CollectorStats {
  /** Collections of both kinds. */
  readonly collections: number;
  /** Of which minor (young generation only). */
  readonly minor: number;
  /** Of which major (the whole heap). */
  readonly major: number;
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
 * The young generation's size: bytes allocated between two collections. The old generation's
 * headroom before a major collection is a quarter of its live size, at least half of this — so
 * memory stays under twice the live data, with the collection count linear in the allocation.
 */
const MIN_HEADROOM = 8 << 20;
/**
 * The young log's size in bytes (a u32 per block reused from a free list between collections,
 * so also a bound on the young generation): a 256th of the memory's limit, within these bounds.
 */
const YOUNG_LOG_MIN = 1 << 10;
const YOUNG_LOG_MAX = 1 << 20;
/** The remembered set's size in bytes (a 1024th of the limit, within these bounds); when it fills up the next collection is major. */
const REMEMBERED_MIN = 256;
const REMEMBERED_MAX = 64 << 10;

/** Thrown by `grow` before a collection has changed anything: the collection is skipped. */
const NO_ROOM = Symbol('no room to collect');

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
  private minor = 0;
  private liveAfterLast = 0;
  /** Bytes in use past which the next collection is major (the old generation's limit). */
  private majorLimit = 0;
  private fullRequested = false;
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
    this.majorLimit = this.stress ? 0 : (options.initialThreshold ?? INITIAL_GC_THRESHOLD);
    const logBytes = Math.min(YOUNG_LOG_MAX, Math.max(YOUNG_LOG_MIN, Math.floor(maximumBytes / 256))) & ~3;
    const remBytes = Math.min(REMEMBERED_MAX, Math.max(REMEMBERED_MIN, Math.floor(maximumBytes / 1024))) & ~3;
    const log = this.region(logBytes);
    rt.gc_log_base.value = log;
    rt.gc_log_cursor.value = log;
    rt.gc_log_end.value = log + logBytes;
    const rem = this.region(remBytes);
    rt.gc_rem_base.value = rem;
    rt.gc_rem_cursor.value = rem;
    rt.gc_rem_end.value = rem + remBytes;
  }

  /** A block of the runtime's own, static for good. */
  private region(bytes: number): number {
    const at = this.rt.alloc(bytes, 0) >>> 0;
    this.addStatic(at);
    return at;
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

  /** Asks the next safepoint to collect — the whole heap, with `full`. */
  request(full = false): void {
    if (full) this.fullRequested = true;
    new Uint32Array(this.memory.buffer, GC_CELLS.pending, 1)[0] = 1;
  }

  stats(): CollectorStats {
    return {
      collections: this.collections,
      minor: this.minor,
      major: this.collections - this.minor,
      liveBytesAfterLast: this.liveAfterLast,
      blocksFreed: this.blocksFreed,
      totalMs: this.totalMs,
      threshold: (this.rt.gc_threshold.value as number) >>> 0,
    };
  }

  /**
   * Collects: a minor collection unless `full` or the policy asks for a major one. Only safe
   * where every heap pointer of running Simple code is in the shadow stack: at a safepoint, or
   * when no Simple code is running.
   */
  collect(shadowTop: number, full = false): void {
    const started = natives.now();
    const tracking = this.statics.some((r) => r.released);
    const major =
      full ||
      this.fullRequested ||
      tracking ||
      (this.rt.gc_rem_overflow.value as number) !== 0 ||
      (this.stress ? this.collections % 2 === 1 : this.liveAfterLast > this.majorLimit);
    try {
      if (major) this.collectMajor(shadowTop, tracking);
      else this.collectMinor(shadowTop);
    } catch (e) {
      if (e !== NO_ROOM) throw e;
      new Uint32Array(this.memory.buffer)[GC_CELLS.pending >> 2] = 0;
      return;
    }

    new Uint32Array(this.memory.buffer)[GC_CELLS.pending >> 2] = 0;
    const live = (this.rt.bytes_in_use.value as number) >>> 0;
    this.liveAfterLast = live;
    // The old generation may grow by half (at least MIN_HEADROOM) before a major
    // collection; the young one by MIN_HEADROOM between collections, and by a quarter of it in
    // large blocks (see RuntimeGlobals.largeYoung).
    // Under a memory limit the old generation keeps room for the young one.
    if (major) this.majorLimit = Math.min(live + Math.max(live >>> 1, MIN_HEADROOM), Math.floor(this.maximumBytes * 0.4));
    this.setThreshold(this.stress ? 0 : live + MIN_HEADROOM);
    this.rt.gc_large_young.value = 0;
    this.rt.gc_large_young_limit.value = MIN_HEADROOM >>> 2;
    this.collections++;
    if (!major) this.minor++;
    this.totalMs += natives.now() - started;
  }

  private collectMinor(shadowTop: number): void {
    const heapTop = (this.rt.heap_top.value as number) >>> 0;
    const { base, sp } = this.pushRoots((heapTop + 7) & ~7, shadowTop);
    if (this.rt.gc_minor_mark(base, sp, heapTop) === -1) {
      // Some young blocks are flagged old, their children perhaps not: only a major collection
      // puts that right, and going on without one is not an option.
      try {
        this.collectMajor(shadowTop, false);
      } catch (e) {
        throw e === NO_ROOM ? new SimpleTrap('OutOfMemory', undefined, { requested: 0n }) : e;
      }
      return;
    }
    this.blocksFreed += this.rt.gc_minor_sweep(this.stress ? 1 : 0);
  }

  private collectMajor(shadowTop: number, tracking: boolean): void {
    this.fullRequested = false;
    const heapTop = (this.rt.heap_top.value as number) >>> 0;
    const marks = this.markBitmap(heapTop);
    const u32 = new Uint32Array(this.memory.buffer);
    u32.fill(0, marks >>> 2, (marks + bitmapBytes(heapTop)) >>> 2);
    for (const r of this.statics) r.referenced = false;

    // Static blocks given back by their owners are freed once nothing points into them; only
    // the JavaScript mark notes which static block each pointer lands in.
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
    const { base, sp } = this.pushRoots(marks + bitmapBytes(heapTop), shadowTop);
    const liveEnd = this.rt.gc_mark(marks, base, sp, heapTop);
    // Only the bitmap was written so far.
    if (liveEnd === -1) throw NO_ROOM;
    return liveEnd >>> 0;
  }

  /** Pushes the roots — the shadow stack's live part and the pinned values — on a stack at `base`. */
  private pushRoots(base: number, shadowTop: number): { base: number; sp: number } {
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
    return { base, sp };
  }

  /**
   * Grows the memory to hold the collector's bitmap or stack. When it cannot, the collection is
   * skipped (nothing has changed yet): the program's own next allocation then fails, with its
   * function named, which says more than a failure inside the collector.
   */
  private grow(end: number): void {
    const have = this.memory.buffer.byteLength;
    try {
      this.memory.grow(Math.ceil((end - have) / 65536));
    } catch {
      throw NO_ROOM;
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
        // Elements in the header's own block keep nothing more alive.
        const inline = data === p + ARRAY_HEADER.inlineData;
        if (!inline) push(data);
        if (shape === HeapShape.ArrayOfValues || data < lowest || data >= heapTop) continue;
        // Never past the block the elements are in, whatever the length word says.
        const blockStart = inline ? p - BLOCK_HEADER : data - BLOCK_HEADER;
        const blockClass = u32[blockStart >>> 2] & CLASS_MASK;
        if (blockClass >= CLASS_COUNT) continue;
        const capacity = (blockStart + CLASS_SIZES[blockClass] - data) >>> 2;
        const len = Math.min(u32[base], capacity);
        const from = data >>> 2;
        for (let i = 0; i < len; i++) {
          const q = u32[from + i];
          if (q !== 0) push(q);
        }
      } else if ((shape & HeapShape.Record) !== 0) {
        if ((shape & HeapShape.RecordTail) !== 0) {
          // The first n words, never past the block.
          const n = Math.min(shape & 0x3fff_ffff, (CLASS_SIZES[cls] - BLOCK_HEADER) >>> 2);
          for (let i = 0; i < n; i++) if (u32[base + i] !== 0) push(u32[base + i]);
          continue;
        }
        let bits = shape & ((1 << HeapShape.RecordBitmapWords) - 1);
        for (let i = 0; bits !== 0; i++, bits >>>= 1) {
          if ((bits & 1) !== 0 && u32[base + i] !== 0) push(u32[base + i]);
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
