/**
 * What a link records for the loader beyond its code: the `field_type` rows of a struct that an
 * instance is made at, when no input's note has them (the link takes them from the program's
 * structs),
 * and the use sites of a deferred instance that two modules use (each module's own site, from
 * its interface). Written against the survivors of a mutation run (docs/testing.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { link } from '../../src/linker/link.js';
import type { LinkOptions, LinkResult } from '../../src/linker/link.js';
import { readObjModule } from '../../src/linker/obj-module.js';
import { parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import { replaceNote, SmfReader } from '../../src/smf/index.js';
import { compileTo, runMain, tempDir } from './helpers.js';

const SOURCES: Record<string, string> = {
  types: 'struct P:\n    a: i64\n    b: f64\n',
  lib: 'fn id<T>(x: T) -> T:\n    x\n',
  app: 'use types.P\nuse lib.id\nuse other.shout\n\nfn main():\n    val p = id(P(a: 7, b: 2.5))\n    print(p.a)\n    print(id("hi"))\n    print(shout())\n',
  other: 'use lib.id\n\nfn shout() -> text:\n    id("HI")\n',
};

let dir: string;
let smf: Map<string, string>;
beforeAll(() => {
  dir = tempDir();
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(dir, `${name}.spl`), text);
  smf = compileTo(Object.keys(SOURCES).map((n) => join(dir, `${n}.spl`)), join(dir, 'out'));
});

function linked(options: LinkOptions): Extract<LinkResult, { ok: true }> {
  const r = link([smf.get('app')!, smf.get('types')!, smf.get('lib')!, smf.get('other')!], options);
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  return r;
}

describe('the linked note', () => {
  it("an instance at a struct whose rows no input's note has records the struct's field types", () => {
    // Every input written again with no `dependencies` rows (as a note written before they
    // existed would be): the rows can only come from the program's structs.
    const bare = new Map<string, string>();
    for (const m of ['app', 'types', 'lib', 'other']) {
      const bytes = readFileSync(smf.get(m)!);
      const note = parseNoteSdn(SmfReader.fromBytes(bytes).noteSdnText()!);
      const path = join(dir, 'out', 'bare', `${m}.smf`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, replaceNote(bytes, serializeNoteSdn({ ...note, dependencies: [] })));
      expect(readObjModule(path).note.dependencies).toEqual([]);
      bare.set(m, path);
    }
    const r = link([bare.get('app')!, bare.get('types')!, bare.get('lib')!, bare.get('other')!], { instantiate: 'eager' });
    if (!r.ok) throw new Error(formatDiagnostics(r.errors));
    expect(r.note.dependencies.filter((d) => d.fromInst === 'P')).toEqual([
      { fromInst: 'P', toInst: 'i64', depKind: 'field_type' },
      { fromInst: 'P', toInst: 'f64', depKind: 'field_type' },
    ]);
    const out = join(dir, 'eager.smf');
    writeFileSync(out, r.bytes);
    expect(runMain(out).output).toBe('7\nhi\nHI\n');
  });
});

describe('use sites the output keeps', () => {
  it('a deferred instance two modules use keeps both modules’ sites', () => {
    const r = linked({ instantiate: 'lazy' });
    expect(r.note.possible.map((p) => p.mangledName)).toContain('id$text');
    const uses = readSmfModule(SmfReader.fromBytes(r.bytes)).iface.uses.filter((u) => u.symbol === 'id$text');
    expect(uses.map((u) => u.at.slice(dir.length + 1))).toEqual(['app.spl:8:11', 'other.spl:4:5']);
    const out = join(dir, 'lazy.smf');
    writeFileSync(out, r.bytes);
    expect(runMain(out).output).toBe('7\nhi\nHI\n');
  });
});
