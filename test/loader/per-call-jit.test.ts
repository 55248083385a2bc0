// Issue #10, point 3: instantiation per call. Installing code that names instances gives each a
// first-call stub; only the instances actually called are compiled.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SmfReader } from '../../src/smf/index.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { compileToSmf, workspace } from './fixtures.js';

const BASES = ['i64', 'i32', 'i16', 'i8', 'u64', 'u32', 'u16', 'u8', 'f64', 'f32', 'bool', 'text'];
/** 200 distinct types: each base, in arrays nested 0 to 16 deep. */
const TYPES = Array.from({ length: 17 }, (_, depth) => BASES.map((b) => '['.repeat(depth) + b + ']'.repeat(depth))).flat().slice(0, 200);

const LIB = 'fn tag<T>(n: i64) -> i64:\n    n + 1\n\nstruct Pair<A, B>:\n    a: A\n    b: B\n\nfn first<A, B>(p: Pair<A, B>) -> A:\n    p.a\n';
/** main names tag<T> for all 200 types and calls five of them; the rest sit on a branch never taken. */
function app(): string {
  const called = TYPES.slice(0, 5).map((t) => `    s = s + tag<${t}>(1)`);
  const named = TYPES.slice(5).map((t) => `        s = s + tag<${t}>(1)`);
  return ['use lib.{tag}', '', 'fn main() -> i64:', '    var s = 0', ...called, '    if s < 0:', ...named, '    s', ''].join('\n');
}

describe('per-call instantiation', () => {
  it('a program that names 200 instances and calls 5 compiles 5', () => {
    expect(new Set(TYPES).size).toBe(200);
    const dir = workspace({ 'lib.spl': LIB, 'app.spl': app() });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    const main = loader.resolveSymbol('main');
    if (main.kind !== 'found') throw new Error(main.kind);
    expect(loader.stats().jit).toMatchObject({ compiled: 0, awaitingFirstCall: 200 });
    expect(main.call()).toBe(10n);
    expect(loader.stats().jit).toMatchObject({ compiled: 5, awaitingFirstCall: 195 });
    // A second call runs the compiled code: nothing more is compiled.
    expect(main.call()).toBe(10n);
    expect(loader.stats().jit.compiled).toBe(5);
    // Only what was compiled is written back.
    loader.flushWrites();
    const note = parseNoteSdn(SmfReader.fromBytes(readFileSync(join(dir, 'app.smf'))).noteSdnText()!);
    expect(note.instantiations.filter((r) => r.status === 'jit_compiled').map((r) => r.mangledName)).toEqual(['tag$i64', 'tag$i32', 'tag$i16', 'tag$i8', 'tag$u64']);
    expect(note.possible).toHaveLength(195);
  });

  it('with perCall off, installing the code compiles every instance it names', () => {
    const dir = workspace({ 'lib.spl': LIB, 'app.spl': app() });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ jit: { perCall: false, updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    const main = loader.resolveSymbol('main');
    expect(loader.stats().jit).toMatchObject({ compiled: 200, awaitingFirstCall: 0 });
    expect(main.kind === 'found' && main.call()).toBe(10n);
  });

  it('a stub passes every kind of value through, methods and struct values included', () => {
    const dir = workspace({
      'lib.spl': LIB,
      'app.spl': 'use lib.{Pair, first}\n\nfn go(x: f64) -> f64:\n    first(Pair(a: x, b: "b")) + first(Pair(a: 1.0, b: true))\n\nfn word() -> text:\n    first(Pair(a: "w", b: 2))\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    loader.load(join(dir, 'app.smf'));
    const go = loader.resolveSymbol('go');
    const word = loader.resolveSymbol('word');
    if (go.kind !== 'found' || word.kind !== 'found') throw new Error('not found');
    expect(loader.stats().jit.awaitingFirstCall).toBe(3);
    expect(go.call(2.5)).toBe(3.5);
    expect(word.call()).toBe('w');
    expect(loader.stats().jit).toMatchObject({ compiled: 3, awaitingFirstCall: 0 });
  });

  it('a first call that cannot compile throws a typed error into the caller, and again on the next call', () => {
    const lib = 'fn twice<T>(x: T) -> T:\n    x + x\n';
    const dir = workspace({ 'lib.spl': lib, 'app.spl': 'use lib.{twice}\n\nfn go(b: bool) -> i64:\n    if b:\n        return 1\n    twice(2)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    // The library changes after app was compiled: twice<i64> no longer type-checks.
    writeFileSync(join(dir, 'lib.spl'), 'fn twice<T>(x: T) -> T:\n    x.nothing()\n');
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    const go = loader.resolveSymbol('go');
    if (go.kind !== 'found') throw new Error(go.kind);
    expect(go.call(true)).toBe(1n); // the branch that needs twice<i64> is not taken: nothing fails
    for (let i = 0; i < 2; i++) {
      expect(() => go.call(false)).toThrow(expect.objectContaining({ code: 'INSTANTIATION_FAILED', message: expect.stringMatching(/twice<i64>.*nothing/) }));
    }
    expect(loader.stats().jit).toMatchObject({ compiled: 0, awaitingFirstCall: 1, failures: 2 });
  });
});

describe('per-call instantiation and hot reload', () => {
  it('a stub not yet called when its template is swapped compiles the new template on its first call', () => {
    const lib = (op: string) => `fn pick<T>(a: T, b: T) -> T:\n    if a ${op} b:\n        return a\n    b\n`;
    const dir = workspace({ 'lib.spl': lib('>'), 'user.spl': 'use lib.{pick}\n\nfn best() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'user.spl']);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    loader.load(join(dir, 'user.smf'));
    const best = loader.resolveSymbol('best'); // installs user: pick<i64> gets a stub
    expect(loader.stats().jit).toMatchObject({ compiled: 0, awaitingFirstCall: 1 });
    writeFileSync(join(dir, 'lib.spl'), lib('<'));
    compileToSmf(dir, ['lib.spl']);
    expect(loader.reload(join(dir, 'lib.smf')).kind).toBe('loaded');
    expect(loader.stats().jit).toMatchObject({ compiled: 0, awaitingFirstCall: 1 });
    expect(best.kind === 'found' && best.call()).toBe(3n);
    expect(loader.stats().jit).toMatchObject({ compiled: 1, awaitingFirstCall: 0 });
  });
});

describe('per-call instantiation of a name that cannot be instantiated', () => {
  it('a type argument count the template does not take is a typed error when the code is installed', () => {
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n', 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(3, 9)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    // The library now takes two type arguments: app's pick<i64> names one.
    writeFileSync(join(dir, 'lib.spl'), 'fn pick<T, U>(a: T, b: T) -> T:\n    a\n');
    compileToSmf(dir, ['lib.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(loader.resolveSymbol('run')).toMatchObject({ kind: 'error', message: expect.stringMatching(/pick/) });
  });
});
