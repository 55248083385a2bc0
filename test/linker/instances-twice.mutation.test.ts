/**
 * One instance defined by two inputs: instances of one template at one type are the same code
 * wherever they were compiled, so the link keeps the first and drops the second — no duplicate
 * (a plain function defined twice is one). The two inputs are compiled modules whose code is
 * replaced by hand-built units, each exporting its own function and `k$i64`. Written against
 * the survivors of a mutation run (docs/testing.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { CODE_SECTION, readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { CODE_ABI_BYTES, RELOC_SECTION } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { link } from '../../src/linker/link.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

let one: Uint8Array;
let two: Uint8Array;
beforeAll(() => {
  const dir = tempDir();
  writeFileSync(join(dir, 'one.spl'), 'fn f() -> i64:\n    1\n');
  writeFileSync(join(dir, 'two.spl'), 'fn g() -> i64:\n    2\n');
  const smf = compileTo([join(dir, 'one.spl'), join(dir, 'two.spl')], join(dir, 'out'));
  one = readFileSync(smf.get('one')!);
  two = readFileSync(smf.get('two')!);
});

/** A unit exporting `own` (returning `value`) and `shared` (returning `value` too). */
function unit(own: string, shared: string, value: number): Uint8Array {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory', { min: 0 });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
  const t = mb.addType([], [ValType.i64]);
  const body = Uint8Array.of(0x00, 0x42, value, 0x0b);
  mb.exportFunction(own, mb.addRawFunction(t, body));
  mb.exportFunction(shared, mb.addRawFunction(t, body));
  mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return mb.finish();
}

function withCode(bytes: Uint8Array, code: Uint8Array): Uint8Array {
  const spec = moduleSpecFromReader(SmfReader.fromBytes(bytes));
  return writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: code } : s)) });
}

describe('an instance two inputs define', () => {
  it('is kept once, from the first input; a plain function defined twice is a duplicate', () => {
    const a = { file: 'one.smf', bytes: withCode(one, unit('f', 'k$i64', 1)) };
    const b = { file: 'two.smf', bytes: withCode(two, unit('g', 'k$i64', 2)) };
    const r = link([a, b]);
    if (!r.ok) throw new Error(formatDiagnostics(r.errors));
    const wasm = readWasmModule(readSmfModule(SmfReader.fromBytes(r.bytes)).code);
    expect(wasm.exports.map((e) => e.name)).toEqual(['f', 'k$i64', 'g']);
    // The kept one is the first input's: its body returns 1.
    const k = wasm.exports.find((e) => e.name === 'k$i64')!.index - wasm.importedFunctions;
    expect([...wasm.code.subarray(wasm.bodies[k].code, wasm.bodies[k].end)]).toEqual([0x42, 1, 0x0b]);

    const plain = link([a, { file: 'two.smf', bytes: withCode(two, unit('g', 'f', 2)) }]);
    expect(!plain.ok && formatDiagnostics(plain.errors)).toBe("two.smf: error: duplicate symbol 'f': defined by module 'one' (one.smf) and by module 'two' (two.smf)");
  });
});
