/**
 * The collector's sweep, in WebAssembly: its cost is per block of the heap, live or dead, so it
 * runs where a block costs a few instructions (the JavaScript loop cost several times more).
 * The mark phase (src/runtime/collector.ts) leaves one bit per 8-byte granule in a bitmap in the
 * shared memory; the bit of a block is the one of its payload's first granule.
 *
 * `(marks, liveEnd, poison) -> blocks freed`: frees every block neither marked nor static,
 * rebuilds the free lists (highest address first), and gives everything from `liveEnd` (the end
 * of the last live block, which the mark phase knows) back to the bump region — so a collection
 * costs the blocks below the last live one, not the whole heap. Sets `heap_top`, `bytes_in_use`
 * and `free_count`. With `poison`, freed payloads are overwritten so a use after free shows.
 * Survivors become old (BlockFlag.Old), and the young generation and remembered set start empty.
 */
import { BlockType, ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { BlockFlag, GC_CELLS } from '../abi.js';
import { BLOCK_HEADER, CLASS_COUNT, CLASS_MASK, CLASS_SIZE_TABLE, FREE_HEADS, HEAP_BASE } from '../memory-layout.js';
import { emitNotePeak } from './allocator.js';
import { getCell, setCell } from './context.js';
import type { RuntimeContext } from './context.js';

const I32 = ValType.i32;
export const SWEEP_POISON_BYTE = 0xdd;

export function emitSweep(f: FunctionBuilder, cx: RuntimeContext): void {
  const { g } = cx;
  const marks = 0;
  const liveEnd = 1;
  const poison = 2;
  const a = f.addLocal(I32, 'a');
  const w0 = f.addLocal(I32, 'w0');
  const cls = f.addLocal(I32, 'cls');
  const size = f.addLocal(I32, 'size');
  const gran = f.addLocal(I32, 'granule');
  const liveBytes = f.addLocal(I32, 'live_bytes');
  const liveBlocks = f.addLocal(I32, 'live_blocks');
  const freed = f.addLocal(I32, 'freed');
  const payload = f.addLocal(I32, 'payload');

  /** Loads the header of block `a` into w0, cls and size. */
  const header = (): void => {
    f.localGet(a).i32Load(0).localTee(w0).i32Const(CLASS_MASK).i32And().localTee(cls);
    f.i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localSet(size);
  };
  /** Pushes whether block `a` (header in w0) is live: static, or not free and marked. */
  const isLive = (): void => {
    f.localGet(w0).i32Const(BlockFlag.Static).i32And();
    f.localGet(w0).i32Const(BlockFlag.Free).i32And().if_(BlockType.i32);
    f.i32Const(0);
    f.else_();
    f.localGet(a).i32Const(BLOCK_HEADER - HEAP_BASE).i32Add().i32Const(3).i32ShrU().localTee(gran);
    f.i32Const(5).i32ShrU().i32Const(2).i32Shl().localGet(marks).i32Add().i32Load(0);
    f.localGet(gran).i32ShrU().i32Const(1).i32And();
    f.end();
    f.i32Or();
  };
  /** Loops over blocks from `a` while `a < bound`, running `body` with the header loaded. */
  const blocks = (bound: number, body: () => void): void => {
    f.block().loop();
    f.localGet(a).localGet(bound).i32GeU().brIf(1);
    header();
    body();
    f.localGet(a).localGet(size).i32Add().localSet(a);
    f.br(0);
    f.end().end();
  };

  emitNotePeak(f, g);
  f.i32Const(FREE_HEADS).i32Const(0).i32Const(CLASS_COUNT * 4).memoryFill();
  f.i32Const(HEAP_BASE).localSet(a);
  blocks(liveEnd, () => {
    isLive();
    f.if_();
    // A survivor is old from now on, and no longer remembered.
    f.localGet(w0).i32Const(BlockFlag.Static).i32And().i32Eqz().if_();
    f.localGet(a).localGet(w0).i32Const(~BlockFlag.Remembered).i32And().i32Const(BlockFlag.Old).i32Or().i32Store(0);
    f.end();
    f.localGet(liveBytes).localGet(size).i32Add().localSet(liveBytes);
    f.localGet(liveBlocks).i32Const(1).i32Add().localSet(liveBlocks);
    f.else_();
    {
      f.localGet(a).i32Const(BLOCK_HEADER).i32Add().localSet(payload);
      f.localGet(w0).i32Const(BlockFlag.Free).i32And().i32Eqz().if_();
      f.localGet(a).localGet(cls).i32Const(BlockFlag.Free).i32Or().i32Store(0);
      f.localGet(poison).if_();
      f.localGet(payload).i32Const(SWEEP_POISON_BYTE).localGet(size).i32Const(BLOCK_HEADER).i32Sub().memoryFill();
      f.end();
      f.end();
      // Push the block on its class's list.
      f.localGet(payload).localGet(cls).i32Const(2).i32Shl().i32Load(FREE_HEADS).i32Store(0);
      f.localGet(cls).i32Const(2).i32Shl().localGet(payload).i32Store(FREE_HEADS);
    }
    f.end();
  });

  // Every block ever allocated and not live now has been freed, above liveEnd too.
  getCell(f, GC_CELLS.allocCount).localGet(liveBlocks).i32Sub().localTee(freed);
  f.globalGet(g.freeCount).i32Sub();
  f.localGet(freed).globalSet(g.freeCount);
  f.localGet(liveEnd).globalSet(g.heapTop);
  setCell(f, GC_CELLS.inUse, () => f.localGet(liveBytes));
  // Everything is old now: the young generation starts empty.
  f.localGet(liveEnd).globalSet(g.youngStart);
  setCell(f, GC_CELLS.logCursor, () => f.globalGet(g.logBase));
  f.globalGet(g.remBase).globalSet(g.remCursor);
  f.i32Const(0).globalSet(g.remOverflow);
}
