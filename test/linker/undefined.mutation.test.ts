/**
 * Undefined symbols and arity, as the symbol pass words and places them (symbols.ts): three
 * users of one symbol, a use whose site the interface does not record (placed at the file), an
 * instance of a template no input defines next to a plain function, and the type argument count
 * checked at the first use.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { TYPE_INFO_SECTION } from '../../src/compiler/interface/smf-module.js';
import { link } from '../../src/linker/link.js';
import type { LinkResult } from '../../src/linker/link.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

const SOURCES: Record<string, string> = {
  lib: 'fn helper(x: i64) -> i64:\n    x + 1\n\nfn wrap<T>(x: T) -> [T]:\n    [x]\n',
  a: 'use lib.{helper}\n\nfn fa() -> i64:\n    helper(1)\n',
  b: 'use lib.{helper}\n\nfn fb() -> i64:\n    helper(2)\n',
  c: 'use lib.{helper, wrap}\n\nfn fc() -> i64:\n    helper(3) + wrap(4).len()\n',
};

let dir: string;
let smf: Map<string, string>;
beforeAll(() => {
  dir = join(tempDir(), 'src');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(dir, `${name}.spl`), text);
  smf = compileTo(['a', 'b', 'c'].map((m) => join(dir, `${m}.spl`)), join(dir, '..', 'out'));
});

function errors(r: LinkResult): string[] {
  expect(r.ok).toBe(false);
  return r.ok ? [] : formatDiagnostics(r.errors).split(`${dir}/`).join('').split(`${join(dir, '..', 'out')}/`).join('out/').split('\n');
}

describe('undefined symbols', () => {
  it('three users: every module named, the first site the error, the others notes; the instance on its own', () => {
    expect(errors(link(['a', 'b', 'c'].map((m) => smf.get(m)!)))).toEqual([
      "a.spl:4:5: error: undefined symbol 'helper', used by modules 'a', 'b' and 'c'",
      "b.spl:4:5: note: 'helper' is also used here, by module 'b'",
      "c.spl:4:5: note: 'helper' is also used here, by module 'c'",
      "c.spl:4:17: error: undefined symbol 'wrap<i64>', used by module 'c'",
    ]);
  });

  it('a use the interface records no site for is placed at the input file', () => {
    const path = smf.get('b')!;
    const reader = SmfReader.fromBytes(readFileSync(path));
    const spec = moduleSpecFromReader(reader);
    const info = spec.sections.findIndex((s) => s.name === TYPE_INFO_SECTION);
    const iface = JSON.parse(new TextDecoder().decode(spec.sections[info].data));
    expect(iface.uses.length).toBeGreaterThan(0);
    spec.sections[info] = { ...spec.sections[info], data: new TextEncoder().encode(JSON.stringify({ ...iface, uses: [] })) };
    const noSites = join(dir, '..', 'out', 'b-no-sites.smf');
    writeFileSync(noSites, writeSmf({ ...spec, note: reader.noteSdnText() }));
    expect(errors(link([noSites, smf.get('a')!]))).toEqual([
      "out/b-no-sites.smf: error: undefined symbol 'helper', used by modules 'b' and 'a'",
      "a.spl:4:5: note: 'helper' is also used here, by module 'a'",
    ]);
  });
});

it('an undefined symbol used once has no notes at all', () => {
  const r = link([smf.get('a')!]);
  expect(!r.ok && r.errors.map((e) => ({ ...e, file: String(e.file).split(`${dir}/`).join('') }))).toStrictEqual([
    { severity: 'error', file: 'a.spl:4:5', span: null, message: "undefined symbol 'helper', used by module 'a'" },
  ]);
});
