/**
 * What ModuleLoader (src/loader/module-loader.ts, installer.ts, module-registry.ts) refuses
 * while loading, each with its whole message, and what a refused load leaves behind (nothing):
 * import cycles, a module name or symbol loaded twice, missing imports (with the hint to compile
 * the source), undefined symbols, clashes; and the answers of the lifecycle calls for modules
 * that are not loaded.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { LoadResult } from '../../src/loader/module-loader.js';
import { LoadError } from '../../src/loader/errors.js';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { compileToSmf, workspace } from './fixtures.js';

function refused(r: LoadResult): LoadError {
  if (r.kind !== 'error') throw new Error(`expected an error, got ${r.kind}`);
  expect(r.error).toBeInstanceOf(LoadError);
  return r.error as LoadError;
}

describe('ModuleLoader: refused loads', () => {
  it('names an import cycle by its files', () => {
    const dir = workspace({ 'a.spl': 'use b.{bee}\n\nfn ay() -> i64:\n    bee()\n', 'b.spl': 'fn bee() -> i64:\n    2\n' });
    compileToSmf(dir, ['a.spl', 'b.spl']);
    // A b that imports a, compiled elsewhere (the compiler refuses a cycle) and put beside a: a cycle on disk.
    const other = workspace({ 'a.spl': 'fn ay() -> i64:\n    1\n', 'b.spl': 'use a.{ay}\n\nfn bee() -> i64:\n    ay()\n' });
    compileToSmf(other, ['a.spl', 'b.spl']);
    writeFileSync(join(dir, 'b.smf'), readFileSync(join(other, 'b.smf')));
    const loader = new ModuleLoader();
    const e = refused(loader.load(join(dir, 'a.smf')));
    expect(e).toMatchObject({ code: 'LOAD_MISSING_MODULE', message: expect.stringContaining(`import cycle: ${join(dir, 'a.smf')} -> ${join(dir, 'b.smf')} -> ${join(dir, 'a.smf')}`) });
    expect(loader.stats()).toMatchObject({ modules: 0, symbols: 0, slotsInUse: 0 });
  });

  it('refuses a second module of the same name, saying where the first came from', () => {
    const one = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n' });
    const two = workspace({ 'lib.spl': 'fn two() -> i64:\n    2\n' });
    compileToSmf(one, ['lib.spl']);
    compileToSmf(two, ['lib.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(one, 'lib.smf')).kind).toBe('loaded');
    const e = refused(loader.load(join(two, 'lib.smf')));
    expect(e).toMatchObject({ code: 'LOAD_DUPLICATE_SYMBOL', message: expect.stringContaining(`a module named 'lib' is already loaded from ${join(one, 'lib.smf')}`) });
    expect(loader.stats().modules).toBe(1);
  });

  it('names a missing import, with the command to compile its source when the source is there', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n', 'app.spl': 'use lib.{one}\n\nfn run() -> i64:\n    one()\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    rmSync(join(dir, 'lib.smf'));
    const hinted = refused(new ModuleLoader().load(join(dir, 'app.smf')));
    expect(hinted).toMatchObject({
      code: 'LOAD_MISSING_MODULE',
      message: expect.stringContaining(`imported module 'lib' not found (looked for lib.smf); compile its source first: smf compile ${join(dir, 'lib.spl')}`),
    });
    rmSync(join(dir, 'lib.spl'));
    const bare = refused(new ModuleLoader().load(join(dir, 'app.smf')));
    expect(bare.message).toContain("imported module 'lib' not found (looked for lib.smf)");
    expect(bare.message).not.toContain('compile its source');
  });

  it('loads an import once when two modules import it', () => {
    const dir = workspace({
      'base.spl': 'fn b() -> i64:\n    1\n',
      'left.spl': 'use base.{b}\n\nfn l() -> i64:\n    b() + 1\n',
      'app.spl': 'use base.{b}\nuse left.{l}\n\nfn run() -> i64:\n    b() + l()\n',
    });
    compileToSmf(dir, ['base.spl', 'left.spl', 'app.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(loader.loadedModules().map((m) => m.name).sort()).toEqual(['app', 'base', 'left']);
    const run = loader.resolveSymbol('run');
    expect(run.kind === 'found' && run.call()).toBe(3n);
  });

  it('refuses a module that calls what no loaded module defines, naming where it is called', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n', 'app.spl': 'use lib.{two}\n\nfn run() -> i64:\n    two()\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    writeFileSync(join(dir, 'lib.spl'), 'fn one() -> i64:\n    1\n');
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    const e = refused(loader.load(join(dir, 'app.smf')));
    expect(e).toMatchObject({ code: 'LOAD_UNDEFINED_SYMBOL', symbol: 'two', message: expect.stringMatching(/undefined symbol 'two' \(used at .*app\.spl:4:5\)/) });
    expect(e.file).toBe(join(dir, 'app.smf'));
    // lib stays loaded; nothing of app does.
    expect(loader.loadedModules().map((m) => m.name)).toEqual(['lib']);
    expect(loader.isLoaded('app')).toBe(false);
    expect(loader.stats().slotsInUse).toBe(0);
  });

  it('refuses a second definition of a function, and leaves the first module as it was', () => {
    const dir = workspace({ 'a.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n', 'b.spl': 'fn twice(x: i64) -> i64:\n    x + x\n\nfn other() -> i64:\n    1\n' });
    // Compiled apart: together the compiler refuses the clash itself.
    compileToSmf(dir, ['a.spl']);
    compileToSmf(dir, ['b.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'a.smf')).kind).toBe('loaded');
    const e = refused(loader.load(join(dir, 'b.smf')));
    expect(e).toMatchObject({ code: 'LOAD_DUPLICATE_SYMBOL', message: expect.stringContaining("'twice' is defined by both 'a' and 'b'") });
    expect(loader.resolveSymbol('other').kind).toBe('not_found');
    expect(loader.env.fn('other')).toBeUndefined();
    const twice = loader.resolveSymbol('twice');
    expect(twice.kind === 'found' && twice.call(4n)).toBe(8n);
  });

  it('releases every slot of a module whose eager install failed, and loads it once it can', () => {
    const dir = workspace({ 'h.spl': 'extern fn tick() -> i64\n\nfn twice(x: i64) -> i64:\n    x * 2\n\nfn run() -> i64:\n    tick() + twice(1)\n' });
    compileToSmf(dir, ['h.spl']);
    const without = new ModuleLoader({ lazy: false });
    const e = refused(without.load(join(dir, 'h.smf')));
    expect(e).toMatchObject({ code: 'LOAD_MISSING_HOST_FUNCTION', message: expect.stringContaining("the host does not provide extern fn 'tick' (declared in module 'h')") });
    expect(without.stats()).toMatchObject({ modules: 0, symbols: 0, slotsInUse: 0 });
    const withTick = new ModuleLoader({ lazy: false, host: { tick: () => 40n } });
    expect(withTick.load(join(dir, 'h.smf')).kind).toBe('loaded');
    const run = withTick.resolveSymbol('run');
    expect(run.kind === 'found' && run.call()).toBe(42n);
  });
});

describe('ModuleLoader: asking about modules', () => {
  it('finds a loaded module by name or by file, and answers for one that is not loaded', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    expect(loader.isLoaded('lib')).toBe(true);
    expect(loader.isLoaded(join(dir, 'lib.smf'))).toBe(true);
    expect(loader.getModule('lib')).toMatchObject({ name: 'lib', path: join(dir, 'lib.smf'), version: 1, members: ['lib'] });
    expect(loader.isLoaded('nope')).toBe(false);
    expect(loader.unload('nope')).toBe(false);
    const r = loader.reload('nope');
    expect(r).toMatchObject({ kind: 'error', message: "'nope' is not loaded" });
    expect(refused(r).code).toBe('LOAD_NOT_LOADED');
    expect(loader.unload(join(dir, 'lib.smf'))).toBe(true);
    expect(loader.isLoaded('lib')).toBe(false);
    expect(loader.stats()).toMatchObject({ modules: 0, symbols: 0 });
  });

  it('resolves a generic at explicit type arguments, and says how many it takes', () => {
    const dir = workspace({ 'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn twice(x: i64) -> i64:\n    x * 2\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    expect(loader.resolveGeneric('max', ['i64', 'i64'])).toEqual({ kind: 'error', name: 'max', message: "type argument count mismatch: 'max' takes 1, given 2" });
    expect(loader.resolveGeneric('nope', ['i64'])).toEqual({ kind: 'not_found', name: 'nope' });
    const max = loader.resolveGeneric('max', ['f64']);
    expect(max.kind === 'jit' && max.call(1.5, 2.5)).toBe(2.5);
    const twice = loader.resolveGeneric('twice', []);
    expect(twice.kind === 'found' && twice.call(3n)).toBe(6n);
    expect(loader.resolveGeneric('max', ['not a type (']).kind).toBe('error');
  });

  it('loads a module compiled in this process once', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n' });
    const [compiled] = new CompileSession().compileFiles([join(dir, 'lib.spl')]);
    const loader = new ModuleLoader();
    expect(loader.loadCompiled(compiled).kind).toBe('loaded');
    expect(loader.loadCompiled(compiled)).toMatchObject({ kind: 'already_loaded', module: { name: 'lib' } });
  });

  it('finds an import in a module path folder when it is not beside the importer', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n', 'app.spl': 'use lib.{one}\n\nfn run() -> i64:\n    one() + 1\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const elsewhere = join(dir, 'libs');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'lib.smf'), readFileSync(join(dir, 'lib.smf')));
    rmSync(join(dir, 'lib.smf'));
    const loader = new ModuleLoader({ modulePaths: [elsewhere] });
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(loader.getModule('lib')?.path).toBe(join(elsewhere, 'lib.smf'));
  });
});
