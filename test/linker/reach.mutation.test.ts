/**
 * What the linker registers for instantiation (link.ts, registerReachable): a member whose only
 * part in an instance is a struct the instance is made at, and a plain module a template's body
 * calls — neither defines a template, and each instance compiled at link time needs them — and a
 * module of templates that only another module of templates imports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTo, linkTo, runMain, tempDir } from './helpers.js';

const SOURCES: Record<string, string> = {
  shape: 'struct Pt:\n    x: i64\n    y: i64\n\nfn pt_sum(p: Pt) -> i64:\n    p.x + p.y\n',
  count: 'fn base() -> i64:\n    100\n',
  // `p.x` on a type parameter is checked, and compiled, against the struct of each instance.
  // Only templates here and in `deep`, which only `gen` imports: registered because `gen` has templates.
  deep: 'fn twice_len<T>(xs: [T]) -> i64:\n    xs.len() * 2\n',
  gen: 'use count.{base}\nuse deep.{twice_len}\n\nfn first<T>(xs: [T]) -> T:\n    xs[0]\n\nfn size<T>(xs: [T]) -> i64:\n    base() + twice_len(xs)\n\nfn xof<T>(p: T) -> i64:\n    p.x\n',
  app: 'use shape.{Pt, pt_sum}\nuse gen.{first, size, xof}\n\nfn main():\n    val ps = [Pt(x: 3, y: 4), Pt(x: 5, y: 6)]\n    print(pt_sum(first(ps)))\n    print(size(ps))\n    print(xof(ps[1]))\n',
};

let files: string[];
beforeAll(() => {
  const dir = join(tempDir(), 'src');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(dir, `${name}.spl`), text);
  const smfs = compileTo([join(dir, 'app.spl')], join(dir, '..', 'out'));
  files = ['app', 'gen', 'shape', 'count', 'deep'].map((m) => smfs.get(m)!);
});

describe('definitions instances need', () => {
  it.each(['eager', 'hybrid'] as const)('%s: instances at a struct of a module without templates, calling a module without templates, compile and run', (instantiate) => {
    const out = join(tempDir(), 'app.smf');
    const r = linkTo(files, out, { instantiate });
    expect(r.note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName).sort()).toEqual(['first$Pt', 'size$Pt', 'twice_len$Pt', 'xof$Pt']);
    expect(r.stats.instantiated).toBe(4);
    expect(runMain(out).output).toBe('7\n104\n5\n');
  });
});
