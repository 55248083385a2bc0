import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FunctionBuilder } from '../../../src/compiler/wasm/code.js';
import { ConstExpr } from '../../../src/compiler/wasm/const-expr.js';
import { WasmEncodeError } from '../../../src/compiler/wasm/errors.js';
import { ModuleBuilder } from '../../../src/compiler/wasm/module.js';
import { BlockType, ExternalKind, ValType as T } from '../../../src/compiler/wasm/types.js';
import { expectValid, getWabt, features, hex, sections, wasm2wat, wat2wasm } from './wabt-helper.js';

async function expectSameAsWabt(ours: Uint8Array<ArrayBuffer>, wat: string, debugNames = false): Promise<void> {
  const theirs = await wat2wasm(wat, debugNames);
  if (hex(ours) !== hex(theirs)) {
    throw new Error(`encoding differs from wabt\nours:   ${hex(ours)}\nwabt:   ${hex(theirs)}\n${await wasm2wat(ours)}`);
  }
  await expectValid(ours);
}

describe('ModuleBuilder output equals wabt', () => {
  it('empty module', async () => {
    await expectSameAsWabt(new ModuleBuilder().finish(), '(module)');
  });

  it('a function, a memory and exports', async () => {
    const m = new ModuleBuilder();
    const f = m.addFunction({ params: [T.i32, T.i32], results: [T.i32] });
    f.localGet(0).localGet(1).i32Add();
    m.addMemory({ min: 1, max: 3 });
    m.exportFunction('add', f.index).exportMemory('mem', 0);
    await expectSameAsWabt(
      m.finish(),
      `(module
        (type (func (param i32 i32) (result i32)))
        (func (type 0) local.get 0 local.get 1 i32.add)
        (memory 1 3)
        (export "add" (func 0))
        (export "mem" (memory 0)))`,
    );
  });

  it('imports of every kind, locals, globals, start, element and data at imported bases', async () => {
    const m = new ModuleBuilder();
    const tAdd = m.addType([T.i32, T.i32], [T.i32]);
    const tVoid = m.addType([], []);
    expect(m.addType([T.i32, T.i32], [T.i32])).toBe(tAdd);
    const log = m.importFunction('env', 'log', tVoid);
    const table = m.importTable('env', 'table', { element: T.funcref, limits: { min: 4 } });
    m.importMemory('env', 'memory', { min: 1, max: 2 });
    const memoryBase = m.importGlobal('env', '__memory_base', T.i32);
    const tableBase = m.importGlobal('env', '__table_base', T.i32);
    m.importGlobal('env', 'g', T.i64, true);
    const add = m.addFunction(tAdd);
    const tmp = add.addLocal(T.i32);
    add.addLocal(T.i32);
    add.addLocal(T.i64);
    add.addLocal(T.i32);
    add.localGet(0).localGet(1).i32Add().localTee(tmp);
    const init = m.addFunction(tVoid);
    init.call(log);
    const ext = m.addTable(T.externref, { min: 2 });
    m.addGlobal(T.f64, true, 1.5);
    const g4 = m.addGlobal(T.i32, false, ConstExpr.globalGet(memoryBase));
    m.addGlobal(T.i64, false, -5n);
    m.exportFunction('add', add.index).exportMemory('mem', 0).exportTable('t', ext).exportGlobal('g', g4);
    m.setStart(init.index);
    expect(m.addActiveElements(table, ConstExpr.globalGet(tableBase), [add.index, init.index])).toBe(0);
    expect(m.addActiveData(ConstExpr.globalGet(memoryBase), new TextEncoder().encode('hello'))).toBe(0);
    await expectSameAsWabt(
      m.finish(),
      `(module
        (type (func (param i32 i32) (result i32)))
        (type (func))
        (import "env" "log" (func (type 1)))
        (import "env" "table" (table 4 funcref))
        (import "env" "memory" (memory 1 2))
        (import "env" "__memory_base" (global i32))
        (import "env" "__table_base" (global i32))
        (import "env" "g" (global (mut i64)))
        (func (type 0) (local i32 i32 i64 i32) local.get 0 local.get 1 i32.add local.tee 2)
        (func (type 1) call 0)
        (table 2 externref)
        (global (mut f64) (f64.const 1.5))
        (global i32 (global.get 0))
        (global i64 (i64.const -5))
        (export "add" (func 1))
        (export "mem" (memory 0))
        (export "t" (table 1))
        (export "g" (global 4))
        (start 2)
        (elem (global.get 1) func 1 2)
        (data (global.get 0) "hello"))`,
    );
  });

  it('passive, declarative and table-indexed elements; passive data with a DataCount section', async () => {
    const m = new ModuleBuilder();
    m.addMemory({ min: 1 });
    m.addTable(T.funcref, { min: 1 });
    m.addTable(T.funcref, { min: 1 });
    const f = m.addFunction({ params: [], results: [] });
    f.i32Const(0).i32Const(0).i32Const(3).memoryInit(0).dataDrop(0).refFunc(0).drop();
    expect(m.addPassiveElements([0])).toBe(0);
    expect(m.addDeclarativeElements([0])).toBe(1);
    expect(m.addActiveElements(1, 0, [0])).toBe(2);
    expect(m.addPassiveData([0x61, 0x62, 0x63])).toBe(0);
    expect(m.addActiveData(16, [0x78, 0x79, 0x7a])).toBe(1);
    await expectSameAsWabt(
      m.finish(),
      `(module
        (type (func))
        (memory 1)
        (table 1 funcref)
        (table 1 funcref)
        (func (type 0) i32.const 0 i32.const 0 i32.const 3 memory.init 0 data.drop 0 ref.func 0 drop)
        (elem func 0)
        (elem declare func 0)
        (elem (table 1) (i32.const 0) func 0)
        (data "abc")
        (data (i32.const 16) "xyz"))`,
    );
  });

  it('multi-value types and blocks', async () => {
    const m = new ModuleBuilder();
    const pair = m.addType([T.i32], [T.i32, T.i32]);
    const f = m.addFunction({ params: [], results: [T.i32, T.i32] });
    f.i32Const(7).block(BlockType.func(pair)).i32Const(1).end();
    m.exportFunction('f', f.index);
    await expectSameAsWabt(
      m.finish(),
      `(module
        (type (func (param i32) (result i32 i32)))
        (type (func (result i32 i32)))
        (func (type 1) i32.const 7 block (type 0) i32.const 1 end)
        (export "f" (func 0)))`,
    );
  });

  it('the name section', async () => {
    // wabt also lists imported functions in the local-names subsection (with zero names); we omit
    // empty entries, so the byte comparison uses a module without imports.
    const m = new ModuleBuilder({ name: 'm' });
    const t = m.addType([T.i32], []);
    const f = m.addFunction(t, 'run');
    f.setLocalName(0, 'x');
    f.addLocal(T.i32, 'y');
    const g = m.addFunction({ params: [], results: [] }, 'second');
    g.addLocal(T.f64, 'z');
    await expectSameAsWabt(
      m.finish(),
      `(module $m
        (type (func (param i32)))
        (type (func))
        (func $run (type 0) (param $x i32) (local $y i32))
        (func $second (type 1) (local $z f64)))`,
      true,
    );
  });

  it('sizes name sections with non-ASCII and long names exactly', async () => {
    const m = new ModuleBuilder({ name: 'modülé 😀' });
    m.importFunction('env', 'imp', { params: [], results: [] }, 'ïmp\ud800');
    for (let i = 0; i < 150; i++) {
      const f = m.addFunction({ params: [T.i32], results: [] }, `fn_${'x'.repeat(i)}_ü`);
      f.setLocalName(0, `p${i}`);
      if (i % 3 === 0) f.addLocal(T.f64, 'lócal😀'.repeat(i % 40));
    }
    const bytes = m.finish();
    expect(bytes.buffer.byteLength).toBe(bytes.length);
    await expectValid(bytes);
    const text = await wasm2wat(bytes);
    expect(text).toContain('(func $fn_xx_');
  });

  it('names imported functions', async () => {
    const m = new ModuleBuilder();
    m.importFunction('env', 'imp', { params: [], results: [] }, 'imp');
    m.addFunction({ params: [], results: [] });
    const bytes = m.finish();
    await expectValid(bytes);
    expect(await wasm2wat(bytes)).toContain('(import "env" "imp" (func $imp');
  });
});

describe('ModuleBuilder', () => {
  it('emits a module using every section that validates', async () => {
    const m = new ModuleBuilder({ name: 'everything' });
    const fImp = m.importFunction('env', 'f', { params: [T.i32], results: [] }, 'env.f');
    m.importTable('env', 'tbl', { element: T.funcref, limits: { min: 1, max: 10 } });
    m.importMemory('env', 'mem', { min: 1, max: 1, shared: true });
    const gImp = m.importGlobal('env', 'base', T.i32);
    const main = m.addFunction({ params: [], results: [] }, 'main');
    main.i32Const(1).call(fImp).refFunc(main.index).drop();
    m.addTable(T.externref, { min: 0 });
    m.addGlobal(T.v128, false, ConstExpr.v128(new Uint8Array(16)));
    m.addGlobal(T.funcref, false, ConstExpr.refFunc(main.index));
    m.addGlobal(T.externref, true, ConstExpr.refNull(T.externref));
    m.addGlobal(T.f32, false, ConstExpr.f32(2.5));
    m.addGlobal(T.i64, false, ConstExpr.i64(1n << 40n));
    m.addGlobal(T.f64, false, ConstExpr.f64(-1));
    m.addGlobal(T.i32, false, ConstExpr.i32(0xffffffff));
    m.addExport('main', ExternalKind.func, main.index);
    m.setStart(main.index);
    m.addActiveElements(0, ConstExpr.globalGet(gImp), [main.index]);
    m.addDeclarativeElements([main.index]);
    m.addActiveData(ConstExpr.globalGet(gImp), [1, 2, 3]);
    m.addPassiveData([4]);
    m.addCustomSection('producers-ish', new Uint8Array([1, 2, 3]));
    const bytes = m.finish();
    await expectValid(bytes);
    expect(bytes.buffer.byteLength).toBe(bytes.length); // encoded in place, exactly sized
    expect(hex(m.finishView())).toBe(hex(bytes));
    expect(sections(bytes).map(([id]) => id)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 0, 0]);
    // wabt can read it back, names included.
    const text = await wasm2wat(bytes);
    expect(text).toContain('$main');
    expect(text).toContain('(module $everything');
  });

  it('size prefixes stay minimal for bodies and sections of 128+ and 16384+ bytes', async () => {
    for (const n of [20, 63, 64, 4000, 10000]) {
      const m = new ModuleBuilder();
      const f = m.addFunction({ params: [], results: [T.i32] });
      f.i32Const(0);
      for (let i = 0; i < n; i++) f.i32Const(i).i32Add();
      m.exportFunction('f', f.index);
      m.addMemory({ min: 1 });
      m.addActiveData(0, new Uint8Array(n * 3).fill(1));
      const bytes = m.finish();
      await expectValid(bytes);
      const wabt = await getWabt();
      const mod = wabt.readWasm(bytes, { check: true, ...features });
      const again = mod.toBinary({ canonicalize_lebs: true }).buffer;
      mod.destroy();
      expect(hex(bytes)).toBe(hex(again));
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      expect((exports.f as () => number)()).toBe(((n - 1) * n) / 2);
    }
  });

  it('reset() reuses the builder and yields identical bytes', () => {
    const build = (m: ModuleBuilder): Uint8Array<ArrayBuffer> => {
      const log = m.importFunction('env', 'log', { params: [T.f64], results: [] });
      const f = m.addFunction({ params: [T.f64], results: [] }, 'go');
      f.addLocal(T.i32, 'i');
      f.localGet(0).call(log);
      m.exportFunction('go', f.index);
      return m.finish();
    };
    const m = new ModuleBuilder({ name: 'x' });
    const first = build(m);
    m.reset({ name: 'x' });
    const second = build(m);
    expect(hex(second)).toBe(hex(first));
    expect(hex(build(new ModuleBuilder({ name: 'x' })))).toBe(hex(first));
    expect(WebAssembly.validate(second)).toBe(true);
    // finishView aliases the internal buffer but has the same content.
    m.reset({ name: 'x' });
    build(m);
    expect(hex(m.finishView())).toBe(hex(first));
  });

  it('accepts pre-encoded bodies and an explicit final end', async () => {
    const fb = new FunctionBuilder([T.i32]);
    const l = fb.addLocal(T.i32);
    fb.localGet(0).i32Const(2).i32Mul().localSet(l).localGet(l).end();
    const body = fb.finishBody();
    const m = new ModuleBuilder();
    const idx = m.addRawFunction({ params: [T.i32], results: [T.i32] }, body, 'double');
    m.exportFunction('double', idx);
    const bytes = m.finish();
    await expectValid(bytes);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    expect((exports.double as (x: number) => number)(21)).toBe(42);
  });

  it('dedupes function types by signature (property)', () => {
    const valType = fc.constantFrom(T.i32, T.i64, T.f32, T.f64, T.v128, T.funcref, T.externref);
    const sig = fc.record({
      params: fc.oneof(fc.array(valType, { maxLength: 4 }), fc.array(valType, { minLength: 126, maxLength: 130 })),
      results: fc.array(valType, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(sig, { maxLength: 40 }), (sigs) => {
        const m = new ModuleBuilder();
        const seen = new Map<string, number>();
        for (const s of [...sigs, ...sigs]) {
          const key = `${s.params.join(',')}:${s.results.join(',')}`;
          const index = m.addType(s.params, s.results);
          if (!seen.has(key)) seen.set(key, seen.size);
          expect(index).toBe(seen.get(key));
        }
        expect(m.typeCount).toBe(seen.size);
        expect(WebAssembly.validate(m.finish())).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('reports index counts including imports', () => {
    const m = new ModuleBuilder();
    m.importFunction('a', 'b', { params: [], results: [] });
    m.importGlobal('a', 'g', T.i32);
    m.importTable('a', 't', { element: T.funcref, limits: { min: 0 } });
    expect(m.addFunction({ params: [], results: [] }).index).toBe(1);
    expect(m.addGlobal(T.i32, false, 0)).toBe(1);
    expect(m.addTable(T.funcref, { min: 0 })).toBe(1);
    expect(m.addMemory({ min: 0 })).toBe(0);
    expect([m.functionCount, m.importedFunctionCount, m.globalCount, m.tableCount, m.memoryCount, m.typeCount])
      .toEqual([2, 1, 2, 2, 1, 1]);
  });

  it('refuses imports after definitions of the same kind', () => {
    const m = new ModuleBuilder();
    m.addFunction({ params: [], results: [] });
    m.addGlobal(T.i32, false, 0);
    m.importMemory('env', 'mem', { min: 1 }); // other kinds are fine
    const attempts = [
      () => m.importFunction('env', 'f', { params: [], results: [] }),
      () => m.importGlobal('env', 'g', T.i32),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(WasmEncodeError);
      try {
        attempt();
      } catch (e) {
        expect((e as WasmEncodeError).code).toBe('WASM_IMPORT_AFTER_DEFINITION');
      }
    }
    const m2 = new ModuleBuilder();
    m2.addTable(T.funcref, { min: 0 });
    m2.addMemory({ min: 0 });
    expect(() => m2.importTable('e', 't', { element: T.funcref, limits: { min: 0 } })).toThrow(/precede/);
    expect(() => m2.importMemory('e', 'm', { min: 0 })).toThrow(/precede/);
  });

  it('reports bad references and unbalanced bodies', () => {
    const m = new ModuleBuilder();
    expect(() => m.addFunction(3)).toThrow(expect.objectContaining({ code: 'WASM_BAD_REFERENCE' }));
    const f = m.addFunction({ params: [], results: [] });
    f.block();
    expect(() => m.finish()).toThrow(expect.objectContaining({ code: 'WASM_UNBALANCED_BLOCKS' }));
    const g = new FunctionBuilder();
    g.end();
    expect(() => g.end()).toThrow(expect.objectContaining({ code: 'WASM_UNBALANCED_BLOCKS' }));
    expect(() => new FunctionBuilder().i32Const(2 ** 32)).toThrow(expect.objectContaining({ code: 'WASM_RANGE' }));
    expect(() => new FunctionBuilder().v128Const([1, 2])).toThrow(WasmEncodeError);
    expect(() => m.addGlobal(T.externref, false, 0)).toThrow(WasmEncodeError);
    expect(() => new ModuleBuilder().addMemory({ min: 1, shared: true })).toThrow(expect.objectContaining({ code: 'WASM_RANGE' }));
    expect(() => new ModuleBuilder().finish()).not.toThrow();
  });
});
