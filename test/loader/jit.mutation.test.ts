/**
 * The load-time JIT (src/loader/jit-instantiator.ts) at its edges: first-call stubs and what a
 * failed first call leaves, the limits (depth, type nodes, instantiations) at the exact value,
 * the messages of failures nested in a chain, the statistics, and what `dropWith` forgets.
 * Every JIT is built inside its test: code run while the file is collected sees no mutant.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { JitServices, LeavingModule } from '../../src/loader/jit-instantiator.js';
import { LoadError } from '../../src/loader/errors.js';
import { CompilerContext } from '../../src/compiler/context.js';
import type { Instance } from '../../src/compiler/context.js';
import { RELOC_SECTION } from '../../src/compiler/lower/unit-abi.js';
import { natives } from '../../src/platform/index.js';
import { jitFor } from './jit-fixture.js';

afterEach(() => {
  vi.restoreAllMocks();
});


/** `c1<T>` requires `c2<T>` … requires `cK<T>`: instantiating `c1<i64>` nests K levels deep. */
function chain(k: number): string {
  return Array.from({ length: k }, (_, i) => (i + 1 < k ? `fn c${i + 1}<T>(x: T) -> i64:\n    c${i + 2}(x) + 1\n` : `fn c${i + 1}<T>(x: T) -> i64:\n    1\n`)).join('\n');
}

const ID = 'fn id<T>(x: T) -> T:\n    x\n';

function call(services: JitServices, symbol: string, ...args: unknown[]): unknown {
  return services.exec.get(services.symbols.lookup(symbol)!.slot)!(...args);
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing thrown');
}

describe('JIT: what an instance is in the symbol table', () => {
  it('registers a compiled instance as a JIT symbol owned by the JIT', () => {
    const { jit, services } = jitFor(ID);
    expect(jit.tryJitInstantiate('id<i64>')).toMatchObject({ kind: 'success', symbol: 'id$i64' });
    expect(services.symbols.ownerOf('id$i64')).toBe('__jit__');
    expect(services.symbols.lookup('id$i64')).toMatchObject({ isJit: true, owner: '__jit__', version: 1 });
  });

  it('compiles a load-time instance without a relocation section', () => {
    const { jit, services } = jitFor(ID);
    const made: Instance[] = [];
    const real = services.context;
    (services as { context: unknown }).context = {
      instantiate: (...a: Parameters<CompilerContext['instantiate']>) => {
        const r = real.instantiate(...a);
        if (r.ok) made.push(r.instance);
        return r;
      },
    };
    jit.tryJitInstantiate('id<i64>');
    expect(made).toHaveLength(1);
    const module = new WebAssembly.Module(made[0].unit.wasm as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.customSections(module, RELOC_SECTION)).toHaveLength(0);
  });
});

describe('JIT: first-call stubs', () => {
  it('reserves a stub that is not yet compiled, and compiles it on the first call', () => {
    const { jit, services } = jitFor(ID);
    expect(jit.instantiateOnFirstCall('id<i64>')).toMatchObject({ kind: 'success', symbol: 'id$i64', cached: false });
    expect(jit.stats()).toMatchObject({ compiled: 0, awaitingFirstCall: 1 });
    expect(call(services, 'id$i64', 5n)).toBe(5n);
    expect(jit.stats()).toMatchObject({ compiled: 1, awaitingFirstCall: 0 });
  });

  it('refuses a first call once exactly maxInstantiations instances are compiled', () => {
    const { jit, services } = jitFor(ID, {}, { maxInstantiations: 1 });
    expect(jit.tryJitInstantiate('id<i64>').kind).toBe('success');
    const stub = jit.instantiateOnFirstCall('id<f64>');
    expect(stub.kind).toBe('success');
    const e = thrown(() => call(services, 'id$f64', 1.5));
    expect(e).toBeInstanceOf(LoadError);
    expect(e).toMatchObject({ code: 'LOAD_INSTANTIATE', message: 'the JIT instantiation limit (1) is reached' });
    expect(jit.stats().compiled).toBe(1);
  });

  it('keeps the stub and its slot when the first call fails, to fail the same way again', () => {
    const { jit, services } = jitFor(chain(3), {}, { maxDepth: 2 });
    const r = jit.instantiateOnFirstCall('c1<i64>');
    if (r.kind !== 'success') throw new Error(JSON.stringify(r));
    const message = 'Maximum JIT depth (2) exceeded while instantiating c1<i64> -> c2<i64> -> c3<i64> -> …';
    expect(thrown(() => call(services, 'c1$i64', 1n))).toMatchObject({ message });
    // c2 (a slot of its own) was rolled back, c1 (the stub's) kept: each counts as a failure.
    expect(jit.stats()).toMatchObject({ failures: 2, compiled: 0, awaitingFirstCall: 1 });
    expect(services.symbols.lookup('c1$i64')?.slot).toBe(r.slot);
    expect(services.symbols.lookup('c2$i64')).toBeUndefined();
    expect(services.exec.get(r.slot)).not.toBeNull();
    expect(jit.awaitsFirstCall('c1$i64')).toBe(true);
    expect(thrown(() => call(services, 'c1$i64', 1n))).toMatchObject({ message });
    expect(jit.stats().failures).toBe(4);
  });

  it('says a stub whose instance was dropped with its module is no longer defined', () => {
    const { jit, services } = jitFor(ID);
    const r = jit.instantiateOnFirstCall('id<i64>');
    if (r.kind !== 'success') throw new Error(JSON.stringify(r));
    const stub = services.exec.get(r.slot)!;
    const module = services.env.fn('id')!.module;
    expect(jit.dropWith({ members: [module], definesStruct: () => false, defines: () => false })).toEqual([{ symbol: 'id$i64', slot: r.slot }]);
    const e = thrown(() => stub(1n));
    expect(e).toBeInstanceOf(LoadError);
    expect(e).toMatchObject({ code: 'LOAD_UNDEFINED_SYMBOL', message: "'id<i64>' is not defined by any loaded module" });
  });
});

describe('JIT: limits at their edges', () => {
  it('names at most six instances of a chain stopped by the depth limit', () => {
    const { jit } = jitFor(chain(9), {}, { maxDepth: 7 });
    const r = jit.tryJitInstantiate('c1<i64>');
    const six = Array.from({ length: 6 }, (_, i) => `c${i + 1}<i64>`).join(' -> ');
    expect(r).toEqual({ kind: 'error', symbol: 'c1$i64', message: `Maximum JIT depth (7) exceeded while instantiating ${six} -> …` });
  });

  it('takes type arguments of exactly 2,000 type nodes to the compiler, and stops 2,001 before it', () => {
    const asked: string[] = [];
    const { jit } = jitFor(ID, {
      context: {
        instantiate: (fn: { symbol: string }) => {
          asked.push(fn.symbol);
          return { ok: false, error: new LoadError('LOAD_INSTANTIATE', 'not compiled here') };
        },
      } as unknown as CompilerContext,
    });
    // A tuple of n elements is n + 1 type nodes.
    const tuple = (n: number): string => `id<(${Array.from({ length: n }, () => 'i64').join(', ')})>`;
    expect(jit.tryJitInstantiate(tuple(1999))).toMatchObject({ kind: 'error', message: 'not compiled here' });
    expect(asked).toEqual(['id']);
    const r = jit.tryJitInstantiate(tuple(2000));
    expect(r.kind === 'error' && r.message).toMatch(/^instantiation too large \(E0420\): .* \(its type arguments grew past 2000 type nodes at depth 1\)$/);
    expect(asked).toEqual(['id']);
  });

  it('names the template that goes round with its own type parameters', () => {
    const src = 'fn f<A>(x: A, n: i64) -> i64:\n    g(x, n)\n\nfn g<B>(y: B, n: i64) -> i64:\n    if n == 0:\n        return 0\n    g((y, y), n - 1)\n';
    const { jit } = jitFor(src, {}, { maxDepth: 5 });
    const r = jit.tryJitInstantiate('f<i64>');
    expect(r.kind === 'error' && r.message).toContain("instantiation cycle (E0420) g->g: 'g<B>' instantiates itself");
  });

  it('gives a cycle from where it starts, leaving out the instances before it', () => {
    const { jit, services } = jitFor(ID);
    const real = services.context;
    const nested: unknown[] = [];
    let calls = 0;
    (services as { context: unknown }).context = {
      instantiate: (...a: Parameters<CompilerContext['instantiate']>) => {
        calls++;
        if (calls === 1) jit.tryJitInstantiate('id<text>');
        else if (calls === 2) jit.tryJitInstantiate('id<bool>');
        else if (calls === 3) nested.push(jit.tryJitInstantiate('id<text>'));
        return real.instantiate(...a);
      },
    };
    jit.tryJitInstantiate('id<i64>');
    expect(nested).toEqual([{ kind: 'circular', symbol: 'id$text', cycle: ['id$text', 'id$bool', 'id$text'] }]);
  });
});

describe('JIT: failures of what an instance requires', () => {
  const NEEDS_HELPER = 'fn helper(x: i64) -> i64:\n    x\n\nfn a<T>(x: T) -> i64:\n    helper(1)\n\nfn b<T>(x: T) -> i64:\n    a(x)\n';

  it('says which instance needed a symbol no loaded module defines, once, however deep', () => {
    const { jit } = jitFor(NEEDS_HELPER);
    expect(jit.tryJitInstantiate('a<i64>')).toEqual({ kind: 'error', symbol: 'a$i64', message: "while instantiating 'a<i64>': 'helper' is not defined by any loaded module" });
    expect(jit.tryJitInstantiate('b<i64>')).toEqual({ kind: 'error', symbol: 'b$i64', message: "while instantiating 'a<i64>': 'helper' is not defined by any loaded module" });
  });

  it('says an instance the object getter gives no code for cannot be instantiated, and why', () => {
    const { jit, services } = jitFor(ID, {
      objTaker: { takeInstance: (fn: { symbol: string; module: string }) => ({ kind: 'template', symbol: fn.symbol, module: fn.module, template: fn }) } as never,
    });
    expect(jit.tryJitInstantiate('id<i64>')).toEqual({ kind: 'error', symbol: 'id$i64', message: "'id<i64>' cannot be instantiated (template)", error: undefined });
    expect(jit.stats()).toMatchObject({ failures: 1, compiled: 0 });
    expect(services.symbols.lookup('id$i64')).toBeUndefined();
  });

  it('rolls back an instance whose code cannot be installed, passing on a typed error', () => {
    const bad = new LoadError('LOAD_INSTANTIATE', 'refused by the test');
    const { jit, services } = jitFor(ID, {
      instantiateInstance: () => {
        throw bad;
      },
    });
    expect(jit.tryJitInstantiate('id<i64>')).toEqual({ kind: 'error', symbol: 'id$i64', message: 'refused by the test', error: bad });
    expect(services.symbols.lookup('id$i64')).toBeUndefined();
    expect(services.exec.slotsInUse).toBe(0);
    expect(jit.stats()).toMatchObject({ failures: 1, compiled: 0 });
    const plain = jitFor(ID, {
      instantiateInstance: () => {
        throw new Error('plain');
      },
    });
    expect(plain.jit.tryJitInstantiate('id<i64>')).toEqual({ kind: 'error', symbol: 'id$i64', message: 'plain', error: undefined });
  });
});

describe('JIT: code kept by an earlier run', () => {
  it('loads kept code without compiling, and says the instance is cached and persisted', () => {
    const first = jitFor(ID);
    first.jit.tryJitInstantiate('id<i64>');
    const code = first.services.exec.get(first.services.symbols.lookup('id$i64')!.slot);
    const { jit, services } = jitFor(ID, { loadPersisted: (symbol) => (symbol === 'id$i64' ? () => ({ code, calls: [] }) : undefined) });
    expect(jit.tryJitInstantiate('id<i64>')).toMatchObject({ kind: 'success', symbol: 'id$i64', cached: true });
    expect(jit.stats()).toMatchObject({ compiled: 0, persistedLoads: 1 });
    expect(jit.wasPersisted('id$i64')).toBe(true);
    expect(jit.wasPersisted('id$f64')).toBe(false);
    expect(call(services, 'id$i64', 9n)).toBe(9n);
  });
});

describe('JIT: statistics and log', () => {
  it('times each instantiation in microseconds from its start', () => {
    let now = 1000;
    vi.spyOn(natives, 'now').mockImplementation(() => (now += 0.25));
    const { jit } = jitFor(ID);
    const before = now;
    jit.tryJitInstantiate('id<i64>');
    const [us] = jit.stats().timesUs;
    // Between the first and the last reading of the clock the JIT can have made.
    expect(us).toBeGreaterThan(0);
    expect(us).toBeLessThanOrEqual((now - before) * 1000);
    expect(us % 250).toBe(0);
  });

  it('logs each compiled instance when verbose, and nothing otherwise', () => {
    const lines: string[] = [];
    const { jit, services } = jitFor(ID, { log: (m) => lines.push(m) }, { verbose: true });
    jit.tryJitInstantiate('id<i64>');
    expect(lines).toEqual([`jit: compiled id<i64> into slot ${services.symbols.lookup('id$i64')!.slot}`]);
    const quiet: string[] = [];
    jitFor(ID, { log: (m) => quiet.push(m) }).jit.tryJitInstantiate('id<i64>');
    expect(quiet).toEqual([]);
  });

  it('can instantiate a symbol with a template or a possible entry, only when enabled', () => {
    const { jit } = jitFor(ID);
    expect(jit.canJitInstantiate('id$i64')).toBe(true);
    expect(jit.canJitInstantiate('nothing$i64')).toBe(false);
    const listed = jitFor(ID, { findPossible: (s) => (s === 'gone$i64' ? { module: 'app', template: 'gone' } : undefined) });
    expect(listed.jit.canJitInstantiate('gone$i64')).toBe(true);
    expect(listed.jit.canJitInstantiate('other$i64')).toBe(false);
    expect(jitFor(ID, {}, { enabled: false }).jit.canJitInstantiate('id$i64')).toBe(false);
  });
});

describe('JIT: dropWith', () => {
  const leaving = (m: Partial<LeavingModule>): LeavingModule => ({ members: [], definesStruct: () => false, defines: () => false, ...m });

  it('drops an instance with any type argument of the leaving module, and only those', () => {
    const src = 'struct P:\n    v: i64\n\nfn two<A, B>(a: A, b: B) -> i64:\n    1\n';
    const { jit } = jitFor(src);
    expect(jit.tryJitInstantiate('two<i64, P>').kind).toBe('success');
    expect(jit.tryJitInstantiate('two<i64, i64>').kind).toBe('success');
    expect(jit.dropWith(leaving({ definesStruct: (n) => n === 'P' })).map((d) => d.symbol)).toEqual(['two$i64$P']);
  });

  it('keeps callers of what stays; drops, transitively, callers of what goes', () => {
    const src = 'fn helper(x: i64) -> i64:\n    x\n\n' + GENERICS_EVEN_ODD;
    const { jit, services } = jitFor(src);
    services.symbols.define({ name: 'helper', slot: services.exec.allocExecMemory(), owner: 'h', fn: null, typeArgs: [], version: 1, isJit: false }, true);
    expect(jit.tryJitInstantiate('even<i64>').kind).toBe('success');
    // `odd` calls `even`, `even` calls `odd` and `helper`: nothing goes with a module defining neither.
    expect(jit.dropWith(leaving({ members: ['elsewhere'] }))).toEqual([]);
    // The module of `helper` goes: `even` calls it, `odd` calls `even` (cached first, so found on a second pass).
    const dropped = jit.dropWith(leaving({ defines: (c) => c === 'helper' })).map((d) => d.symbol);
    expect(dropped.sort()).toEqual(['even$i64', 'odd$i64']);
  });
});

const GENERICS_EVEN_ODD = `
fn even<T>(x: T, n: i64) -> bool:
    if n == 0:
        return helper(1) == 1
    odd(x, n - 1)

fn odd<T>(x: T, n: i64) -> bool:
    if n == 0:
        return false
    even(x, n - 1)
`;
