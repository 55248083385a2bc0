/**
 * ModuleLoader (src/loader/module-loader.ts): the hot swap of a module compiled in this process
 * (`reloadCompiled`, the `smf run --watch` path), what `stats()` counts, and write-backs refused.
 */
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { natives } from '../../src/platform/index.js';
import { TextCapture } from '../../src/runtime/index.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

function compiled(dir: string, file: string) {
  return new CompileSession().compileFiles([join(dir, file)])[0];
}

describe('reloadCompiled', () => {
  it('loads a module not loaded yet, then swaps in a new version keeping its slot', () => {
    const dir = workspace({ 'lib.spl': 'fn f() -> i64:\n    1\n' });
    const loader = new ModuleLoader();
    const first = loader.reloadCompiled(compiled(dir, 'lib.spl'));
    expect(first).toMatchObject({ kind: 'loaded', module: { name: 'lib', version: 1, path: join(dir, 'lib.spl') } });
    const f = loader.resolveSymbol('f');
    if (f.kind !== 'found') throw new Error(f.kind);
    expect(f.call()).toBe(1n);
    writeFileSync(join(dir, 'lib.spl'), 'fn f() -> i64:\n    2\n');
    const second = loader.reloadCompiled(compiled(dir, 'lib.spl'));
    expect(second).toMatchObject({ kind: 'loaded', module: { name: 'lib', version: 2 } });
    expect(f.call()).toBe(2n);
    expect(loader.resolveSymbol('f')).toMatchObject({ kind: 'found', slot: f.slot });
    expect(loader.stats().modules).toBe(1);
  });

  it('refuses a changed signature with a typed error, and the old code keeps running', () => {
    const dir = workspace({ 'lib.spl': 'fn f() -> i64:\n    1\n' });
    const loader = new ModuleLoader();
    loader.reloadCompiled(compiled(dir, 'lib.spl'));
    writeFileSync(join(dir, 'lib.spl'), 'fn f(x: i64) -> i64:\n    x\n');
    const r = loader.reloadCompiled(compiled(dir, 'lib.spl'));
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.error.message).toBe(r.message);
    expect(r.message).toContain("'f'");
    expect(callSymbol(loader, 'f')).toBe(1n);
    expect(loader.getModule('lib')?.version).toBe(1);
  });
});

describe('stats', () => {
  it('counts modules, symbols and slots, and lists the write-backs refused', () => {
    const app = (n: number) => `use lib.{pick}\n\nfn run() -> i64:\n    pick(${n}, 9)\n`;
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n', 'app.spl': app(3) });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'app.smf'));
    expect(loader.stats()).toMatchObject({ modules: 2, notWrittenBack: [] });
    expect(callSymbol(loader, 'run')).toBe(3n);
    const s = loader.stats();
    // `run`, and the instance `pick<i64>` its call made.
    expect([s.symbols, s.slotsInUse, s.jit.compiled]).toEqual([2, 2, 1]);
    writeFileSync(join(dir, 'app.spl'), app(4));
    compileToSmf(dir, ['app.spl']);
    const theirs = readFileSync(join(dir, 'app.smf'));
    loader.flushWrites();
    expect(readFileSync(join(dir, 'app.smf')).equals(theirs)).toBe(true);
    expect(loader.stats().notWrittenBack).toEqual(['the file changed on disk since it was loaded: its load-time instances are not written back']);
    loader.unload('app');
    expect(loader.stats()).toMatchObject({ modules: 1 });
  });
});

describe('options', () => {
  it("compiles a module's own code optimized by default, and not with 'dynamic' tiering", () => {
    const dir = workspace({ 'm.spl': 'fn sum(n: i64) -> i64:\n    var s = 0\n    for i in 0..n:\n        s = s + i\n    s\n' });
    compileToSmf(dir, ['m.spl']);
    const set: string[] = [];
    vi.spyOn(natives, 'setEngineFlags').mockImplementation((f: string) => void set.push(f));
    try {
      const dynamic = new ModuleLoader({ tiering: 'dynamic' });
      dynamic.load(join(dir, 'm.smf'));
      expect(callSymbol(dynamic, 'sum', 4n)).toBe(6n);
      expect(set).toEqual([]);
      const modules = new ModuleLoader();
      modules.load(join(dir, 'm.smf'));
      expect(callSymbol(modules, 'sum', 4n)).toBe(6n);
      expect(set).toContain('--no-liftoff');
      expect(set.at(-1)).toBe('--wasm-dynamic-tiering');
      set.length = 0;
      const optimized = new ModuleLoader({ tiering: 'optimized' });
      expect(set[0]).toBe('--no-liftoff');
      optimized.load(join(dir, 'm.smf'));
      expect(callSymbol(optimized, 'sum', 4n)).toBe(6n);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('gives the runtime its memory options and the JIT its own', () => {
    const loader = new ModuleLoader({ memory: { initialPages: 40, maximumPages: 50 } });
    expect(loader.runtime.memory.buffer.byteLength).toBe(40 * 65536);
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n' });
    compileToSmf(dir, ['lib.spl']);
    const off = new ModuleLoader({ enableJit: true, jit: { enabled: false } });
    off.load(join(dir, 'lib.smf'));
    expect(off.resolveSymbol('pick$i64').kind).toBe('not_found');
    expect(off.jit.config.enabled).toBe(false);
    const on = new ModuleLoader({ enableJit: false, jit: { enabled: true } });
    expect(on.jit.config.enabled).toBe(true);
  });
});

describe('limits', () => {
  it('flushes what the program printed at each slice of a timed call, before the call returns', () => {
    const dir = workspace({
      'm.spl': 'extern fn probe() -> i64\n\nfn run() -> i64:\n    print("early")\n    var s = 0\n    for i in 0..100000:\n        s = s + i\n    probe()\n',
    });
    compileToSmf(dir, ['m.spl']);
    const out = new TextCapture();
    let seen = '';
    const loader = new ModuleLoader({ output: out, limits: { timeoutMs: 60_000 }, host: { probe: () => ((seen = out.text), 0n) } });
    loader.load(join(dir, 'm.smf'));
    expect(callSymbol(loader, 'run')).toBe(0n);
    expect(seen).toBe('early\n');
  });
});
