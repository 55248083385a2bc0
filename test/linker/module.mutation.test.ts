/**
 * Opening an input (obj-module.ts) at its edges: where a damaged note or code is reported, a
 * unit with no functions and no relocations, the first import and the data segment's base
 * checked exactly, Weak symbols at every index, the symbol entries and note rows of private
 * names under their linked names, registering a member twice, and the one shared empty note (at
 * its exact room, and a shorter note beside it). Written against the survivors of a mutation run
 * (docs/testing.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { CODE_ABI_BYTES, RELOC_SECTION } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ProgramEnv } from '../../src/compiler/program.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { WasmReadError } from '../../src/compiler/wasm/reader.js';
import { LinkInputError } from '../../src/linker/errors.js';
import { openObjModule, readObjModule, registerMember } from '../../src/linker/obj-module.js';
import { emptyNote, SdnError, serializeNoteSdn } from '../../src/sdn/index.js';
import { Binding, moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import type { SmfModuleSpec } from '../../src/smf/index.js';
import { thrown } from '../thrown.js';
import { compileFolder, compileTo, PROGRAMS, tempDir } from './helpers.js';

const EMPTY_NOTE_TEXT = serializeNoteSdn(emptyNote());

let shapes: Map<string, string>;
/** `fn one() -> i64: 1`: no generics (the empty note), no static data, no relocations. */
let one: Uint8Array;
/** A module whose empty note has a room of exactly its length. */
let exact: Uint8Array | undefined;
beforeAll(() => {
  shapes = compileFolder(join(PROGRAMS, 'shapes'));
  const dir = tempDir();
  writeFileSync(join(dir, 'one.spl'), 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n');
  one = readFileSync(compileTo([join(dir, 'one.spl')], join(dir, 'out')).get('one')!);
  // A module whose empty note, written with no reserve, fills its room (padded to 8) exactly:
  // the lengths of the module's and its function's names move where the note starts.
  const size = new TextEncoder().encode(EMPTY_NOTE_TEXT).length;
  for (let k = 0; k < 16 && exact === undefined; k++) {
    const name = `fit${'t'.repeat(k >> 3)}`;
    writeFileSync(join(dir, `${name}.spl`), `fn f${'x'.repeat(k & 7)}() -> i64:\n    1\n`);
    const reader = SmfReader.fromBytes(readFileSync(compileTo([join(dir, `${name}.spl`)], join(dir, 'out')).get(name)!));
    const bytes = writeSmf({ ...moduleSpecFromReader(reader), note: EMPTY_NOTE_TEXT, noteReserve: 0 });
    if (SmfReader.fromBytes(bytes).noteCapacity() === size) exact = bytes;
  }
});


/** `one` written again with `edit` applied to its spec (the note kept unless `edit` sets one). */
function rewritten(edit: (spec: SmfModuleSpec) => SmfModuleSpec): Uint8Array {
  const reader = SmfReader.fromBytes(one);
  return writeSmf(edit({ ...moduleSpecFromReader(reader), note: reader.noteSdnText() }));
}

function withCode(code: Uint8Array): Uint8Array {
  return rewritten((spec) => ({ ...spec, sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: code } : s)) }));
}

/** A unit with the given imports, no functions unless `body` adds some, and the code ABI. */
function unit(imports: (mb: ModuleBuilder) => void, body: (mb: ModuleBuilder) => void = () => {}, relocs = true): Uint8Array {
  const mb = new ModuleBuilder();
  imports(mb);
  body(mb);
  if (relocs) mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return mb.finish();
}

const standard = (mb: ModuleBuilder): void => {
  mb.importMemory('env', 'memory', { min: 0 });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
};

const refusal = (bytes: Uint8Array): string => thrown(() => readObjModule({ file: 'in.smf', bytes }), LinkInputError).message;

describe('damaged inputs, placed at the file', () => {
  it('a note that is not SDN names the file', () => {
    const bytes = rewritten((spec) => ({ ...spec, note: 'instantiations |id, template|\n    1, "open\n# END_NOTE\n' }));
    expect(thrown(() => readObjModule({ file: 'in.smf', bytes }), SdnError).message).toBe('in.smf:2:8: unterminated string');
  });

  it('code that is not WebAssembly is reported as the file’s code', () => {
    const bytes = withCode(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0));
    expect(thrown(() => readObjModule({ file: 'in.smf', bytes }), WasmReadError).message).toBe('in.smf: code: invalid WebAssembly at byte 0x4: unsupported version');
  });
});

describe('the unit shape, exactly', () => {
  it('a unit defining no function needs no reloc.CODE section', () => {
    const m = readObjModule({ file: 'in.smf', bytes: withCode(unit(standard, () => {}, false)) });
    expect(m.relocs).toEqual([]);
    expect(m.exportOf).toEqual([]);
    expect(m.functionIndex.size).toBe(0);
  });

  it('import 0 must be a memory: a global named env.memory is refused, and so is a unit importing nothing', () => {
    const asGlobal = unit((mb) => {
      mb.importGlobal('env', 'memory', ValType.i32, false);
      mb.importGlobal('env', '__memory_base', ValType.i32, false);
    });
    expect(refusal(withCode(asGlobal))).toBe('in.smf: code: import 0 is not env.memory');
    expect(refusal(withCode(unit(() => {})))).toBe('in.smf: code: import 0 is not env.memory');
  });

  it('the data segment must be placed at global 0 (__memory_base), not at another imported global', () => {
    const atSlot = unit(
      (mb) => {
        mb.importMemory('env', 'memory', { min: 0 });
        mb.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
        mb.importGlobal('env', '__memory_base', ValType.i32, false);
        mb.importGlobal('GOT.func', 'g', ValType.i32, false);
      },
      (mb) => mb.addActiveData(ConstExpr.globalGet(1), [1, 2]),
    );
    expect(refusal(withCode(atSlot))).toBe('in.smf: code: the data segment is not placed at __memory_base');
  });
});

describe('Weak symbols', () => {
  it('are found at every index of the symbol table, under their names', () => {
    const weak = (names: string[]) =>
      readObjModule({
        file: 'in.smf',
        bytes: rewritten((spec) => ({ ...spec, symbols: spec.symbols!.map((s) => (names.includes(s.name) ? { ...s, binding: Binding.Weak } : s)) })),
      }).weak;
    const symbols = [...SmfReader.fromBytes(one).symbols()].map((s) => s.name);
    expect(symbols).toEqual(['one', 'two']);
    expect([...weak([])]).toEqual([]);
    expect([...weak(['two'])]).toEqual(['two']);
    expect([...weak(['one', 'two'])]).toEqual(['one', 'two']);
  });

  it('only the table’s own entries are read: string table bytes after it that look like a Weak binding change nothing', () => {
    // The string table starts right after the last entry with a NUL, then the first name: its
    // 9th byte is where an entry one past the table would keep its binding.
    const name = `one${'x'.repeat(5)}\u0002`;
    const bytes = rewritten((spec) => ({ ...spec, symbols: spec.symbols!.map((s) => (s.name === 'one' ? { ...s, name } : s)) }));
    const reader = SmfReader.fromBytes(bytes);
    expect(bytes[reader.symbolTableAt + reader.symbolCount * 56 + 9]).toBe(Binding.Weak);
    expect([...readObjModule({ file: 'in.smf', bytes }).weak]).toEqual([]);
  });
});

describe('private names under their linked names', () => {
  it('the symbol entry of a private function, asked for by its linked name', () => {
    const util = readObjModule(shapes.get('util')!);
    expect(util.symbol('_helper..util')).toMatchObject({ name: '_helper..util', binding: Binding.Local });
    expect(util.symbol('max$f64')).toMatchObject({ name: 'max$f64', binding: Binding.Global });
    expect(util.symbol('nope')).toBeUndefined();
    expect(util.symbol('_nope..util')).toBeUndefined();
  });

  it("the note's rows of a private template's instances use the linked names", () => {
    const util = readObjModule(shapes.get('util')!);
    expect(util.note.instantiations.map((r) => [r.template, r.mangledName])).toEqual([
      ['max', 'max$f64'],
      ['bump', 'bump$text'],
      ['_pick..util', '_pick..util$f64'],
    ]);
    expect(util.note.dependencies.map((r) => r.fromInst)).toContain('_pick..util$f64');
    expect(util.note.dependencies.map((r) => r.fromInst)).not.toContain('_pick$f64');
  });
});

describe('registerMember', () => {
  it('registers a member once: asked again, it keeps the definitions it registered', () => {
    const env = new ProgramEnv();
    const util = openObjModule(shapes.get('util')!, env);
    const defs = util.members[0].defs;
    const max = util.fns.get('max');
    expect(defs).not.toBeNull();
    registerMember(util, 0, env);
    expect(util.members[0].defs).toBe(defs);
    expect(util.fns.get('max')).toBe(max);
    expect(env.fn('max')).toBe(max);
  });
});

describe('the empty note', () => {
  it('every input carrying it shares one frozen note; an input with rows gets its own', () => {
    const a = readObjModule({ file: 'a.smf', bytes: one });
    const b = readObjModule({ file: 'b.smf', bytes: one });
    expect(a.note).toEqual(emptyNote());
    expect(Object.isFrozen(a.note)).toBe(true);
    expect(b.note).toBe(a.note);
    const util = readObjModule(shapes.get('util')!);
    expect(Object.isFrozen(util.note)).toBe(false);
  });

  it('recognised in a room exactly its length, and a shorter note in a shorter room is read', () => {
    expect(exact).toBeDefined();
    const m = readObjModule({ file: 'in.smf', bytes: exact! });
    expect(Object.isFrozen(m.note)).toBe(true);

    const row = 'instantiations |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status|\n    1, f, i64, "f$i64", a.spl, "a.spl:1:1", a.smf, compiled\n\n# END_NOTE\n';
    const short = rewritten((spec) => ({ ...spec, note: row, noteReserve: 0 }));
    expect(SmfReader.fromBytes(short).noteCapacity()).toBeLessThan(EMPTY_NOTE_TEXT.length);
    expect(readObjModule({ file: 'in.smf', bytes: short }).note.instantiations.map((r) => r.mangledName)).toEqual(['f$i64']);
  });
});
