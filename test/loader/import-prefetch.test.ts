import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { hintedImports } from '../../src/loader/import-prefetch.js';
import { LoadError } from '../../src/loader/errors.js';
import { link } from '../../src/linker/index.js';
import { SmfReader, moduleSpecFromReader, prefetchHintFor, writeSmf } from '../../src/smf/index.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

/**
 * `n` modules importing each other: m{i} imports m{2i+1} and m{2i+2} (when they exist) and, for a
 * shared import, m{n-1}; each adds its imports' results to its own number.
 */
function graph(n: number): { dir: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const deps = [...new Set([2 * i + 1, 2 * i + 2, n - 1])].filter((d) => d > i && d < n);
    const uses = deps.map((d) => `use m${d}.{v${d}}\n`).join('');
    const sum = deps.map((d) => ` + v${d}()`).join('');
    files[`m${i}.spl`] = `${uses}${uses ? '\n' : ''}fn v${i}() -> i64:\n    ${i + 1}${sum}\n`;
  }
  const dir = workspace(files);
  const names = Object.keys(files).reverse();
  compileToSmf(dir, names);
  return { dir, paths: Array.from({ length: n }, (_, i) => join(dir, `m${i}.smf`)) };
}

function header(path: string): { prefetchHint: number; prefetchFileCount: number } {
  return SmfReader.fromBytes(new Uint8Array(readFileSync(path)), { file: path }).header;
}

describe('the prefetch hint', () => {
  it('is written by the compiler: 1 and the number of imports for a module importing others, 0 and 0 for one that imports none', () => {
    const { paths } = graph(7);
    expect(header(paths[0])).toMatchObject({ prefetchHint: 1, prefetchFileCount: 3 }); // m1, m2, m6
    expect(header(paths[2])).toMatchObject({ prefetchHint: 1, prefetchFileCount: 2 }); // m5, m6
    expect(header(paths[6])).toMatchObject({ prefetchHint: 0, prefetchFileCount: 0 });
    expect(prefetchHintFor(300)).toEqual({ prefetchHint: 1, prefetchFileCount: 255 });
  });

  it('is not set by the linker on a whole program (it links in every module it imports)', async () => {
    const dir = workspace({
      'base.spl': 'fn b() -> i64:\n    1\n',
      'lib.spl': 'use base.{b}\n\nfn l() -> i64:\n    b() + 1\n',
      'app.spl': 'use lib.{l}\n\nfn main() -> i64:\n    l() + 1\n',
    });
    compileToSmf(dir, ['base.spl', 'lib.spl', 'app.spl']);
    expect(header(join(dir, 'app.smf'))).toMatchObject({ prefetchHint: 1, prefetchFileCount: 1 });
    const all = link([join(dir, 'base.smf'), join(dir, 'lib.smf'), join(dir, 'app.smf')], { output: 'all.smf' });
    if (!all.ok) throw new Error(all.errors.map((e) => e.message).join('; '));
    writeFileSync(join(dir, 'all.smf'), all.bytes);
    expect(header(join(dir, 'all.smf'))).toMatchObject({ prefetchHint: 0, prefetchFileCount: 0 });
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect((await loader.loadAsync(join(dir, 'all.smf'))).kind).toBe('loaded');
    expect(callSymbol(loader, 'main')).toBe(3n);
  });

  it('is honoured: a file without it has no import read ahead, and the count bounds how many are', () => {
    const { dir, paths } = graph(7);
    const rewrite = (path: string, fields: { prefetchHint: number; prefetchFileCount: number }): void => {
      const reader = SmfReader.fromBytes(new Uint8Array(readFileSync(path)), { file: path });
      writeFileSync(path, writeSmf({ ...moduleSpecFromReader(reader), ...fields }));
    };
    const resolveImport = (name: string, from: string): string | null => join(from, `${name}.smf`);
    rewrite(paths[0], { prefetchHint: 1, prefetchFileCount: 2 });
    expect(hintedImports(new SmfCache().get(paths[0]), resolveImport)).toEqual([join(dir, 'm1.smf'), join(dir, 'm2.smf')]);
    rewrite(paths[0], { prefetchHint: 0, prefetchFileCount: 3 });
    expect(hintedImports(new SmfCache().get(paths[0]), resolveImport)).toEqual([]);
  });
});

describe('ModuleLoader.loadAsync', () => {
  it('gives the results of load, with every file of the import graph read ahead and then served from the cache', async () => {
    const n = 40;
    const { paths } = graph(n);
    const plain = new ModuleLoader({ jit: { updateSmf: false } });
    const ahead = new ModuleLoader({ jit: { updateSmf: false } });
    const a = plain.load(paths[0]);
    const b = await ahead.loadAsync(paths[0]);
    expect(a.kind).toBe('loaded');
    expect(b.kind).toBe('loaded');
    expect(ahead.loadedModules().map((m) => [m.name, m.path])).toEqual(plain.loadedModules().map((m) => [m.name, m.path]));
    for (let i = 0; i < n; i++) expect(callSymbol(ahead, `v${i}`)).toBe(callSymbol(plain, `v${i}`));
    const cache = ahead.stats().cache;
    expect(cache).toMatchObject({ prefetched: n, misses: n, files: n });
    expect(cache.hits).toBeGreaterThanOrEqual(n);
    expect(plain.stats().cache).toMatchObject({ prefetched: 0, misses: n, hits: 0 });
    expect((await ahead.loadAsync(paths[0])).kind).toBe('already_loaded');
  });

  it('reads nothing ahead with prefetch: false, and only the file itself when its hint is not set', async () => {
    const { paths } = graph(7);
    const off = new ModuleLoader();
    expect((await off.loadAsync(paths[0], { prefetch: false })).kind).toBe('loaded');
    expect(off.stats().cache.prefetched).toBe(0);
    const reader = SmfReader.fromBytes(new Uint8Array(readFileSync(paths[0])), { file: paths[0] });
    writeFileSync(paths[0], writeSmf({ ...moduleSpecFromReader(reader), prefetchHint: 0, prefetchFileCount: 0 }));
    const unhinted = new ModuleLoader();
    expect((await unhinted.loadAsync(paths[0])).kind).toBe('loaded');
    expect(unhinted.stats().cache).toMatchObject({ prefetched: 1, misses: 7 });
    expect(callSymbol(unhinted, 'v0')).toBe(callSymbol(off, 'v0'));
  });

  it('does not read again the modules already loaded', async () => {
    const { paths } = graph(7);
    const loader = new ModuleLoader();
    loader.load(paths[2]); // m2, m5, m6
    expect((await loader.loadAsync(paths[0])).kind).toBe('loaded');
    expect(loader.stats().cache).toMatchObject({ prefetched: 4, misses: 7 }); // m0, m1, m3, m4
  });

  it('gives the typed error of load for a missing import, and for a missing file', async () => {
    const { dir, paths } = graph(7);
    rmSync(join(dir, 'm5.smf'));
    const plain = new ModuleLoader().load(paths[0]);
    const ahead = await new ModuleLoader().loadAsync(paths[0]);
    expect(plain.kind).toBe('error');
    expect(ahead.kind).toBe('error');
    if (plain.kind !== 'error' || ahead.kind !== 'error') return;
    expect(ahead.error).toBeInstanceOf(LoadError);
    expect(ahead.error.constructor).toBe(plain.error.constructor);
    expect({ code: ahead.error.code, message: ahead.message }).toEqual({ code: plain.error.code, message: plain.message });
    expect(ahead.message).toContain("imported module 'm5' not found");
    const none = join(dir, 'none.smf');
    const [p, q] = [new ModuleLoader().load(none), await new ModuleLoader().loadAsync(none)];
    expect(q.kind === 'error' && p.kind === 'error' && [q.error.constructor, q.error.code, q.message]).toEqual(
      p.kind === 'error' && [p.error.constructor, p.error.code, p.message],
    );
  });

  it('gives the typed error of load for a corrupt imported file, which prefetch skips', async () => {
    const { dir, paths } = graph(7);
    const bad = readFileSync(join(dir, 'm4.smf'));
    bad[10] ^= 0xff; // a byte of the code: the module hash no longer matches
    writeFileSync(join(dir, 'm4.smf'), bad);
    const plain = new ModuleLoader().load(paths[0]);
    const loader = new ModuleLoader();
    const ahead = await loader.loadAsync(paths[0]);
    expect(plain.kind === 'error' && ahead.kind === 'error').toBe(true);
    if (plain.kind !== 'error' || ahead.kind !== 'error') return;
    expect([ahead.error.constructor, ahead.error.code, ahead.message]).toEqual([plain.error.constructor, plain.error.code, plain.message]);
    expect(loader.stats().cache.prefetched).toBe(6);
  });

  it('finds an import in a subfolder as `use` named it', async () => {
    const dir = workspace({ 'main.spl': 'use sub.util.{helper}\n\nfn run() -> i64:\n    helper() * 2\n' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'util.spl'), 'fn helper() -> i64:\n    21\n');
    compileToSmf(dir, ['sub/util.spl', 'main.spl']);
    const loader = new ModuleLoader();
    expect((await loader.loadAsync(join(dir, 'main.smf'))).kind).toBe('loaded');
    expect(loader.stats().cache.prefetched).toBe(2);
    expect(callSymbol(loader, 'run')).toBe(42n);
  });
});
