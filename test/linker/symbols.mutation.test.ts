/**
 * The symbol pass's other duplicates — a struct and a template defined by two modules, a
 * duplicate met once per clash — and the output's name, from the options or the output file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import { SmfReader } from '../../src/smf/index.js';
import { compileTo, tempDir } from './helpers.js';

/** Each source compiled on its own (as modules `a`, `b`, … of their own folders). */
function compiled(sources: Record<string, string>): { dir: string; files: string[] } {
  const dir = tempDir();
  const files = Object.entries(sources).map(([name, text]) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, `${name}.spl`), text);
    return compileTo([join(dir, name, `${name}.spl`)], join(dir, 'out', name)).get(name)!;
  });
  return { dir, files };
}

function errors(files: string[], dir: string): string {
  const r = link(files);
  expect(r.ok).toBe(false);
  return r.ok ? '' : formatDiagnostics(r.errors).split(`${dir}/`).join('');
}

describe('duplicate definitions', () => {
  it('a struct defined by two modules names both, at the second', () => {
    const point = 'struct Point:\n    x: i64\n';
    const { dir, files } = compiled({ a: `${point}\nfn fa() -> i64:\n    1\n`, b: `${point}\nfn fb() -> i64:\n    2\n` });
    expect(errors(files, dir)).toBe("out/b/b.smf: error: duplicate struct 'Point': defined by module 'a' (out/a/a.smf) and by module 'b' (out/b/b.smf)");
  });

  it('a template defined by two modules, and by a third: each later one is reported against the first', () => {
    const id = (n: string) => `fn id<T>(x: T) -> T:\n    x\n\nfn f${n}() -> i64:\n    1\n`;
    const { dir, files } = compiled({ a: id('a'), b: id('b'), c: id('c') });
    expect(errors(files, dir)).toBe(
      [
        "out/b/b.smf: error: duplicate template 'id': defined by module 'a' (out/a/a.smf) and by module 'b' (out/b/b.smf)",
        "out/c/c.smf: error: duplicate template 'id': defined by module 'a' (out/a/a.smf) and by module 'c' (out/c/c.smf)",
      ].join('\n'),
    );
  });

  it('a function defined by three modules: two errors, both against the first', () => {
    const f = 'fn f() -> i64:\n    1\n';
    const { dir, files } = compiled({ a: f, b: f, c: f });
    expect(errors(files, dir)).toBe(
      [
        "out/b/b.smf: error: duplicate symbol 'f': defined by module 'a' (out/a/a.smf) and by module 'b' (out/b/b.smf)",
        "out/c/c.smf: error: duplicate symbol 'f': defined by module 'a' (out/a/a.smf) and by module 'c' (out/c/c.smf)",
      ].join('\n'),
    );
  });
});

describe('the output module name', () => {
  let files: string[];
  beforeAll(() => {
    ({ files } = compiled({ a: 'fn main():\n    print(1)\n' }));
  });

  it('is the output file name without .smf, or the name asked for', () => {
    const named = (options: Parameters<typeof link>[1]) => {
      const r = link(files, options);
      if (!r.ok) throw new Error(formatDiagnostics(r.errors));
      return JSON.parse(new TextDecoder().decode(SmfReader.fromBytes(r.bytes).sectionData(1))).module as string;
    };
    expect(named({ output: '/x/y/prog.smf' })).toBe('prog');
    expect(named({ output: 'prog.smf.bak' })).toBe('prog.smf.bak');
    expect(named({ output: 'prog.smfx' })).toBe('prog.smfx');
    expect(named({})).toBe('a');
    expect(named({ output: 'prog.smf', name: 'other' })).toBe('other');
  });
});
