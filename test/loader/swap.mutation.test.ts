/**
 * The hot-reload swap (src/loader/hot-swap.ts), the gaps of its first mutation run: the slots of
 * functions a reload adds (a private one never takes a slot an exposed function held), the
 * definitions a reload drops, the ones a refused reload added taken back, and the versions of
 * what it swaps — the module's own instances once, other modules' functions not at all.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

/** The modules `files` compiled, then loaded in order by a hot-reloading loader. */
function loaded(files: Record<string, string>): { dir: string; loader: ModuleLoader } {
  const dir = workspace(files);
  const names = Object.keys(files);
  compileToSmf(dir, names);
  const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
  for (const name of names) loader.load(join(dir, name.replace(/\.spl$/, '.smf')));
  return { dir, loader };
}

function found(loader: ModuleLoader, name: string): { slot: number; version: number } {
  const r = loader.resolveSymbol(name);
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r;
}

describe('a reload that adds functions', () => {
  it('gives an added exported function a freed exposed slot, and an added private one a slot of its own', () => {
    const { dir, loader } = loaded({
      'a.spl': 'fn fa() -> i64:\n    7\n',
      'm.spl': 'fn run() -> i64:\n    1\n',
    });
    expect(callSymbol(loader, 'run')).toBe(1n);
    const freed = found(loader, 'fa').slot;
    expect(loader.unload('a')).toBe(true);
    // `_h` comes first: were it given an exposed slot, it would take `fa`'s.
    writeFileSync(join(dir, 'm.spl'), 'fn _h() -> i64:\n    2\n\nfn g() -> i64:\n    _h() + 1\n\nfn run() -> i64:\n    g()\n');
    compileToSmf(dir, ['m.spl']);
    expect(loader.reload('m').kind).toBe('loaded');
    expect(callSymbol(loader, 'run')).toBe(3n);
    expect(found(loader, 'g').slot).toBe(freed);
  });
});

describe('the definitions of a reloaded module', () => {
  it('are the new version\'s: what it dropped is gone', () => {
    const { dir, loader } = loaded({ 'm.spl': 'fn _old() -> i64:\n    1\n\nfn run() -> i64:\n    _old()\n' });
    expect(loader.env.fn('_old', 'm')).toBeDefined();
    writeFileSync(join(dir, 'm.spl'), 'fn run() -> i64:\n    2\n');
    compileToSmf(dir, ['m.spl']);
    expect(loader.reload('m').kind).toBe('loaded');
    expect(callSymbol(loader, 'run')).toBe(2n);
    expect(loader.env.fn('_old', 'm')).toBeUndefined();
    expect(loader.env.fn('run', 'm')).toBeDefined();
  });

  it('are the old version\'s after a refused reload: what the new one added is taken back', () => {
    const { dir, loader } = loaded({ 'a.spl': 'fn shared() -> i64:\n    7\n', 'm.spl': 'fn run() -> i64:\n    1\n' });
    writeFileSync(join(dir, 'm.spl'), 'fn extra() -> i64:\n    3\n\nfn shared() -> i64:\n    8\n\nfn run() -> i64:\n    1\n');
    compileToSmf(dir, ['m.spl']);
    const r = loader.reload('m');
    expect(r).toMatchObject({ kind: 'error', error: { code: 'LOAD_DUPLICATE_SYMBOL' } });
    expect(loader.env.fn('extra', 'm')).toBeUndefined();
    expect(loader.env.fn('shared', 'a')?.module).toBe('a');
    expect(loader.env.fn('run', 'm')).toBeDefined();
    expect(callSymbol(loader, 'run')).toBe(1n);
  });
});

describe('the versions after a swap', () => {
  it('count one swap for the module\'s functions and its own instances, none for another module\'s', () => {
    const { dir, loader } = loaded({
      'other.spl': 'fn o() -> i64:\n    5\n',
      'm.spl': 'fn id<T>(a: T) -> T:\n    a\n\nfn run() -> i64:\n    id(3)\n',
    });
    expect(callSymbol(loader, 'o')).toBe(5n);
    expect(callSymbol(loader, 'run')).toBe(3n);
    writeFileSync(join(dir, 'm.spl'), 'fn id<T>(a: T) -> T:\n    a\n\nfn run() -> i64:\n    id(4)\n');
    compileToSmf(dir, ['m.spl']);
    expect(loader.reload('m').kind).toBe('loaded');
    expect(callSymbol(loader, 'run')).toBe(4n);
    expect(found(loader, 'run').version).toBe(2);
    expect(found(loader, 'id<i64>').version).toBe(2);
    expect(found(loader, 'o').version).toBe(1);
  });
});
