/**
 * Hot reload (src/loader/reload-check.ts, hot-swap.ts): each change a reload refuses, with its
 * whole message, the ones it takes (a private function gone, a function added), and a live
 * instance of a reloaded template compiled again.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { LoadError } from '../../src/loader/errors.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { checkCompatible } from '../../src/loader/reload-check.js';
import { thrown } from '../thrown.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

function shape(source: string) {
  const dir = workspace({ 'm.spl': source });
  const [c] = new CompileSession().compileFiles([join(dir, 'm.spl')]);
  return { path: join(dir, 'm.smf'), structs: c.declared.structs, fns: c.declared.fns };
}

function refusal(before: string, after: string): LoadError {
  const next = shape(after);
  const e = thrown(() => checkCompatible(shape(before), next), LoadError);
  expect(e.code).toBe('LOAD_SIGNATURE_CHANGED');
  expect(e.file).toBe(next.path);
  return e;
}

const msg = (e: LoadError) => e.message.slice(e.file!.length + 2);

describe('checkCompatible', () => {
  it('takes the same shapes, a private function removed, and new functions and structs', () => {
    const base = 'struct P:\n    x: i64\n\nfn _h() -> i64:\n    1\n\nfn f(a: i64) -> i64:\n    a\n';
    checkCompatible(shape(base), shape(base.replace('    a\n', '    a + 1\n')));
    checkCompatible(shape(base), shape('struct P:\n    x: i64\n\nfn f(a: i64) -> i64:\n    a\n\nfn g() -> i64:\n    2\n\nstruct Q:\n    y: i64\n'));
  });

  it('refuses an exported function removed, naming it', () => {
    const e = refusal('fn f() -> i64:\n    1\n\nfn g() -> i64:\n    2\n', 'fn f() -> i64:\n    1\n');
    expect(msg(e)).toBe("reload refused: function 'g' was removed; the old code keeps running");
    expect(e.symbol).toBe('g');
  });

  it('refuses each change of a signature: parameters, result, type parameters, receiver', () => {
    expect(msg(refusal('fn f(a: i64, b: i64) -> i64:\n    a\n', 'fn f(a: i64, b: f64) -> i64:\n    a\n'))).toBe(
      "reload refused: the signature of 'f' changed from (i64, i64) -> i64 to (i64, f64) -> i64; the old code keeps running",
    );
    expect(msg(refusal('fn f(a: i64) -> i64:\n    a\n', 'fn f(a: i64, b: i64) -> i64:\n    a\n'))).toBe(
      "reload refused: the signature of 'f' changed from (i64) -> i64 to (i64, i64) -> i64; the old code keeps running",
    );
    expect(msg(refusal('fn f() -> i64:\n    1\n', 'fn f() -> bool:\n    true\n'))).toContain('from () -> i64 to () -> bool');
    // The same printed signature, other type parameters.
    const tp = refusal('fn f<T>(a: i64) -> i64:\n    a\n', 'fn f<U>(a: i64) -> i64:\n    a\n');
    expect(msg(tp)).toBe("reload refused: the signature of 'f' changed from (i64) -> i64 to (i64) -> i64; the old code keeps running");
    const recv = refusal('struct P:\n    x: i64\n\nimpl P:\n    fn get() -> i64:\n        self.x\n', 'struct P:\n    x: i64\n\nimpl P:\n    me get() -> i64:\n        self.x\n');
    expect(msg(recv)).toMatch(/^reload refused: the signature of '.*get.*' changed from \(\) -> i64 to \(\) -> i64; the old code keeps running$/);
  });

  it('refuses a struct removed or laid out otherwise: a field, its type, its type parameters', () => {
    const p = 'struct P:\n    x: i64\n    y: i64\n';
    expect(msg(refusal(p, 'struct Q:\n    x: i64\n'))).toBe("reload refused: struct 'P' changed from <>{x: i64, y: i64} to nothing; values of it live on the heap; the old code keeps running");
    expect(msg(refusal(p, 'struct P:\n    x: i64\n    y: f64\n'))).toBe(
      "reload refused: struct 'P' changed from <>{x: i64, y: i64} to <>{x: i64, y: f64}; values of it live on the heap; the old code keeps running",
    );
    expect(msg(refusal(p, 'struct P:\n    x: i64\n    z: i64\n'))).toContain('to <>{x: i64, z: i64}');
    expect(msg(refusal('struct B<T>:\n    v: T\n', 'struct B<U>:\n    v: U\n'))).toContain("struct 'B' changed from <T>{v: T} to <U>{v: U}");
    expect(refusal(p, 'struct Q:\n    x: i64\n').symbol).toBe('P');
  });
});

describe('the swap', () => {
  it('gives a new function a slot, and compiles a live instance of a changed template again', () => {
    const lib = (body: string, extra = '') => `fn pick<T>(a: T, b: T) -> T:\n    ${body}\n${extra}`;
    const dir = workspace({ 'lib.spl': lib('a'), 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(callSymbol(loader, 'run')).toBe(3n);
    const inst = loader.symbols.lookup('pick$i64');
    expect(inst?.version).toBe(1);
    writeFileSync(join(dir, 'lib.spl'), lib('b', '\nfn extra() -> i64:\n    7\n'));
    compileToSmf(dir, ['lib.spl']);
    const slots = loader.stats().slotsInUse;
    expect(loader.reload('lib')).toMatchObject({ kind: 'loaded', module: { version: 2 } });
    expect(callSymbol(loader, 'run')).toBe(9n);
    expect(loader.symbols.lookup('pick$i64')).toMatchObject({ version: 2, slot: inst!.slot });
    expect(callSymbol(loader, 'extra')).toBe(7n);
    expect(loader.stats().slotsInUse).toBe(slots + 1);
  });

  it('refuses a template removed while an instance of it is in use, and keeps the old code', () => {
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n\nfn one() -> i64:\n    1\n', 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(callSymbol(loader, 'run')).toBe(3n);
    const slots = loader.stats().slotsInUse;
    writeFileSync(join(dir, 'lib.spl'), 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n');
    compileToSmf(dir, ['lib.spl']);
    const r = loader.reload('lib');
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.message).toBe(`${join(dir, 'lib.smf')}: reload refused: function 'pick' was removed; the old code keeps running`);
    expect(callSymbol(loader, 'run')).toBe(3n);
    expect(loader.stats().slotsInUse).toBe(slots);
    expect(loader.resolveSymbol('two').kind).toBe('not_found');
  });

  it('refuses a private template removed while an instance of it is in use', () => {
    const dir = workspace({
      'lib.spl': 'fn _first<T>(a: T, b: T) -> T:\n    a\n\nfn pick<T>(a: T, b: T) -> T:\n    _first(a, b)\n',
      'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(3, 9)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(callSymbol(loader, 'run')).toBe(3n);
    const slots = loader.stats().slotsInUse;
    writeFileSync(join(dir, 'lib.spl'), 'fn pick<T>(a: T, b: T) -> T:\n    b\n\nfn two() -> i64:\n    2\n');
    compileToSmf(dir, ['lib.spl']);
    const r = loader.reload('lib');
    expect(r).toMatchObject({ kind: 'error', message: `${join(dir, 'lib.smf')}: template '_first' was removed, but '_first<i64>' is in use` });
    expect(r.kind === 'error' && r.error).toMatchObject({ code: 'LOAD_SIGNATURE_CHANGED', symbol: '_first$i64' });
    expect(callSymbol(loader, 'run')).toBe(3n);
    // The function the failed swap added is gone again, with its slot.
    expect(loader.stats().slotsInUse).toBe(slots);
    expect(loader.resolveSymbol('two').kind).toBe('not_found');
  });
});

describe('a swap refused while it runs', () => {
  it('refuses a new definition that clashes with another module, and the old ones come back', () => {
    const dir = workspace({ 'a.spl': 'fn taken() -> i64:\n    1\n', 'lib.spl': 'fn f() -> i64:\n    1\n' });
    compileToSmf(dir, ['a.spl']);
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'a.smf'));
    loader.load(join(dir, 'lib.smf'));
    writeFileSync(join(dir, 'lib.spl'), 'fn f() -> i64:\n    2\n\nfn taken() -> i64:\n    3\n');
    compileToSmf(dir, ['lib.spl']);
    const r = loader.reload('lib');
    expect(r).toMatchObject({ kind: 'error', message: `${join(dir, 'lib.smf')}: 'taken' is defined by both 'a' and 'lib'` });
    expect(callSymbol(loader, 'f')).toBe(1n);
    expect(callSymbol(loader, 'taken')).toBe(1n);
    expect(loader.env.fn('f')?.module).toBe('lib');
  });

  it('refuses a new template that does not instantiate at a live instance\'s types', () => {
    const dir = workspace({
      'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n',
      'app.spl': 'use lib.{pick}\n\nstruct P:\n    v: i64\n\nfn run() -> i64:\n    pick(P(v: 3), P(v: 9)).v\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(callSymbol(loader, 'run')).toBe(3n);
    // `P` has no `>`: the new body cannot be instantiated at P.
    writeFileSync(join(dir, 'lib.spl'), 'fn pick<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n');
    compileToSmf(dir, ['lib.spl']);
    const r = loader.reload('lib');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.error).toMatchObject({ code: 'LOAD_INSTANTIATE', symbol: 'pick$P' });
    expect(r.kind === 'error' && r.message.startsWith(`${join(dir, 'lib.smf')}: the new template does not instantiate: `)).toBe(true);
    expect(callSymbol(loader, 'run')).toBe(3n);
  });
});
