/**
 * Inputs whose code is not a unit the linker can merge: each rule of the unit shape
 * (docs/code-model.md: env.memory, env.table when slots are called, env.__memory_base, GOT.func
 * globals, rt/host functions, nothing defined but functions, one data segment at the base, the
 * code ABI) and of the exports, each refused with its own message, placed at the input file.
 * The code section of a compiled module is replaced by a hand-built one; everything else is the
 * compiler's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { CODE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { CODE_ABI_BYTES, RELOC_SECTION } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION, codeAbiMismatch } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { link } from '../../src/linker/link.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

let lib: Buffer;
beforeAll(() => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lib.spl'), 'fn f() -> i64:\n    1\n');
  lib = readFileSync(compileTo([join(dir, 'lib.spl')], join(dir, 'out')).get('lib')!);
});

interface Shape {
  memory?: [string, string] | null;
  table?: [string, string];
  base?: [string, string, ValType] | null;
  imports?: (mb: ModuleBuilder) => void;
  body?: (mb: ModuleBuilder, fnType: number) => void;
  relocs?: boolean;
  abi?: boolean;
}

const BODY = Uint8Array.of(0x00, 0x42, 0x01, 0x0b); // no locals; i64.const 1; end

/** A unit built to `shape` (by default a well-formed one defining and exporting `f`). */
function unit(shape: Shape = {}): Uint8Array {
  const mb = new ModuleBuilder();
  const fnType = mb.addType([], [ValType.i64]);
  const memory: [string, string] | null = shape.memory === undefined ? ['env', 'memory'] : shape.memory;
  if (memory) mb.importMemory(memory[0], memory[1], { min: 0 });
  if (shape.table) mb.importTable(shape.table[0], shape.table[1], { element: ValType.funcref, limits: { min: 0 } });
  const base: [string, string, ValType] | null = shape.base === undefined ? ['env', '__memory_base', ValType.i32] : shape.base;
  if (base) mb.importGlobal(base[0], base[1], base[2], false);
  shape.imports?.(mb);
  if (shape.body) shape.body(mb, fnType);
  else mb.exportFunction('f', mb.addRawFunction(fnType, BODY));
  if (shape.relocs ?? true) mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  if (shape.abi ?? true) mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return mb.finish();
}

/** The one error of linking lib.smf with its code replaced by `code`. */
function refusal(code: Uint8Array): string {
  const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
  const bytes = writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: code } : s)) });
  const r = link([{ file: 'in.smf', bytes }]);
  expect(r.ok).toBe(false);
  return r.ok ? '' : formatDiagnostics(r.errors);
}

const at = (detail: string) => `in.smf: error: code: ${detail}`;

describe('the unit shape', () => {
  it('the well-formed unit links (the cases below change one thing each)', () => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
    const bytes = writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: unit() } : s)) });
    expect(link([{ file: 'in.smf', bytes }]).ok).toBe(true);
    const withTable = writeSmf({
      ...spec,
      sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: unit({ table: ['env', 'table'], imports: (mb) => mb.importGlobal('GOT.func', 'g', ValType.i32, false) }) } : s)),
    });
    // A GOT import is a symbol the program must define: the link gets that far.
    const r = link([{ file: 'in.smf', bytes: withTable }]);
    expect(!r.ok && formatDiagnostics(r.errors)).toBe("in.smf: error: undefined symbol 'g', used by module 'lib'");
  });

  it('import 0 must be the memory env.memory', () => {
    expect(refusal(unit({ memory: null }))).toBe(at('import 0 is not env.memory'));
    expect(refusal(unit({ memory: ['env', 'mem'] }))).toBe(at('import 0 is not env.memory'));
    expect(refusal(unit({ memory: ['rt', 'memory'] }))).toBe(at('import 0 is not env.memory'));
  });

  it('a table import must be env.table', () => {
    expect(refusal(unit({ table: ['env', 'tbl'] }))).toBe(at('import 1 is a table other than env.table'));
    expect(refusal(unit({ table: ['rt', 'table'] }))).toBe(at('import 1 is a table other than env.table'));
  });

  it('after them, the immutable i32 global env.__memory_base', () => {
    const msg = at('the import after env.memory (and env.table) is not the i32 global env.__memory_base');
    expect(refusal(unit({ base: null }))).toBe(msg);
    expect(refusal(unit({ base: ['env', 'base', ValType.i32] }))).toBe(msg);
    expect(refusal(unit({ base: ['rt', '__memory_base', ValType.i32] }))).toBe(msg);
    expect(refusal(unit({ base: ['env', '__memory_base', ValType.i64] }))).toBe(msg);
    expect(refusal(unit({ table: ['env', 'table'], base: null }))).toBe(msg);
  });

  it('GOT.func slots need the table; each import once; GOT imports immutable i32 globals; rt and host functions; nothing else', () => {
    expect(refusal(unit({ imports: (mb) => mb.importGlobal('GOT.func', 'g', ValType.i32, false) }))).toBe(at('calls through GOT.func slots but does not import env.table'));
    const t: Shape = { table: ['env', 'table'] };
    expect(refusal(unit({ ...t, imports: (mb) => (mb.importGlobal('GOT.func', 'g', ValType.i32, false), mb.importGlobal('GOT.func', 'g', ValType.i32, false)) }))).toBe(
      at('import GOT.func.g appears twice'),
    );
    expect(refusal(unit({ ...t, imports: (mb) => mb.importGlobal('GOT.func', 'g', ValType.i32, true) }))).toBe(at('import GOT.func.g is not an immutable i32 global'));
    expect(refusal(unit({ ...t, imports: (mb) => mb.importGlobal('GOT.func', 'g', ValType.i64, false) }))).toBe(at('import GOT.func.g is not an immutable i32 global'));
    expect(refusal(unit({ imports: (mb) => mb.importGlobal('rt', 'x', ValType.i32, false) }))).toBe(at('import rt.x is not a function'));
    expect(refusal(unit({ imports: (mb) => mb.importGlobal('host', 'x', ValType.i32, false) }))).toBe(at('import host.x is not a function'));
    expect(refusal(unit({ imports: (mb) => mb.importFunction('env', 'x', mb.addType([], [])) }))).toBe(at('unexpected import env.x'));
    expect(refusal(unit({ imports: (mb) => (mb.importFunction('rt', 'x', mb.addType([], [])), mb.importFunction('rt', 'x', mb.addType([], []))) }))).toBe(
      at('import rt.x appears twice'),
    );
  });

  it('a unit defines no table, memory, global, element segment or start function', () => {
    const msg = at('defines tables, memories, globals, element segments or a start function, which a unit never does');
    expect(refusal(unit({ imports: (mb) => mb.addTable(ValType.funcref, { min: 0 }) }))).toBe(msg);
    expect(refusal(unit({ imports: (mb) => mb.addMemory({ min: 0 }) }))).toBe(msg);
    expect(refusal(unit({ imports: (mb) => mb.addGlobal(ValType.i32, false, 0) }))).toBe(msg);
    const start = (mb: ModuleBuilder, fnType: number): void => {
      const f = mb.addRawFunction(fnType, BODY);
      mb.exportFunction('f', f);
      mb.setStart(mb.addRawFunction(mb.addType([], []), Uint8Array.of(0x00, 0x0b)));
    };
    expect(refusal(unit({ body: start }))).toContain(msg);
  });

  it('at most one data segment, placed at __memory_base', () => {
    const data = (offsets: ConstExpr[]) => (mb: ModuleBuilder, fnType: number) => {
      mb.exportFunction('f', mb.addRawFunction(fnType, BODY));
      for (const o of offsets) mb.addActiveData(o, [1, 2]);
    };
    expect(refusal(unit({ body: data([ConstExpr.globalGet(0), ConstExpr.globalGet(0)]) }))).toBe(at('2 data segments; a unit has at most one'));
    expect(refusal(unit({ body: data([ConstExpr.i32(0)]) }))).toBe(at('the data segment is not placed at __memory_base'));
    // At the base, but two bytes the interface does not declare.
    expect(refusal(unit({ body: data([ConstExpr.globalGet(0)]) }))).toBe(at('2 bytes of static data, but the interface declares 0'));
  });

  it('the code ABI version, and relocations for code', () => {
    expect(refusal(unit({ abi: false }))).toBe(at(codeAbiMismatch(undefined)));
    expect(refusal(unit({ relocs: false }))).toBe(at('no reloc.CODE section (the module was written by an older compiler; recompile it)'));
  });
});

describe('the exports', () => {
  it('only functions, only defined ones, each once, and every defined function exported', () => {
    const body = (f: (mb: ModuleBuilder, fnType: number) => void) => unit({ body: f });
    expect(refusal(body((mb, t) => (mb.exportFunction('f', mb.addRawFunction(t, BODY)), mb.exportMemory('m', 0))))).toBe(at("export 'm' is not a function"));
    expect(
      refusal(
        unit({
          imports: (mb) => mb.importFunction('rt', 'x', mb.addType([], [])),
          body: (mb, t) => (mb.exportFunction('f', mb.addRawFunction(t, BODY)), mb.exportFunction('g', 0)),
        }),
      ),
    ).toBe(at("export 'g' re-exports an imported function"));
    expect(refusal(body((mb, t) => (mb.exportFunction('f', mb.addRawFunction(t, BODY)), mb.exportFunction('g', 0))))).toBe(at('function 0 is exported twice'));
    expect(refusal(body((mb, t) => (mb.exportFunction('f', mb.addRawFunction(t, BODY)), mb.addRawFunction(t, BODY))))).toBe(at('defined function 1 is not exported under a symbol'));
  });
});
