import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SimpleError } from '../../src/errors.js';
import { SimpleTrap } from '../../src/runtime/index.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { compileToSmf, expectOnlyTypedErrors, workspace } from './fixtures.js';

const LIB = `
struct Node:
    value: i64
    next: [Node]

fn total(xs: [i64]) -> i64:
    var t = 0
    for x in xs:
        t += x
    t

fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn use_max() -> i64:
    max(3, 4) + total([1, 2, 3])
`;

/** Replaces the code section of an SMF with other WebAssembly bytes. */
function withCode(path: string, wasm: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  const sections = spec.sections.map((s) => (s.type === SectionType.Code && s.name === 'code' ? { ...s, data: wasm } : s));
  writeFileSync(path, writeSmf({ ...spec, sections }));
}

describe('bad input and isolation', () => {
  it('gives only typed errors for randomly damaged module files', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const good = readFileSync(join(dir, 'lib.smf'));
    const path = join(dir, 'damaged.smf');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(good.length), { nil: undefined }),
        (flips, cut) => {
          const bytes = Uint8Array.from(good);
          for (const [at, value] of flips) bytes[at] = value;
          writeFileSync(path, cut === undefined ? bytes : bytes.subarray(0, cut));
          expectOnlyTypedErrors(path, ['use_max', 'total', 'max<i64>', 'max<text>']);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('grants a module only the runtime, loaded modules and the host functions given', () => {
    const dir = workspace({ 'lib.spl': LIB });
    compileToSmf(dir, ['lib.spl']);
    const m = new ModuleBuilder();
    m.importFunction('host', 'process_exit', m.addType([ValType.i32], []));
    m.importFunction('node', 'require', m.addType([], []));
    const f = m.addFunction(m.addType([], [ValType.i64]));
    f.i64Const(1);
    m.exportFunction('use_max', f.index);
    m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
    withCode(join(dir, 'lib.smf'), m.finish());
    const loader = new ModuleLoader({ lazy: false });
    const r = loader.load(join(dir, 'lib.smf'));
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.error).toBeInstanceOf(SimpleError);
    expect(r.kind === 'error' && r.message).toMatch(/process_exit|node\.require|cannot instantiate/);
  });

  it('ends in a typed trap at the memory limit', () => {
    const dir = workspace({
      'grow.spl': 'fn grow() -> i64:\n    var xs: [i64] = []\n    for i in 0..100000000:\n        xs.push(i)\n    xs.len()\n',
    });
    compileToSmf(dir, ['grow.spl']);
    const loader = new ModuleLoader({ memory: { maximumPages: 64 } });
    loader.load(join(dir, 'grow.smf'));
    const grow = loader.resolveSymbol('grow');
    expect(grow.kind).toBe('found');
    let caught: unknown;
    try {
      if (grow.kind === 'found') grow.call();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SimpleTrap);
    expect((caught as SimpleTrap).code).toBe('TRAP_OUT_OF_MEMORY');
    expect((caught as SimpleTrap).message).toMatch(/out of memory .* in function 'grow'/);
  });

  it('ends in a typed error at the table limit', () => {
    const fns = Array.from({ length: 40 }, (_, i) => `fn fn_${i}() -> i64:\n    ${i}\n`).join('\n');
    const dir = workspace({ 'many.spl': fns });
    compileToSmf(dir, ['many.spl']);
    const loader = new ModuleLoader({ table: { initialSlots: 8, maxSlots: 16 } });
    // Slots are taken when the module's code is installed, on first use.
    expect(loader.load(join(dir, 'many.smf')).kind).toBe('loaded');
    expect(loader.stats().slotsInUse).toBe(0);
    expect(loader.resolveSymbol('fn_0')).toMatchObject({ kind: 'error', error: { code: 'LOAD_TABLE_FULL' } });
    expect(loader.stats().slotsInUse).toBeGreaterThan(0);
    // Unloading gives every slot back.
    expect(loader.unload('many')).toBe(true);
    expect(loader.stats().slotsInUse).toBe(0);
    const eager = new ModuleLoader({ table: { initialSlots: 8, maxSlots: 16 }, lazy: false });
    expect(eager.load(join(dir, 'many.smf'))).toMatchObject({ kind: 'error', error: { code: 'LOAD_TABLE_FULL' } });
    expect(eager.stats().slotsInUse).toBe(0);
  });

  it('turns a stack overflow into a trap, and the loader stays usable', () => {
    const dir = workspace({ 'deep.spl': 'fn down(n: i64) -> i64:\n    down(n + 1) + 1\n\nfn ok() -> i64:\n    7\n' });
    compileToSmf(dir, ['deep.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'deep.smf'));
    const down = loader.resolveSymbol('down');
    expect(() => down.kind === 'found' && down.call(0n)).toThrow(SimpleTrap);
    const ok = loader.resolveSymbol('ok');
    expect(ok.kind === 'found' && ok.call()).toBe(7n);
  });
});
