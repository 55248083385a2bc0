import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { callSymbol as call, compileToSmf, workspace } from './fixtures.js';

const counter = (body: string, ret = 'i64') => `fn value() -> ${ret}:\n    ${body}\n`;
const DRIVER = `
use counter.{value}

extern fn tick(i: i64)

fn run(n: i64) -> i64:
    var total = 0
    for i in 0..n:
        tick(i)
        total += value()
    total
`;

describe('hot reload', () => {
  it('swaps a module during a loop of 10,000 calls from another module without losing a call', () => {
    const dir = workspace({ 'counter.spl': counter('1'), 'driver.spl': DRIVER });
    compileToSmf(dir, ['counter.spl', 'driver.spl']);
    const reloads: string[] = [];
    let loader!: ModuleLoader;
    loader = new ModuleLoader({
      hotReload: true,
      host: {
        tick: (i: bigint) => {
          if (i !== 5000n) return;
          writeFileSync(join(dir, 'counter.spl'), counter('2'));
          compileToSmf(dir, ['counter.spl']);
          reloads.push(loader.reload(join(dir, 'counter.smf')).kind);
        },
      },
    });
    expect(loader.load(join(dir, 'driver.smf')).kind).toBe('loaded');
    const value = loader.resolveSymbol('value');
    expect(call(loader, 'run', 10_000n)).toBe(5000n * 1n + 5000n * 2n);
    expect(reloads).toEqual(['loaded']);
    expect(value.kind === 'found' && value.version).toBe(2);
    expect(loader.getModule('counter')?.version).toBe(2);
    // A handle taken before the reload runs the new code too: it calls through the same slot.
    expect(value.kind === 'found' && value.call()).toBe(2n);
  });

  it('refuses a changed signature and keeps the old code running', () => {
    const dir = workspace({ 'counter.spl': counter('1'), 'driver.spl': DRIVER });
    compileToSmf(dir, ['counter.spl', 'driver.spl']);
    const loader = new ModuleLoader({ hotReload: true, host: { tick: () => undefined } });
    loader.load(join(dir, 'driver.smf'));
    writeFileSync(join(dir, 'counter.spl'), counter('2.5', 'f64'));
    compileToSmf(dir, ['counter.spl']);
    const r = loader.reload(join(dir, 'counter.smf'));
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/signature of 'value' changed from \(\) -> i64 to \(\) -> f64/) });
    expect(call(loader, 'run', 3n)).toBe(3n);
    expect(loader.getModule('counter')?.version).toBe(1);
  });

  it('re-instantiates live instances of a changed template in the same step', () => {
    const lib = (factor: number) => `fn scale<T>(x: T) -> T:\n    x * ${factor}\n`;
    const dir = workspace({
      'lib.spl': lib(2),
      'app.spl': 'use lib.{scale}\n\nfn go(x: i64) -> i64:\n    scale(x)\n\nfn go_f(x: f64) -> f64:\n    scale(x)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(call(loader, 'go', 5n)).toBe(10n);
    expect(call(loader, 'go_f', 1.5)).toBe(3);
    expect(loader.stats().jit.compiled).toBe(2);
    writeFileSync(join(dir, 'lib.spl'), lib(3));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(call(loader, 'go', 5n)).toBe(15n);
    expect(call(loader, 'go_f', 1.5)).toBe(4.5);
    const instance = loader.resolveSymbol('scale<i64>');
    expect(instance.kind === 'found' && instance.version).toBe(2);
  });

  it('refuses a template change that no longer instantiates, keeping everything as it was', () => {
    const dir = workspace({
      'lib.spl': 'fn scale<T>(x: T) -> T:\n    x * 2\n',
      'app.spl': 'use lib.{scale}\n\nfn go(x: bool) -> bool:\n    not x\n\nfn go2(x: i64) -> i64:\n    scale(x)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(call(loader, 'go2', 4n)).toBe(8n);
    writeFileSync(join(dir, 'lib.spl'), 'fn scale<T>(x: T) -> T:\n    x.missing()\n');
    compileToSmf(dir, ['lib.spl']);
    const r = loader.reload(join(dir, 'lib.smf'));
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/does not instantiate.*'i64' has no method 'missing'/) });
    expect(call(loader, 'go2', 4n)).toBe(8n);
  });

  it('without hotReload, reload is an unload and a load', () => {
    const dir = workspace({ 'counter.spl': counter('1') });
    compileToSmf(dir, ['counter.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'counter.smf'));
    writeFileSync(join(dir, 'counter.spl'), counter('7'));
    compileToSmf(dir, ['counter.spl']);
    expect(loader.reload('counter').kind).toBe('loaded');
    expect(call(loader, 'value')).toBe(7n);
  });
});

describe('hot reload of a template module, its callers not yet installed', () => {
  it('a caller installed after the reload runs the new template, not the instance compiled into it', () => {
    const lib = (op: string) => `fn pick<T>(a: T, b: T) -> T:\n    if a ${op} b:\n        return a\n    b\n`;
    const dir = workspace({ 'lib.spl': lib('>'), 'user.spl': 'use lib.{pick}\n\nfn best() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'user.spl']);
    const loader = new ModuleLoader({ hotReload: true });
    expect(loader.load(join(dir, 'user.smf')).kind).toBe('loaded');
    // The largest before the edit, the smallest after; `user` is not used (not installed) until after.
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(call(loader, 'best')).toBe(3n);
  });
});
