import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_JIT_CONFIG, JitInstantiator } from '../../src/loader/jit-instantiator.js';
import type { JitServices } from '../../src/loader/jit-instantiator.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { CompilerContext } from '../../src/compiler/context.js';
import { compileToSmf, workspace } from './fixtures.js';
import { jitFor } from './jit-fixture.js';

const GENERICS = `
fn id<T>(x: T) -> T:
    x

fn grow<T>(x: T, n: i64) -> i64:
    if n == 0:
        return 0
    grow((x, x), n - 1)

fn even<T>(x: T, n: i64) -> bool:
    if n == 0:
        return true
    odd(x, n - 1)

fn odd<T>(x: T, n: i64) -> bool:
    if n == 0:
        return false
    even(x, n - 1)
`;


describe('JitInstantiator', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_JIT_CONFIG).toEqual({ enabled: true, maxDepth: 50, maxInstantiations: 100_000, updateSmf: true, verbose: false, perCall: true });
    const { jit } = jitFor(GENERICS);
    expect(jit.config).toEqual(DEFAULT_JIT_CONFIG);
  });

  it('compiles an instance, then answers from its cache', () => {
    const { jit, services } = jitFor(GENERICS);
    const r = jit.tryJitInstantiate('id<i64>');
    expect(r).toMatchObject({ kind: 'success', symbol: 'id$i64', cached: false });
    const fn = services.exec.get(services.symbols.lookup('id$i64')!.slot)!;
    expect(fn(41n)).toBe(41n);
    expect(jit.tryJitInstantiate('id$i64')).toMatchObject({ kind: 'success', cached: true });
    expect(jit.stats()).toMatchObject({ compiled: 1, cacheHits: 1, failures: 0 });
  });

  it('checks in order: disabled first', () => {
    const { jit } = jitFor(GENERICS, {}, { enabled: false });
    expect(jit.tryJitInstantiate('id<i64>')).toEqual({ kind: 'not_found', symbol: 'id$i64' });
  });

  it('is not found when there is neither a possible entry nor a template', () => {
    const { jit } = jitFor(GENERICS);
    expect(jit.tryJitInstantiate('nothing<i64>')).toEqual({ kind: 'not_found', symbol: 'nothing$i64' });
  });

  it('reports a possible entry whose template is not loaded', () => {
    const { jit } = jitFor(GENERICS, { findPossible: () => ({ module: 'app', template: 'gone' }) });
    expect(jit.tryJitInstantiate('gone<i64>')).toMatchObject({ kind: 'error', message: expect.stringMatching(/listed as possible by module 'app'.*'gone'/) });
  });

  it('stops an instantiation that never ends at the depth limit, with the exact message', () => {
    const { jit } = jitFor(GENERICS, {}, { maxDepth: 8 });
    const r = jit.tryJitInstantiate('grow<i64>');
    expect(r.kind).toBe('error');
    // The chain goes round `grow`: an instantiation cycle, said as the linker says it.
    expect(r.kind === 'error' && r.message).toMatch(
      /g\.spl:8:5: instantiation cycle \(E0420\) grow->grow: 'grow<T>' instantiates itself with ever larger type arguments, without end: grow<i64> -> grow<\(i64, i64\)> -> grow<\(\(i64, i64\), \(i64, i64\)\)> -> … \(Maximum JIT depth \(8\) exceeded\)$/,
    );
    expect(r.kind === 'error' && r.error).toMatchObject({ code: 'E0420', cyclePath: 'grow->grow', symbol: 'grow$i64' });
    expect(jit.stats().compiled).toBe(0);
  });

  it('accepts a chain of instantiations exactly maxDepth deep and refuses one level more', () => {
    // c1<T> needs c2<T> needs … c5<T>: instantiating c1<i64> nests five levels deep.
    const K = 5;
    const src = Array.from({ length: K }, (_, i) =>
      i + 1 < K ? `fn c${i + 1}<T>(x: T) -> i64:\n    c${i + 2}(x) + 1\n` : `fn c${i + 1}<T>(x: T) -> i64:\n    1\n`,
    ).join('\n');
    for (const maxDepth of [K, K + 1]) {
      const { jit, services } = jitFor(src, {}, { maxDepth });
      expect(jit.tryJitInstantiate('c1<i64>')).toMatchObject({ kind: 'success', symbol: 'c1$i64', cached: false });
      expect(jit.stats()).toMatchObject({ compiled: K, failures: 0 });
      const c1 = services.exec.get(services.symbols.lookup('c1$i64')!.slot)!;
      expect(c1(7n)).toBe(BigInt(K));
    }
    for (const maxDepth of [K - 1, K - 2]) {
      const { jit, services } = jitFor(src, {}, { maxDepth });
      const r = jit.tryJitInstantiate('c1<i64>');
      // The level refused is the first one past maxDepth: the chain it names is maxDepth + 1 long.
      const chain = Array.from({ length: maxDepth + 1 }, (_, i) => `c${i + 1}<i64>`).join(' -> ');
      expect(r).toEqual({ kind: 'error', symbol: 'c1$i64', message: `Maximum JIT depth (${maxDepth}) exceeded while instantiating ${chain} -> …` });
      expect(jit.stats().compiled).toBe(0);
      expect(services.symbols.lookup('c1$i64')).toBeUndefined();
    }
  });

  it('links mutually recursive instances through their reserved slots', () => {
    const { jit, services } = jitFor(GENERICS);
    expect(jit.tryJitInstantiate('even<bool>')).toMatchObject({ kind: 'success' });
    const even = services.exec.get(services.symbols.lookup('even$bool')!.slot)!;
    expect(even(1, 10n)).toBe(1);
    expect(even(1, 7n)).toBe(0);
    expect(jit.stats().compiled).toBe(2);
  });

  it('reports a symbol already in progress as a circular dependency with its path', () => {
    const { jit, services } = jitFor(GENERICS);
    const real = services.context;
    const nested: unknown[] = [];
    let calls = 0;
    // An inference that needs its own result: asking for a symbol while it is being instantiated.
    (services as { context: unknown }).context = {
      instantiate: (fn: Parameters<CompilerContext['instantiate']>[0], args: Parameters<CompilerContext['instantiate']>[1]) => {
        calls++;
        if (calls === 1) nested.push(jit.tryJitInstantiate('id<text>'));
        else if (calls === 2) nested.push(jit.tryJitInstantiate('id<i64>'));
        return real.instantiate(fn, args);
      },
    };
    jit.tryJitInstantiate('id<i64>');
    expect(nested[0]).toEqual({ kind: 'circular', symbol: 'id$i64', cycle: ['id$i64', 'id$text', 'id$i64'] });
  });

  it('stops at the instantiation limit', () => {
    const { jit } = jitFor(GENERICS, {}, { maxInstantiations: 1 });
    expect(jit.tryJitInstantiate('id<i64>').kind).toBe('success');
    expect(jit.tryJitInstantiate('id<f64>')).toMatchObject({ kind: 'error', message: expect.stringMatching(/instantiation limit \(1\)/) });
  });

  it('reports an instance that does not type-check, naming the template and its location', () => {
    const { jit } = jitFor('fn neg<T>(x: T) -> T:\n    -x\n');
    const r = jit.tryJitInstantiate('neg<text>');
    expect(r.kind === 'error' && r.message).toMatch(/cannot instantiate 'neg<text>'.*g\.spl:2:5/);
    expect(jit.stats().failures).toBe(1);
  });

  it('records timing for each instantiation', () => {
    const dir = workspace({ 'g.spl': GENERICS });
    compileToSmf(dir, ['g.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'g.smf'));
    loader.resolveSymbol('id<i64>');
    loader.resolveSymbol('id<u8>');
    expect(loader.stats().jit.timesUs).toHaveLength(2);
    expect(loader.stats().jit.timesUs.every((t) => t > 0)).toBe(true);
  });
});
