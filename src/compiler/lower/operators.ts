/** Unary, arithmetic and comparison operators: instruction selection by the operand type. */
import { ValType } from '../wasm/index.js';
import type { IrExpr } from '../ir.js';
import { division } from './division.js';
import type { ExprContext } from './expr-context.js';
import { simdOp } from './simd.js';
import { emitNormalize, wasmType } from './values.js';

export function unary(cx: ExprContext, e: Extract<IrExpr, { kind: 'unary' }>): void {
  const f = cx.f;
  const t = e.type;
  if (e.op === 'not') {
    cx.expr(e.operand);
    f.i32Eqz();
    return;
  }
  if (t.kind === 'float') {
    cx.expr(e.operand);
    t.bits === 64 ? f.f64Neg() : f.f32Neg();
    return;
  }
  if (t.kind === 'simd') {
    cx.expr(e.operand);
    simdOp(f, t, 'neg');
    return;
  }
  if (wasmType(t) === ValType.i64) f.i64Const(0);
  else f.i32Const(0);
  cx.expr(e.operand);
  wasmType(t) === ValType.i64 ? f.i64Sub() : f.i32Sub();
  emitNormalize(f, t);
}

export function arith(cx: ExprContext, e: Extract<IrExpr, { kind: 'arith' }>): void {
  const f = cx.f;
  const t = e.type;
  if (t.kind === 'string') {
    const slot = cx.gc.exprRooted(e.left, cx.gc.facts.mayCollect(e.right));
    cx.expr(e.right);
    cx.pushSite();
    cx.callRuntime('text_concat');
    cx.gc.unrootAll([slot]);
    return;
  }
  if (t.kind === 'simd') {
    cx.expr(e.left);
    cx.expr(e.right);
    simdOp(f, t, e.op);
    return;
  }
  if (t.kind === 'float') {
    cx.expr(e.left);
    cx.expr(e.right);
    const is64 = t.bits === 64;
    switch (e.op) {
      case 'add':
        return void (is64 ? f.f64Add() : f.f32Add());
      case 'sub':
        return void (is64 ? f.f64Sub() : f.f32Sub());
      case 'mul':
        return void (is64 ? f.f64Mul() : f.f32Mul());
      case 'div':
        return void (is64 ? f.f64Div() : f.f32Div());
      case 'rem':
        if (!is64) {
          // fmod is exact, so computing it in f64 and rounding back loses nothing.
          const b = cx.temps.take(ValType.f32);
          f.localSet(b).f64PromoteF32().localGet(b).f64PromoteF32();
          cx.callRuntime('f64_rem');
          f.f32DemoteF64();
          cx.temps.release(ValType.f32, b);
        } else {
          cx.callRuntime('f64_rem');
        }
        return;
      default:
        throw new Error(`internal: float ${e.op}`);
    }
  }
  if (t.kind !== 'int') throw new Error(`internal: arithmetic on ${t.kind}`);
  const is64 = t.bits === 64;
  if (e.op === 'div' || e.op === 'rem') {
    division(cx, e, t.signed, is64);
    emitNormalize(f, t);
    return;
  }
  cx.expr(e.left);
  cx.expr(e.right);
  // Shift amounts wrap at the type's width, as WebAssembly does for i32 and i64 (`x << 9` on
  // an i8 shifts by 1), so every integer type shifts alike.
  if ((e.op === 'shl' || e.op === 'shr') && t.bits < 32) f.i32Const(t.bits - 1).i32And();
  switch (e.op) {
    case 'add':
      is64 ? f.i64Add() : f.i32Add();
      break;
    case 'sub':
      is64 ? f.i64Sub() : f.i32Sub();
      break;
    case 'mul':
      is64 ? f.i64Mul() : f.i32Mul();
      break;
    case 'and':
      is64 ? f.i64And() : f.i32And();
      break;
    case 'or':
      is64 ? f.i64Or() : f.i32Or();
      break;
    case 'xor':
      is64 ? f.i64Xor() : f.i32Xor();
      break;
    case 'shl':
      is64 ? f.i64Shl() : f.i32Shl();
      break;
    case 'shr':
      if (is64) t.signed ? f.i64ShrS() : f.i64ShrU();
      else t.signed ? f.i32ShrS() : f.i32ShrU();
      break;
  }
  emitNormalize(f, t);
}

export function compare(cx: ExprContext, e: Extract<IrExpr, { kind: 'compare' }>): void {
  const f = cx.f;
  const t = e.operandType;
  const slot = cx.gc.exprRooted(e.left, cx.gc.facts.mayCollect(e.right));
  cx.expr(e.right);
  cx.gc.unrootAll([slot]);
  if (t.kind === 'string') {
    if (e.op === 'eq' || e.op === 'ne') {
      cx.callRuntime('text_eq');
      if (e.op === 'ne') f.i32Eqz();
      return;
    }
    cx.callRuntime('text_cmp');
    f.i32Const(0);
    ({ lt: () => f.i32LtS(), le: () => f.i32LeS(), gt: () => f.i32GtS(), ge: () => f.i32GeS() })[e.op]();
    return;
  }
  if (t.kind === 'float') {
    const ops64 = { eq: () => f.f64Eq(), ne: () => f.f64Ne(), lt: () => f.f64Lt(), le: () => f.f64Le(), gt: () => f.f64Gt(), ge: () => f.f64Ge() };
    const ops32 = { eq: () => f.f32Eq(), ne: () => f.f32Ne(), lt: () => f.f32Lt(), le: () => f.f32Le(), gt: () => f.f32Gt(), ge: () => f.f32Ge() };
    (t.bits === 64 ? ops64 : ops32)[e.op]();
    return;
  }
  const signed = t.kind === 'int' && t.signed;
  if (wasmType(t) === ValType.i64) {
    const ops = signed
      ? { eq: () => f.i64Eq(), ne: () => f.i64Ne(), lt: () => f.i64LtS(), le: () => f.i64LeS(), gt: () => f.i64GtS(), ge: () => f.i64GeS() }
      : { eq: () => f.i64Eq(), ne: () => f.i64Ne(), lt: () => f.i64LtU(), le: () => f.i64LeU(), gt: () => f.i64GtU(), ge: () => f.i64GeU() };
    ops[e.op]();
  } else {
    const ops = signed
      ? { eq: () => f.i32Eq(), ne: () => f.i32Ne(), lt: () => f.i32LtS(), le: () => f.i32LeS(), gt: () => f.i32GtS(), ge: () => f.i32GeS() }
      : { eq: () => f.i32Eq(), ne: () => f.i32Ne(), lt: () => f.i32LtU(), le: () => f.i32LeU(), gt: () => f.i32GtU(), ge: () => f.i32GeU() };
    ops[e.op]();
  }
}
