/**
 * The call graph read off hand-made units (src/loader/call-graph.ts), where the compiled ones of
 * call-graph.test.ts cannot go: exports of other kinds, global imports from other modules, an
 * import re-exported, calls to an import twice, recursion, a callee that does not exist, and a
 * `call_indirect` whose slot was not just read from a `GOT.func` global.
 */
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { WasmReadError } from '../../src/compiler/wasm/reader.js';
import { runsStraight, stackBound } from '../../src/loader/call-graph.js';
import { thrown } from '../thrown.js';

/** A frame's bound: 128 fixed bytes and 16 per parameter, local and byte of code (call-graph.ts). */
const frame = (slots: number, codeBytes: number): number => 128 + 16 * (slots + codeBytes);

/** A body without locals: `[0, ...code, end]`. */
const body = (...code: number[]): Uint8Array => Uint8Array.from([0, ...code, 0x0b]);

const noImports = (): number => 0;

describe('stackBound', () => {
  it('names the code in the error for bytes that are not WebAssembly', () => {
    const e = thrown(() => stackBound(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 99]), 'f', noImports), WasmReadError);
    expect(e.message.startsWith('<code>: invalid WebAssembly')).toBe(true);
  });

  it('finds the entry by name among exports of other kinds, and gives none for an export that is not a function', () => {
    const m = new ModuleBuilder();
    const mem = m.importMemory('env', 'memory', { min: 0 });
    const t = m.addType([], []);
    const a = m.addRawFunction(t, body()); // 2 bytes of code
    const b = m.addRawFunction(t, body(0x10, a)); // calls a: 4 bytes
    m.exportMemory('mem', mem);
    m.exportFunction('a', a);
    m.exportFunction('b', b);
    const wasm = m.finish();
    expect(stackBound(wasm, 'a', noImports)).toBe(frame(0, 1));
    expect(stackBound(wasm, 'b', noImports)).toBe(frame(0, 3) + frame(0, 1));
    expect(stackBound(wasm, 'mem', noImports)).toBeUndefined();
  });

  it('counts an import called twice at its cost each time it is met', () => {
    const m = new ModuleBuilder();
    const t = m.addType([], []);
    const imp = m.importFunction('host', 'h', t);
    const twice = m.addRawFunction(t, body(0x10, imp, 0x10, imp));
    m.exportFunction('twice', twice);
    const wasm = m.finish();
    // A cost of 2: the value the bound of a function being visited is kept as in its table.
    expect(stackBound(wasm, 'twice', () => 2)).toBe(frame(0, 5) + 2);
    expect(stackBound(wasm, 'twice', () => 0)).toBe(frame(0, 5));
  });

  it('gives an import exported as it is its cost, even a cost of 0', () => {
    const m = new ModuleBuilder();
    const imp = m.importFunction('rt', 'f', m.addType([], []));
    m.exportFunction('f', imp);
    const wasm = m.finish();
    expect(stackBound(wasm, 'f', () => 0)).toBe(0);
    expect(stackBound(wasm, 'f', () => 7)).toBe(7);
    expect(stackBound(wasm, 'f', () => undefined)).toBeUndefined();
  });

  it('gives none for a function that calls itself, or calls one that does not exist', () => {
    const m = new ModuleBuilder();
    const t = m.addType([], []);
    const self = m.addRawFunction(t, body(0x10, 0));
    const nowhere = m.addRawFunction(t, body(0x10, 9));
    m.exportFunction('self', self);
    m.exportFunction('nowhere', nowhere);
    const wasm = m.finish();
    expect(stackBound(wasm, 'self', noImports)).toBeUndefined();
    expect(stackBound(wasm, 'nowhere', noImports)).toBeUndefined();
  });
});

/**
 * A unit whose `f` calls through the slot of global `slot` (`global.get slot; call_indirect`);
 * `g`, exported, has an empty body. `imports` adds imports before them.
 */
function indirect(slot: number, imports: (m: ModuleBuilder) => void, code = [0x23, slot, 0x11, 0, 0]): Uint8Array {
  const m = new ModuleBuilder();
  imports(m);
  const t = m.addType([], []);
  const g = m.addRawFunction(t, body());
  const f = m.addRawFunction(t, body(...code));
  m.exportFunction('g', g);
  m.exportFunction('f', f);
  return m.finish();
}

describe('calls through a GOT.func slot', () => {
  it('go to the exported function the slot is named for, counting globals only among the imports', () => {
    const wasm = indirect(0, (m) => {
      m.importMemory('env', 'memory', { min: 0 });
      m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
      m.importFunction('rt', 'r', m.addType([], []));
      m.importGlobal('GOT.func', 'g', ValType.i32, false);
    });
    expect(stackBound(wasm, 'f', noImports)).toBe(frame(0, 6) + frame(0, 1));
  });

  it('are unknown through a global of another module with the same field name', () => {
    const wasm = indirect(0, (m) => m.importGlobal('GOT.mem', 'g', ValType.i32, false));
    expect(stackBound(wasm, 'f', noImports)).toBeUndefined();
  });

  it('are unknown through a slot named for an export that is not a function', () => {
    const wasm = indirect(0, (m) => {
      const mem = m.importMemory('env', 'memory', { min: 0 });
      m.importGlobal('GOT.func', 'mem', ValType.i32, false);
      m.exportMemory('mem', mem);
    });
    expect(stackBound(wasm, 'f', noImports)).toBeUndefined();
  });

  it('are unknown when no global was read just before, even as the first instruction', () => {
    const imports = (m: ModuleBuilder): void => {
      m.importGlobal('GOT.func', 'other', ValType.i32, false);
      m.importGlobal('GOT.func', 'g', ValType.i32, false);
    };
    expect(stackBound(indirect(1, imports), 'f', noImports)).toBe(frame(0, 6) + frame(0, 1));
    expect(stackBound(indirect(1, imports, [0x11, 0, 0]), 'f', noImports)).toBeUndefined();
    expect(stackBound(indirect(1, imports, [0x23, 1, 0x01, 0x11, 0, 0]), 'f', noImports)).toBeUndefined();
  });
});

describe('runsStraight', () => {
  it('reads every function of a unit without imports, each at its own index', () => {
    const m = new ModuleBuilder();
    const t = m.addType([], []);
    const a = m.addRawFunction(t, body());
    const b = m.addRawFunction(t, body(0x10, a));
    m.addRawFunction(t, body(0x10, b));
    expect(runsStraight(m.finish())).toBe(true);
  });
});
