/**
 * Installation's messages and the modules' extern fns and notes (src/loader/installer.ts,
 * prepared-module.ts), the gaps of their first mutation run: a host function's result of the
 * wrong type, an undefined symbol's use sites (its own only, or none), a module compiled in this
 * process refused at load for an extern fn the host lacks, its note, and a note that does not
 * parse named by its file.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { LoadError } from '../../src/loader/errors.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { ValueConversionError } from '../../src/loader/values.js';
import { SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { SimpleError } from '../../src/errors.js';
import { thrown } from '../thrown.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

function refused(r: ReturnType<ModuleLoader['load']>): LoadError {
  if (r.kind !== 'error') throw new Error(`expected a refusal, got ${r.kind}`);
  expect(r.error).toBeInstanceOf(LoadError);
  return r.error as LoadError;
}

describe('host functions', () => {
  it('refuse a result of the wrong type, naming the extern fn', () => {
    const dir = workspace({ 'h.spl': 'extern fn count() -> i64\n\nfn run() -> i64:\n    count() + 1\n' });
    compileToSmf(dir, ['h.spl']);
    const loader = new ModuleLoader({ host: { count: () => 'many' } });
    expect(loader.load(join(dir, 'h.smf')).kind).toBe('loaded');
    const e = thrown(() => callSymbol(loader, 'run'), ValueConversionError);
    expect(e.message).toBe("result of extern fn 'count': expected i64, got a string");
  });
});

describe('an undefined symbol', () => {
  it('is named with the places that call it, and only those', () => {
    const dir = workspace({
      'lib.spl': 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n',
      'app.spl': 'use lib.{one, two}\n\nfn run() -> i64:\n    one() + two()\n\nfn again() -> i64:\n    two()\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    writeFileSync(join(dir, 'lib.spl'), 'fn one() -> i64:\n    1\n');
    compileToSmf(dir, ['lib.spl']);
    const e = refused(new ModuleLoader().load(join(dir, 'app.smf')));
    const app = join(dir, 'app.spl');
    // Each symbol's first use is recorded.
    expect(e.message).toBe(`${join(dir, 'app.smf')}: undefined symbol 'two' (used at ${app}:4:13)`);
  });

  it('is named alone by a module compiled in this process, which records no uses', () => {
    const dir = workspace({ 'lib.spl': 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n', 'app.spl': 'use lib.{two}\n\nfn run() -> i64:\n    two()\n' });
    const compiled = new CompileSession().compileFiles([join(dir, 'app.spl')]);
    writeFileSync(join(dir, 'lib.spl'), 'fn one() -> i64:\n    1\n');
    compileToSmf(dir, ['lib.spl']);
    const e = refused(new ModuleLoader().loadCompiled(compiled[compiled.length - 1]));
    expect(e).toMatchObject({ code: 'LOAD_UNDEFINED_SYMBOL', symbol: 'two' });
    expect(e.message).toBe(`${join(dir, 'app.spl')}: undefined symbol 'two'`);
  });
});

describe('extern fns', () => {
  it('are refused at load for a module compiled in this process when the host lacks one', () => {
    const dir = workspace({ 'h.spl': 'extern fn beep(n: i64) -> i64\n\nfn run() -> i64:\n    beep(1)\n' });
    const [compiled] = new CompileSession().compileFiles([join(dir, 'h.spl')]);
    const e = refused(new ModuleLoader().loadCompiled(compiled));
    expect(e).toMatchObject({ code: 'LOAD_MISSING_HOST_FUNCTION', symbol: 'beep' });
    expect(e.message).toBe(`${join(dir, 'h.spl')}: the host does not provide extern fn 'beep' (declared in module 'h')`);
  });
});

describe('notes', () => {
  it('of a module compiled in this process name the file it would be written to', () => {
    const dir = workspace({ 'm.spl': 'fn id<T>(a: T) -> T:\n    a\n\nfn run() -> i64:\n    id(3)\n' });
    const [compiled] = new CompileSession().compileFiles([join(dir, 'm.spl')]);
    const loader = new ModuleLoader();
    expect(loader.loadCompiled(compiled).kind).toBe('loaded');
    const note = loader.getModule('m')!.note;
    expect(note.instantiations.map((r) => [r.mangledName, r.toObj])).toEqual([['id$i64', 'm.smf']]);
  });

  it('that do not parse are refused at load, naming their file', () => {
    const dir = workspace({ 'lib.spl': 'fn pick<T>(a: T, b: T) -> T:\n    a\n', 'app.spl': 'use lib.{pick}\n\nfn run() -> i64:\n    pick(5, 6)\n' });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const app = join(dir, 'app.smf');
    const spec = moduleSpecFromReader(SmfReader.fromBytes(new Uint8Array(readFileSync(app)), { file: app }));
    writeFileSync(app, writeSmf({ ...spec, note: 'possible |template, type_args\n  "unclosed\n' }));
    const r = new ModuleLoader().load(app);
    expect(r.kind === 'error' && r.error).toBeInstanceOf(SimpleError);
    expect(r.kind === 'error' && r.message).toBe(`${app}:1:30: expected ',' or '|' in the column list, found end of line`);
  });
});
