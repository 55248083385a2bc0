/**
 * The code verifier (docs/trust-model.md): crafted modules, hash valid, that try to reach what is
 * not theirs in the shared domain — another module's private function, another module's table
 * slot, the heap below their static data, an import nobody granted — are refused with a typed
 * CodeVerifyError naming the file, the function and the byte.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { CodeVerifyError, verifyCode } from '../../src/loader/verify-code.js';
import { LoadError } from '../../src/loader/errors.js';
import { decodeJitCache, encodeJitCache, JIT_CACHE_SECTION } from '../../src/loader/jit-code-cache.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

const BANK = `
fn _secret() -> i64:
    42

fn balance() -> i64:
    _secret() + 1
`;
const EVIL = 'fn steal() -> i64:\n    0\n';

/** Replaces the code section of an SMF (the module hash is recomputed by the writer). */
function withCode(path: string, wasm: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  const sections = spec.sections.map((s) => (s.type === SectionType.Code && s.name === 'code' ? { ...s, data: wasm } : s));
  writeFileSync(path, writeSmf({ ...spec, sections }));
}

/** A unit as our compiler lays it out (memory, table, memory base, ABI section), `steal: [] -> i64` built by `body`. */
function craft(body: (m: ModuleBuilder) => Uint8Array, extra?: (m: ModuleBuilder) => void): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 0 });
  m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  extra?.(m);
  const steal = m.addRawFunction(m.addType([], [ValType.i64]), body(m), 'steal');
  m.exportFunction('steal', steal);
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m.finish();
}

/** A function body: no locals, `code`, `end`. */
function raw(...code: number[]): Uint8Array {
  return Uint8Array.from([0, ...code, 0x0b]);
}

/** i32.const n (n < 64: one byte). */
const i32 = (n: number): number[] => {
  if (n >= 64) throw new Error('test slots are small');
  return [0x41, n];
};

/** Loads bank (materialized: its private function has a slot) and returns the loader and that slot. */
function bankLoaded(options: ConstructorParameters<typeof ModuleLoader>[0] = {}): { dir: string; loader: ModuleLoader; secretSlot: number } {
  const dir = workspace({ 'bank.spl': BANK, 'evil.spl': EVIL });
  compileToSmf(dir, ['bank.spl', 'evil.spl']);
  const loader = new ModuleLoader({ jit: { updateSmf: false }, ...options });
  expect(loader.load(join(dir, 'bank.smf')).kind).toBe('loaded');
  expect(callSymbol(loader, 'balance')).toBe(43n);
  const secret = loader.symbols.lookup('_secret', 'bank');
  expect(secret).toBeDefined();
  return { dir, loader, secretSlot: secret!.slot };
}

function loadError(loader: ModuleLoader, path: string): CodeVerifyError {
  const r = loader.load(path);
  expect(r.kind).toBe('error');
  const error = r.kind === 'error' ? r.error : undefined;
  expect(error).toBeInstanceOf(CodeVerifyError);
  expect(error).toMatchObject({ code: 'LOAD_CODE_VERIFY', file: path });
  return error as CodeVerifyError;
}

describe('the code verifier', () => {
  it("refuses call_indirect to a slot number the code made up (another module's private function)", () => {
    const { dir, loader, secretSlot } = bankLoaded();
    const type = (m: ModuleBuilder) => m.addType([], [ValType.i64]);
    const wasm = craft((m) => raw(...i32(secretSlot), 0x11, type(m), 0x00));
    // Without the verifier, this code reaches bank's private function through the shared table.
    const direct = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
      env: { memory: loader.runtime.memory, table: loader.exec.table, __memory_base: 0 },
    });
    expect((direct.exports.steal as () => bigint)()).toBe(42n);

    const evil = join(dir, 'evil.smf');
    withCode(evil, wasm);
    // Lazy: the load registers evil; its code is verified when first needed.
    expect(loader.load(evil).kind).toBe('loaded');
    const r = loader.resolveSymbol('steal');
    expect(r.kind).toBe('error');
    const e = r.kind === 'error' ? (r.error as CodeVerifyError) : undefined;
    expect(e).toBeInstanceOf(CodeVerifyError);
    expect(e).toMatchObject({ code: 'LOAD_CODE_VERIFY', rule: 'call_indirect', functionIndex: 0, functionName: 'steal', file: evil });
    expect(wasm[e!.offset!]).toBe(0x11);
    expect(e!.message).toMatch(/evil\.smf: code refused by the verifier: function 0 'steal' at byte 0x[0-9a-f]+: call_indirect must take its slot from a GOT\.func global/);
    // Refused before anything was installed: bank still answers.
    expect(callSymbol(loader, 'balance')).toBe(43n);
  });

  it('refuses call_indirect through a GOT slot moved by arithmetic', () => {
    const { dir, loader } = bankLoaded({ lazy: false });
    const wasm = craft(
      (m) => raw(0x23, 1, ...i32(1), 0x6b, 0x11, m.addType([], [ValType.i64]), 0x00), // global.get GOT.balance; i32.sub 1
      (m) => m.importGlobal('GOT.func', 'balance', ValType.i32, false),
    );
    withCode(join(dir, 'evil.smf'), wasm);
    expect(loadError(loader, join(dir, 'evil.smf'))).toMatchObject({ rule: 'call_indirect', functionName: 'steal' });
  });

  it('accepts call_indirect straight from a GOT slot (the code the compiler emits)', () => {
    const code = craft(
      (m) => raw(0x23, 1, 0x11, m.addType([], [ValType.i64]), 0x00),
      (m) => m.importGlobal('GOT.func', 'balance', ValType.i32, false),
    );
    expect(verifyCode(code, 'ok.smf')).toEqual({ dataEnd: 0, host: [] });
  });

  // Each writes (or reads a function reference out of) the shared table: only the loader may.
  // [rule, body, index of the refused instruction in the body]
  const tableOps: Array<[string, number[], number]> = [
    ['table.set', [...i32(3), 0xd0, 0x70, 0x26, 0x00], 4],
    ['table.get', [...i32(3), 0x25, 0x00, 0x1a], 2],
    ['table.grow', [0xd0, 0x70, ...i32(1), 0xfc, 15, 0x00, 0x1a], 4],
    ['table.fill', [...i32(3), 0xd0, 0x70, ...i32(1), 0xfc, 17, 0x00], 6],
    ['table.copy', [...i32(3), ...i32(4), ...i32(1), 0xfc, 14, 0x00, 0x00], 6],
    ['table.init', [...i32(3), ...i32(0), ...i32(1), 0xfc, 12, 0x00, 0x00], 6],
    ['elem.drop', [0xfc, 13, 0x00], 0],
    ['ref.func', [0xd2, 0x00, 0x1a], 0],
  ];
  for (const [rule, code, at] of tableOps) {
    it(`refuses ${rule}`, () => {
      const { dir, loader } = bankLoaded({ lazy: false });
      const wasm = craft(() => raw(...code, 0x42, 0x00));
      withCode(join(dir, 'evil.smf'), wasm);
      const e = loadError(loader, join(dir, 'evil.smf'));
      expect(e).toMatchObject({ rule, functionIndex: 0, functionName: 'steal' });
      // The offset is the instruction's first byte in the module: the body starts one byte (its locals) before the code.
      expect([...wasm.subarray(e.offset! - at - 1, e.offset! - at + code.length + 3)]).toEqual([0, ...code, 0x42, 0x00, 0x0b]);
      expect(callSymbol(loader, 'balance')).toBe(43n);
    });
  }

  it("refuses code that would point another module's slot at its own function", () => {
    const hijacker = (balanceSlot: number): Uint8Array<ArrayBuffer> =>
      craft(
        () => raw(...i32(balanceSlot), 0xd2, 0x00, 0x26, 0x00, 0x42, 0x00),
        (m) => {
          const mine = m.addRawFunction(m.addType([], [ValType.i64]), raw(0x42, 0xe6, 0x05), 'mine'); // i64.const 742
          m.addDeclarativeElements([mine]);
        },
      );
    // Without the verifier: after steal() runs, the host's handle on bank's balance runs the attacker's code.
    {
      const { loader } = bankLoaded();
      const balance = loader.resolveSymbol('balance');
      const wasm = hijacker(loader.symbols.lookup('balance')!.slot);
      const direct = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory: loader.runtime.memory, table: loader.exec.table, __memory_base: 0 } });
      (direct.exports.steal as () => bigint)();
      expect(balance.kind === 'found' && balance.call()).toBe(742n);
    }
    const { dir, loader } = bankLoaded();
    withCode(join(dir, 'evil.smf'), hijacker(loader.symbols.lookup('balance')!.slot));
    expect(loader.load(join(dir, 'evil.smf')).kind).toBe('loaded');
    const r = loader.resolveSymbol('steal');
    expect(r.kind === 'error' && r.error).toBeInstanceOf(CodeVerifyError);
    // The element segment that declares the reference is met first.
    expect(r.kind === 'error' && r.error).toMatchObject({ code: 'LOAD_CODE_VERIFY', rule: 'elem' });
    expect(callSymbol(loader, 'balance')).toBe(43n);
  });

  it("refuses an active element segment over another module's slot", () => {
    const { dir, loader } = bankLoaded({ lazy: false });
    const slot = loader.symbols.lookup('balance')!.slot;
    const wasm = craft(() => raw(0x42, 0x07), (m) => m.addActiveElements(0, slot, [0]));
    withCode(join(dir, 'evil.smf'), wasm);
    expect(loadError(loader, join(dir, 'evil.smf'))).toMatchObject({ rule: 'elem' });
    expect(callSymbol(loader, 'balance')).toBe(43n);
  });

  it('refuses a data segment outside its own static data (over the allocator)', () => {
    const { dir, loader } = bankLoaded({ lazy: false });
    withCode(join(dir, 'evil.smf'), craft(() => raw(0x42, 0x07), (m) => m.addActiveData(ConstExpr.i32(0), new Uint8Array(64).fill(0xff))));
    expect(loadError(loader, join(dir, 'evil.smf'))).toMatchObject({ rule: 'data' });
    // At its own base, but more bytes than its module declares (evil declares none).
    withCode(join(dir, 'evil.smf'), craft(() => raw(0x42, 0x07), (m) => m.addActiveData(ConstExpr.globalGet(0), new Uint8Array(4096))));
    const e = loadError(loader, join(dir, 'evil.smf'));
    expect(e).toMatchObject({ rule: 'data' });
    expect(e.message).toMatch(/4096 bytes of static data, more than the 0 its module declares/);
    expect(callSymbol(loader, 'balance')).toBe(43n);
  });

  it('refuses a host function the module does not declare, even one the host grants', () => {
    const { dir } = bankLoaded();
    const exits: number[] = [];
    const loader = new ModuleLoader({ lazy: false, jit: { updateSmf: false }, host: { process_exit: (code: number) => void exits.push(code) } });
    const wasm = craft(
      () => raw(...i32(3), 0x10, 0x00, 0x42, 0x00),
      (m) => m.importFunction('host', 'process_exit', m.addType([ValType.i32], [])),
    );
    withCode(join(dir, 'evil.smf'), wasm);
    const e = loadError(loader, join(dir, 'evil.smf'));
    expect(e).toMatchObject({ rule: 'import' });
    expect(e.message).toMatch(/imports host\.process_exit, which its module does not declare as an extern fn/);
    expect(exits).toEqual([]);
  });

  it('refuses imports the loader does not grant, by module and by runtime name', () => {
    const { dir, loader } = bankLoaded({ lazy: false });
    const cases: Array<[(m: ModuleBuilder) => void, RegExp]> = [
      [(m) => m.importFunction('node', 'require', m.addType([], [])), /imports func 'node\.require'/],
      [(m) => m.importFunction('rt', 'set_heap_top', m.addType([ValType.i32], [])), /imports func 'rt\.set_heap_top'/],
      [(m) => m.importGlobal('limits', 'fuel', ValType.i64, true), /imports global 'limits\.fuel'/],
      [(m) => m.importGlobal('GOT.func', 'balance', ValType.i32, true), /imports global 'GOT\.func\.balance'/],
    ];
    for (const [extra, message] of cases) {
      withCode(join(dir, 'evil.smf'), craft(() => raw(0x42, 0x00), extra));
      const e = loadError(loader, join(dir, 'evil.smf'));
      expect(e.rule).toBe('import');
      expect(e.message).toMatch(message);
    }
  });

  it('refuses instructions it does not know instead of misreading them', () => {
    // 0x06 try (exceptions): its immediates are not in the scan's tables.
    const e = (() => {
      try {
        verifyCode(craft(() => raw(0x06, 0x40, 0x0b, 0x42, 0x00)), 'x.smf');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(CodeVerifyError);
    expect(e).toMatchObject({ rule: 'instruction', functionName: 'steal' });
  });

  it('verifies JIT code kept in a file (jit_cache) before installing it', () => {
    const dir = workspace({
      'bank.spl': BANK,
      'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n',
      'app.spl': 'use lib.{pick}\n\nfn use_pick() -> i64:\n    pick(5, 6)\n',
    });
    compileToSmf(dir, ['bank.spl', 'lib.spl', 'app.spl']);
    // app's instance of lib's template is left to the loader, and kept in app.smf.
    const lib = join(dir, 'app.smf');
    const first = new ModuleLoader();
    first.load(lib);
    expect(callSymbol(first, 'use_pick')).toBe(5n);
    first.flushWrites();
    const spec = moduleSpecFromReader(SmfReader.openSync(lib));
    const section = spec.sections.find((s) => s.name === JIT_CACHE_SECTION);
    expect(section).toBeDefined();
    const entries = decodeJitCache(section!.data, lib);
    const [symbol, entry] = [...entries].find(([s]) => s.startsWith('pick'))!;
    // The kept instance replaced by code that nulls slot 1 on its first call.
    const crafted = (() => {
      const m = new ModuleBuilder();
      m.importMemory('env', 'memory', { min: 0 });
      m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
      m.importGlobal('env', '__memory_base', ValType.i32, false);
      const f = m.addRawFunction(m.addType([ValType.i64, ValType.i64], [ValType.i64]), raw(...i32(1), 0xd0, 0x70, 0x26, 0x00, 0x20, 0x00), 'pick');
      m.exportFunction('instance', f);
      m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
      return m.finish();
    })();
    entries.set(symbol, { ...entry, wasm: crafted });
    const sections = spec.sections.map((s) => (s.name === JIT_CACHE_SECTION ? { ...s, data: encodeJitCache([...entries.values()]) } : s));
    writeFileSync(lib, writeSmf({ ...spec, sections }));

    const second = new ModuleLoader({ jit: { updateSmf: false } });
    second.load(join(dir, 'bank.smf'));
    second.load(lib);
    const r = second.resolveSymbol('pick<i64>');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.error).toBeInstanceOf(CodeVerifyError);
    expect(r.kind === 'error' && r.error).toMatchObject({ rule: 'table.set', functionName: 'pick', file: "jit_cache entry 'pick<i64>'" });
    expect(callSymbol(second, 'balance')).toBe(43n);
  });

  it("does not let kept code (jit_cache) in one module's file reach another module's private functions", () => {
    const dir = workspace({
      'lib.spl': 'fn _secret() -> i64:\n    42\n\nfn pick<T>(a: T, b: T) -> T:\n    a\n\nfn uses_secret() -> i64:\n    _secret()\n',
      'app.spl': 'use lib.{pick}\n\nfn use_pick() -> i64:\n    pick(5, 6)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const app = join(dir, 'app.smf');
    const first = new ModuleLoader();
    first.load(app);
    expect(callSymbol(first, 'use_pick')).toBe(5n);
    first.flushWrites();
    const spec = moduleSpecFromReader(SmfReader.openSync(app));
    const entries = decodeJitCache(spec.sections.find((s) => s.name === JIT_CACHE_SECTION)!.data, app);
    const [symbol, entry] = [...entries].find(([s]) => s.startsWith('pick'))!;
    // app's kept pick<i64> replaced by code that calls lib's private _secret through a GOT slot:
    // the verifier's call_indirect rule is met, but the slot is one only lib's code may have.
    const m = new ModuleBuilder();
    m.importMemory('env', 'memory', { min: 0 });
    m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
    m.importGlobal('env', '__memory_base', ValType.i32, false);
    m.importGlobal('GOT.func', '_secret', ValType.i32, false);
    const f = m.addRawFunction(m.addType([ValType.i64, ValType.i64], [ValType.i64]), raw(0x23, 1, 0x11, m.addType([], [ValType.i64]), 0x00), 'pick');
    m.exportFunction('instance', f);
    m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
    entries.set(symbol, { ...entry, wasm: m.finish() });
    writeFileSync(app, writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === JIT_CACHE_SECTION ? { ...s, data: encodeJitCache([...entries.values()]) } : s)) }));

    const second = new ModuleLoader({ jit: { updateSmf: false } });
    second.load(app);
    // The kept code is not used: the instance is compiled from the template, and answers as it should.
    expect(callSymbol(second, 'use_pick')).toBe(5n);
    expect(second.stats().jit.compiled).toBe(1);
    expect(callSymbol(second, 'uses_secret')).toBe(42n);
  });

  it('verifies before metering: a loader with limits refuses the same code', () => {
    const { dir, loader } = bankLoaded({ lazy: false, limits: { fuel: 1_000_000_000 } });
    withCode(join(dir, 'evil.smf'), craft(() => raw(...i32(1), 0xd0, 0x70, 0x26, 0x00, 0x42, 0x00)));
    expect(loadError(loader, join(dir, 'evil.smf'))).toMatchObject({ rule: 'table.set', functionName: 'steal' });
    expect(callSymbol(loader, 'balance')).toBe(43n);
  });

  it('answers damaged code with a typed error, never anything else', () => {
    const dir = workspace({ 'bank.spl': BANK });
    const [compiled] = compileToSmf(dir, ['bank.spl']);
    const good = compiled.unit.wasm;
    expect(verifyCode(good, 'bank.smf').host).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (flips) => {
        const bytes = Uint8Array.from(good);
        for (const [at, value] of flips) bytes[at] = value;
        try {
          verifyCode(bytes, 'bank.smf');
        } catch (e) {
          expect(e).toBeInstanceOf(LoadError);
          expect((e as LoadError).code).toMatch(/^LOAD_(CODE_VERIFY|INSTANTIATE)$/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
