/**
 * ModuleLoader (src/loader/module-loader.ts), the survivors of its first mutation run: imports
 * already loaded from another file or under another name, a missing import's whole message by the
 * path `use` wrote, a clash that leaves the environment as it was, no write-back of a cycle with
 * `updateSmf` off, `resolveGeneric` with several or composite type arguments, descriptions after
 * a hot swap, and which instances an unload takes.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { decodeJitCache, encodeJitCache, JIT_CACHE_SECTION } from '../../src/loader/jit-code-cache.js';
import { SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

const CYCLE = join(__dirname, '../linker/programs/cycle');

describe('imports', () => {
  it('takes an import already loaded by name, even from a file the loader would not find', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n', 'app.spl': 'use lib.{one}\n\nfn run() -> i64:\n    one() + 1\n' });
    compileToSmf(dir, ['app.spl']);
    const loader = new ModuleLoader();
    const [lib] = new CompileSession().compileFiles([join(dir, 'lib.spl')]);
    expect(loader.loadCompiled(lib).kind).toBe('loaded');
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(callSymbol(loader, 'run')).toBe(2n);
  });

  it('takes an import whose file is loaded already under another module name', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n', 'other.spl': 'fn one() -> i64:\n    1\n', 'app.spl': 'use other.{one}\n\nfn run() -> i64:\n    one() + 1\n' });
    compileToSmf(dir, ['lib.spl']);
    compileToSmf(dir, ['app.spl']);
    // other.smf holds the module `lib`.
    copyFileSync(join(dir, 'lib.smf'), join(dir, 'other.smf'));
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'other.smf'))).toMatchObject({ kind: 'loaded', module: { name: 'lib' } });
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(loader.stats().modules).toBe(2);
    expect(callSymbol(loader, 'run')).toBe(2n);
  });

  it('names a missing import by the path `use` wrote, with and without its source', () => {
    const dir = workspace({ 'main.spl': 'use sub.util.{helper}\n\nfn run() -> i64:\n    helper() * 2\n' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'util.spl'), 'fn helper() -> i64:\n    21\n');
    compileToSmf(dir, ['main.spl']);
    const main = join(dir, 'main.smf');
    const hinted = new ModuleLoader().load(main);
    expect(hinted.kind === 'error' && hinted.message).toBe(
      `${main}: imported module 'util' not found (looked for sub/util.smf); compile its source first: smf compile ${join(dir, 'sub', 'util.spl')}`,
    );
    rmSync(join(dir, 'sub', 'util.spl'));
    const bare = new ModuleLoader().load(main);
    expect(bare.kind === 'error' && bare.message).toBe(`${main}: imported module 'util' not found (looked for sub/util.smf)`);
  });
});

describe('a refused load', () => {
  it('takes back the definitions of a module refused for a clash', () => {
    const dir = workspace({ 'a.spl': 'fn f() -> i64:\n    1\n', 'b.spl': 'struct S:\n    v: i64\n\nfn g() -> i64:\n    2\n\nfn f() -> i64:\n    3\n' });
    compileToSmf(dir, ['a.spl']);
    const [b] = compileToSmf(dir, ['b.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'a.smf'));
    // Compiled in this process, its definitions are entered one by one: those before the clash too.
    const refused = loader.loadCompiled(b);
    expect(refused.kind === 'error' && refused.message).toBe(`${join(dir, 'b.spl')}: 'f' is defined by both 'a' and 'b'`);
    expect(loader.unload('a')).toBe(true);
    expect(loader.load(join(dir, 'b.smf')).kind).toBe('loaded');
    expect(callSymbol(loader, 'g')).toBe(2n);
    expect(callSymbol(loader, 'f')).toBe(3n);
  });

  it('with updateSmf off, writes no cycle row into the file', () => {
    const dir = workspace({});
    copyFileSync(join(CYCLE, 'app/main.spl'), join(dir, 'main.spl'));
    copyFileSync(join(CYCLE, 'app/grow.spl'), join(dir, 'grow.spl'));
    compileToSmf(dir, ['grow.spl', 'main.spl']);
    copyFileSync(join(CYCLE, 'v2/grow.spl'), join(dir, 'grow.spl'));
    compileToSmf(dir, ['grow.spl']);
    const before = readFileSync(join(dir, 'main.smf'));
    const loader = new ModuleLoader({ jit: { perCall: false, updateSmf: false }, output: { write: () => {} } });
    expect(loader.load(join(dir, 'main.smf')).kind).toBe('loaded');
    expect(loader.resolveSymbol('main')).toMatchObject({ kind: 'error', error: { code: 'E0420' } });
    loader.flushWrites();
    expect(readFileSync(join(dir, 'main.smf')).equals(before)).toBe(true);
  });
});

describe('resolveGeneric', () => {
  it('mangles several type arguments, and composite ones compactly', () => {
    const dir = workspace({ 'lib.spl': 'fn second<A, B>(a: A, b: B) -> B:\n    b\n\nfn count<T>(x: T) -> i64:\n    7\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'lib.smf'));
    const two = loader.resolveGeneric('second', ['i64', 'f64']);
    expect(two).toMatchObject({ kind: 'jit', name: 'second$i64$f64' });
    expect(two.kind === 'jit' && two.call(1n, 2.5)).toBe(2.5);
    const tuple = loader.resolveGeneric('count', ['(i64, bool)']);
    expect(tuple).toMatchObject({ kind: 'jit', name: 'count$(i64,bool)' });
    expect(tuple.kind === 'jit' && tuple.name).toBe(loader.resolveSymbol('count<(i64, bool)>').kind === 'found' ? 'count$(i64,bool)' : '');
  });
});

describe('hot swap', () => {
  it('describes the new code: values are converted for callables made after the swap', () => {
    const dir = workspace({ 'lib.spl': 'fn flag(x: i64) -> bool:\n    x > 1\n' });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ hotReload: true });
    loader.load(join(dir, 'lib.smf'));
    expect(callSymbol(loader, 'flag', 3n)).toBe(true);
    writeFileSync(join(dir, 'lib.spl'), 'fn flag(x: i64) -> bool:\n    x > 5\n');
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload('lib').kind).toBe('loaded');
    expect(callSymbol(loader, 'flag', 3n)).toBe(false);
    expect(callSymbol(loader, 'flag', 6n)).toBe(true);
    expect(() => callSymbol(loader, 'flag')).toThrow("'flag' takes 1 argument(s), given 0");
  });
});

const cached = (loader: ModuleLoader) => [...loader.jit.cachedSymbols()].map(([symbol]) => symbol);

describe('unload', () => {
  // `same` calls nothing of the struct: only its type argument ties an instance to the module.
  const LIB = 'fn key_of<T>(x: T) -> i64:\n    x.key()\n\nfn same<T>(x: T) -> T:\n    x\n';
  const user = (name: string, structs: string[]) =>
    `use lib.{key_of, same}\n\n${structs.map((s, i) => `struct ${s}:\n    v: i64\n\nimpl ${s}:\n    fn key() -> i64:\n        self.v + ${i}\n`).join('\n')}\nfn ${name}() -> i64:\n    key_of(${structs[0]}(v: 10)) + same(${structs[0]}(v: 1)).v\n`;

  it('takes the instances of its structs, only those, whichever of its structs they use', () => {
    const dir = workspace({ 'lib.spl': LIB, 'a.spl': user('fa', ['P2', 'P']), 'b.spl': user('fb', ['Q']) });
    compileToSmf(dir, ['lib.spl', 'a.spl', 'b.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'a.smf'));
    loader.load(join(dir, 'b.smf'));
    expect(callSymbol(loader, 'fa')).toBe(11n);
    expect(callSymbol(loader, 'fb')).toBe(11n);
    expect(cached(loader).sort()).toEqual(['key_of$P2', 'key_of$Q', 'same$P2', 'same$Q']);
    loader.unload('a');
    expect(cached(loader).sort()).toEqual(['key_of$Q', 'same$Q']);
    expect(callSymbol(loader, 'fb')).toBe(11n);
  });

  it('takes the instances that call one of its functions', () => {
    const dir = workspace({
      'base.spl': 'fn helper() -> i64:\n    5\n',
      'lib.spl': 'use base.{helper}\n\nfn wrap<T>(x: T) -> i64:\n    helper()\n',
      'app.spl': 'use lib.{wrap}\n\nfn run() -> i64:\n    wrap(1)\n',
    });
    compileToSmf(dir, ['base.spl', 'lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    expect(callSymbol(loader, 'run')).toBe(5n);
    expect(cached(loader)).toEqual(['wrap$i64']);
    loader.unload('base');
    expect(cached(loader)).toEqual([]);
  });
});

describe('kept JIT code', () => {
  it('is loaded instead of compiled, and refused naming a symbol it calls that nothing defines', () => {
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n', 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(5, 6)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const app = join(dir, 'app.smf');
    const first = new ModuleLoader();
    first.load(app);
    expect(callSymbol(first, 'run')).toBe(5n);
    first.flushWrites();
    const kept = new ModuleLoader({ jit: { updateSmf: false } });
    kept.load(app);
    expect(callSymbol(kept, 'run')).toBe(5n);
    expect(kept.stats().jit).toMatchObject({ compiled: 0, persistedLoads: 1 });
    // The kept instance replaced by code that calls `ghost` through a slot.
    const spec = moduleSpecFromReader(SmfReader.openSync(app));
    const entries = decodeJitCache(spec.sections.find((s) => s.name === JIT_CACHE_SECTION)!.data, app);
    const [symbol, entry] = [...entries].find(([s]) => s.startsWith('pick'))!;
    const m = new ModuleBuilder();
    m.importMemory('env', 'memory', { min: 0 });
    m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
    m.importGlobal('env', '__memory_base', ValType.i32, false);
    m.importGlobal('GOT.func', 'ghost', ValType.i32, false);
    const f = m.addRawFunction(m.addType([ValType.i64, ValType.i64], [ValType.i64]), Uint8Array.from([0, 0x20, 0x00, 0x0b]), 'pick');
    m.exportFunction('instance', f);
    m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
    entries.set(symbol, { ...entry, wasm: m.finish() });
    writeFileSync(app, writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === JIT_CACHE_SECTION ? { ...s, data: encodeJitCache([...entries.values()]) } : s)) }));
    const crafted = new ModuleLoader({ jit: { updateSmf: false } });
    crafted.load(app);
    const r = crafted.resolveSymbol('pick<i64>');
    expect(r).toMatchObject({ kind: 'error', message: expect.stringContaining("undefined symbol 'ghost'") });
  });
});
