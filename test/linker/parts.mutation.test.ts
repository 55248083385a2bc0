/**
 * Reading an input's parts (link-parts.ts): a file for another architecture, a file without a
 * code or type_info section (the compiler's reader says what is missing), static data larger
 * than the code that holds it, and the templates of an input read when instantiation asks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { CODE_SECTION, readSmfModule, TYPE_INFO_SECTION } from '../../src/compiler/interface/smf-module.js';
import { link } from '../../src/linker/link.js';
import type { LinkResult } from '../../src/linker/link.js';
import { Arch, moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

let lib: Uint8Array;
beforeAll(() => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lib.spl'), 'fn twice<T>(x: T) -> [T]:\n    [x, x]\n\nfn main():\n    print(twice(21).len())\n');
  lib = new Uint8Array(readFileSync(compileTo([join(dir, 'lib.spl')], join(dir, 'out')).get('lib')!));
});

function errors(r: LinkResult): string {
  expect(r.ok).toBe(false);
  return r.ok ? '' : formatDiagnostics(r.errors);
}

/** What the compiler's own reader says of `bytes`. */
function readerSays(bytes: Uint8Array): string {
  try {
    readSmfModule(SmfReader.fromBytes(bytes, { file: 'in.smf' }));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the compiler read it');
}

describe('an input’s parts', () => {
  it('an input for another architecture is refused', () => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
    const text = errors(link([{ file: 'in.smf', bytes: writeSmf({ ...spec, arch: Arch.Wasm32 + 1 }) }]));
    expect(text).toMatch(/^in\.smf: error: /);
    expect(text).toContain('wasm32');
  });

  it.each([CODE_SECTION, TYPE_INFO_SECTION])('without its %s section: what the compiler’s reader says', (name) => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
    const bytes = writeSmf({ ...spec, sections: spec.sections.filter((s) => s.name !== name) });
    const says = readerSays(bytes);
    expect(errors(link([{ file: 'in.smf', bytes }]))).toBe(`in.smf: error: ${says.startsWith('in.smf: ') ? says.slice(8) : says}`);
  });

  it('static data larger than the code section that holds it', () => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(lib));
    const code = spec.sections.find((s) => s.name === CODE_SECTION)!.data;
    const at = spec.sections.findIndex((s) => s.name === TYPE_INFO_SECTION);
    const info = JSON.parse(new TextDecoder().decode(spec.sections[at].data));
    const withSize = (n: number) =>
      writeSmf({ ...spec, sections: spec.sections.map((s, i) => (i === at ? { ...s, data: new TextEncoder().encode(JSON.stringify({ ...info, dataSize: n })) } : s)) });
    const over = withSize(code.length + 1);
    const offset = SmfReader.fromBytes(over).sections[at].fileOffset;
    expect(errors(link([{ file: 'in.smf', bytes: over }]))).toBe(
      `in.smf: error: type_info: dataSize (section[${at}] at byte 0x${offset.toString(16)}): ${code.length + 1} bytes of static data, but the code section (section[0]) holds only ${code.length} bytes, and the data is part of it`,
    );
    // At the code's size it is no longer the reader's to refuse: the data segment's length is checked next.
    expect(errors(link([{ file: 'in.smf', bytes: withSize(code.length) }]))).toMatch(/^in\.smf: error: code: \d+ bytes of static data, but the interface declares \d+$/);
  });

  it('a template of the input is read when an instance is compiled, and its code runs', () => {
    const r = link([{ file: 'lib.smf', bytes: lib }], { instantiate: 'eager' });
    expect(r.ok && r.note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName)).toEqual(['twice$i64']);
  });
});
