/**
 * The call graph's stack bound (src/loader/call-graph.ts) computed exactly: one frame's size from
 * its parameters, locals and code, the deepest callee added, imports by their module's cost,
 * calls through GOT slots of the unit's own functions, and each shape that leaves it unknown.
 */
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { FunctionBounds, runsStraight, stackBound } from '../../src/loader/call-graph.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';

/** 128 fixed bytes, 16 per parameter, local and byte of code (the code from after the locals, `end` included). */
const frame = (slots: number, codeBytes: number) => 128 + 16 * (slots + codeBytes);

type Fn = { params?: ValType[]; locals?: Array<[number, ValType]>; code: number[]; name: string };

function unit(fns: Fn[], extra?: (m: ModuleBuilder) => void): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  extra?.(m);
  for (const f of fns) {
    const locals = f.locals ?? [];
    const body = [locals.length, ...locals.flatMap(([n, t]) => [n, t]), ...f.code, 0x0b];
    const index = m.addRawFunction(m.addType(f.params ?? [], []), Uint8Array.from(body), f.name);
    m.exportFunction(f.name, index);
  }
  return m.finish();
}

describe('stackBound', () => {
  it('sizes one frame from its parameters, its locals and its code', () => {
    const wasm = unit([{ params: [ValType.i64, ValType.i64], locals: [[3, ValType.i32], [1, ValType.i64]], code: [0x01, 0x01], name: 'f' }]);
    expect(stackBound(wasm, 'f', () => 0)).toBe(frame(2 + 4, 3));
    expect(stackBound(wasm, 'g', () => 0)).toBeUndefined();
  });

  it('adds the deepest of its callees, each counted once however often it is called', () => {
    const wasm = unit([
      { code: [0x01], name: 'small' },
      { locals: [[5, ValType.i32]], code: [0x01], name: 'big' },
      { code: [0x10, 0x00, 0x10, 0x01, 0x10, 0x00], name: 'top' },
    ]);
    expect(stackBound(wasm, 'big', () => 0)).toBe(frame(5, 2));
    expect(stackBound(wasm, 'top', () => 0)).toBe(frame(0, 7) + frame(5, 2));
  });

  it('bounds an import by its module, and knows nothing of an import without a cost', () => {
    const wasm = unit([{ code: [0x10, 0x00, 0x10, 0x01], name: 'f' }], (m) => {
      m.importFunction('rt', 'alloc', m.addType([], []));
      m.importFunction('host', 'log', m.addType([], []));
    });
    const asked: string[] = [];
    expect(stackBound(wasm, 'f', (mod) => (asked.push(mod), mod === 'rt' ? 100 : 300))).toBe(frame(0, 5) + 300);
    expect(asked).toEqual(['rt', 'host']);
    expect(stackBound(wasm, 'f', (mod) => (mod === 'rt' ? 100 : undefined))).toBeUndefined();
  });

  it('follows call_indirect through a GOT slot of its own function, and only right after its global.get', () => {
    const got = (m: ModuleBuilder) => {
      m.importGlobal('GOT.func', 'leaf', ValType.i32, false);
      m.importGlobal('GOT.func', 'elsewhere', ValType.i32, false);
    };
    const leaf: Fn = { locals: [[2, ValType.i32]], code: [0x01], name: 'leaf' };
    // global 1 is GOT.func.leaf (global 0 is env.__memory_base); the type of `[] -> []` is 0.
    const through = unit([leaf, { code: [0x23, 0x01, 0x11, 0x00, 0x00], name: 'f' }], got);
    expect(stackBound(through, 'f', () => 0)).toBe(frame(0, 6) + frame(2, 2));
    for (const code of [
      [0x23, 0x02, 0x11, 0x00, 0x00], // a slot of another unit's function
      [0x23, 0x00, 0x11, 0x00, 0x00], // not a GOT global
      [0x23, 0x01, 0x01, 0x11, 0x00, 0x00], // not right after the global.get
      [0x41, 0x01, 0x11, 0x00, 0x00],
    ]) {
      expect(stackBound(unit([leaf, { code, name: 'f' }], got), 'f', () => 0)).toBeUndefined();
    }
  });

  it('knows nothing of recursion, tail calls and call_ref, but bounds a loop', () => {
    expect(stackBound(unit([{ code: [0x10, 0x00], name: 'f' }]), 'f', () => 0)).toBeUndefined();
    expect(stackBound(unit([{ code: [0x10, 0x01], name: 'f' }, { code: [0x10, 0x00], name: 'g' }]), 'f', () => 0)).toBeUndefined();
    for (const op of [0x12, 0x13, 0x14, 0x15]) expect(stackBound(unit([{ code: [op, 0x00, 0x00], name: 'f' }]), 'f', () => 0)).toBeUndefined();
    expect(stackBound(unit([{ code: [0x03, 0x40, 0x0b], name: 'f' }]), 'f', () => 0)).toBe(frame(0, 4));
  });
});

describe('runsStraight', () => {
  it('is true for calls to its own functions and the runtime, false for a loop, a host call or recursion', () => {
    const rt = (m: ModuleBuilder) => m.importFunction('rt', 'alloc', m.addType([], []));
    expect(runsStraight(unit([{ code: [0x01], name: 'a' }, { code: [0x10, 0x01, 0x10, 0x00], name: 'b' }], rt))).toBe(true);
    expect(runsStraight(unit([{ code: [0x03, 0x40, 0x0b], name: 'a' }]))).toBe(false);
    expect(runsStraight(unit([{ code: [0x10, 0x00], name: 'a' }], (m) => m.importFunction('host', 'h', m.addType([], []))))).toBe(false);
    expect(runsStraight(unit([{ code: [0x01], name: 'a' }, { code: [0x10, 0x01], name: 'b' }]))).toBe(false);
    // An instruction whose immediate cannot be read: false, not an error.
    expect(runsStraight(unit([{ code: [0x28], name: 'a' }]))).toBe(false);
  });

  it('FunctionBounds answers per function, undefined on a cycle', () => {
    const info = readWasmModule(unit([{ code: [0x01], name: 'a' }, { code: [0x10, 0x01], name: 'b' }]), 'x');
    const b = new FunctionBounds(info, () => 0);
    expect(b.of(0)).toBe(frame(0, 2));
    expect(b.of(1)).toBeUndefined();
    expect(b.of(1)).toBeUndefined();
  });
});
