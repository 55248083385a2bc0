/**
 * Arrays, in WebAssembly: a fixed header `[len][cap][data]` whose address never changes (so an
 * array can be shared) and a data buffer that doubles when full — the first one, when small, in
 * the header's own block (ARRAY_HEADER.inlineData), later ones allocated separately.
 */
import { ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { ARRAY_HEADER } from '../../compiler/layout.js';
import { TrapKind } from '../abi.js';
import type { RuntimeContext } from './context.js';

const I32 = ValType.i32;
const I64 = ValType.i64;
/** Arrays start with room for this many elements, so the first pushes never reallocate. */
const MIN_CAPACITY = ARRAY_HEADER.minCapacity;

/** `(elemSize, len, shape, site) -> arr`. */
export function emitArrayNew(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn } = cx;
  const elemSize = 0;
  const len = 1;
  const shape = 2;
  const site = 3;
  const cap = f.addLocal(I32, 'cap');
  const bytes = f.addLocal(I32, 'bytes');
  const arr = f.addLocal(I32, 'arr');

  // A literal's elements fill its first buffer exactly; an empty one gets room for a few pushes.
  f.i32Const(MIN_CAPACITY).localGet(len).localGet(len).i32Eqz().select().localSet(cap);
  // In i64 so a huge len * elemSize is reported as the size it is instead of wrapping.
  f.localGet(cap).i64ExtendI32U().localGet(elemSize).i64ExtendI32U().i64Mul();
  f.localGet(site).call(fn.checkedSize).localSet(bytes);

  // A small first buffer shares the header's block: one allocation instead of two.
  f.localGet(bytes).i32Const(ARRAY_HEADER.inlineMax).i32LeU().if_();
  f.localGet(bytes).i32Const(ARRAY_HEADER.inlineData).i32Add().localGet(site).call(fn.alloc).localTee(arr);
  f.localGet(arr).i32Const(ARRAY_HEADER.inlineData).i32Add().i32Store(ARRAY_HEADER.data);
  f.else_();
  f.i32Const(ARRAY_HEADER.size).localGet(site).call(fn.alloc).localSet(arr);
  f.localGet(arr).localGet(bytes).localGet(site).call(fn.alloc).i32Store(ARRAY_HEADER.data);
  f.end();
  f.localGet(arr).localGet(len).i32Store(ARRAY_HEADER.len);
  f.localGet(arr).localGet(cap).i32Store(ARRAY_HEADER.cap);
  f.localGet(arr).i32Const(4).i32Sub().localGet(shape).i32Store();
  f.localGet(arr);
}

/** `(arr, elemSize, site) -> address of the new last element`. */
export function emitArrayPushSlot(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn } = cx;
  const arr = 0;
  const elemSize = 1;
  const site = 2;
  const len = f.addLocal(I32, 'len');
  const data = f.addLocal(I32, 'data');
  const newCap = f.addLocal(I64, 'new_cap');
  const bytes = f.addLocal(I32, 'bytes');
  const moved = f.addLocal(I32, 'moved');

  f.localGet(arr).i32Load(ARRAY_HEADER.data).localSet(data);
  f.localGet(arr).i32Load(ARRAY_HEADER.len).localTee(len);
  f.localGet(arr).i32Load(ARRAY_HEADER.cap).i32Eq().if_();
  {
    // Doubling (from at least MIN_CAPACITY), capped at the largest u32 so only the size check can fail.
    f.localGet(len).i64ExtendI32U().i64Const(1).i64Shl().localSet(newCap);
    f.i64Const(MIN_CAPACITY).localGet(newCap);
    f.localGet(newCap).i64Const(MIN_CAPACITY).i64LtU().select().localSet(newCap);
    f.i64Const(0xffffffff).localGet(newCap).localGet(newCap).i64Const(0xffffffff).i64GtU().select().localSet(newCap);
    f.localGet(len).i32Const(-1).i32Eq().if_();
    f.localGet(site).localGet(newCap).i64Const(1).i64Add().localGet(elemSize).i64ExtendI32U().i64Mul().call(fn.oom);
    f.end();
    f.localGet(newCap).localGet(elemSize).i64ExtendI32U().i64Mul().localGet(site).call(fn.checkedSize).localSet(bytes);
    f.localGet(data).localGet(arr).i32Const(ARRAY_HEADER.inlineData).i32Add().i32Eq().if_();
    // The buffer in the header's block stays there (unused) as long as the header lives.
    f.localGet(bytes).localGet(site).call(fn.alloc).localTee(moved);
    f.localGet(data).localGet(len).localGet(elemSize).i32Mul().memoryCopy();
    f.localGet(moved).localSet(data);
    f.else_();
    f.localGet(data).localGet(len).localGet(elemSize).i32Mul().localGet(bytes);
    f.localGet(site).call(fn.realloc).localSet(data);
    f.end();
    f.localGet(arr).localGet(data).i32Store(ARRAY_HEADER.data);
    f.localGet(arr).localGet(newCap).i32WrapI64().i32Store(ARRAY_HEADER.cap);
    // An old header now points to a young buffer.
    f.localGet(arr).call(fn.remember);
  }
  f.end();
  f.localGet(arr).localGet(len).i32Const(1).i32Add().i32Store(ARRAY_HEADER.len);
  f.localGet(data).localGet(len).localGet(elemSize).i32Mul().i32Add();
}

/** `(arr, elemSize, site) -> address of the removed element` (valid until the next push). */
export function emitArrayPopSlot(f: FunctionBuilder, cx: RuntimeContext): void {
  const arr = 0;
  const elemSize = 1;
  const site = 2;
  const len = f.addLocal(I32, 'len');

  f.localGet(arr).i32Load(ARRAY_HEADER.len).localTee(len).i32Eqz().if_();
  f.i32Const(TrapKind.PopEmpty).localGet(site).i64Const(0).i64Const(0).call(cx.fn.panic).unreachable();
  f.end();
  f.localGet(arr).localGet(len).i32Const(1).i32Sub().localTee(len).i32Store(ARRAY_HEADER.len);
  f.localGet(arr).i32Load(ARRAY_HEADER.data).localGet(len).localGet(elemSize).i32Mul().i32Add();
}

/** `(size, shape, site) -> ptr`: `alloc` that also writes the block's shape word. */
export function emitAllocShaped(f: FunctionBuilder, cx: RuntimeContext): void {
  const ptr = f.addLocal(I32, 'ptr');
  f.localGet(0).localGet(2).call(cx.fn.alloc).localTee(ptr);
  f.i32Const(4).i32Sub().localGet(1).i32Store();
  f.localGet(ptr);
}
