/**
 * The allocator, in WebAssembly: segregated free lists over a bump region.
 *
 * A block is `[class: u8, flags: u8, 0: u16][shape: u32][payload…]` (docs/memory.md). Classes 0..63 are 16-byte granules
 * (blocks of 16..1024 bytes), classes 64..85 have power-of-two payloads (1 KiB..2 GiB). A freed block is
 * pushed on its class's list (the link lives in the payload's first word) and handed out again
 * for the next request of the same class; blocks are never split or merged, which keeps both
 * operations a handful of instructions. Only when a class's list is empty does the bump pointer
 * advance, growing the memory if needed.
 *
 * The allocator never collects: past its threshold it only raises `GC_CELLS.pending`, and the
 * next safepoint of compiled code calls the collector (src/runtime/collector.ts), which also
 * rebuilds the free lists.
 */
import { ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { BlockFlag, GC_CELLS, TrapKind } from '../abi.js';
import {
  BLOCK_HEADER,
  CLASS_COUNT,
  CLASS_MASK,
  CLASS_SIZE_TABLE,
  FREE_HEADS,
  HEAP_BASE,
  LARGE_MIN_LOG2,
  MAX_REQUEST,
  SMALL_BLOCK_MAX,
  SMALL_CLASSES,
} from '../memory-layout.js';
import { getCell, setCell } from './context.js';
import type { RuntimeContext } from './context.js';

const I32 = ValType.i32;
const PAGE_LOG2 = 16;
/** Memory grows by at least half its size (within these bounds, in pages) so growth is rare. */
const MIN_GROWTH_PAGES = 16;
const MAX_GROWTH_PAGES = 256;

/** `(site, requested: i64)`. */
export function emitOom(f: FunctionBuilder, cx: RuntimeContext): void {
  f.i32Const(TrapKind.OutOfMemory).localGet(0).localGet(1).i64Const(0).call(cx.fn.panic).unreachable();
}

/** `(size, site) -> ptr`. */
export function emitAlloc(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn, g } = cx;
  const size = 0;
  const site = 1;
  const total = f.addLocal(I32, 'total');
  const cls = f.addLocal(I32, 'cls');
  const blockSize = f.addLocal(I32, 'block_size');
  const block = f.addLocal(I32, 'block');
  const top = f.addLocal(I32, 'top');

  f.localGet(size).i32Const(MAX_REQUEST).i32GtU().if_();
  f.localGet(site).localGet(size).i64ExtendI32U().call(fn.oom);
  f.end();

  emitClassOf(f, size, total, cls);
  f.localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localSet(blockSize);
  emitCountLarge(f, g, cls, blockSize);

  // Reuse the first free block of the class, if any, while the young log has room to name it
  // (a minor collection finds reused blocks through the log; generations.ts).
  f.localGet(cls).i32Const(2).i32Shl().i32Load(FREE_HEADS).localTee(block);
  f.i32Const(0).i32Ne();
  getCell(f, GC_CELLS.logCursor);
  getCell(f, GC_CELLS.logEnd).i32LtU().i32And();
  f.if_();
  f.localGet(cls).i32Const(2).i32Shl().localGet(block).i32Load().i32Store(FREE_HEADS);
  f.localGet(block).i32Const(BLOCK_HEADER).i32Sub().localSet(block);
  getCell(f, GC_CELLS.logCursor).localGet(block).i32Store(0);
  setCell(f, GC_CELLS.logCursor, () => getCell(f, GC_CELLS.logCursor).i32Const(4).i32Add());
  // A full log asks for a collection; until then blocks come from the bump region.
  getCell(f, GC_CELLS.logCursor);
  getCell(f, GC_CELLS.logEnd).i32Eq().if_();
  f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
  f.end();
  f.else_();
  {
    f.globalGet(g.heapTop).localTee(block).localGet(blockSize).i32Add().localTee(top);
    // Wrapping past 4 GiB.
    f.localGet(block).i32LtU().if_();
    f.localGet(site).localGet(size).i64ExtendI32U().call(fn.oom);
    f.end();

    emitMemoryTo(f, cx, top, site, size);
    f.localGet(top).globalSet(g.heapTop);
  }
  f.end();

  f.localGet(block).localGet(cls).i32Store(0);
  f.localGet(block).i32Const(0).i32Store(4); // HeapShape.Leaf until the caller says otherwise
  setCell(f, GC_CELLS.inUse, () => getCell(f, GC_CELLS.inUse).localGet(blockSize).i32Add());
  getCell(f, GC_CELLS.inUse);
  getCell(f, GC_CELLS.threshold).i32GtU().if_();
  f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
  f.end();
  setCell(f, GC_CELLS.allocCount, () => getCell(f, GC_CELLS.allocCount).i32Const(1).i32Add());
  f.localGet(block).i32Const(BLOCK_HEADER).i32Add();
}

/** Sets `cls` to the class of a block with a payload of `size` bytes (`total`: a scratch local). */
function emitClassOf(f: FunctionBuilder, size: number, total: number, cls: number): void {
  f.localGet(size).i32Const(BLOCK_HEADER).i32Add().localSet(total);
  f.localGet(total).i32Const(SMALL_BLOCK_MAX).i32LeU().if_();
  f.localGet(total).i32Const(15).i32Add().i32Const(4).i32ShrU().i32Const(1).i32Sub().localSet(cls);
  f.else_();
  // ceil(log2(size)) = 32 - clz(size - 1)
  f.i32Const(SMALL_CLASSES - LARGE_MIN_LOG2 + 32);
  f.localGet(size).i32Const(1).i32Sub().i32Clz();
  f.i32Sub().localSet(cls);
  f.end();
}

/**
 * A new large block (class `cls`, `blockSize` bytes) counts toward the young large-block limit;
 * passing it asks for a collection.
 */
function emitCountLarge(f: FunctionBuilder, g: RuntimeContext['g'], cls: number, blockSize: number): void {
  f.localGet(cls).i32Const(SMALL_CLASSES).i32GeU().if_();
  f.globalGet(g.largeYoung).localGet(blockSize).i32Add().globalSet(g.largeYoung);
  f.globalGet(g.largeYoung).globalGet(g.largeYoungLimit).i32GtU().if_();
  f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
  f.end();
  f.end();
}

/** Grows the memory so that it reaches `top`, or reports running out (a request of `size` at `site`). */
function emitMemoryTo(f: FunctionBuilder, cx: RuntimeContext, top: number, site: number, size: number): void {
  const need = f.addLocal(I32, 'need_pages');
  const cur = f.addLocal(I32, 'cur_pages');
  const delta = f.addLocal(I32, 'delta');
  const extra = f.addLocal(I32, 'extra');
  f.localGet(top).i32Const(1).i32Sub().i32Const(PAGE_LOG2).i32ShrU().i32Const(1).i32Add().localTee(need);
  f.memorySize().localTee(cur).i32GtU().if_();
  {
    f.localGet(need).localGet(cur).i32Sub().localSet(delta);
    f.localGet(cur).i32Const(1).i32ShrU().localSet(extra);
    f.i32Const(MIN_GROWTH_PAGES).localGet(extra);
    f.localGet(extra).i32Const(MIN_GROWTH_PAGES).i32LtU().select().localSet(extra);
    f.i32Const(MAX_GROWTH_PAGES).localGet(extra);
    f.localGet(extra).i32Const(MAX_GROWTH_PAGES).i32GtU().select().localSet(extra);
    // Generous growth first; near the memory's maximum fall back to exactly what is needed.
    f.localGet(delta).localGet(extra).localGet(delta).localGet(extra).i32GtU().select();
    f.memoryGrow().i32Const(-1).i32Eq().if_();
    f.localGet(delta).memoryGrow().i32Const(-1).i32Eq().if_();
    f.localGet(site).localGet(size).i64ExtendI32U().call(cx.fn.oom);
    f.end();
    f.end();
  }
  f.end();
}

/**
 * Records the bytes in use as the peak if they are. Called where they are about to go down —
 * `free` and the sweeps — rather than on every allocation: between those, they only go up, so
 * the peak is the larger of this and the current figure (`Runtime.stats`).
 */
export function emitNotePeak(f: FunctionBuilder, g: RuntimeContext['g']): void {
  getCell(f, GC_CELLS.inUse).globalGet(g.peak).i32GtU().if_();
  getCell(f, GC_CELLS.inUse).globalSet(g.peak);
  f.end();
}

/**
 * `(ptr) -> 0 | 1`: whether `ptr` is the payload of a live heap block. Lets `free` and `realloc`
 * ignore null, static data (text literals, the boolean texts) and blocks already freed, so a
 * conservative caller can never corrupt a free list.
 */
export function emitIsBlock(f: FunctionBuilder, cx: RuntimeContext): void {
  const ptr = 0;
  f.localGet(ptr).i32Const(HEAP_BASE + BLOCK_HEADER).i32LtU();
  f.localGet(ptr).globalGet(cx.g.heapTop).i32GeU().i32Or();
  f.localGet(ptr).i32Const(7).i32And().i32Or();
  f.if_();
  f.i32Const(0).return_();
  f.end();
  // Neither free nor static (old and remembered blocks are live blocks), and a class in range.
  f.localGet(ptr).i32Const(BLOCK_HEADER).i32Sub().i32Load(0).i32Const(CLASS_MASK | BlockFlag.Free | BlockFlag.Static).i32And();
  f.i32Const(CLASS_COUNT).i32LtU();
}

/** `(ptr)`. Anything but a live heap block is ignored (see `is_block`). */
export function emitFree(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn, g } = cx;
  const ptr = 0;
  const block = f.addLocal(I32, 'block');
  const cls = f.addLocal(I32, 'cls');

  f.localGet(ptr).call(fn.isBlock).i32Eqz().brIf(0);
  emitNotePeak(f, g);
  f.localGet(ptr).i32Const(BLOCK_HEADER).i32Sub().localTee(block).i32Load(0).i32Const(CLASS_MASK).i32And().localSet(cls);
  f.localGet(block).localGet(cls).i32Const(BlockFlag.Free).i32Or().i32Store(0);
  f.localGet(ptr).localGet(cls).i32Const(2).i32Shl().i32Load(FREE_HEADS).i32Store(0);
  f.localGet(cls).i32Const(2).i32Shl().localGet(ptr).i32Store(FREE_HEADS);
  setCell(f, GC_CELLS.inUse, () => getCell(f, GC_CELLS.inUse).localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).i32Sub());
  f.globalGet(g.freeCount).i32Const(1).i32Add().globalSet(g.freeCount);
  // A large block given back explicitly (an array's buffer outgrown, a text moved on append)
  // needs no collection to be reused: it no longer counts toward the large-block limit.
  f.localGet(cls).i32Const(SMALL_CLASSES).i32GeU().if_();
  f.localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localSet(block);
  f.globalGet(g.largeYoung).localGet(block).i32Sub().i32Const(0);
  f.globalGet(g.largeYoung).localGet(block).i32GtU().select().globalSet(g.largeYoung);
  f.end();
}

/**
 * `(ptr, used, size, site) -> ptr`: resizes to `size` bytes keeping the first `used` (the caller
 * knows how many matter, e.g. an array's elements; the block need not even be a heap block).
 * Stays in place when the block's class still fits, else moves and frees the old block.
 */
export function emitRealloc(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn, g } = cx;
  const ptr = 0;
  const used = 1;
  const size = 2;
  const site = 3;
  const block = f.addLocal(I32, 'block');
  const moved = f.addLocal(I32, 'moved');
  const oldSize = f.addLocal(I32, 'old_size');
  const cls = f.addLocal(I32, 'cls');
  const newSize = f.addLocal(I32, 'new_size');
  const total = f.addLocal(I32, 'total');
  const top = f.addLocal(I32, 'top');

  f.localGet(ptr).call(fn.isBlock).if_();
  f.localGet(ptr).i32Const(BLOCK_HEADER).i32Sub().localTee(block).i32Load(0).i32Const(CLASS_MASK).i32And();
  f.i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localTee(oldSize);
  f.i32Const(BLOCK_HEADER).i32Sub().localGet(size).i32GeU().if_();
  f.localGet(ptr).return_();
  f.end();
  // The young block just below the bump pointer (an array being filled, a text being appended
  // to) grows where it is: no copy, and no fresh pages for a copy that would be given back.
  f.localGet(block).localGet(oldSize).i32Add().globalGet(g.heapTop).i32Eq();
  f.localGet(block).globalGet(g.youngStart).i32GeU().i32And();
  f.localGet(size).i32Const(MAX_REQUEST).i32LeU().i32And();
  f.if_();
  {
    emitClassOf(f, size, total, cls);
    f.localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localTee(newSize);
    f.localGet(block).i32Add().localTee(top).localGet(block).i32GtU().if_();
    emitMemoryTo(f, cx, top, site, size);
    f.localGet(top).globalSet(g.heapTop);
    f.localGet(block).localGet(block).i32Load(0).i32Const(~CLASS_MASK).i32And().localGet(cls).i32Or().i32Store(0);
    setCell(f, GC_CELLS.inUse, () => getCell(f, GC_CELLS.inUse).localGet(newSize).i32Add().localGet(oldSize).i32Sub());
    getCell(f, GC_CELLS.inUse);
    getCell(f, GC_CELLS.threshold).i32GtU().if_();
    f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
    f.end();
    // Large blocks count toward the young large-block limit as `alloc` and `free` count them.
    f.localGet(oldSize).i32Const(SMALL_BLOCK_MAX).i32GtU().if_();
    f.globalGet(g.largeYoung).localGet(oldSize).i32Sub().i32Const(0);
    f.globalGet(g.largeYoung).localGet(oldSize).i32GtU().select().globalSet(g.largeYoung);
    f.end();
    emitCountLarge(f, g, cls, newSize);
    f.localGet(ptr).return_();
    f.end();
  }
  f.end();
  f.end();

  f.localGet(size).localGet(site).call(fn.alloc).localTee(moved);
  f.localGet(ptr);
  f.localGet(used).localGet(size).localGet(used).localGet(size).i32LtU().select();
  f.memoryCopy();
  f.localGet(ptr).call(fn.free);
  f.localGet(moved);
}

/** `(bytes: i64, site) -> i32`. */
export function emitCheckedSize(f: FunctionBuilder, cx: RuntimeContext): void {
  f.localGet(0).i64Const(MAX_REQUEST).i64GtU().if_();
  f.localGet(1).localGet(0).call(cx.fn.oom);
  f.end();
  f.localGet(0).i32WrapI64();
}
