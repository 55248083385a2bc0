/** The built-in operations: print, assert, array and text length, push and pop, SIMD splat and sum. */
import { BlockType, ValType } from '../wasm/index.js';
import type { IrExpr } from '../ir.js';
import { ARRAY_HEADER, isHeapPointer, reprOf } from '../layout.js';
import { TrapKind } from '../runtime-abi.js';
import { toI64 } from './casts.js';
import type { ExprContext } from './expr-context.js';
import { extractLane, scalarAdd, splat } from './simd.js';
import { emitLoad, emitStore, wasmType } from './values.js';

export function builtin(cx: ExprContext, e: Extract<IrExpr, { kind: 'builtin' }>): void {
  const f = cx.f;
  switch (e.name) {
    case 'print': {
      const arg = e.args[0];
      cx.expr(arg);
      const t = arg.type;
      if (t.kind === 'string') cx.callRuntime('print_text');
      else if (t.kind === 'bool') cx.callRuntime('print_bool');
      else if (t.kind === 'float') cx.callRuntime(t.bits === 64 ? 'print_f64' : 'print_f32');
      else if (t.kind === 'int') {
        toI64(f, t);
        cx.callRuntime(t.bits === 64 && !t.signed ? 'print_u64' : 'print_i64');
      }
      return;
    }
    case 'assert':
      cx.expr(e.args[0]);
      f.i32Eqz();
      cx.open('if');
      cx.panic(TrapKind.AssertFailed);
      cx.close();
      return;
    case 'array.len':
      cx.expr(e.args[0]);
      f.i32Load(ARRAY_HEADER.len, 2).i64ExtendI32U();
      return;
    case 'text.len':
      cx.expr(e.args[0]);
      f.i32Load(0, 2).i64ExtendI32U();
      return;
    case 'text.append': {
      const [s, b] = e.args;
      const slot = cx.gc.exprRooted(s, cx.gc.facts.mayCollect(b));
      cx.expr(b);
      cx.pushSite();
      cx.callRuntime('text_append');
      cx.gc.unrootAll([slot]);
      return;
    }
    case 'array.push': {
      const [arr, value] = e.args;
      const size = reprOf(value.type).size;
      const v = wasmType(value.type);
      const a = cx.temps.take(ValType.i32);
      cx.expr(arr);
      f.localSet(a);
      const slot = cx.gc.facts.mayCollect(value) ? cx.gc.rootLocal(a) : -1;
      let tmp = -1;
      if (v !== null) {
        tmp = cx.temps.take(v);
        cx.expr(value);
        f.localSet(tmp);
      } else {
        cx.expr(value);
      }
      cx.gc.unrootAll([slot]);
      // The element's address: with room in the buffer, right here (len + 1, data + len * size);
      // the runtime only when the buffer must grow.
      const len = cx.temps.take(ValType.i32);
      f.localGet(a).i32Load(ARRAY_HEADER.len, 2).localTee(len);
      f.localGet(a).i32Load(ARRAY_HEADER.cap, 2).i32LtU();
      f.if_(BlockType.i32);
      f.localGet(a).localGet(len).i32Const(1).i32Add().i32Store(ARRAY_HEADER.len, 2);
      f.localGet(a).i32Load(ARRAY_HEADER.data, 2).localGet(len).i32Const(size).i32Mul().i32Add();
      f.else_();
      f.localGet(a).i32Const(size);
      cx.pushSite();
      cx.callRuntime('array_push_slot');
      f.end();
      cx.temps.release(ValType.i32, len);
      if (v !== null) {
        f.localGet(tmp);
        emitStore(f, value.type, 0);
        if (isHeapPointer(value.type)) cx.gc.writeBarrier(a);
        cx.temps.release(v, tmp);
      } else {
        f.drop();
      }
      cx.temps.release(ValType.i32, a);
      return;
    }
    case 'array.pop':
      cx.expr(e.args[0]);
      f.i32Const(Math.max(reprOf(e.type).size, 0));
      cx.pushSite();
      cx.callRuntime('array_pop_slot');
      emitLoad(f, e.type, 0);
      return;
    case 'simd.splat': {
      const t = e.type;
      if (t.kind !== 'simd') throw new Error('internal: splat of a non-SIMD type');
      cx.expr(e.args[0]);
      splat(f, t);
      return;
    }
    case 'simd.sum': {
      const t = e.args[0].type;
      if (t.kind !== 'simd') throw new Error('internal: sum of a non-SIMD type');
      const vec = cx.temps.take(ValType.v128);
      cx.expr(e.args[0]);
      f.localSet(vec);
      for (let i = 0; i < t.lanes; i++) {
        f.localGet(vec);
        extractLane(f, t, i);
        if (i > 0) scalarAdd(f, t.elem);
      }
      cx.temps.release(ValType.v128, vec);
      return;
    }
  }
}
