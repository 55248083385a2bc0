/**
 * Allocation written out in compiled code (docs/memory.md). A record or array literal is one
 * block of a size known at compile time, so its class is known too: the block is taken off that
 * class's free list right at the site — the runtime allocator's fast path, with no call, no size
 * computation and one store for the header — and only an empty list or a full young log calls
 * the runtime (`slow`), which also bumps, grows the memory and reports running out.
 *
 * What the runtime's `alloc` keeps up to date, this keeps up to date the same way (GC_CELLS): the
 * young log names the block (a minor collection finds reused blocks there), the bytes in use and
 * the allocation count grow, and passing the threshold or filling the log asks for a collection.
 */
import { BlockType, ValType } from '../wasm/index.js';
import type { FunctionBuilder } from '../wasm/index.js';
import { ALLOC_GRANULE, BLOCK_HEADER_BYTES, FREE_LIST_HEADS, GC_CELLS, SMALL_BLOCK_MAX } from '../runtime-abi.js';
import type { TempLocals } from './temps.js';

/**
 * Pushes the payload address of a new block of `payloadBytes` whose header says `shape`; `slow`
 * pushes the same from the runtime (alloc_shaped, array_new, …) when the fast path cannot.
 */
export function emitAllocation(f: FunctionBuilder, temps: TempLocals, payloadBytes: number, shape: number, slow: () => void): void {
  const blockBytes = payloadBytes + BLOCK_HEADER_BYTES;
  if (blockBytes > SMALL_BLOCK_MAX) {
    slow();
    return;
  }
  const cls = Math.ceil(blockBytes / ALLOC_GRANULE) - 1;
  const classBytes = (cls + 1) * ALLOC_GRANULE;
  const freeHead = FREE_LIST_HEADS + cls * 4;
  // `[class: u8, flags: u8 = 0, 0: u16][shape: u32]` as one little-endian i64 store.
  const header = BigInt.asIntN(64, BigInt(cls) | (BigInt(shape >>> 0) << 32n));

  const block = temps.take(ValType.i32);
  const cursor = temps.take(ValType.i32);
  const inUse = temps.take(ValType.i32);
  const cell = (addr: number): FunctionBuilder => f.i32Const(0).i32Load(addr);

  f.block(BlockType.i32);
  f.block();
  // A free block of the class, and room in the young log to name it; else the runtime.
  cell(freeHead).localTee(block).i32Eqz().brIf(0);
  cell(GC_CELLS.logCursor).localTee(cursor);
  cell(GC_CELLS.logEnd).i32GeU().brIf(0);
  f.i32Const(0).localGet(block).i32Load(0).i32Store(freeHead);
  f.localGet(block).i32Const(BLOCK_HEADER_BYTES).i32Sub().localTee(inUse).i64Const(header).i64Store(0);
  f.localGet(cursor).localGet(inUse).i32Store(0);
  f.i32Const(0).localGet(cursor).i32Const(4).i32Add().localTee(cursor).i32Store(GC_CELLS.logCursor);
  f.i32Const(0);
  cell(GC_CELLS.inUse).i32Const(classBytes).i32Add().localTee(inUse).i32Store(GC_CELLS.inUse);
  f.i32Const(0);
  cell(GC_CELLS.allocCount).i32Const(1).i32Add().i32Store(GC_CELLS.allocCount);
  f.localGet(inUse);
  cell(GC_CELLS.threshold).i32GtU();
  f.localGet(cursor);
  cell(GC_CELLS.logEnd).i32Eq().i32Or().if_();
  f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
  f.end();
  f.localGet(block).br(1);
  f.end();
  slow();
  f.end();

  temps.release(ValType.i32, inUse);
  temps.release(ValType.i32, cursor);
  temps.release(ValType.i32, block);
}
