/**
 * The prefetch of imports (src/loader/import-prefetch.ts) called directly: the modules it is told
 * are loaded are left out, and its count of followed files is of those whose header asks for it.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { hintedImports, prefetchImports } from '../../src/loader/import-prefetch.js';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { compileToSmf, workspace } from './fixtures.js';

/** `a` imports `b` and `c`, which import nothing. */
function threeModules(): string {
  const dir = workspace({
    'b.spl': 'fn vb() -> i64:\n    1\n',
    'c.spl': 'fn vc() -> i64:\n    2\n',
    'a.spl': 'use b.{vb}\nuse c.{vc}\n\nfn va() -> i64:\n    vb() + vc()\n',
  });
  compileToSmf(dir, ['b.spl', 'c.spl', 'a.spl']);
  return dir;
}

const resolveIn = (name: string, from: string): string | null => join(from, `${name}.smf`);

describe('hintedImports', () => {
  it('leaves out the imports already loaded', () => {
    const dir = threeModules();
    const a = new SmfCache().get(join(dir, 'a.smf'));
    expect(hintedImports(a, resolveIn)).toEqual([join(dir, 'b.smf'), join(dir, 'c.smf')]);
    expect(hintedImports(a, resolveIn, (name) => name === 'b')).toEqual([join(dir, 'c.smf')]);
    expect(hintedImports(a, resolveIn, () => true)).toEqual([]);
  });
});

describe('prefetchImports', () => {
  it('reads the graph and counts as followed only the files whose header asks for it', async () => {
    const dir = threeModules();
    const cache = new SmfCache();
    expect(await prefetchImports(cache, join(dir, 'a.smf'), resolveIn)).toEqual({ loaded: 3, followed: 1, failed: 0 });
    expect(await prefetchImports(cache, join(dir, 'b.smf'), resolveIn)).toEqual({ loaded: 0, followed: 0, failed: 0 });
  });
});
