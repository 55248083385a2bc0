/**
 * mergeUnits on hand-built units: where each unit's static data lands (8-aligned, after the
 * larger of its segment and its declared size), how imports are shared, what is exported and
 * named, the relocations it writes, and the refusals (a runtime import with two signatures, a
 * symbol exported twice, globals that are not the base and the GOT).
 */
import { describe, expect, it } from 'vitest';
import { CODE_ABI_BYTES, RELOC_SECTION, RelocKind } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { LinkInputError } from '../../src/linker/errors.js';
import { mergeUnits } from '../../src/linker/merge-code.js';
import type { MergeUnit } from '../../src/linker/merge-code.js';

interface UnitShape {
  data?: number[];
  dataSize?: number;
  got?: string[];
  rt?: Array<[string, ValType[]]>;
  fns?: string[];
  exports?: (string | null)[];
  label?: string;
}

/** A unit: `fns.length` functions `() -> i64` (i64.const 1), its data at the base, its GOT and rt imports. */
function unit(s: UnitShape): MergeUnit {
  const mb = new ModuleBuilder();
  const fnType = mb.addType([], [ValType.i64]);
  mb.importMemory('env', 'memory', { min: 0 });
  if ((s.got ?? []).length > 0) mb.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
  for (const g of s.got ?? []) mb.importGlobal('GOT.func', g, ValType.i32, false);
  for (const [name, params] of s.rt ?? []) mb.importFunction('rt', name, mb.addType(params, []));
  const fns = s.fns ?? ['f'];
  for (const name of fns) mb.exportFunction(name, mb.addRawFunction(fnType, Uint8Array.of(0x00, 0x42, 0x01, 0x0b)));
  if (s.data) mb.addActiveData(ConstExpr.globalGet(0), s.data);
  mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  const wasm = readWasmModule(mb.finish());
  return { label: s.label ?? 'u', wasm, relocs: wasm.relocs ?? [], exports: s.exports ?? fns, got: s.got ?? [], dataSize: s.dataSize ?? s.data?.length ?? 0 };
}

describe('static data', () => {
  it('each unit\'s data starts 8-aligned after the larger of the previous segment and its declared size', () => {
    const m = mergeUnits(
      [unit({ data: [1, 2, 3], fns: ['a'] }), unit({ data: [4, 5], dataSize: 9, fns: ['b'] }), unit({ fns: ['c'] }), unit({ data: [6], fns: ['d'] }), unit({ data: [7, 8, 9, 10, 11, 12, 13, 14], fns: ['e'] })],
      'm',
    );
    // a: 0..3; b: 8..17 (9 declared); c: none; d: 24; e: 32..40.
    expect(m.dataSize).toBe(40);
    const w = readWasmModule(m.wasm);
    expect(w.data).toHaveLength(1);
    expect(w.data[0].offset).toEqual({ kind: 'global.get', global: 0 });
    expect([...w.data[0].bytes]).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('declared data without a segment still takes its room; no data at all writes no segment', () => {
    const m = mergeUnits([unit({ dataSize: 3, fns: ['a'] }), unit({ data: [9], fns: ['b'] })], 'm');
    expect(m.dataSize).toBe(9);
    expect([...readWasmModule(m.wasm).data[0].bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 9]);
    const none = mergeUnits([unit({ fns: ['a'] })], 'm');
    expect(none.dataSize).toBe(0);
    expect(readWasmModule(none.wasm).data).toEqual([]);
  });
});

describe('imports, exports and names', () => {
  it('GOT symbols and runtime functions are imported once each, in first-use order; the table only with GOT imports', () => {
    const m = mergeUnits(
      [unit({ got: ['x', 'y'], rt: [['r1', [ValType.i32]]], fns: ['a'] }), unit({ got: ['y', 'z'], rt: [['r2', []], ['r1', [ValType.i32]]], fns: ['b'] })],
      'm',
    );
    expect(m.got).toEqual(['x', 'y', 'z']);
    const w = readWasmModule(m.wasm);
    expect(w.imports.map((i) => `${i.module}.${i.field}`)).toEqual(['env.memory', 'env.table', 'env.__memory_base', 'GOT.func.x', 'GOT.func.y', 'GOT.func.z', 'rt.r1', 'rt.r2']);
    expect(w.importedFunctions).toBe(2);
    expect(m.functionCount).toBe(2);
    expect(readWasmModule(mergeUnits([unit({ fns: ['a'] })], 'm').wasm).imports.map((i) => i.kind)).toEqual(['memory', 'global']);
  });

  it('exports in order, skipping null; unexported functions are named after the unit and index', () => {
    const m = mergeUnits([unit({ fns: ['a', 'b', 'c'], exports: ['a', null, 'c'], label: 'lib.smf' })], 'm');
    expect(m.exports).toEqual(['a', 'c']);
    const w = readWasmModule(m.wasm);
    expect(w.exports.map((e) => [e.name, e.index])).toEqual([
      ['a', 0],
      ['c', 2],
    ]);
    // Without a name section: the export's symbol, or the unit and the function's index.
    expect([...w.names.values()]).toEqual(['a', 'lib.smf#1', 'c']);
  });

  it('a unit\'s own function names win over the export', () => {
    const u = unit({ fns: ['a', 'b'], exports: ['a', null], label: 'lib.smf' });
    const named: MergeUnit = { ...u, wasm: { ...u.wasm, names: new Map([[0, 'first'], [1, 'second']]) } };
    expect([...readWasmModule(mergeUnits([named], 'm').wasm).names.values()]).toEqual(['first', 'second']);
  });
});

describe('refusals', () => {
  it('a runtime function imported with two signatures names the unit that differs', () => {
    const e = (() => {
      try {
        mergeUnits([unit({ rt: [['r', [ValType.i32]]], fns: ['a'], label: 'one.smf' }), unit({ rt: [['r', [ValType.i64]]], fns: ['b'], label: 'two.smf' })], 'm');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(LinkInputError);
    expect((e as Error).message).toBe('two.smf: imports rt.r with a signature other units do not use');
  });

  it('a symbol exported by two units', () => {
    expect(() => mergeUnits([unit({ fns: ['a'], label: 'one' }), unit({ fns: ['a'], label: 'two' })], 'm')).toThrow("two: 'a' would be exported twice");
  });

  it('globals other than the base and one GOT import per symbol', () => {
    const u = unit({ got: ['x'], fns: ['a'], label: 'odd' });
    expect(() => mergeUnits([{ ...u, got: [] }], 'm')).toThrow('odd: its globals are not __memory_base followed by GOT.func imports');
  });
});

describe('relocations', () => {
  it('the merged reloc.CODE lists each relocation with its new offset and value', () => {
    // Unit b calls its own function 0. Its code section payload: body count, body size, no
    // locals, `call` — so the call's 5-byte padded immediate is at offset 4.
    const offset = 4;
    const mb2 = new ModuleBuilder();
    const t2 = mb2.addType([], [ValType.i64]);
    mb2.importMemory('env', 'memory', { min: 0 });
    mb2.importGlobal('env', '__memory_base', ValType.i32, false);
    mb2.exportFunction('b', mb2.addRawFunction(t2, Uint8Array.of(0x00, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b)));
    mb2.addCustomSection(RELOC_SECTION, Uint8Array.of(1, RelocKind.function, offset, 0));
    mb2.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
    const w = readWasmModule(mb2.finish());
    const b: MergeUnit = { label: 'b', wasm: w, relocs: w.relocs ?? [], exports: ['b'], got: [], dataSize: 0 };
    const m = mergeUnits([unit({ fns: ['a1', 'a2'] }), b], 'm');
    expect(m.relocCount).toBe(1);
    const merged = readWasmModule(m.wasm);
    // b's function is now function 2, and its call immediate says so.
    expect(merged.relocs).toHaveLength(1);
    const r = merged.relocs![0];
    expect([r.kind, r.value]).toEqual([RelocKind.function, 2]);
    expect(r.offset).toBe(merged.bodies[2].code + 1);
    expect([...merged.code.subarray(r.offset, r.offset + 5)]).toEqual([0x82, 0x80, 0x80, 0x80, 0x00]);
  });
});
