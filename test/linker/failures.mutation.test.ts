/**
 * How `link()` reports what goes wrong after the inputs were read: a profile that cannot be read
 * (with the inputs' own errors, each once, in order), and the code merge refusing units — each a
 * diagnostic placed at the file it is about, its message without that file's name repeated.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { CODE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { CODE_ABI_BYTES, RELOC_SECTION } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { LinkInputError } from '../../src/linker/errors.js';
import { link } from '../../src/linker/link.js';
import type { LinkInput, LinkResult } from '../../src/linker/link.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

let libs: Uint8Array[];
let app: string;
beforeAll(() => {
  const dir = tempDir();
  for (const name of ['one', 'two']) writeFileSync(join(dir, `${name}.spl`), `fn f_${name}() -> i64:\n    1\n`);
  writeFileSync(join(dir, 'app.spl'), 'fn main():\n    print(1)\n');
  libs = ['one', 'two'].map((name) => new Uint8Array(readFileSync(compileTo([join(dir, `${name}.spl`)], join(dir, 'out')).get(name)!)));
  app = compileTo([join(dir, 'app.spl')], join(dir, 'out-app')).get('app')!;
});

function errors(r: LinkResult): string {
  expect(r.ok).toBe(false);
  return r.ok ? '' : formatDiagnostics(r.errors);
}

/** lib `index`'s SMF with its code replaced by a unit exporting `f_<name>` that imports `rt.x` with `params`. */
function withRtImport(index: number, params: ValType[]): Uint8Array {
  const name = ['one', 'two'][index];
  const mb = new ModuleBuilder();
  const fnType = mb.addType([], [ValType.i64]);
  mb.importMemory('env', 'memory', { min: 0 });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
  mb.importFunction('rt', 'x', mb.addType(params, []));
  mb.exportFunction(`f_${name}`, mb.addRawFunction(fnType, Uint8Array.of(0x00, 0x42, 0x01, 0x0b)));
  mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  const spec = moduleSpecFromReader(SmfReader.fromBytes(libs[index]));
  return writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: mb.finish() } : s)) });
}

describe('the code merge', () => {
  it('a runtime import two inputs declare with different signatures: an error of the output, naming the input', () => {
    const inputs: LinkInput[] = [
      { file: 'one.smf', bytes: withRtImport(0, [ValType.i32]) },
      { file: 'two.smf', bytes: withRtImport(1, [ValType.i64]) },
    ];
    expect(errors(link(inputs, { output: 'out/prog.smf' }))).toBe('out/prog.smf: error: two.smf: imports rt.x with a signature other units do not use');
    // The same signature is shared.
    const same: LinkInput[] = [
      { file: 'one.smf', bytes: withRtImport(0, [ValType.i32]) },
      { file: 'two.smf', bytes: withRtImport(1, [ValType.i32]) },
    ];
    expect(link(same).ok).toBe(true);
  });

  it('when the output has the name of the input at fault, the name is said once', () => {
    const inputs: LinkInput[] = [
      { file: 'one.smf', bytes: withRtImport(0, [ValType.i32]) },
      { file: 'two.smf', bytes: withRtImport(1, [ValType.i64]) },
    ];
    expect(errors(link(inputs, { output: 'two.smf' }))).toBe('two.smf: error: imports rt.x with a signature other units do not use');
  });
});

describe('the profile', () => {
  it('one that cannot be read is an error at the profile, after the inputs’ own', () => {
    const bad = join(tempDir(), 'bad.smf');
    writeFileSync(bad, 'x'.repeat(300));
    const text = errors(link([app, '/nonexistent/in.smf'], { profile: '/nonexistent/profile.smf' }));
    expect(text.split('\n')).toEqual([
      "/nonexistent/in.smf: error: cannot read '/nonexistent/in.smf': no such file or directory",
      "/nonexistent/profile.smf: error: cannot read '/nonexistent/profile.smf': no such file or directory",
    ]);
    const inMemory = errors(link([app], { profile: { file: 'p.smf', bytes: readFileSync(bad) } }));
    expect(inMemory).toMatch(/^p\.smf: error: (?!p\.smf)/);
    expect(inMemory.split('\n')).toHaveLength(1);
  });

  it('one without a note, or without jit_compiled rows, changes nothing', () => {
    const plain = link([app], { output: 'app.smf' });
    const withProfile = link([app], { output: 'app.smf', profile: app });
    expect(plain.ok && withProfile.ok).toBe(true);
    if (plain.ok && withProfile.ok) expect(Buffer.from(withProfile.bytes).equals(Buffer.from(plain.bytes))).toBe(true);
  });
});

it('an input error says which file, with its code for programs that sort errors', () => {
  const e = new LinkInputError('in.smf', 'bad thing');
  expect([e.code, e.file, e.detail, e.message]).toEqual(['LINK_BAD_INPUT', 'in.smf', 'bad thing', 'in.smf: bad thing']);
});
