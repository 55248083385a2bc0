/**
 * A module's code as the loader prepares it (src/loader/prepared-module.ts): code the engine
 * refuses after the verifier passed it, read off a compiled unit, and compiled once.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { LoadError } from '../../src/loader/errors.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { checkCodeAbi, unitOf } from '../../src/loader/prepared-module.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { thrown } from '../thrown.js';
import { compileToSmf, workspace } from './fixtures.js';

function withCode(path: string, wasm: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  writeFileSync(path, writeSmf({ ...spec, sections: spec.sections.map((s) => (s.type === SectionType.Code && s.name === 'code' ? { ...s, data: wasm } : s)) }));
}

/** `one: [] -> i64` with the body `code`, laid out as the compiler does. */
function code(body: number[], abi = true): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 0 });
  m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  m.importGlobal('GOT.func', 'other', ValType.i32, false);
  m.importFunction('host', 'h', m.addType([], []));
  m.importFunction('rt', 'alloc', m.addType([ValType.i32], [ValType.i32]));
  const one = m.addRawFunction(m.addType([], [ValType.i64]), Uint8Array.from([0, ...body, 0x0b]), 'one');
  m.exportFunction('one', one);
  if (abi) m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m.finish();
}

describe('prepared code', () => {
  it('refuses code the engine does not validate as invalid code of its file, each time it is asked', () => {
    const dir = workspace({ 'm.spl': 'fn one() -> i64:\n    1\n' });
    compileToSmf(dir, ['m.spl']);
    const path = join(dir, 'm.smf');
    withCode(path, code([0x01]));
    const loader = new ModuleLoader();
    expect(loader.load(path).kind).toBe('loaded');
    for (let i = 0; i < 2; i++) {
      const r = loader.resolveSymbol('one');
      expect(r.kind).toBe('error');
      if (r.kind !== 'error') return;
      expect(r.error).toBeInstanceOf(LoadError);
      expect(r.error).toMatchObject({ code: 'LOAD_INSTANTIATE', file: path });
      expect(r.message.startsWith(`${path}: invalid code: `)).toBe(true);
    }
  });

  it('names the file when code of another ABI is refused', () => {
    const dir = workspace({ 'm.spl': 'fn one() -> i64:\n    1\n' });
    compileToSmf(dir, ['m.spl']);
    const path = join(dir, 'm.smf');
    withCode(path, code([0x42, 0x01], false));
    const r = new ModuleLoader({ lazy: false }).load(path);
    expect(r.kind === 'error' && r.error).toMatchObject({ code: 'LOAD_CODE_ABI', file: path });
    expect(r.kind === 'error' && r.message.startsWith(`${path}: cannot run this module's code: `)).toBe(true);
  });

  it('checkCodeAbi refuses a missing or empty section and takes the current one', () => {
    checkCodeAbi(new WebAssembly.Module(code([0x42, 0x01])));
    const e = thrown(() => checkCodeAbi(new WebAssembly.Module(code([0x42, 0x01], false))), LoadError);
    expect(e).toMatchObject({ code: 'LOAD_CODE_ABI', file: undefined });
    const m = new ModuleBuilder();
    m.addCustomSection(CODE_ABI_SECTION, new Uint8Array());
    expect(thrown(() => checkCodeAbi(new WebAssembly.Module(m.finish())), LoadError).message).toBe(e.message);
    const other = new ModuleBuilder();
    other.addCustomSection(CODE_ABI_SECTION, Uint8Array.from([CODE_ABI_BYTES[0] + 1]));
    expect(thrown(() => checkCodeAbi(new WebAssembly.Module(other.finish())), LoadError).message).not.toBe(e.message);
  });

  it('unitOf reads exports, GOT slots and host imports off the module', () => {
    const u = unitOf(new WebAssembly.Module(code([0x42, 0x01])), 'lbl', 12, 'own');
    expect(u).toMatchObject({ label: 'lbl', exports: ['one'], got: ['other'], host: ['h'], dataSize: 12, owner: 'own' });
  });
});
