/**
 * The code verifier (src/loader/verify-code.ts) at the edges of what it accepts: each range of
 * known opcodes at both ends, the 0xfc sub-opcodes around the refused ones, each import kind and
 * property, what a module may not define, and the static data bound at exactly the declared size.
 */
import { describe, expect, it } from 'vitest';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { CodeVerifyError, checkDeclaredHost, importsPrivate, verifyCode, verifyingCompiler, verifiedCode } from '../../src/loader/verify-code.js';
import { LoadError } from '../../src/loader/errors.js';
import { thrown } from '../thrown.js';

/** A unit laid out as the compiler does; `f: [] -> []` has the body `code` (no locals), named `f`. */
function unit(code: number[], extra?: (m: ModuleBuilder) => void): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 0 });
  m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  m.importGlobal('GOT.func', 'g', ValType.i32, false);
  extra?.(m);
  const f = m.addRawFunction(m.addType([], []), Uint8Array.from([0, ...code, 0x0b]), 'f');
  m.exportFunction('f', f);
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m.finish();
}

function refused(code: number[], extra?: (m: ModuleBuilder) => void): CodeVerifyError {
  return thrown(() => verifyCode(unit(code, extra), 'u.smf'), CodeVerifyError);
}

describe('opcodes', () => {
  // Each accepted at the edge of a range of `known`, with valid immediates.
  const accepted: Array<[string, number[]]> = [
    ['nop (0x01)', [0x01]],
    ['if, else (0x05), end', [0x41, 0x00, 0x04, 0x40, 0x05, 0x0b]],
    ['br (0x0c)', [0x02, 0x40, 0x0c, 0x00, 0x0b]],
    ['return (0x0f)', [0x0f]],
    ['call (0x10)', [0x10, 0x00]],
    ['drop (0x1a)', [0x41, 0x00, 0x1a]],
    ['select t (0x1c)', [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a]],
    // The engine, not the verifier, checks that the local exists.
    ['local.get (0x20)', [0x20, 0x00, 0x1a]],
    ['global.get (0x23)', [0x23, 0x00, 0x1a]],
    ['global.set (0x24)', [0x41, 0x00, 0x24, 0x00]],
    ['i32.load (0x28)', [0x41, 0x00, 0x28, 0x02, 0x00, 0x1a]],
    ['i64.extend32_s (0xc4)', [0x42, 0x00, 0xc4, 0x1a]],
    ['ref.null (0xd0), ref.is_null (0xd1)', [0xd0, 0x70, 0xd1, 0x1a]],
    ['i32.trunc_sat_f32_s (0xfc 0)', [0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a]],
    ['memory.copy (0xfc 10), memory.fill (0xfc 11)', [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 0]],
    ['table.size (0xfc 16)', [0xfc, 16, 0x00, 0x1a]],
    ['a SIMD instruction (0xfd)', [0xfd, 0x0c, ...new Array(16).fill(0), 0x1a]],
  ];
  for (const [what, code] of accepted) {
    it(`accepts ${what}`, () => {
      expect(verifyCode(unit(code), 'u.smf')).toEqual({ dataEnd: 0, host: [] });
    });
  }

  it('refuses each opcode just outside the ranges it knows, naming it and its byte', () => {
    for (const op of [0x06, 0x0a, 0x19, 0x1d, 0x1f, 0x27, 0xc5, 0xcf, 0xd3, 0xfb, 0xfe]) {
      const wasm = unit([0x01, op, 0x00, 0x00]);
      const e = thrown(() => verifyCode(wasm, 'u.smf'), CodeVerifyError);
      expect(e).toMatchObject({ rule: 'instruction', functionIndex: 0, functionName: 'f', code: 'LOAD_CODE_VERIFY', file: 'u.smf', codeFile: 'u.smf' });
      expect(e.message).toBe(`u.smf: code refused by the verifier: function 0 'f' at byte 0x${e.offset!.toString(16)}: instruction 0x${op.toString(16)} is not one the verifier accepts`);
      expect(wasm[e.offset!]).toBe(op);
      expect(wasm[e.offset! - 1]).toBe(0x01);
    }
  });

  it('refuses 0xfc sub-opcodes past 17 and the passive-data ones', () => {
    expect(refused([0xfc, 18, 0x00]).message).toMatch(/: instruction 0xfc 18 is not one the verifier accepts$/);
    expect(refused([0xfc, 18, 0x00]).rule).toBe('instruction');
    expect(refused([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 0])).toMatchObject({ rule: 'memory.init', detail: 'memory.init: units have no passive data' });
    expect(refused([0xfc, 9, 0])).toMatchObject({ rule: 'data.drop', detail: 'data.drop: units have no passive data' });
    expect(refused([0x41, 0x00, 0x40, 0x00, 0x1a])).toMatchObject({ rule: 'memory.grow', detail: "memory.grow: the runtime owns the shared memory's size" });
    expect(refused([0x12, 0x00])).toMatchObject({ rule: 'return_call', detail: 'return_call (tail calls) is not part of the code model' });
    expect(refused([0x41, 0, 0x13, 0x00, 0x00])).toMatchObject({ rule: 'return_call_indirect' });
  });

  it('takes call_indirect only right after global.get of a GOT.func global, through table 0', () => {
    const type = 0; // `[] -> []`, the only type.
    expect(verifyCode(unit([0x23, 0x01, 0x11, type, 0x00]), 'u.smf').host).toEqual([]);
    const msg = 'call_indirect must take its slot from a GOT.func global (global.get of one just before it)';
    expect(refused([0x23, 0x00, 0x11, type, 0x00])).toMatchObject({ rule: 'call_indirect', detail: msg });
    expect(refused([0x23, 0x01, 0x11, type, 0x01])).toMatchObject({ rule: 'call_indirect' });
    expect(refused([0x23, 0x01, 0x01, 0x11, type, 0x00])).toMatchObject({ rule: 'call_indirect' });
    expect(refused([0x41, 0x01, 0x11, type, 0x00])).toMatchObject({ rule: 'call_indirect' });
  });

  it('refuses an instruction whose immediate cannot be read', () => {
    // i32.load's second immediate (its offset) would lie past the end of the code.
    const wasm = unit([0x28]);
    const e = thrown(() => verifyCode(wasm, 'u.smf'), CodeVerifyError);
    expect(e).toMatchObject({ rule: 'instruction', detail: 'cannot read the instruction: cannot meter the module: unexpected end' });
    expect(wasm[e.offset!]).toBe(0x28);
  });
});

describe('imports and definitions', () => {
  it('grants each import kind only under its own name and shape', () => {
    const bad: Array<[(m: ModuleBuilder) => void, string]> = [
      [(m) => m.importMemory('env', 'memory2', { min: 0 }), "memory 'env.memory2'"],
      [(m) => m.importTable('env', 'table2', { element: ValType.funcref, limits: { min: 0 } }), "table 'env.table2'"],
      [(m) => m.importTable('env', 'table', { element: ValType.externref, limits: { min: 0 } }), "table 'env.table'"],
      [(m) => m.importGlobal('GOT.func', 'h', ValType.i64, false), "global 'GOT.func.h'"],
      [(m) => m.importGlobal('env', '__memory_base', ValType.i32, true), "global 'env.__memory_base'"],
      [(m) => m.importGlobal('env', 'other', ValType.i32, false), "global 'env.other'"],
      [(m) => m.importFunction('rt', 'no_such_runtime_fn', m.addType([], [])), "func 'rt.no_such_runtime_fn'"],
      [(m) => m.importFunction('env', 'f', m.addType([], [])), "func 'env.f'"],
    ];
    for (const [extra, what] of bad) {
      const e = refused([], extra);
      expect(e).toMatchObject({ rule: 'import', functionIndex: undefined });
      expect(e.message).toBe(`u.smf: code refused by the verifier: it imports ${what}, which the loader does not grant`);
    }
    const ok = verifyCode(
      unit([], (m) => {
        m.importFunction('host', 'log', m.addType([], []));
        m.importFunction('rt', 'alloc', m.addType([ValType.i32], [ValType.i32]));
        m.importFunction('host', 'beep', m.addType([], []));
      }),
      'u.smf',
    );
    expect(ok.host).toEqual(['log', 'beep']);
  });

  it('refuses a table, memory or global of its own, element segments, a start function and other exports', () => {
    const cases: Array<[(m: ModuleBuilder) => void, string, string]> = [
      [(m) => m.addTable(ValType.funcref, { min: 1 }), 'table', 'it defines a table of its own'],
      [(m) => m.addMemory({ min: 1 }), 'memory', 'it defines a memory of its own'],
      [(m) => m.addGlobal(ValType.i32, false, 0), 'global', 'it defines globals of its own'],
      [(m) => m.addDeclarativeElements([]), 'elem', 'it has element segments (they would write table slots; only the loader writes slots)'],
      [(m) => m.exportMemory('mem', 0), 'export', "it exports 'mem', which is not a function"],
    ];
    for (const [extra, rule, detail] of cases) expect(refused([], extra)).toMatchObject({ rule, detail, message: `u.smf: code refused by the verifier: ${detail}` });
    const start = thrown(() => {
      const m = new ModuleBuilder();
      const f = m.addRawFunction(m.addType([], []), Uint8Array.from([0, 0x0b]), 'f');
      m.setStart(f);
      verifyCode(m.finish(), 'u.smf');
    }, CodeVerifyError);
    expect(start).toMatchObject({ rule: 'start', detail: 'it has a start function (code would run before the loader installs it)' });
  });

  it('takes data segments only at __memory_base, and reports the largest', () => {
    const base = ConstExpr.globalGet(0);
    const two = unit([], (m) => {
      m.addActiveData(base, [1, 2, 3]);
      m.addActiveData(base, [1, 2, 3, 4, 5]);
      m.addActiveData(base, [1]);
    });
    expect(verifyCode(two, 'u.smf').dataEnd).toBe(5);
    expect(refused([], (m) => m.addActiveData(ConstExpr.globalGet(1), [1]))).toMatchObject({ rule: 'data', detail: 'a data segment is placed elsewhere than at env.__memory_base' });
    expect(refused([], (m) => m.addActiveData(0, [1]))).toMatchObject({ rule: 'data' });
  });

  it('answers unreadable bytes with LOAD_INSTANTIATE and the byte', () => {
    const e = thrown(() => verifyCode(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 'u.smf'), LoadError);
    expect(e).not.toBeInstanceOf(CodeVerifyError);
    expect(e.code).toBe('LOAD_INSTANTIATE');
    expect(e.message).toMatch(/^u\.smf: invalid code at byte 0x[0-9a-f]+: /);
  });
});

describe('checkDeclaredHost, verifyingCompiler, importsPrivate', () => {
  it('takes static data up to exactly the declared size, and only declared host functions', () => {
    checkDeclaredHost({ dataEnd: 8, host: ['log'] }, (n) => n === 'log', 8, 'u.smf');
    expect(thrown(() => checkDeclaredHost({ dataEnd: 9, host: [] }, () => true, 8, 'u.smf'), CodeVerifyError)).toMatchObject({
      rule: 'data',
      message: 'u.smf: code refused by the verifier: its data segments write 9 bytes of static data, more than the 8 its module declares',
    });
    expect(thrown(() => checkDeclaredHost({ dataEnd: 0, host: ['log', 'beep'] }, (n) => n === 'log', 0, 'u.smf'), CodeVerifyError)).toMatchObject({
      rule: 'import',
      message: 'u.smf: code refused by the verifier: it imports host.beep, which its module does not declare as an extern fn',
    });
  });

  it('marks what it compiled as verified, under the label given or <code>', () => {
    const compile = verifyingCompiler((wasm) => new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>));
    const m = compile(unit([], (b) => b.importFunction('host', 'log', b.addType([], []))), 'x.smf');
    expect(verifiedCode(m)).toEqual({ dataEnd: 0, host: ['log'] });
    expect(verifiedCode(new WebAssembly.Module(unit([])))).toBeUndefined();
    expect(thrown(() => compile(unit([0xfe])), CodeVerifyError).file).toBe('<code>');
  });

  it('tells kept code that imports a private slot, and says false for unreadable code', () => {
    const wasm = unit([]);
    expect(importsPrivate(wasm, (s) => s === 'g')).toBe(true);
    expect(importsPrivate(wasm, (s) => s === '__memory_base' || s === 'memory')).toBe(false);
    expect(importsPrivate(Uint8Array.from([1, 2, 3]), () => true)).toBe(false);
  });
});
