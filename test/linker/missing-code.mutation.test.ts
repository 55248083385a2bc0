/**
 * An instance whose template calls a plain function that the interface of its module declares
 * but whose code does not define (the input's code replaced by a unit defining nothing): the
 * link reports the undefined function at the call inside the template, naming the instance and
 * its template's module. Written against the survivors of a mutation run (docs/testing.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { CODE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { CODE_ABI_BYTES, RELOC_SECTION } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { link } from '../../src/linker/link.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

let dir: string;
let app: string;
let lib: Uint8Array;
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir, 'lib.spl'), 'fn x<T>(a: T) -> i64:\n    helper()\n\nfn helper() -> i64:\n    5\n');
  writeFileSync(join(dir, 'app.spl'), 'use lib.x\n\nfn main():\n    print(x(1))\n');
  const smf = compileTo([join(dir, 'app.spl'), join(dir, 'lib.spl')], join(dir, 'out'));
  app = smf.get('app')!;
  lib = readFileSync(smf.get('lib')!);
});

/** A unit that defines no function: the shape every unit has, and nothing else. */
function emptyUnit(): Uint8Array {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory', { min: 0 });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
  mb.addCustomSection(RELOC_SECTION, Uint8Array.of(0));
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return mb.finish();
}

describe('a plain function a template calls, missing from its module’s code', () => {
  it('is an undefined symbol at the call in the template, used by the instance', () => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
    const bytes = writeSmf({
      ...spec,
      sections: spec.sections.map((s) => (s.name === CODE_SECTION ? { ...s, data: emptyUnit() } : s)),
      note: SmfReader.fromBytes(lib).noteSdnText(),
    });
    const r = link([app, { file: 'lib.smf', bytes }], { instantiate: 'eager' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatDiagnostics(r.errors).replaceAll(`${dir}/`, '')).toBe(
      "lib.spl:2:5: error: undefined symbol 'helper', used by 'x<i64>' (template of module 'lib' instantiated at link time)",
    );
  });
});
