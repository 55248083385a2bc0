/**
 * Calls across the loader's boundary (src/loader/callable.ts, installer.ts, module-registry.ts):
 * a callable's refusals with their messages, its version across a hot reload, host functions
 * (values both ways, an error thrown in one), and which module's note answers for a possible
 * instantiation.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { LoadError } from '../../src/loader/errors.js';
import { SimpleTrap } from '../../src/runtime/trap.js';
import { compileToSmf, workspace } from './fixtures.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing thrown');
}

function call(loader: ModuleLoader, name: string, ...args: unknown[]): unknown {
  const r = loader.resolveSymbol(name);
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.call(...args);
}

describe('callable symbols', () => {
  it('refuses a call with the wrong number of arguments, and one after an unload, naming the function', () => {
    const dir = workspace({ 'lib.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n\nfn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    const twice = loader.resolveSymbol('twice');
    if (twice.kind !== 'found') throw new Error(twice.kind);
    const e = thrown(() => twice.call(1n, 2n));
    expect(e).toBeInstanceOf(LoadError);
    expect(e).toMatchObject({ code: 'LOAD_SIGNATURE_CHANGED', symbol: 'twice', message: "'twice' takes 1 argument(s), given 2" });
    expect(thrown(() => twice.call())).toMatchObject({ message: "'twice' takes 1 argument(s), given 0" });
    const max = loader.resolveSymbol('max$i64');
    if (max.kind !== 'jit') throw new Error(max.kind);
    expect(thrown(() => max.call(1n))).toMatchObject({ message: "'max<i64>' takes 2 argument(s), given 1" });
    expect(max.call(3n, 9n)).toBe(9n);
    loader.unload('lib');
    expect(thrown(() => twice.call(1n))).toMatchObject({ code: 'LOAD_NOT_LOADED', message: "'twice' is no longer loaded" });
    expect(thrown(() => max.call(1n, 2n))).toMatchObject({ code: 'LOAD_NOT_LOADED', message: "'max<i64>' is no longer loaded" });
  });

  it('keeps its slot across a hot reload, and its version counts the reloads', () => {
    const dir = workspace({ 'lib.spl': 'fn f() -> i64:\n    1\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ hotReload: true });
    loader.load(join(dir, 'lib.smf'));
    const f = loader.resolveSymbol('f');
    if (f.kind !== 'found') throw new Error(f.kind);
    expect(f.version).toBe(1);
    writeFileSync(join(dir, 'lib.spl'), 'fn f() -> i64:\n    2\n');
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload('lib').kind).toBe('loaded');
    expect(f.version).toBe(2);
    expect(f.call()).toBe(2n);
    expect(loader.getModule('lib')?.version).toBe(2);
    expect(loader.resolveSymbol('f')).toMatchObject({ kind: 'found', slot: f.slot });
  });
});

describe('host functions', () => {
  it('converts values both ways, and turns an error thrown by the host into a trap naming it', () => {
    const dir = workspace({
      'h.spl': 'extern fn shout(s: text) -> text\nextern fn fail(n: i64) -> i64\n\nfn hello(name: text) -> text:\n    shout("hi " + name)\n\nfn boom() -> i64:\n    fail(3) + 1\n',
    });
    compileToSmf(dir, ['h.spl']);
    const seen: unknown[] = [];
    const loader = new ModuleLoader({
      host: {
        shout: (s: string) => (seen.push(s), s.toUpperCase()),
        fail: (n: bigint) => {
          throw new Error(`no ${n}`);
        },
      },
    });
    expect(loader.load(join(dir, 'h.smf')).kind).toBe('loaded');
    expect(call(loader, 'hello', 'bo')).toBe('HI BO');
    expect(seen).toEqual(['hi bo']);
    const trap = thrown(() => call(loader, 'boom'));
    expect(trap).toBeInstanceOf(SimpleTrap);
    expect(trap).toMatchObject({ kind: 'HostError', details: { hostFunction: 'fail', message: 'no 3' } });
  });
});

describe('possible instantiations', () => {
  it('answers from the note of a module that calls the instance, whichever loaded first', () => {
    const dir = workspace({
      'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a.key() > b.key():\n        return a\n    b\n',
      'plain.spl': 'fn one() -> i64:\n    1\n',
      'plugin.spl': 'use lib.{max}\n\nstruct P:\n    v: i64\n\nimpl P:\n    fn key() -> i64:\n        self.v\n\nfn best() -> i64:\n    max(P(v: 4), P(v: 9)).v\n',
    });
    compileToSmf(dir, ['lib.spl', 'plain.spl', 'plugin.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'plain.smf'));
    loader.load(join(dir, 'plugin.smf'));
    expect(call(loader, 'best')).toBe(9n);
    expect(loader.stats().jit.compiled).toBe(1);
    // Unloading the plugin takes the instance of its struct with it.
    loader.unload('plugin');
    expect([...loader.jit.cachedSymbols()]).toEqual([]);
    expect(loader.isLoaded('lib')).toBe(true);
  });
});
