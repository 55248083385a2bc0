// Issue #10, point 2: a reload without hotReload leaves no code of the old version reachable.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { callSymbol as call, compileToSmf, workspace } from './fixtures.js';

const lib = (op: string) => `fn max<T>(a: T, b: T) -> T:\n    if a ${op} b:\n        return a\n    b\n`;

describe('reload without hotReload and JIT-compiled instances', () => {
  it('instances of the old templates are dropped: every instance runs the new code', () => {
    const dir = workspace({ 'lib.spl': lib('>') });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(call(loader, 'max<f64>', 1.5, 2.5)).toBe(2.5);
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload('lib').kind).toBe('loaded');
    expect(call(loader, 'max<f64>', 1.5, 2.5)).toBe(1.5);
    expect(call(loader, 'max<i64>', 3n, 9n)).toBe(3n);
  });
});

describe('unload and reload drop the JIT instances that depend on the module', () => {
  it('an instance of another template that calls an old instance is compiled again, against the new code', () => {
    const dir = workspace({ 'lib.spl': lib('>'), 'wrap.spl': 'use lib.{max}\n\nfn best<T>(a: T, b: T) -> T:\n    max(a, b)\n' });
    compileToSmf(dir, ['lib.spl', 'wrap.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'wrap.smf')).kind).toBe('loaded');
    expect(call(loader, 'best<i64>', 3n, 9n)).toBe(9n);
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload('lib').kind).toBe('loaded');
    expect(call(loader, 'best<i64>', 3n, 9n)).toBe(3n);
    expect(loader.stats().jit.compiled).toBe(4);
  });

  it('a handle taken before the reload fails cleanly instead of running the old code', () => {
    const dir = workspace({ 'lib.spl': lib('>') });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'lib.smf'));
    const old = loader.resolveSymbol('max<f64>');
    if (old.kind !== 'jit') throw new Error(old.kind);
    expect(old.call(1.5, 2.5)).toBe(2.5);
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload('lib').kind).toBe('loaded');
    expect(() => old.call(1.5, 2.5)).toThrow(expect.objectContaining({ code: 'LOAD_NOT_LOADED' }));
  });

  it('after an unload, another module may define the instances the JIT had compiled', () => {
    const other = 'fn max<T>(a: T, b: T) -> T:\n    a\n\nfn first() -> i64:\n    max(3, 9)\n';
    const dir = workspace({ 'lib.spl': lib('>'), 'other.spl': other });
    compileToSmf(dir, ['lib.spl']);
    compileToSmf(dir, ['other.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'lib.smf'));
    expect(call(loader, 'max<i64>', 3n, 9n)).toBe(9n);
    expect(loader.unload('lib')).toBe(true);
    expect(loader.resolveSymbol('max<i64>').kind).toBe('not_found');
    const r = loader.load(join(dir, 'other.smf'));
    expect(r.kind === 'error' ? r.message : r.kind).toBe('loaded');
    expect(call(loader, 'max<i64>', 3n, 9n)).toBe(3n);
    expect(call(loader, 'first')).toBe(3n);
  });

  it('an instance whose type arguments name a struct of the unloaded module goes with it', () => {
    const dir = workspace({
      'lib.spl': 'fn id<T>(a: T) -> T:\n    a\n',
      'geo.spl': 'struct Pt:\n    x: i64\n\nfn mk(x: i64) -> Pt:\n    Pt(x: x)\n',
    });
    compileToSmf(dir, ['lib.spl', 'geo.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'lib.smf'));
    loader.load(join(dir, 'geo.smf'));
    expect(loader.resolveSymbol('id<i64>').kind).toBe('jit');
    expect(loader.resolveSymbol('id<[Pt]>').kind).toBe('jit');
    loader.unload('geo');
    expect([...loader.jit.cachedSymbols()].map(([s]) => s)).toEqual(['id$i64']);
  });
});
