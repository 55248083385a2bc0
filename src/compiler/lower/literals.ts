/**
 * Record (struct, tuple) and array literals. The values are computed first, then the block is
 * allocated (inline when its class is known: inline-alloc.ts) and the values stored: the
 * collector never sees a block whose pointers are not written yet, and nothing need clear it.
 */
import { ValType } from '../wasm/index.js';
import type { IrExpr } from '../ir.js';
import type { Type } from '../../types/index.js';
import { ARRAY_HEADER, isHeapPointer, recordLayout, recordShape, reprOf } from '../layout.js';
import { HeapShape } from '../runtime-abi.js';
import type { ExprContext } from './expr-context.js';
import { emitAllocation } from './inline-alloc.js';
import type { HeldValue } from './rooting.js';
import { emitStore } from './values.js';

/** A struct or tuple of `values`, in their declaration order. */
export function recordLiteral(cx: ExprContext, values: readonly IrExpr[]): void {
  const f = cx.f;
  const types = values.map((v) => v.type);
  const layout = recordLayout(types);
  const shape = recordShape(types, layout);
  const held = cx.gc.evaluateAll(values);
  const ptr = cx.temps.take(ValType.i32);
  emitAllocation(f, cx.temps, layout.size, shape, () => {
    f.i32Const(layout.size);
    if (shape !== HeapShape.Leaf) f.i32Const(shape);
    cx.pushSite();
    cx.callRuntime(shape !== HeapShape.Leaf ? 'alloc_shaped' : 'alloc');
  });
  f.localSet(ptr);
  storeHeld(cx, ptr, held, types, (i) => layout.offsets[i]);
  f.localGet(ptr);
  cx.temps.release(ValType.i32, ptr);
}

/** An array literal: one block when its elements fit the header's (as array_new lays it out). */
export function arrayLiteral(cx: ExprContext, elemType: Type, elems: readonly IrExpr[]): void {
  const f = cx.f;
  const size = reprOf(elemType).size;
  const held = cx.gc.evaluateAll(elems);
  const arr = cx.temps.take(ValType.i32);
  const shape = isHeapPointer(elemType) ? HeapShape.ArrayOfPointers : HeapShape.ArrayOfValues;
  const newArray = (): void => {
    f.i32Const(size).i32Const(elems.length).i32Const(shape);
    cx.pushSite();
    cx.callRuntime('array_new');
  };
  const cap = elems.length === 0 ? ARRAY_HEADER.minCapacity : elems.length;
  if (cap * size <= ARRAY_HEADER.inlineMax) {
    emitAllocation(f, cx.temps, ARRAY_HEADER.inlineData + cap * size, shape, newArray);
    f.localTee(arr).i32Const(elems.length).i32Store(ARRAY_HEADER.len);
    f.localGet(arr).i32Const(cap).i32Store(ARRAY_HEADER.cap);
    f.localGet(arr).localGet(arr).i32Const(ARRAY_HEADER.inlineData).i32Add().i32Store(ARRAY_HEADER.data);
  } else {
    newArray();
    f.localSet(arr);
  }
  const data = cx.temps.take(ValType.i32);
  if (elems.length > 0) f.localGet(arr).i32Load(ARRAY_HEADER.data, 2).localSet(data);
  storeHeld(cx, data, held, elems.map(() => elemType), (i) => i * size);
  cx.temps.release(ValType.i32, data);
  f.localGet(arr);
  cx.temps.release(ValType.i32, arr);
}

/** Stores the held values at their offsets from the address in local `base`, and unroots them. */
function storeHeld(cx: ExprContext, base: number, held: readonly HeldValue[], types: readonly Type[], offsetOf: (i: number) => number): void {
  held.forEach(({ w, local }, i) => {
    if (w === null) return;
    cx.f.localGet(base).localGet(local);
    emitStore(cx.f, types[i], offsetOf(i));
    cx.temps.release(w, local);
  });
  cx.gc.unrootAll(held.map((h) => h.slot));
}
