/**
 * The code verifier (src/loader/verify-code.ts) and host handles (values.ts), the gaps of their
 * first mutation run: a module-level refusal's whole message, a refused instruction in a function
 * without a name or after imported functions, a runtime function's name imported from another
 * module, a data segment and a `call_indirect` that only an initial global index of 1 would let
 * through, an instruction whose immediate runs past its function's end; a handle released twice.
 */
import { describe, expect, it } from 'vitest';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { CodeVerifyError, verifyCode } from '../../src/loader/verify-code.js';
import { HeapHandle } from '../../src/loader/values.js';
import { createRuntime } from '../../src/runtime/index.js';
import { thrown } from '../thrown.js';

const refused = (wasm: Uint8Array): CodeVerifyError => thrown(() => verifyCode(wasm, 'u.smf'), CodeVerifyError);

/** The imports of a unit as the compiler lays them out; `globals` adds global imports after memory and table. */
function builder(globals: (m: ModuleBuilder) => void = (m) => m.importGlobal('env', '__memory_base', ValType.i32, false)): ModuleBuilder {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 0 });
  m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  globals(m);
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m;
}

describe('the verifier', () => {
  it('says a refusal of the whole module without a function or a byte', () => {
    const m = builder();
    m.addTable(ValType.funcref, { min: 1 });
    expect(refused(m.finish()).message).toBe('u.smf: code refused by the verifier: it defines a table of its own');
  });

  it('names a function by its index alone when it has no name, counting imported functions', () => {
    const m = builder();
    const t = m.addType([], []);
    m.importFunction('rt', 'alloc', m.addType([ValType.i32, ValType.i32], [ValType.i32]));
    m.addRawFunction(t, Uint8Array.from([0, 0x0b]), 'fine');
    m.addRawFunction(t, Uint8Array.from([0, 0x41, 0, 0x25, 0, 0x1a, 0x0b]));
    const e = refused(m.finish());
    expect(e.functionIndex).toBe(2);
    expect(e.functionName).toBeUndefined();
    expect(e.message).toMatch(/^u\.smf: code refused by the verifier: function 2 at byte 0x[0-9a-f]+: table\.get reads/);
  });

  it('refuses a runtime function name imported from a module other than rt', () => {
    const m = builder();
    m.importFunction('env', 'alloc', m.addType([ValType.i32, ValType.i32], [ValType.i32]));
    const e = refused(m.finish());
    expect(e.rule).toBe('import');
    expect(e.message).toBe("u.smf: code refused by the verifier: it imports func 'env.alloc', which the loader does not grant");
  });

  it('refuses a data segment placed at a GOT.func global of a unit without __memory_base', () => {
    const m = builder((b) => {
      b.importGlobal('GOT.func', 'a', ValType.i32, false);
      b.importGlobal('GOT.func', 'b', ValType.i32, false);
    });
    m.addActiveData(ConstExpr.globalGet(1), [1, 2]);
    expect(refused(m.finish()).rule).toBe('data');
  });

  it('refuses a call_indirect that is the first instruction of its function', () => {
    const body = (code: number[]) => {
      const m = builder((b) => {
        b.importGlobal('env', '__memory_base', ValType.i32, false);
        b.importGlobal('GOT.func', 'g', ValType.i32, false);
      });
      m.addRawFunction(m.addType([], []), Uint8Array.from([0, ...code, 0x0b]), 'f');
      return m.finish();
    };
    expect(verifyCode(body([0x23, 1, 0x11, 0, 0]), 'u.smf')).toEqual({ dataEnd: 0, host: [] });
    expect(refused(body([0x11, 0, 0])).rule).toBe('call_indirect');
  });

  it('refuses an instruction whose immediate runs past the end of its function', () => {
    const m = builder();
    const t = m.addType([], []);
    // f64.const takes 8 bytes: the `end` of `f` and 7 bytes of `g`.
    m.addRawFunction(t, Uint8Array.from([0, 0x44, 0x0b]), 'f');
    m.addRawFunction(t, Uint8Array.from([0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x0b]), 'g');
    const e = refused(m.finish());
    expect(e).toMatchObject({ rule: 'instruction', functionIndex: 0, functionName: 'f', detail: 'its last instruction runs past the end of the function' });
  });
});

describe('a host handle', () => {
  it('released twice lets its value go once: another handle to it keeps it pinned', () => {
    const rt = createRuntime();
    const ptr = rt.writeText('held');
    const a = new HeapHandle('text', ptr, rt);
    const b = new HeapHandle('text', ptr, rt);
    const pinned = rt.stats().pinned;
    a.release();
    a.release();
    expect(rt.stats().pinned).toBe(pinned);
    b.release();
    expect(rt.stats().pinned).toBe(pinned - 1);
  });
});
