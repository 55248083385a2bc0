import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { HeapHandle } from '../../src/loader/values.js';
import { TextCapture } from '../../src/runtime/index.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { SmfReader } from '../../src/smf/index.js';
import { compileToSmf, workspace } from './fixtures.js';
import { link } from '../../src/linker/link.js';

const LIB = `
fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn pick<T>(first: bool, a: T, b: T) -> T:
    if first:
        return a
    b

fn twice(x: i64) -> i64:
    x * 2

fn greet(name: text) -> text:
    "hello, " + name

fn is_even(x: i64) -> bool:
    x % 2 == 0
`;

function callable(r: ReturnType<ModuleLoader['resolveSymbol']>): (...args: unknown[]) => unknown {
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`expected a callable symbol, got ${JSON.stringify(r)}`);
  return r.call;
}

describe('ModuleLoader', () => {
  it('loads a module and calls its functions with values converted both ways', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    const r = loader.load(join(dir, 'lib.smf'));
    expect(r.kind).toBe('loaded');
    expect(callable(loader.resolveSymbol('twice'))(21n)).toBe(42n);
    expect(callable(loader.resolveSymbol('twice'))(21)).toBe(42n);
    expect(callable(loader.resolveSymbol('greet'))('world')).toBe('hello, world');
    expect(callable(loader.resolveSymbol('is_even'))(4n)).toBe(true);
    expect(() => callable(loader.resolveSymbol('twice'))('x')).toThrow(/argument 1 of 'twice': expected i64/);
  });

  it('reports a module loaded twice as already loaded', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(loader.load(join(dir, 'lib.smf')).kind).toBe('already_loaded');
  });

  it('falls back to the JIT for an instance nobody compiled, in readable or mangled form', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    const first = loader.resolveSymbol('max<i64>');
    expect(first.kind).toBe('jit');
    expect(callable(first)(3n, 9n)).toBe(9n);
    const again = loader.resolveSymbol('max$i64');
    expect(again.kind).toBe('found');
    const f = loader.resolveGeneric('max', ['f64']);
    expect(f.kind).toBe('jit');
    expect(callable(f)(2.5, 1.5)).toBe(2.5);
    expect(callable(loader.resolveGeneric('pick', ['text']))(false, 'a', 'b')).toBe('b');
    expect(loader.stats().jit.compiled).toBe(3);
  });

  it('answers not_found and error results', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    expect(loader.resolveSymbol('nothing_here').kind).toBe('not_found');
    const arity = loader.resolveGeneric('max', ['i64', 'i64']);
    expect(arity).toMatchObject({ kind: 'error', message: expect.stringMatching(/type argument count mismatch/) });
    const bad = loader.resolveSymbol('max<bool>');
    expect(bad).toMatchObject({ kind: 'error', message: expect.stringMatching(/cannot instantiate 'max<bool>'.*cannot compare values of type 'bool'/) });
    const disabled = new ModuleLoader({ enableJit: false });
    disabled.load(join(dir, 'lib.smf'));
    expect(disabled.resolveSymbol('max<i64>').kind).toBe('not_found');
  });

  it('JIT-compiles at load time what a plugin needs, writes it back, and the next run needs no JIT', () => {
    const dir = workspace({
      'lib.spl': `
fn max<T>(a: T, b: T) -> T:
    if a.key() > b.key():
        return a
    b
`,
      'plugin.spl': `
use lib.{max}

struct Point:
    x: i64
    y: i64

impl Point:
    fn key() -> i64:
        self.x * self.x + self.y * self.y

fn farthest() -> i64:
    val p = max(Point(x: 1, y: 2), Point(x: 3, y: -4))
    p.x * 100 + p.y
`,
    });
    compileToSmf(dir, ['lib.spl', 'plugin.spl']);
    const before = parseNoteSdn(SmfReader.openSync(join(dir, 'plugin.smf')).noteSdnText()!);
    expect(before.possible.map((r) => r.mangledName)).toEqual(['max$Point']);

    // Eager loading installs the plugin while loading it; the instance it names gets a stub that
    // compiles it on its first call.
    const first = new ModuleLoader({ lazy: false });
    expect(first.load(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(first.load(join(dir, 'plugin.smf')).kind).toBe('loaded');
    expect(first.stats().jit).toMatchObject({ compiled: 0, awaitingFirstCall: 1 });
    expect(callable(first.resolveSymbol('farthest'))()).toBe(296n);
    expect(first.stats().jit).toMatchObject({ compiled: 1, awaitingFirstCall: 0 });
    first.flushWrites();

    const after = parseNoteSdn(SmfReader.openSync(join(dir, 'plugin.smf')).noteSdnText()!);
    expect(after.possible).toEqual([]);
    expect(after.instantiations).toEqual([
      expect.objectContaining({ mangledName: 'max$Point', status: 'jit_compiled', toObj: 'jit_memory', fromLoc: `${join(dir, 'plugin.smf')}:0:0:jit` }),
    ]);

    // Lazy loading (the default) does it when the plugin's code is first used.
    const second = new ModuleLoader();
    second.load(join(dir, 'plugin.smf'));
    expect(second.stats().jit).toMatchObject({ compiled: 0, persistedLoads: 0 });
    expect(callable(second.resolveSymbol('farthest'))()).toBe(296n);
    expect(second.stats().jit).toMatchObject({ compiled: 0, persistedLoads: 1 });
  });

  it('ignores kept JIT code whose template changed since', () => {
    const lib = (cmp: string) => `
fn pick<T>(a: T, b: T) -> T:
    if a ${cmp} b:
        return a
    b
`;
    const dir = workspace({ 'lib.spl': lib('>'), 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const first = new ModuleLoader();
    first.load(join(dir, 'app.smf'));
    expect(callable(first.resolveSymbol('run'))()).toBe(9n);
    first.flushWrites();
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    const second = new ModuleLoader();
    second.load(join(dir, 'app.smf'));
    expect(callable(second.resolveSymbol('run'))()).toBe(3n);
    expect(second.stats().jit).toMatchObject({ compiled: 1, persistedLoads: 0 });
  });

  it('names a missing host function', () => {
    const dir = workspace({ 'clock.spl': 'extern fn now_ms() -> f64\n\nfn elapsed(since: f64) -> f64:\n    now_ms() - since\n' });
    compileToSmf(dir, ['clock.spl']);
    const missing = new ModuleLoader().load(join(dir, 'clock.smf'));
    expect(missing).toMatchObject({ kind: 'error', message: expect.stringMatching(/does not provide extern fn 'now_ms'/) });
    const loader = new ModuleLoader({ host: { now_ms: () => 1000.5 } });
    expect(loader.load(join(dir, 'clock.smf')).kind).toBe('loaded');
    expect(callable(loader.resolveSymbol('elapsed'))(0.5)).toBe(1000);
  });

  it('passes heap values as opaque handles', () => {
    const dir = workspace({
      'geo.spl': 'struct P:\n    x: i64\n\nfn make(x: i64) -> P:\n    P(x: x)\n\nfn get(p: P) -> i64:\n    p.x\n',
    });
    compileToSmf(dir, ['geo.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'geo.smf'));
    const p = callable(loader.resolveSymbol('make'))(7n);
    expect(p).toBeInstanceOf(HeapHandle);
    expect(callable(loader.resolveSymbol('get'))(p)).toBe(7n);
  });

  it('unloads a module: its symbols are gone and old handles fail cleanly', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    const twice = callable(loader.resolveSymbol('twice'));
    expect(loader.unload(join(dir, 'lib.smf'))).toBe(true);
    expect(loader.resolveSymbol('twice').kind).toBe('not_found');
    expect(() => twice(1n)).toThrow(/no longer loaded/);
    expect(loader.isLoaded('lib')).toBe(false);
  });

  it('routes print to the configured output', () => {
    const dir = workspace({ 'p.spl': 'fn hello():\n    print("hi")\n    print(1.5)\n' });
    compileToSmf(dir, ['p.spl']);
    const out = new TextCapture();
    const loader = new ModuleLoader({ output: out });
    loader.load(join(dir, 'p.smf'));
    callable(loader.resolveSymbol('hello'))();
    expect(out.text).toBe('hi\n1.5\n');
  });

  it('keeps the SMF file intact when nothing needs writing back', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const bytes = readFileSync(join(dir, 'lib.smf'));
    const loader = new ModuleLoader();
    loader.load(join(dir, 'lib.smf'));
    callable(loader.resolveSymbol('twice'))(1n);
    loader.flushWrites();
    expect(readFileSync(join(dir, 'lib.smf')).equals(bytes)).toBe(true);
  });

  it('finds an imported module in a subfolder, as `use` named it', () => {
    const dir = workspace({ 'main.spl': 'use sub.util.{helper}\n\nfn run() -> i64:\n    helper() * 2\n' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'util.spl'), 'fn helper() -> i64:\n    21\n');
    compileToSmf(dir, ['sub/util.spl', 'main.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'main.smf')).kind).toBe('loaded');
    expect(callable(loader.resolveSymbol('run'))()).toBe(42n);
  });
});

describe('ModuleLoader, unloading a module others call', () => {
  it('turns a call into the unloaded module into a typed trap', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n', 'app.spl': 'use lib.{one}\n\nfn two() -> i64:\n    one() + 1\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'app.smf'));
    const two = callable(loader.resolveSymbol('two'));
    expect(two()).toBe(2n);
    loader.unload('lib');
    let caught: unknown;
    try {
      two();
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'TRAP_CALL_UNLOADED', message: "call to a function whose module was unloaded in function 'two'" });
  });
});

describe('ModuleLoader, a linked file', () => {
  it("keeps its members' private functions private, while their templates' instances still reach them", () => {
    const dir = workspace({
      'lib.spl': 'fn _scale(x: i64) -> i64:\n    x * 10\n\nfn scaled<T>(x: T, n: i64) -> i64:\n    _scale(n)\n',
      'app.spl': 'use lib.{scaled}\n\nfn main() -> i64:\n    scaled(1.5, 4)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    // Lazy: the instance scaled<f64> is left to the loader's JIT, which must find lib's private _scale.
    const linked = link([join(dir, 'lib.smf'), join(dir, 'app.smf')], { output: 'linked.smf', instantiate: 'lazy' });
    if (!linked.ok) throw new Error(linked.errors.map((e) => e.message).join('; '));
    writeFileSync(join(dir, 'linked.smf'), linked.bytes);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'linked.smf')).kind).toBe('loaded');
    const main = loader.resolveSymbol('main');
    expect(main.kind === 'found' && main.call()).toBe(40n);
    expect(loader.stats().jit.compiled).toBeGreaterThan(0);
    // The host cannot reach the private function, under its linked name or its own.
    expect(loader.resolveSymbol('_scale..lib').kind).toBe('not_found');
    expect(loader.resolveSymbol('_scale').kind).toBe('not_found');
  });
});

describe('ModuleLoader, write-back into a file someone else changed', () => {
  it('leaves the file alone and says so (with jit.verbose)', () => {
    const app = (n: number) => `use lib.{pick}\n\nfn run() -> i64:\n    pick(${n}, 9)\n`;
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n', 'app.spl': app(3) });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => said.push(s) > 0) as typeof process.stderr.write;
    try {
      const loader = new ModuleLoader({ jit: { verbose: true } });
      loader.load(join(dir, 'app.smf'));
      expect(callable(loader.resolveSymbol('run'))()).toBe(3n);
      // Rebuilt by someone else before the write-back runs.
      writeFileSync(join(dir, 'app.spl'), app(4));
      compileToSmf(dir, ['app.spl']);
      const theirs = readFileSync(join(dir, 'app.smf'));
      loader.flushWrites();
      expect(readFileSync(join(dir, 'app.smf')).equals(theirs)).toBe(true);
    } finally {
      process.stderr.write = write;
    }
    expect(said.join('')).toContain(`smf: could not write back ${join(dir, 'app.smf')}: the file changed on disk since it was loaded`);
  });
});
