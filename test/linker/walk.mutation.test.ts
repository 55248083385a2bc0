/**
 * The instantiation walk: under `lazy`, an instance the profile brings in does not make the
 * link walk the plain functions it calls (what they need waits for the loader, as everything
 * else does under `lazy`); `hybrid` walks them. Written against the survivors of a mutation run
 * (docs/testing.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { LinkOptions, LinkResult } from '../../src/linker/link.js';
import { parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import { replaceNote, SmfReader } from '../../src/smf/index.js';
import { compileTo, runMain, tempDir } from './helpers.js';

const SOURCES: Record<string, string> = {
  ylib: 'fn y<T>(a: T) -> i64:\n    7\n',
  lib: 'use ylib.y\n\nfn x<T>(a: T) -> i64:\n    helper()\n\nfn helper() -> i64:\n    y(1)\n',
  app: 'use lib.x\n\nfn main():\n    print(x(true))\n',
};

let dir: string;
let inputs: string[];
/** app.smf with `x$bool` recorded as JIT-compiled in an earlier run: the profile. */
let profile: Uint8Array;
beforeAll(() => {
  dir = tempDir();
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(dir, `${name}.spl`), text);
  const smf = compileTo(Object.keys(SOURCES).map((n) => join(dir, `${n}.spl`)), join(dir, 'out'));
  inputs = ['app', 'lib', 'ylib'].map((m) => smf.get(m)!);
  const bytes = readFileSync(smf.get('app')!);
  const note = parseNoteSdn(SmfReader.fromBytes(bytes).noteSdnText()!);
  note.instantiations.push({ template: 'x', typeArgs: 'bool', mangledName: 'x$bool', fromFile: 'app.spl', fromLoc: 'app.spl:4:11', toObj: 'app.smf', status: 'jit_compiled' });
  profile = replaceNote(bytes, serializeNoteSdn(note));
});

function linked(options: LinkOptions): Extract<LinkResult, { ok: true }> {
  const r = link(inputs, options);
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  return r;
}

describe('what a compiled instance calls', () => {
  it('lazy with a profile: the profiled instance is compiled; what its plain callee needs is left to the loader', () => {
    const r = linked({ instantiate: 'lazy', profile: { file: 'profile.smf', bytes: profile } });
    expect(r.note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName)).toEqual(['x$bool']);
    expect(r.note.possible.map((p) => p.mangledName)).toEqual(['y$i64']);
    const out = join(dir, 'lazy.smf');
    writeFileSync(out, r.bytes);
    expect(runMain(out).output).toBe('7\n');
  });

  it('hybrid walks from main through the instance into its plain callee: both compiled', () => {
    const r = linked({ instantiate: 'hybrid' });
    expect(r.note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName)).toEqual(['x$bool', 'y$i64']);
    expect(r.note.possible).toEqual([]);
  });
});
