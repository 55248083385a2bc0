/**
 * The generational half of the collector, in WebAssembly (docs/memory.md, "Generations").
 *
 * A block that survives a collection is flagged `Old` and stays where it is (the collector never
 * moves anything). A minor collection marks only young blocks — the `Old` flag is a sticky mark
 * bit — and sweeps only young blocks, so its cost follows what was allocated since the last
 * collection, not the size of the long-lived data. Two logs make that possible:
 *
 * - the young log: the address of every block `alloc` took from a free list since the last
 *   collection (blocks bumped from the top are found by walking up from `youngStart`);
 * - the remembered set: every old block a heap pointer was stored into (the write barrier), so
 *   a young block reachable only through an old one is still found.
 */
import { ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { BlockFlag, GC_CELLS } from '../abi.js';
import { BLOCK_HEADER, CLASS_MASK, CLASS_SIZE_TABLE, FREE_HEADS } from '../memory-layout.js';
import { emitNotePeak } from './allocator.js';
import { getCell, setCell } from './context.js';
import type { RuntimeContext } from './context.js';
import { SWEEP_POISON_BYTE } from './sweep.js';

const I32 = ValType.i32;

/**
 * `gc_remember(obj)`: the write barrier's slow path. Compiled code calls it after storing a
 * pointer into `obj` when the header says old and not remembered; the runtime's own stores
 * (a pushed array's new buffer) call it unconditionally, so it checks again.
 */
export function emitRemember(f: FunctionBuilder, cx: RuntimeContext): void {
  const { g } = cx;
  const obj = 0;
  const w0 = f.addLocal(I32, 'w0');
  f.localGet(obj).i32Const(BLOCK_HEADER).i32Sub().i32Load(0).localTee(w0);
  f.i32Const(BlockFlag.Old | BlockFlag.Remembered).i32And().i32Const(BlockFlag.Old).i32Ne().brIf(0);
  f.localGet(obj).i32Const(BLOCK_HEADER).i32Sub().localGet(w0).i32Const(BlockFlag.Remembered).i32Or().i32Store(0);
  f.globalGet(g.remCursor).globalGet(g.remEnd).i32LtU().if_();
  f.globalGet(g.remCursor).localGet(obj).i32Store(0);
  f.globalGet(g.remCursor).i32Const(4).i32Add().globalSet(g.remCursor);
  f.else_();
  // Full: the next collection traces everything instead, and should come soon.
  f.i32Const(1).globalSet(g.remOverflow);
  f.i32Const(0).i32Const(1).i32Store(GC_CELLS.pending);
  f.end();
}

/**
 * `gc_minor_sweep(poison) -> blocks freed`: after `gc_minor_mark`, frees every young block that
 * did not become old — those bumped at or above `youngStart` and those the young log names —
 * onto the free lists, then empties the young generation. Old blocks are not visited.
 */
export function emitMinorSweep(f: FunctionBuilder, cx: RuntimeContext): void {
  const { g } = cx;
  const poison = 0;
  const a = f.addLocal(I32, 'a');
  const e = f.addLocal(I32, 'e');
  const w0 = f.addLocal(I32, 'w0');
  const cls = f.addLocal(I32, 'cls');
  const size = f.addLocal(I32, 'size');
  const freed = f.addLocal(I32, 'freed');
  const freedBytes = f.addLocal(I32, 'freed_bytes');
  const payload = f.addLocal(I32, 'payload');
  const keepEnd = f.addLocal(I32, 'keep_end');

  /** Loads block `a`'s header into w0, cls and size. */
  const header = (): void => {
    f.localGet(a).i32Load(0).localTee(w0).i32Const(CLASS_MASK).i32And().localTee(cls);
    f.i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localSet(size);
  };
  /** Loads block `a`'s header; frees it unless it is free, old or static. */
  const visit = (): void => {
    header();
    f.localGet(w0).i32Const(BlockFlag.Free | BlockFlag.Old | BlockFlag.Static).i32And().i32Eqz().if_();
    {
      f.localGet(a).localGet(cls).i32Const(BlockFlag.Free).i32Or().i32Store(0);
      f.localGet(a).i32Const(BLOCK_HEADER).i32Add().localSet(payload);
      f.localGet(poison).if_();
      f.localGet(payload).i32Const(SWEEP_POISON_BYTE).localGet(size).i32Const(BLOCK_HEADER).i32Sub().memoryFill();
      f.end();
      f.localGet(payload).localGet(cls).i32Const(2).i32Shl().i32Load(FREE_HEADS).i32Store(0);
      f.localGet(cls).i32Const(2).i32Shl().localGet(payload).i32Store(FREE_HEADS);
      f.localGet(freed).i32Const(1).i32Add().localSet(freed);
      f.localGet(freedBytes).localGet(size).i32Add().localSet(freedBytes);
    }
    f.end();
  };

  emitNotePeak(f, g);
  // The blocks bumped since the last collection. Those past the last one that stays (old,
  // static, or already on a free list) go back to the bump region instead of onto free lists,
  // so a heap whose newest blocks died comes down, as after a major collection.
  f.globalGet(g.youngStart).localTee(a).localSet(keepEnd);
  f.block().loop();
  f.localGet(a).globalGet(g.heapTop).i32GeU().brIf(1);
  header();
  f.localGet(a).localGet(size).i32Add().localSet(a);
  f.localGet(w0).i32Const(BlockFlag.Free | BlockFlag.Old | BlockFlag.Static).i32And().if_();
  f.localGet(a).localSet(keepEnd);
  f.end();
  f.br(0);
  f.end().end();
  f.globalGet(g.youngStart).localSet(a);
  f.block().loop();
  f.localGet(a).localGet(keepEnd).i32GeU().brIf(1);
  visit();
  f.localGet(a).localGet(size).i32Add().localSet(a);
  f.br(0);
  f.end().end();
  // What lay above went back to the bump region, uncounted so far.
  f.localGet(keepEnd).localSet(a);
  f.block().loop();
  f.localGet(a).globalGet(g.heapTop).i32GeU().brIf(1);
  header();
  f.localGet(freed).i32Const(1).i32Add().localSet(freed);
  f.localGet(freedBytes).localGet(size).i32Add().localSet(freedBytes);
  f.localGet(a).localGet(size).i32Add().localSet(a);
  f.br(0);
  f.end().end();
  f.localGet(keepEnd).globalSet(g.heapTop);

  // The blocks reused from free lists since the last collection (a block freed and reused
  // twice is named twice; the second visit finds it free or old). None lies above the new top:
  // a reused block there would have been free or old, so below `keepEnd`.
  f.globalGet(g.logBase).localSet(e);
  f.block().loop();
  f.localGet(e);
  getCell(f, GC_CELLS.logCursor).i32GeU().brIf(1);
  f.localGet(e).i32Load(0).localTee(a).globalGet(g.heapTop).i32LtU().if_();
  visit();
  f.end();
  f.localGet(e).i32Const(4).i32Add().localSet(e);
  f.br(0);
  f.end().end();

  f.globalGet(g.heapTop).globalSet(g.youngStart);
  setCell(f, GC_CELLS.logCursor, () => f.globalGet(g.logBase));
  setCell(f, GC_CELLS.inUse, () => getCell(f, GC_CELLS.inUse).localGet(freedBytes).i32Sub());
  f.globalGet(g.freeCount).localGet(freed).i32Add().globalSet(g.freeCount);
  f.localGet(freed);
}
