// Every instruction method against wabt's assembler: each case becomes one function in a wat
// module, and its body must match ours byte for byte.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FunctionBuilder } from '../../../src/compiler/wasm/code.js';
import { writePaddedS32, writePaddedU32 } from '../../../src/compiler/wasm/padded-leb.js';
import * as SimdOp from '../../../src/compiler/wasm/simd-ops.js';
import { WasmEncodeError } from '../../../src/compiler/wasm/errors.js';
import { BlockType, ValType } from '../../../src/compiler/wasm/types.js';
import { codeBodies, hex, wat2wasm } from './wabt-helper.js';

const camel = (m: string): string =>
  m
    .split(/[._]/)
    .map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1)))
    .join('');

// Instructions without immediates, by text mnemonic.
const PLAIN = `
unreachable nop drop select
i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div
f32.min f32.max f32.copysign
f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div
f64.min f64.max f64.copysign
i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s
i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u
ref.is_null memory.size memory.grow memory.copy memory.fill
i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat
i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true
f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s
i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc
i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s
i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask
i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s
i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add
i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul
i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u i16x8.avgr_u i16x8.extmul_low_i8x16_s
i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
i32x4.abs i32x4.neg i32x4.all_true i32x4.bitmask i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s
i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add
i32x4.sub i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s
i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
i64x2.abs i64x2.neg i64x2.all_true i64x2.bitmask i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s
i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add
i64x2.sub i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
f32x4.abs f32x4.neg f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin
f32x4.pmax f64x2.abs f64x2.neg f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max
f64x2.pmin f64x2.pmax i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s
f32x4.convert_i32x4_u i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero
f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u
`
  .split(/\s+/)
  .filter(Boolean);

// [mnemonic, natural alignment in bytes]
const MEMORY: [string, number][] = [
  ['i32.load', 4], ['i64.load', 8], ['f32.load', 4], ['f64.load', 8], ['i32.load8_s', 1], ['i32.load8_u', 1],
  ['i32.load16_s', 2], ['i32.load16_u', 2], ['i64.load8_s', 1], ['i64.load8_u', 1], ['i64.load16_s', 2],
  ['i64.load16_u', 2], ['i64.load32_s', 4], ['i64.load32_u', 4], ['i32.store', 4], ['i64.store', 8],
  ['f32.store', 4], ['f64.store', 8], ['i32.store8', 1], ['i32.store16', 2], ['i64.store8', 1],
  ['i64.store16', 2], ['i64.store32', 4], ['v128.load', 16], ['v128.load8x8_s', 8], ['v128.load8x8_u', 8],
  ['v128.load16x4_s', 8], ['v128.load16x4_u', 8], ['v128.load32x2_s', 8], ['v128.load32x2_u', 8],
  ['v128.load8_splat', 1], ['v128.load16_splat', 2], ['v128.load32_splat', 4], ['v128.load64_splat', 8],
  ['v128.store', 16], ['v128.load32_zero', 4], ['v128.load64_zero', 8],
];
const MEMORY_LANE: [string, number][] = [
  ['v128.load8_lane', 1], ['v128.load16_lane', 2], ['v128.load32_lane', 4], ['v128.load64_lane', 8],
  ['v128.store8_lane', 1], ['v128.store16_lane', 2], ['v128.store32_lane', 4], ['v128.store64_lane', 8],
];
const LANE = `i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane i16x8.extract_lane_s
i16x8.extract_lane_u i16x8.replace_lane i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane
i64x2.replace_lane f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane`
  .split(/\s+/)
  .filter(Boolean);

type Emit = (f: FunctionBuilder) => unknown;
type AnyBuilder = Record<string, (...args: unknown[]) => unknown>;
const call = (name: string, ...args: unknown[]): Emit => (f) => {
  // The SIMD instructions without immediates are constants, not methods (simd-ops.ts).
  if (Object.hasOwn(SimdOp, name) && args.length === 0) return f.simd(SimdOp[name as keyof typeof SimdOp]);
  const m = (f as unknown as AnyBuilder)[name];
  if (typeof m !== 'function') throw new Error(`FunctionBuilder has no method ${name}`);
  return m.apply(f, args);
};

const CASES: [string, Emit][] = [
  ...PLAIN.map((m): [string, Emit] => [m, call(camel(m))]),
  ...MEMORY.flatMap(([m, natural]): [string, Emit][] => [
    [m, call(camel(m))],
    [`${m} offset=300 align=1`, call(camel(m), 300, 0)],
    [`${m} offset=4294967295 align=${natural}`, call(camel(m), 2 ** 32 - 1, Math.log2(natural))],
  ]),
  ...MEMORY_LANE.flatMap(([m]): [string, Emit][] => [
    [`${m} 1`, call(camel(m), 1)],
    [`${m} offset=16 align=1 0`, call(camel(m), 0, 16, 0)],
  ]),
  ...LANE.map((m): [string, Emit] => [`${m} 1`, call(camel(m), 1)]),
  // control
  ['block end', (f) => f.block().end()],
  ['block (result i32) end', (f) => f.block(BlockType.i32).end()],
  ['loop (result f64) end', (f) => f.loop(BlockType.f64).end()],
  ['block (result v128) end', (f) => f.block(BlockType.of(ValType.v128)).end()],
  ['block (result externref) end', (f) => f.block(BlockType.externref).end()],
  ['block (type $mv) end', (f) => f.block(BlockType.func(1)).end()],
  // wabt drops an empty `else`, so give both arms a body.
  ['if (result i64) i64.const 1 else i64.const 2 end', (f) => f.if_(BlockType.i64).i64Const(1).else_().i64Const(2).end()],
  ['if end', (f) => f.if_().end()],
  ['block block br 1 br_if 0 end end', (f) => f.block().block().br(1).brIf(0).end().end()],
  ['block block br_table 0 1 0 1 end end', (f) => f.block().block().brTable([0, 1, 0], 1).end().end()],
  ['return', (f) => f.return_()],
  ['call 1', (f) => f.call(1)],
  ['call 200', (f) => f.call(200)],
  ['call_indirect (type 0)', (f) => f.callIndirect(0)],
  ['call_indirect 1 (type $mv)', (f) => f.callIndirect(1, 1)],
  ['return_call 0', (f) => f.returnCall(0)],
  ['return_call_indirect (type $mv)', (f) => f.returnCallIndirect(1)],
  ['select (result i32)', (f) => f.select(ValType.i32)],
  ['select (result funcref)', (f) => f.select(ValType.funcref)],
  // variables
  ['local.get 0 local.set 1 local.tee 300', (f) => f.localGet(0).localSet(1).localTee(300)],
  ['global.get 0 global.set 0', (f) => f.globalGet(0).globalSet(0)],
  // tables and references
  ['table.get 0 table.set 1', (f) => f.tableGet().tableSet(1)],
  ['table.grow 0 table.size 1 table.fill 0', (f) => f.tableGrow().tableSize(1).tableFill()],
  ['table.init 0 table.init 1 0', (f) => f.tableInit(0).tableInit(0, 1)],
  ['elem.drop 0', (f) => f.elemDrop(0)],
  ['table.copy 1 0 table.copy 0 0', (f) => f.tableCopy(1, 0).tableCopy()],
  ['ref.null func ref.null extern ref.func 0', (f) => f.refNull(ValType.funcref).refNull(ValType.externref).refFunc(0)],
  // bulk memory with indices
  ['memory.init 0 data.drop 0', (f) => f.memoryInit(0).dataDrop(0)],
  // constants
  ['i32.const 0 i32.const -1 i32.const 63 i32.const 64 i32.const -64 i32.const -65', (f) =>
    f.i32Const(0).i32Const(-1).i32Const(63).i32Const(64).i32Const(-64).i32Const(-65)],
  ['i32.const 2147483647 i32.const -2147483648 i32.const 0xffffffff i32.const 0x80000000', (f) =>
    f.i32Const(2147483647).i32Const(-2147483648).i32Const(0xffffffff).i32Const(0x80000000)],
  ['i64.const 0 i64.const -1 i64.const 12345678901234 i64.const -9007199254740991', (f) =>
    f.i64Const(0).i64Const(-1).i64Const(12345678901234).i64Const(-9007199254740991)],
  ['i64.const 9223372036854775807 i64.const -9223372036854775808 i64.const 0xffffffffffffffff', (f) =>
    f.i64Const(9223372036854775807n).i64Const(-9223372036854775808n).i64Const(0xffffffffffffffffn)],
  ['i64.const 0x123456789abcdef0', (f) => f.i64Const(0x123456789abcdef0n)],
  ['f32.const 1.5 f32.const -0 f32.const inf f32.const nan f32.const 3.4028234663852886e+38', (f) =>
    f.f32Const(1.5).f32Const(-0).f32Const(Infinity).f32Const(NaN).f32Const(3.4028234663852886e38)],
  ['f32.const nan:0x200001 f32.const -nan:0x1', (f) => f.f32ConstBits(0x7fa00001).f32ConstBits(0xff800001)],
  ['f64.const 0.1 f64.const -inf f64.const nan f64.const 5e-324', (f) =>
    f.f64Const(0.1).f64Const(-Infinity).f64Const(NaN).f64Const(5e-324)],
  ['f64.const nan:0x4000000000001', (f) => f.f64ConstBits(0x7ff4000000000001n)],
  ['v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255', (f) =>
    f.v128Const([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255])],
  ['v128.const i32x4 1 -2 3 0x80000000', (f) => f.v128ConstI32x4(1, -2, 3, -0x80000000)],
  ['v128.const i64x2 -1 0x123456789abcdef0', (f) => f.v128ConstI64x2(-1n, 0x123456789abcdef0n)],
  ['v128.const f32x4 1.5 -0 inf 0.1', (f) => f.v128ConstF32x4(1.5, -0, Infinity, 0.1)],
  ['v128.const f64x2 0.1 -2.5', (f) => f.v128ConstF64x2(0.1, -2.5)],
  ['i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31', (f) =>
    f.i8x16Shuffle([0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31])],
];

// Methods of FunctionBuilder that are not instructions.
const NOT_INSTRUCTIONS = new Set([
  'constructor', 'reset', 'addLocal', 'addLocals', 'setLocalName', 'bodySize', 'writeBody', 'finishBody',
  'raw', 'localCount', 'localNames', 'checkBalanced',
  // Relocatable immediates are padded on purpose, so wabt (which canonicalises) cannot be the
  // reference; they are covered by the 'padded immediates' tests below.
  'codeLength', 'padded', 'callPatchable', 'callIndirectPatchable', 'globalGetPatchable', 'i32ConstPatchable',
  'patchU32', 'patchS32', 'patchCall', 'checkPatch',
]);

describe('instruction encodings match wabt', () => {
  let wabtBodies: Uint8Array[];

  beforeAll(async () => {
    const funcs = CASES.map(([text]) => `  (func (type 0) ${text})`).join('\n');
    const wat = `(module
  (type (func))
  (type $mv (func (param i32) (result i32 i32)))
  (memory 1)
  (table 2 funcref)
  (table 2 funcref)
  (global (mut i32) (i32.const 0))
  (data "x")
  (elem func 0)
${funcs})`;
    wabtBodies = codeBodies(await wat2wasm(wat));
  });

  it.each(CASES.map(([text, emit], i) => ({ text, emit, i })))('$text', ({ emit, i }) => {
    const f = new FunctionBuilder(0);
    emit(f);
    expect(hex(f.finishBody())).toBe(hex(wabtBodies[i]));
  });

  it('every instruction method is exercised above', () => {
    const called = new Set<string>();
    for (const [, emit] of CASES) {
      const spy = new Proxy(new FunctionBuilder(0), {
        get(target, prop, receiver) {
          if (typeof prop === 'string') called.add(prop);
          return Reflect.get(target, prop, receiver);
        },
      });
      emit(spy);
    }
    const methods = Object.getOwnPropertyNames(FunctionBuilder.prototype).filter(
      (n) => !NOT_INSTRUCTIONS.has(n) && !n.startsWith('_'),
    );
    // Private helpers are reached through `this` on the proxy too, so only public ones can be missing.
    const missing = methods.filter((n) => !called.has(n));
    expect(missing).toEqual([]);
  });
});

describe('padded immediates', () => {
  it('emit 5-byte LEB placeholders at the returned offsets and patch them', () => {
    const f = new FunctionBuilder(0);
    f.nop();
    const c = f.callPatchable();
    const ci = f.callIndirectPatchable(1);
    const g = f.globalGetPatchable();
    const k = f.i32ConstPatchable();
    expect([c, ci, g, k]).toEqual([2, 8, 15, 21]);
    expect(f.codeLength).toBe(26);
    f.patchCall(c, 3).patchU32(ci, 2 ** 32 - 1).patchU32(g, 128).patchS32(k, -2);
    expect(hex(f.code.finish())).toBe(
      '01' + '108380808000' + '11ffffffff0f01' + '238081808000' + '41feffffff7f',
    );
    expect(() => f.patchU32(k, -1)).toThrow(WasmEncodeError);
    expect(() => f.patchS32(k, 2 ** 31)).toThrow(WasmEncodeError);
    expect(() => f.patchU32(24, 0)).toThrow(WasmEncodeError);
  });

  it('writePaddedU32/S32 decode to the value (property)', () => {
    const decode = (b: Uint8Array, signed: boolean): number => {
      let v = 0n;
      for (let i = 0; i < 5; i++) v |= BigInt(b[i] & 0x7f) << BigInt(7 * i);
      return Number(signed ? BigInt.asIntN(35, v) : v);
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (u, s) => {
        const b = new Uint8Array(5);
        writePaddedU32(b, 0, u);
        expect(decode(b, false)).toBe(u);
        expect(b.slice(0, 4).every((x) => x >= 0x80) && b[4] < 0x80).toBe(true);
        writePaddedS32(b, 0, s);
        expect(decode(b, true)).toBe(s);
        expect(b[4] < 0x80).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
