/**
 * The instantiation plan's decisions seen from the link result: where requests come from (the
 * inputs' `possible` rows, usage hints of templates no input defines, the first of several
 * users), what a compiled instance's note rows record, the hybrid walk through recursive code,
 * a cycle met twice reported once, and the diagnostics' codes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { LinkResult } from '../../src/linker/link.js';
import { parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';
import { replaceNote, SmfReader } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

/** `old` sources compiled together (the program), `new` ones on their own (a changed library): their SMF paths by module. */
function build(old: Record<string, string>, fresh: Record<string, string> = {}): { dir: string; smf: Map<string, string> } {
  const dir = tempDir();
  const smf = new Map<string, string>();
  for (const [sub, files] of [
    ['old', old],
    ['new', fresh],
  ] as const) {
    const names = Object.keys(files);
    if (names.length === 0) continue;
    mkdirSync(join(dir, sub));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, sub, `${name}.spl`), text);
    for (const [name, path] of compileTo(names.map((n) => join(dir, sub, `${n}.spl`)), join(dir, `out-${sub}`))) smf.set(name, path);
  }
  return { dir, smf };
}

function withNote(path: string, edit: (note: NoteSdn) => void): string {
  const bytes = readFileSync(path);
  const note = parseNoteSdn(SmfReader.fromBytes(bytes).noteSdnText()!);
  edit(note);
  writeFileSync(path, replaceNote(bytes, serializeNoteSdn(note)));
  return path;
}

function ok(r: LinkResult): Extract<LinkResult, { ok: true }> {
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  return r;
}

const LIB = 'fn c1<T>(x: T) -> i64:\n    one()\n\nfn one() -> i64:\n    1\n';

describe('requests', () => {
  it("an input's possible row that cannot wait is compiled under lazy, for the module the row names or else the input's", () => {
    const { smf } = build({ app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: LIB });
    withNote(smf.get('app')!, (n) =>
      n.possible.push({ template: 'c1', typeArgs: 'u8', mangledName: 'c1$u8', requiredBy: '', canDefer: false }, { template: 'c1', typeArgs: 'f64', mangledName: 'c1$f64', requiredBy: 'lib', canDefer: false }),
    );
    const r = ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'lazy' }));
    const rows = new Map(r.note.instantiations.map((i) => [i.mangledName, i]));
    expect(rows.get('c1$i64')?.status).toBe('deferred');
    expect(rows.get('c1$u8')?.status).toBe('compiled');
    expect(rows.get('c1$u8')?.fromLoc).toBe(`${smf.get('app')}:0:0`);
    expect(rows.get('c1$f64')?.fromLoc).toBe(`${smf.get('lib')}:0:0`);
    expect(r.stats.instantiated).toBe(2);
  });

  it('an input that can wait stays deferred under lazy; one row that cannot wait decides for all rows of the instance', () => {
    const { smf } = build({ app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: LIB });
    withNote(smf.get('app')!, (n) =>
      n.possible.push({ template: 'c1', typeArgs: 'u8', mangledName: 'c1$u8', requiredBy: 'app', canDefer: true }, { template: 'c1', typeArgs: 'u8', mangledName: 'c1$u8', requiredBy: 'app', canDefer: false }, { template: 'c1', typeArgs: 'u16', mangledName: 'c1$u16', requiredBy: 'app', canDefer: true }),
    );
    const r = ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'lazy' }));
    const status = new Map(r.note.instantiations.map((i) => [i.mangledName, i.status]));
    expect([status.get('c1$u8'), status.get('c1$u16')]).toEqual(['compiled', 'deferred']);
  });

  it('a linked program linked again: the rows it deferred are requests, compiled under eager', () => {
    const { dir, smf } = build({ app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: LIB });
    const once = join(dir, 'once.smf');
    writeFileSync(once, ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'lazy' })).bytes);
    const again = ok(link([once], { instantiate: 'eager' }));
    expect(again.note.instantiations.filter((i) => i.mangledName === 'c1$i64').map((i) => i.status)).toEqual(['compiled']);
    expect(again.note.possible).toEqual([]);
  });

  it('a usage hint for a template no input defines is no request', () => {
    const { smf } = build({ app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: LIB });
    withNote(smf.get('app')!, (n) => n.typeInferences.push({ inferredType: 'i64', expr: 'nosuch<a>(…)', context: 'call', fromFile: 'app.spl', fromLoc: 'app.spl:9:9' }));
    const r = ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'eager' }));
    expect(r.note.instantiations.map((i) => i.mangledName)).toEqual(['c1$i64']);
  });

  it('an instance two modules use is asked for first by the first: its deferred row and possible row say so', () => {
    const { dir, smf } = build({
      app: 'use lib.{c1}\nuse two.{g}\n\nfn main():\n    print(c1(7) + g())\n',
      two: 'use lib.{c1}\n\nfn g() -> i64:\n    c1(8)\n',
      lib: LIB,
    });
    const r = ok(link([smf.get('app')!, smf.get('two')!, smf.get('lib')!], { instantiate: 'lazy' }));
    expect(r.note.possible.map((p) => [p.mangledName, p.requiredBy])).toEqual([['c1$i64', 'app']]);
    expect(r.note.instantiations.map((i) => [i.mangledName, i.status, i.fromLoc.split(`${dir}/`).join('')])).toEqual([['c1$i64', 'deferred', 'old/app.spl:5:11']]);
  });
});

describe('compiled instances', () => {
  it("record the instances they call as method_dep rows, not the plain functions", () => {
    const { smf } = build(
      { app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: 'fn c1<T>(x: T) -> i64:\n    1\n' },
      { lib: 'fn c1<T>(x: T) -> i64:\n    c2(x) + one()\n\nfn c2<T>(x: T) -> i64:\n    one()\n\nfn one() -> i64:\n    1\n' },
    );
    const r = ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'eager' }));
    const deps = r.note.dependencies.filter((d) => d.fromInst === 'c1$i64').map((d) => `${d.depKind} ${d.toInst}`);
    expect(deps.sort()).toEqual(['method_dep c2$i64', 'type_param i64']);
  });

  it('the hybrid walk goes through recursive functions and calls between them', () => {
    const { smf } = build({
      app: 'use lib.{c1}\n\nfn even(n: i64) -> i64:\n    if n == 0:\n        return c1(n)\n    odd(n - 1)\n\nfn odd(n: i64) -> i64:\n    if n == 0:\n        return 0\n    even(n - 1)\n\nfn main():\n    print(even(4))\n',
      lib: LIB,
    });
    const r = ok(link([smf.get('app')!, smf.get('lib')!], { instantiate: 'hybrid' }));
    expect(r.note.instantiations.map((i) => `${i.mangledName} ${i.status}`)).toEqual(['c1$i64 compiled']);
  });
});

describe('the hybrid policy without main', () => {
  it('walks every function: what any of them uses is compiled', () => {
    const { smf } = build({ two: 'use lib.{c1}\n\nfn g() -> i64:\n    c1(8)\n', lib: LIB });
    const r = ok(link([smf.get('two')!, smf.get('lib')!], { instantiate: 'hybrid' }));
    expect(r.note.instantiations.map((i) => `${i.mangledName} ${i.status}`)).toEqual(['c1$i64 compiled']);
  });
});

describe('cycles', () => {
  const GROW = 'fn grow<T>(x: T, n: i64) -> i64:\n    if n == 0:\n        return 0\n    grow([x], n - 1)\n';

  it('one cycle met from two instances is reported once, with its code', () => {
    const { smf } = build(
      { app: 'use lib.{grow}\n\nfn main():\n    print(grow(1, 3) + grow("a", 3))\n', lib: 'fn grow<T>(x: T, n: i64) -> i64:\n    0\n' },
      { lib: GROW },
    );
    const r = link([smf.get('app')!, smf.get('lib')!], { instantiate: 'eager', maxDepth: 4 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.code)).toEqual(['E0420']);
    expect(r.circularErrors).toEqual([{ cyclePath: 'grow->grow', errorCode: 'E0420' }]);
  });

  it('an inference cycle has its code', () => {
    const { smf } = build({ app: 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n', lib: LIB });
    withNote(smf.get('app')!, (n) =>
      n.typeInferences.push(
        { inferredType: '?A', expr: 'c1<a>(…)', context: 'depends_on_c1<b>(…)', fromFile: 'app.spl', fromLoc: 'app.spl:30:5' },
        { inferredType: '?B', expr: 'c1<b>(…)', context: 'depends_on_c1<a>(…)', fromFile: 'app.spl', fromLoc: 'app.spl:31:5' },
      ),
    );
    const r = link([smf.get('app')!, smf.get('lib')!]);
    expect(!r.ok && r.errors.map((e) => [e.code, e.file])).toEqual([['E0421', 'app.spl:30:5']]);
  });
});
