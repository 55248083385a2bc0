/**
 * Code compiled for another code ABI — before the garbage collector, say — keeps heap pointers
 * where the collector cannot see them: the loader and the linker refuse it with a typed error
 * that says to compile it again, instead of running it (docs/memory.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { CODE_ABI_SECTION, CODE_ABI_VERSION } from '../../src/compiler/runtime-abi.js';
import { link } from '../../src/linker/link.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { workspace } from './fixtures.js';

/** `lib.smf` whose code states code ABI `version`, or has no `simple.abi` section (null). */
function libWithAbi(version: number | null): string {
  const dir = workspace({ 'lib.spl': 'fn twice(s: text) -> text:\n    s + s\n' });
  const [compiled] = new CompileSession().compileFiles([join(dir, 'lib.spl')]);
  const wasm = compiled.unit.wasm.slice();
  // The section's name and one-byte payload, found in the module and rewritten in place.
  const name = new TextEncoder().encode(CODE_ABI_SECTION);
  const at = Buffer.from(wasm).indexOf(Buffer.from(name));
  expect(at).toBeGreaterThan(0);
  if (version === null) wasm[at] = 'x'.charCodeAt(0); // another section's name: no version stated
  else wasm[at + name.length] = version;
  const path = join(dir, 'lib.smf');
  writeFileSync(path, emitSmf({ ...compiled, unit: { ...compiled.unit, wasm } }));
  return path;
}

describe('code compiled for another code ABI', () => {
  it('the current version runs', () => {
    const loader = new ModuleLoader();
    expect(loader.load(libWithAbi(CODE_ABI_VERSION)).kind).toBe('loaded');
    const twice = loader.resolveSymbol('twice');
    expect(twice.kind === 'found' && twice.call('ab')).toBe('abab');
  });

  const older = CODE_ABI_VERSION - 1;
  const newer = CODE_ABI_VERSION + 1;
  for (const [what, version] of [
    ['no version (code from before the collector)', null],
    ['version 1', 1],
    [`version ${older} (before generations)`, older],
    [`version ${newer}`, newer],
  ] as const) {
    it(`${what}: the loader refuses it with LOAD_CODE_ABI, naming the file`, () => {
      const path = libWithAbi(version);
      const loader = new ModuleLoader();
      loader.load(path);
      const r = loader.resolveSymbol('twice');
      expect(r.kind).toBe('error');
      const error = r.kind === 'error' ? r.error : undefined;
      expect(error).toMatchObject({ code: 'LOAD_CODE_ABI' });
      expect(r.kind === 'error' && r.message).toMatch(/compile it again/);
      expect(r.kind === 'error' && `${r.message} ${(error as { file?: string }).file ?? ''}`).toContain('lib.smf');
    });

    it(`${what}: the linker refuses it`, () => {
      const path = libWithAbi(version);
      const r = link([path], { output: path.replace(/lib\.smf$/, 'out.smf') });
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).toMatch(new RegExp(`this smf runs code ABI ${CODE_ABI_VERSION}: compile it again`));
    });
  }

  it('a file compiled now states the version in its code', () => {
    const path = libWithAbi(CODE_ABI_VERSION);
    expect(readFileSync(path).includes(Buffer.from(CODE_ABI_SECTION))).toBe(true);
  });
});
