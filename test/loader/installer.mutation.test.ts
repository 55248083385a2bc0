/**
 * Installing a module's code (src/loader/installer.ts): what the installer itself refuses — host
 * functions and static data beyond what the module declares, named by the module's file — and
 * an instantiation the engine refuses.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ConstExpr, ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { LoadError } from '../../src/loader/errors.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { CodeVerifyError } from '../../src/loader/verify-code.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { compileToSmf, workspace } from './fixtures.js';

function withCode(path: string, wasm: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  writeFileSync(path, writeSmf({ ...spec, sections: spec.sections.map((s) => (s.type === SectionType.Code && s.name === 'code' ? { ...s, data: wasm } : s)) }));
}

/** `one: [] -> i64` returning 1, laid out as the compiler does, with `extra` added. */
function code(extra: (m: ModuleBuilder) => void, memoryMin = 0): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: memoryMin });
  m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  extra(m);
  m.exportFunction('one', m.addRawFunction(m.addType([], [ValType.i64]), Uint8Array.from([0, 0x42, 0x01, 0x0b]), 'one'));
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m.finish();
}

function installed(wasm: Uint8Array): { path: string; error: LoadError } {
  const dir = workspace({ 'm.spl': 'fn one() -> i64:\n    1\n' });
  compileToSmf(dir, ['m.spl']);
  const path = join(dir, 'm.smf');
  withCode(path, wasm);
  const r = new ModuleLoader({ lazy: false, host: { beep: () => undefined } }).load(path);
  if (r.kind !== 'error') throw new Error('loaded');
  expect(r.error).toBeInstanceOf(LoadError);
  return { path, error: r.error as LoadError };
}

describe('the installer', () => {
  it("refuses a host function the module's code imports but does not declare, naming its file", () => {
    const { path, error } = installed(code((m) => m.importFunction('host', 'beep', m.addType([], []))));
    expect(error).toBeInstanceOf(CodeVerifyError);
    expect(error).toMatchObject({ rule: 'import', file: path, message: `${path}: code refused by the verifier: it imports host.beep, which its module does not declare as an extern fn` });
  });

  it('refuses static data beyond what the module declares, naming its file', () => {
    const { path, error } = installed(code((m) => m.addActiveData(ConstExpr.globalGet(0), new Uint8Array(100))));
    expect(error).toMatchObject({ rule: 'data', file: path, message: `${path}: code refused by the verifier: its data segments write 100 bytes of static data, more than the 0 its module declares` });
  });

  it('turns an instantiation the engine refuses into LOAD_INSTANTIATE, naming its file', () => {
    // The code asks for more memory than the loader's has.
    const { path, error } = installed(code(() => undefined, 60_000));
    expect(error).toMatchObject({ code: 'LOAD_INSTANTIATE', file: path });
    expect(error.message.startsWith(`${path}: cannot instantiate: `)).toBe(true);
  });
});
