/**
 * The collector's mark phases, in WebAssembly: their cost is per live object, and a loop here
 * costs a few instructions an object where the JavaScript one cost tens of nanoseconds.
 *
 * Both take roots the caller pushed as u32s on a stack at [base, sp) at the top of memory; the
 * stack grows upwards, and the memory with it. Each popped candidate is checked — inside the
 * heap, 8-aligned, a block that is neither free nor static (a text literal's pseudo-header is
 * flagged static) — then marked and its pointers pushed by its shape.
 *
 * - `gc_mark(marks, base, sp, heapTop) -> liveEnd | -1` (major): marks in a bitmap (a bit per
 *   8-byte granule) kept apart from the blocks, whatever their age; returns the end of the
 *   highest marked block.
 * - `gc_minor_mark(base, sp, heapTop) -> promoted bytes | -1` (minor): the mark is the block's
 *   sticky `Old` flag, so old blocks stop the trace; the remembered set's blocks are traced
 *   again first (their `Old` flag cleared, so they are marked anew). Returns the bytes newly
 *   marked old.
 *
 * -1: the memory could not grow for the stack.
 */
import { ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { ARRAY_HEADER } from '../../compiler/layout.js';
import { BlockFlag, HeapShape } from '../abi.js';
import { BLOCK_HEADER, CLASS_COUNT, CLASS_MASK, CLASS_SIZE_TABLE, HEAP_BASE } from '../memory-layout.js';
import type { RuntimeContext } from './context.js';

const I32 = ValType.i32;
/** Pages the memory grows by when the mark stack reaches its end. */
const STACK_GROWTH_PAGES = 16;

export function emitMark(f: FunctionBuilder, cx: RuntimeContext): void {
  emitMarkLoop(f, cx, 'major');
}

export function emitMinorMark(f: FunctionBuilder, cx: RuntimeContext): void {
  emitMarkLoop(f, cx, 'minor');
}

function emitMarkLoop(f: FunctionBuilder, cx: RuntimeContext, kind: 'major' | 'minor'): void {
  const { g } = cx;
  const major = kind === 'major';
  // Parameters: (marks, base, sp, heapTop) for a major mark, (base, sp, heapTop) for a minor one.
  const first = major ? 1 : 0;
  const marks = major ? 0 : -1;
  const base = first;
  const sp = first + 1;
  const heapTop = first + 2;
  const p = f.addLocal(I32, 'p');
  const gran = f.addLocal(I32, 'granule');
  const word = f.addLocal(I32, 'word');
  const bits = f.addLocal(I32, 'bits');
  const w0 = f.addLocal(I32, 'w0');
  const cls = f.addLocal(I32, 'cls');
  const shape = f.addLocal(I32, 'shape');
  const data = f.addLocal(I32, 'data');
  const i = f.addLocal(I32, 'i');
  const n = f.addLocal(I32, 'n');
  const q = f.addLocal(I32, 'q');
  const liveEnd = f.addLocal(I32, 'live_end');
  const limit = f.addLocal(I32, 'limit');
  const promoted = f.addLocal(I32, 'promoted');

  /** Pushes the pointer in local `x` if it is not 0, growing the memory when the stack is full. */
  const push = (x: number): void => {
    f.localGet(x).if_();
    f.localGet(sp).localGet(limit).i32GeU().if_();
    f.i32Const(STACK_GROWTH_PAGES).memoryGrow().i32Const(-1).i32Eq().if_();
    f.i32Const(-1).return_();
    f.end();
    f.memorySize().i32Const(16).i32Shl().i32Const(4).i32Sub().localSet(limit);
    f.end();
    f.localGet(sp).localGet(x).i32Store(0);
    f.localGet(sp).i32Const(4).i32Add().localSet(sp);
    f.end();
  };
  /** Whether the i32 in local `x` could be a block's payload: in the heap and 8-aligned. */
  const inHeap = (x: number): void => {
    f.localGet(x).i32Const(HEAP_BASE + BLOCK_HEADER).i32GeU();
    f.localGet(x).localGet(heapTop).i32LtU().i32And();
    f.localGet(x).i32Const(7).i32And().i32Eqz().i32And();
  };

  f.memorySize().i32Const(16).i32Shl().i32Const(4).i32Sub().localSet(limit);
  f.i32Const(HEAP_BASE).localSet(liveEnd);

  if (!major) {
    // The remembered set: each still-remembered block loses Old and Remembered and becomes a root.
    f.globalGet(g.remBase).localSet(data);
    f.block().loop();
    f.localGet(data).globalGet(g.remCursor).i32GeU().brIf(1);
    f.localGet(data).i32Load(0).localTee(q).i32Const(BLOCK_HEADER).i32Sub().i32Load(0).localTee(w0);
    f.i32Const(BlockFlag.Remembered).i32And().if_();
    f.localGet(q).i32Const(BLOCK_HEADER).i32Sub().localGet(w0).i32Const(~(BlockFlag.Remembered | BlockFlag.Old)).i32And().i32Store(0);
    push(q);
    f.end();
    f.localGet(data).i32Const(4).i32Add().localSet(data);
    f.br(0);
    f.end().end();
    f.globalGet(g.remBase).globalSet(g.remCursor);
  }

  f.block(); // $done
  f.loop(); // $next
  f.localGet(sp).localGet(base).i32LeU().brIf(1);
  f.localGet(sp).i32Const(4).i32Sub().localTee(sp).i32Load(0).localSet(p);
  f.block(); // $skip: `br_if 0` here is `continue`
  {
    inHeap(p);
    f.i32Eqz().brIf(0);
    if (major) {
      // The mark bit: already set means already traced.
      f.localGet(p).i32Const(HEAP_BASE).i32Sub().i32Const(3).i32ShrU().localTee(gran);
      f.i32Const(5).i32ShrU().i32Const(2).i32Shl().localGet(marks).i32Add().localTee(word);
      f.i32Load(0).localTee(bits).localGet(gran).i32ShrU().i32Const(1).i32And().brIf(0);
    }
    f.localGet(p).i32Const(BLOCK_HEADER).i32Sub().i32Load(0).localTee(w0).i32Const(CLASS_MASK).i32And().localTee(cls);
    f.i32Const(CLASS_COUNT).i32GeU().brIf(0);
    if (major) {
      f.localGet(w0).i32Const(BlockFlag.Free | BlockFlag.Static).i32And().brIf(0);
      f.localGet(word).localGet(bits).i32Const(1).localGet(gran).i32Shl().i32Or().i32Store(0);
      // The end of the highest live block.
      f.localGet(p).i32Const(BLOCK_HEADER).i32Sub().localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).i32Add().localTee(q);
      f.localGet(liveEnd).i32GtU().if_();
      f.localGet(q).localSet(liveEnd);
      f.end();
    } else {
      // Old blocks (marked by an earlier collection, or already by this one) stop the trace.
      f.localGet(w0).i32Const(BlockFlag.Free | BlockFlag.Static | BlockFlag.Old).i32And().brIf(0);
      f.localGet(p).i32Const(BLOCK_HEADER).i32Sub().localGet(w0).i32Const(BlockFlag.Old).i32Or().i32Store(0);
      f.localGet(promoted).localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).i32Add().localSet(promoted);
    }

    f.localGet(p).i32Const(4).i32Sub().i32Load(0).localTee(shape).i32Eqz().brIf(0);

    // Arrays: the buffer, and for pointer arrays their first `len` elements (never past the buffer).
    f.localGet(shape).i32Const(HeapShape.ArrayOfPointers).i32Eq();
    f.localGet(shape).i32Const(HeapShape.ArrayOfValues).i32Eq().i32Or().if_();
    {
      // Elements in the header's own block (ARRAY_HEADER.inlineData) keep nothing more alive.
      // `q` is the start of the block the elements are in, `n` its class (-1: not read yet).
      f.localGet(p).i32Load(8).localTee(data).localGet(p).i32Const(ARRAY_HEADER.inlineData).i32Add().i32Eq().if_();
      f.localGet(cls).localSet(n);
      f.localGet(p).i32Const(BLOCK_HEADER).i32Sub().localSet(q);
      f.else_();
      push(data);
      f.localGet(data).i32Const(BLOCK_HEADER).i32Sub().localSet(q);
      f.i32Const(-1).localSet(n);
      f.end();
      f.localGet(shape).i32Const(HeapShape.ArrayOfPointers).i32Eq();
      inHeap(data);
      f.i32And().if_();
      f.localGet(n).i32Const(-1).i32Eq().if_();
      f.localGet(q).i32Load(0).i32Const(CLASS_MASK).i32And().localSet(n);
      f.end();
      f.localGet(n).i32Const(CLASS_COUNT).i32LtU().if_();
      // Words from `data` to the end of its block: never past it, whatever `len` says.
      f.localGet(n).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).localGet(q).i32Add().localGet(data).i32Sub();
      f.i32Const(2).i32ShrU().localTee(n);
      f.localGet(p).i32Load(0).localTee(q).localGet(n).localGet(q).i32LtU().select().localSet(n);
      f.i32Const(0).localSet(i);
      f.block().loop();
      f.localGet(i).localGet(n).i32GeU().brIf(1);
      f.localGet(data).localGet(i).i32Const(2).i32Shl().i32Add().i32Load(0).localSet(q);
      push(q);
      f.localGet(i).i32Const(1).i32Add().localSet(i);
      f.br(0);
      f.end().end();
      f.end();
      f.end();
    }
    f.else_();
    // Records: the words the bitmap names, or with the tail bit the first n words (never past the block).
    f.localGet(shape).i32Const(HeapShape.Record).i32And().if_();
    {
      f.localGet(shape).i32Const(HeapShape.RecordTail).i32And().if_();
      {
        f.localGet(p).localGet(cls).i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).i32Add().i32Const(BLOCK_HEADER).i32Sub().localSet(n); // payload end
        f.localGet(p).localGet(shape).i32Const(0x3fff_ffff).i32And().i32Const(2).i32Shl().i32Add().localTee(q);
        f.localGet(n).localGet(q).localGet(n).i32LtU().select().localSet(n);
        f.localGet(p).localSet(data);
        f.block().loop();
        f.localGet(data).localGet(n).i32GeU().brIf(1);
        f.localGet(data).i32Load(0).localSet(q);
        push(q);
        f.localGet(data).i32Const(4).i32Add().localSet(data);
        f.br(0);
        f.end().end();
      }
      f.else_();
      {
        f.localGet(shape).i32Const((1 << HeapShape.RecordBitmapWords) - 1).i32And().localSet(n);
        f.localGet(p).localSet(data);
        f.block().loop();
        f.localGet(n).i32Eqz().brIf(1);
        f.localGet(n).i32Const(1).i32And().if_();
        f.localGet(data).i32Load(0).localSet(q);
        push(q);
        f.end();
        f.localGet(n).i32Const(1).i32ShrU().localSet(n);
        f.localGet(data).i32Const(4).i32Add().localSet(data);
        f.br(0);
        f.end().end();
      }
      f.end();
    }
    f.end();
    f.end();
  }
  f.end(); // $skip
  f.br(0);
  f.end(); // $next
  f.end(); // $done
  f.localGet(major ? liveEnd : promoted);
}
