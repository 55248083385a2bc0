// Modules built with the encoder, run by V8.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConstExpr } from '../../../src/compiler/wasm/const-expr.js';
import { ModuleBuilder } from '../../../src/compiler/wasm/module.js';
import * as SimdOp from '../../../src/compiler/wasm/simd-ops.js';
import { BlockType, ValType as T } from '../../../src/compiler/wasm/types.js';
import type { FunctionBuilder } from '../../../src/compiler/wasm/code.js';
import type { ValType } from '../../../src/compiler/wasm/types.js';
import { expectValid, instantiate } from './wabt-helper.js';

type Fn = (...args: any[]) => any;

/** Build a module exporting one function `f`, validate it, and return the export. */
async function single(
  params: ValType[],
  results: ValType[],
  body: (f: FunctionBuilder, m: ModuleBuilder) => void,
  setup?: (m: ModuleBuilder) => void,
  imports?: WebAssembly.Imports,
): Promise<Fn> {
  const m = new ModuleBuilder();
  setup?.(m);
  const f = m.addFunction({ params, results }, 'f');
  body(f, m);
  m.exportFunction('f', f.index);
  const bytes = m.finish();
  await expectValid(bytes);
  return instantiate(bytes, imports).f as Fn;
}

const f32 = Math.fround;

describe('scalar arithmetic', () => {
  it('i32 add/mul/sub/div/rem/shifts', async () => {
    const ops: [(f: FunctionBuilder) => unknown, (a: number, b: number) => number][] = [
      [(f) => f.i32Add(), (a, b) => (a + b) | 0],
      [(f) => f.i32Mul(), (a, b) => Math.imul(a, b)],
      [(f) => f.i32Sub(), (a, b) => (a - b) | 0],
      [(f) => f.i32Xor(), (a, b) => a ^ b],
      [(f) => f.i32ShrU(), (a, b) => (a >>> b) | 0],
      [(f) => f.i32Rotl(), (a, b) => ((a << (b & 31)) | (a >>> (32 - (b & 31)))) | 0],
      [(f) => f.i32LtS(), (a, b) => (a < b ? 1 : 0)],
    ];
    for (const [emit, ref] of ops) {
      const fn = await single([T.i32, T.i32], [T.i32], (f) => emit(f.localGet(0).localGet(1)));
      fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (a, b) => {
        expect(fn(a, b)).toBe(ref(a, b));
      }), { numRuns: 200 });
    }
  });

  it('i64 add/mul', async () => {
    const add = await single([T.i64, T.i64], [T.i64], (f) => f.localGet(0).localGet(1).i64Add());
    const mul = await single([T.i64, T.i64], [T.i64], (f) => f.localGet(0).localGet(1).i64Mul());
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a, b) => {
      expect(add(a, b)).toBe(BigInt.asIntN(64, a + b));
      expect(mul(a, b)).toBe(BigInt.asIntN(64, a * b));
    }), { numRuns: 300 });
  });

  it('i64 constants of every width', async () => {
    for (const v of [0n, -1n, 1n << 40n, -(1n << 62n), 2n ** 63n - 1n, -(2n ** 63n)]) {
      const fn = await single([], [T.i64], (f) => f.i64Const(v));
      expect(fn()).toBe(v);
    }
    expect(await single([], [T.i64], (f) => f.i64Const(0xffff_ffff_ffff_fffen)).then((fn) => fn())).toBe(-2n);
    expect(await single([], [T.i64], (f) => f.i64Const(-123456789012345)).then((fn) => fn())).toBe(-123456789012345n);
  });

  it('f32 and f64 add/mul/div/sqrt', async () => {
    const f32add = await single([T.f32, T.f32], [T.f32], (f) => f.localGet(0).localGet(1).f32Add());
    const f32mul = await single([T.f32, T.f32], [T.f32], (f) => f.localGet(0).localGet(1).f32Mul());
    const f64mul = await single([T.f64, T.f64], [T.f64], (f) => f.localGet(0).localGet(1).f64Mul());
    const f64div = await single([T.f64, T.f64], [T.f64], (f) => f.localGet(0).localGet(1).f64Div());
    const f64sqrt = await single([T.f64], [T.f64], (f) => f.localGet(0).f64Sqrt());
    fc.assert(fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      expect(f32add(a, b)).toBe(f32(f32(a) + f32(b)));
      expect(f32mul(a, b)).toBe(f32(f32(a) * f32(b)));
      expect(f64mul(a, b)).toBe(a * b);
      expect(f64div(a, b)).toBe(a / b);
      expect(Object.is(f64sqrt(a), Math.sqrt(a))).toBe(true);
    }), { numRuns: 300 });
    expect((await single([], [T.f32], (f) => f.f32Const(0.1)))()).toBe(f32(0.1));
    expect((await single([], [T.f64], (f) => f.f64Const(-0.1)))()).toBe(-0.1);
  });

  it('conversions between widths', async () => {
    const wrap = await single([T.i64], [T.i32], (f) => f.localGet(0).i32WrapI64());
    expect(wrap(0x1_2345_6789n)).toBe(0x23456789);
    const extU = await single([T.i32], [T.i64], (f) => f.localGet(0).i64ExtendI32U());
    expect(extU(-1)).toBe(0xffff_ffffn);
    const cvt = await single([T.i64], [T.f64], (f) => f.localGet(0).f64ConvertI64S());
    expect(cvt(-(2n ** 53n))).toBe(-(2 ** 53));
    const bits = await single([T.f32], [T.i32], (f) => f.localGet(0).i32ReinterpretF32());
    expect(bits(1)).toBe(0x3f800000);
  });
});

describe('control flow', () => {
  it('factorial with a loop (i64)', async () => {
    const fact = await single([T.i64], [T.i64], (f) => {
      const acc = f.addLocal(T.i64);
      f.i64Const(1).localSet(acc);
      f.block().loop();
      f.localGet(0).i64Eqz().brIf(1);
      f.localGet(acc).localGet(0).i64Mul().localSet(acc);
      f.localGet(0).i64Const(1).i64Sub().localSet(0);
      f.br(0).end().end();
      f.localGet(acc);
    });
    expect(fact(0n)).toBe(1n);
    expect(fact(20n)).toBe(2432902008176640000n);
  });

  it('fibonacci with a loop (i32) and a recursive version', async () => {
    const fib = await single([T.i32], [T.i32], (f) => {
      const a = f.addLocal(T.i32);
      const b = f.addLocal(T.i32);
      const t = f.addLocal(T.i32);
      f.i32Const(1).localSet(b);
      f.block().loop();
      f.localGet(0).i32Eqz().brIf(1);
      f.localGet(a).localGet(b).i32Add().localSet(t);
      f.localGet(b).localSet(a).localGet(t).localSet(b);
      f.localGet(0).i32Const(1).i32Sub().localSet(0).br(0);
      f.end().end().localGet(a);
    });
    expect([0, 1, 2, 3, 4, 5, 6, 10, 30].map(fib)).toEqual([0, 1, 1, 2, 3, 5, 8, 55, 832040]);

    const rec = await single([T.i32], [T.i32], (f) => {
      f.localGet(0).i32Const(2).i32LtS().if_(BlockType.i32).localGet(0).else_();
      f.localGet(0).i32Const(1).i32Sub().call(f.index);
      f.localGet(0).i32Const(2).i32Sub().call(f.index).i32Add().end();
    });
    expect(rec(20)).toBe(6765);
  });

  it('if/else with results', async () => {
    const max = await single([T.f64, T.f64], [T.f64], (f) => {
      f.localGet(0).localGet(1).f64Gt().if_(BlockType.f64).localGet(0).else_().localGet(1).end();
    });
    expect(max(1, 2)).toBe(2);
    expect(max(3, -2)).toBe(3);
  });

  it('multi-value blocks and functions', async () => {
    let pairType = -1;
    const swapSum = await single([T.i32, T.i32], [T.i32, T.i32], (f) => {
      // block (param i32 i32) (result i32 i32): swap, then the caller sees both values.
      f.localGet(0).localGet(1).block(BlockType.func(pairType)).localSet(0).localSet(1).localGet(0).localGet(1).end();
    }, (m) => {
      pairType = m.addType([T.i32, T.i32], [T.i32, T.i32]);
    });
    expect(swapSum(1, 2)).toEqual([2, 1]);
  });

  it('br_table', async () => {
    const sw = await single([T.i32], [T.i32], (f) => {
      f.block().block().block().block();
      f.localGet(0).brTable([0, 1, 2], 3);
      f.end().i32Const(10).return_();
      f.end().i32Const(11).return_();
      f.end().i32Const(12).return_();
      f.end().i32Const(-1);
    });
    expect([0, 1, 2, 3, 99, -1].map(sw)).toEqual([10, 11, 12, -1, -1, -1]);
  });

  it('select, typed select, and tail calls', async () => {
    const sel = await single([T.i32], [T.f64], (f) => f.f64Const(1).f64Const(2).localGet(0).select());
    expect([sel(1), sel(0)]).toEqual([1, 2]);
    const selRef = await single([T.i32], [T.i32], (f) => {
      f.refNull(T.externref).refNull(T.externref).localGet(0).select(T.externref).refIsNull();
    });
    expect(selRef(1)).toBe(1);
    // Counting down a million frames only works if return_call reuses the frame.
    const count = await single([T.i32, T.i32], [T.i32], (f) => {
      f.localGet(0).i32Eqz().if_(BlockType.i32).localGet(1).else_();
      f.localGet(0).i32Const(1).i32Sub().localGet(1).i32Const(1).i32Add().returnCall(f.index).end();
    });
    expect(count(1_000_000, 0)).toBe(1_000_000);
  });
});

describe('tables, memories and globals shared with the host', () => {
  it('call_indirect through an imported table', async () => {
    const lib = new ModuleBuilder();
    const t = lib.addType([T.i32], [T.i32]);
    const dbl = lib.addFunction(t).localGet(0).i32Const(2).i32Mul();
    const sq = lib.addFunction(t).localGet(0).localGet(0).i32Mul();
    lib.exportFunction('double', dbl.index).exportFunction('square', sq.index);
    const libExports = instantiate(lib.finish());
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
    table.set(0, libExports.double as Fn);
    table.set(1, libExports.square as Fn);

    const apply = await single([T.i32, T.i32], [T.i32], (f) => {
      f.localGet(1).localGet(0).callIndirect(0, 0);
    }, (m) => {
      m.addType([T.i32], [T.i32]);
      m.importTable('env', 'table', { element: T.funcref, limits: { min: 2 } });
    }, { env: { table } });
    expect(apply(0, 21)).toBe(42);
    expect(apply(1, 9)).toBe(81);
    expect(() => apply(2, 0)).toThrow(WebAssembly.RuntimeError);
  });

  it('imported memory with active data at an imported __memory_base', async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const memoryBase = 1024;
    const read = await single([T.i32], [T.i32], (f, m) => {
      void m;
      f.globalGet(0).localGet(0).i32Add().i32Load8U();
    }, (m) => {
      m.importMemory('env', 'memory', { min: 1 });
      const base = m.importGlobal('env', '__memory_base', T.i32);
      m.addActiveData(ConstExpr.globalGet(base), new TextEncoder().encode('hello'));
    }, { env: { memory, __memory_base: memoryBase } });
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, memoryBase, 5))).toBe('hello');
    expect(read(1)).toBe('e'.charCodeAt(0));
    expect(new Uint8Array(memory.buffer)[memoryBase - 1]).toBe(0);
  });

  it('element segment at an imported __table_base, called from JS via table.get', async () => {
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 10 });
    const m = new ModuleBuilder();
    m.importTable('env', 'table', { element: T.funcref, limits: { min: 10 } });
    const tableBase = m.importGlobal('env', '__table_base', T.i32);
    const t = m.addType([], [T.i32]);
    const a = m.addFunction(t).i32Const(100);
    const b = m.addFunction(t).i32Const(200);
    m.addActiveElements(0, ConstExpr.globalGet(tableBase), [a.index, b.index, a.index]);
    const bytes = m.finish();
    await expectValid(bytes);
    instantiate(bytes, { env: { table, __table_base: 3 } });
    expect(table.get(2)).toBeNull();
    expect((table.get(3) as Fn)()).toBe(100);
    expect((table.get(4) as Fn)()).toBe(200);
    expect((table.get(5) as Fn)()).toBe(100);
  });

  it('table.get/set/grow/size with ref.func and ref.null', async () => {
    const m = new ModuleBuilder();
    const t = m.addType([], [T.i32]);
    const seven = m.addFunction(t).i32Const(7);
    m.addDeclarativeElements([seven.index]);
    const table = m.addTable(T.funcref, { min: 1 });
    const run = m.addFunction({ params: [], results: [T.i32] });
    // grow by 2 (old size 1), store seven at 2, then call it and add the new size (3).
    run.refNull(T.funcref).i32Const(2).tableGrow(table).drop();
    run.i32Const(2).refFunc(seven.index).tableSet(table);
    run.i32Const(2).callIndirect(t, table);
    run.tableSize(table).i32Add();
    run.i32Const(0).tableGet(table).refIsNull().i32Add();
    m.exportFunction('run', run.index).exportTable('table', table);
    const bytes = m.finish();
    await expectValid(bytes);
    const ex = instantiate(bytes);
    expect((ex.run as Fn)()).toBe(7 + 3 + 1);
    expect(((ex.table as WebAssembly.Table).get(2) as Fn)()).toBe(7);
  });

  it('mutable globals, defined and exported', async () => {
    const m = new ModuleBuilder();
    const g = m.addGlobal(T.i64, true, 5n);
    const inc = m.addFunction({ params: [], results: [] });
    inc.globalGet(g).i64Const(1).i64Add().globalSet(g);
    m.exportFunction('inc', inc.index).exportGlobal('g', g);
    const ex = instantiate(m.finish());
    (ex.inc as Fn)();
    (ex.inc as Fn)();
    expect((ex.g as WebAssembly.Global).value).toBe(7n);
  });
});

describe('post-MVP scalar features', () => {
  it('saturating truncation', async () => {
    const s = await single([T.f64], [T.i32], (f) => f.localGet(0).i32TruncSatF64S());
    expect([s(NaN), s(1e20), s(-1e20), s(-3.9), s(Infinity)]).toEqual([0, 2147483647, -2147483648, -3, 2147483647]);
    const u = await single([T.f64], [T.i32], (f) => f.localGet(0).i32TruncSatF64U());
    expect([u(-5), u(1e20) >>> 0]).toEqual([0, 4294967295]);
    const l = await single([T.f32], [T.i64], (f) => f.localGet(0).i64TruncSatF32S());
    expect([l(NaN), l(1e30)]).toEqual([0n, 2n ** 63n - 1n]);
    const trapping = await single([T.f64], [T.i32], (f) => f.localGet(0).i32TruncF64S());
    expect(() => trapping(NaN)).toThrow(WebAssembly.RuntimeError);
  });

  it('sign extension', async () => {
    const e8 = await single([T.i32], [T.i32], (f) => f.localGet(0).i32Extend8S());
    const e16 = await single([T.i32], [T.i32], (f) => f.localGet(0).i32Extend16S());
    const e32 = await single([T.i64], [T.i64], (f) => f.localGet(0).i64Extend32S());
    expect([e8(0xff), e8(0x7f), e8(0x180)]).toEqual([-1, 127, -128]);
    expect([e16(0x8000), e16(0x7fff)]).toEqual([-32768, 32767]);
    expect(e32(0xffff_ffffn)).toBe(-1n);
  });

  it('i8 and i16 arithmetic emulated on i32', async () => {
    const addI8 = await single([T.i32, T.i32], [T.i32], (f) => f.localGet(0).localGet(1).i32Add().i32Extend8S());
    const mulU16 = await single([T.i32, T.i32], [T.i32], (f) => f.localGet(0).localGet(1).i32Mul().i32Const(0xffff).i32And());
    fc.assert(fc.property(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 }), (a, b) => {
      expect(addI8(a, b)).toBe(((a + b) << 24) >> 24);
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (a, b) => {
      expect(mulU16(a, b)).toBe(Math.imul(a, b) & 0xffff);
    }));
  });

  it('bulk memory: fill, copy, init, drop', async () => {
    const m = new ModuleBuilder();
    m.addMemory({ min: 1 });
    const seg = m.addPassiveData(new TextEncoder().encode('WASM'));
    const f = m.addFunction({ params: [], results: [] });
    f.i32Const(0).i32Const(0x2a).i32Const(8).memoryFill(); // [0,8) = '*'
    f.i32Const(16).i32Const(2).i32Const(4).memoryCopy(); // [16,20) = [2,6)
    f.i32Const(32).i32Const(0).i32Const(4).memoryInit(seg).dataDrop(seg); // [32,36) = 'WASM'
    m.exportFunction('f', f.index).exportMemory('memory', 0);
    const bytes = m.finish();
    await expectValid(bytes);
    const ex = instantiate(bytes);
    (ex.f as Fn)();
    const mem = new Uint8Array((ex.memory as WebAssembly.Memory).buffer);
    const text = (a: number, b: number): string => new TextDecoder().decode(mem.subarray(a, b));
    expect(text(0, 9)).toBe('********\0');
    expect(text(16, 20)).toBe('****');
    expect(text(32, 36)).toBe('WASM');
    // The segment was dropped: initialising from it again traps.
    expect(() => (ex.f as Fn)()).toThrow(WebAssembly.RuntimeError);
  });

  it('memory.size and memory.grow', async () => {
    const grow = await single([], [T.i32], (f) => f.i32Const(2).memoryGrow().drop().memorySize(), (m) => m.addMemory({ min: 1 }));
    expect(grow()).toBe(3);
  });

  it('loads and stores of every width with offsets', async () => {
    const m = new ModuleBuilder();
    m.addMemory({ min: 1 });
    const f = m.addFunction({ params: [], results: [T.i64] });
    f.i32Const(0).i64Const(-2n).i64Store(8); // bytes 8..15 = fe ff .. ff
    f.i32Const(0).i32Const(0x1234).i32Store16(32, 0);
    f.i32Const(0).i64Load32U(8); // 0xfffffffe
    f.i32Const(0).i64Load16S(32, 1).i64Add(); // + 0x1234
    f.i32Const(0).i64Load8S(8).i64Add(); // + -2
    f.i32Const(0).f64Const(0.5).f64Store(40);
    f.i32Const(0).f64Load(40).f64Const(2).f64Mul().i64TruncF64S().i64Add(); // + 1
    m.exportFunction('f', f.index);
    const bytes = m.finish();
    await expectValid(bytes);
    expect((instantiate(bytes).f as Fn)()).toBe(0xfffffffen + 0x1234n - 2n + 1n);
  });
});

describe('SIMD', () => {
  it('f32x4 add and extract lane', async () => {
    const fn = await single([T.f32, T.i32], [T.f32], (f) => {
      // (a, a, a, a) + (1.5, 2.5, 3.5, 4.5), lane chosen by a br_table on the second param.
      const v = f.addLocal(T.v128);
      f.localGet(0).simd(SimdOp.f32x4Splat).v128ConstF32x4(1.5, 2.5, 3.5, 4.5).simd(SimdOp.f32x4Add).localSet(v);
      f.block(BlockType.f32).block().block().block().block();
      f.localGet(1).brTable([0, 1, 2], 3);
      f.end().localGet(v).f32x4ExtractLane(0).br(3);
      f.end().localGet(v).f32x4ExtractLane(1).br(2);
      f.end().localGet(v).f32x4ExtractLane(2).br(1);
      f.end().localGet(v).f32x4ExtractLane(3);
      f.end();
    });
    expect([0, 1, 2, 3].map((i) => fn(10, i))).toEqual([11.5, 12.5, 13.5, 14.5]);
  });

  it('i32x4 mul, replace_lane and memory round trip', async () => {
    const m = new ModuleBuilder();
    m.addMemory({ min: 1 });
    const f = m.addFunction({ params: [T.i32], results: [] });
    f.i32Const(0);
    f.v128ConstI32x4(1, -2, 3, 0x10000).localGet(0).simd(SimdOp.i32x4Splat).simd(SimdOp.i32x4Mul);
    f.i32Const(99).i32x4ReplaceLane(3);
    f.v128Store(16);
    m.exportFunction('f', f.index).exportMemory('mem', 0);
    const bytes = m.finish();
    await expectValid(bytes);
    const ex = instantiate(bytes);
    (ex.f as Fn)(0x10001);
    const out = new Int32Array((ex.mem as WebAssembly.Memory).buffer, 16, 4);
    expect([...out]).toEqual([0x10001, -0x20002, 0x30003, 99]);
  });

  it('f64x2 and i64x2 arithmetic', async () => {
    const f64 = await single([T.f64, T.f64], [T.f64], (f) => {
      f.localGet(0).simd(SimdOp.f64x2Splat).localGet(1).simd(SimdOp.f64x2Splat).simd(SimdOp.f64x2Div);
      f.v128ConstF64x2(1, 10).simd(SimdOp.f64x2Mul).f64x2ExtractLane(1);
    });
    expect(f64(1, 4)).toBe(2.5);
    const i64 = await single([T.i64], [T.i64], (f) => {
      f.localGet(0).simd(SimdOp.i64x2Splat).v128ConstI64x2(3n, -1n).simd(SimdOp.i64x2Mul);
      f.v128ConstI64x2(0n, 1n).simd(SimdOp.i64x2Add).i64x2ExtractLane(1);
    });
    expect(i64(1n << 40n)).toBe(-(1n << 40n) + 1n);
    const cmp = await single([T.i32], [T.i32], (f) => {
      f.localGet(0).simd(SimdOp.i32x4Splat).v128ConstI32x4(1, 2, 3, 4).simd(SimdOp.i32x4Eq).simd(SimdOp.i32x4Bitmask);
    });
    expect(cmp(3)).toBe(0b0100);
    const lanes = await single([], [T.i32], (f) => {
      f.v128Const([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255]).i8x16ExtractLaneS(15);
    });
    expect(lanes()).toBe(-1);
  });
});

describe('padded immediates', () => {
  it('patched call, call_indirect, global.get and i32.const run', async () => {
    const m = new ModuleBuilder();
    const t = m.addType([], [T.i32]);
    m.importGlobal('env', 'base', T.i32);
    const table = m.addTable(T.funcref, { min: 1 });
    const five = m.addFunction(t).i32Const(5);
    m.addActiveElements(table, 0, [five.index]);
    const f = m.addFunction(t);
    const c = f.callPatchable();
    f.i32Const(0);
    const ci = f.callIndirectPatchable(table);
    const g = f.globalGetPatchable();
    const k = f.i32ConstPatchable();
    f.i32Add().i32Add().i32Add();
    f.patchCall(c, five.index).patchU32(ci, t).patchU32(g, 0).patchS32(k, -1000);
    m.exportFunction('f', f.index);
    const bytes = m.finish();
    await expectValid(bytes);
    expect((instantiate(bytes, { env: { base: 100 } }).f as Fn)()).toBe(5 + 5 + 100 - 1000);
  });
});

describe('names in stack traces', () => {
  it('a trap shows the function name from the name section', async () => {
    const m = new ModuleBuilder({ name: 'trapper' });
    const inner = m.addFunction({ params: [], results: [] }, 'simple_inner_trap');
    inner.unreachable();
    const outer = m.addFunction({ params: [], results: [] }, 'simple_outer_caller');
    outer.call(inner.index);
    m.exportFunction('run', outer.index);
    const ex = instantiate(m.finish());
    let stack = '';
    try {
      (ex.run as Fn)();
    } catch (e) {
      expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain('simple_inner_trap');
    expect(stack).toContain('simple_outer_caller');
  });
});
