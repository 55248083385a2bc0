/** SIMD instruction selection: the instruction for a vector type's lane kind and count. */
import { ValType } from '../wasm/index.js';
import * as SimdOp from '../wasm/simd-ops.js';
import type { FunctionBuilder } from '../wasm/index.js';
import type { Type } from '../../types/index.js';
import { wasmType } from './values.js';

export function splat(f: FunctionBuilder, t: Extract<Type, { kind: 'simd' }>): void {
  if (t.elem.kind === 'float') t.lanes === 4 ? f.simd(SimdOp.f32x4Splat) : f.simd(SimdOp.f64x2Splat);
  else t.lanes === 4 ? f.simd(SimdOp.i32x4Splat) : f.simd(SimdOp.i64x2Splat);
}

export function replaceLane(f: FunctionBuilder, t: Extract<Type, { kind: 'simd' }>, lane: number): void {
  if (t.elem.kind === 'float') t.lanes === 4 ? f.f32x4ReplaceLane(lane) : f.f64x2ReplaceLane(lane);
  else t.lanes === 4 ? f.i32x4ReplaceLane(lane) : f.i64x2ReplaceLane(lane);
}

export function extractLane(f: FunctionBuilder, t: Extract<Type, { kind: 'simd' }>, lane: number): void {
  if (t.elem.kind === 'float') t.lanes === 4 ? f.f32x4ExtractLane(lane) : f.f64x2ExtractLane(lane);
  else t.lanes === 4 ? f.i32x4ExtractLane(lane) : f.i64x2ExtractLane(lane);
}

export function scalarAdd(f: FunctionBuilder, t: Type): void {
  if (t.kind === 'float') t.bits === 64 ? f.f64Add() : f.f32Add();
  else if (wasmType(t) === ValType.i64) f.i64Add();
  else f.i32Add();
}

export function simdOp(f: FunctionBuilder, t: Extract<Type, { kind: 'simd' }>, op: string): void {
  const key = `${t.elem.kind === 'float' ? 'f' : 'i'}${t.lanes === 4 ? 32 : 64}x${t.lanes}.${op}`;
  switch (key) {
    case 'f32x4.add': return void f.simd(SimdOp.f32x4Add);
    case 'f32x4.sub': return void f.simd(SimdOp.f32x4Sub);
    case 'f32x4.mul': return void f.simd(SimdOp.f32x4Mul);
    case 'f32x4.div': return void f.simd(SimdOp.f32x4Div);
    case 'f32x4.neg': return void f.simd(SimdOp.f32x4Neg);
    case 'f64x2.add': return void f.simd(SimdOp.f64x2Add);
    case 'f64x2.sub': return void f.simd(SimdOp.f64x2Sub);
    case 'f64x2.mul': return void f.simd(SimdOp.f64x2Mul);
    case 'f64x2.div': return void f.simd(SimdOp.f64x2Div);
    case 'f64x2.neg': return void f.simd(SimdOp.f64x2Neg);
    case 'i32x4.add': return void f.simd(SimdOp.i32x4Add);
    case 'i32x4.sub': return void f.simd(SimdOp.i32x4Sub);
    case 'i32x4.mul': return void f.simd(SimdOp.i32x4Mul);
    case 'i32x4.neg': return void f.simd(SimdOp.i32x4Neg);
    case 'i64x2.add': return void f.simd(SimdOp.i64x2Add);
    case 'i64x2.sub': return void f.simd(SimdOp.i64x2Sub);
    case 'i64x2.mul': return void f.simd(SimdOp.i64x2Mul);
    case 'i64x2.neg': return void f.simd(SimdOp.i64x2Neg);
    default:
      throw new Error(`internal: no SIMD operation ${key}`);
  }
}
