/**
 * Tiering (src/loader/tiering.ts): which V8 flags each choice sets, in which order, and that they
 * are put back however the compile ends. The platform's flag setter is replaced for the test, so
 * the process's flags are not changed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModuleBuilder } from '../../src/compiler/wasm/index.js';
import { natives } from '../../src/platform/index.js';
import { applyTiering, compileOptimized } from '../../src/loader/tiering.js';

function flagsSet(): string[] {
  const set: string[] = [];
  vi.spyOn(natives, 'setEngineFlags').mockImplementation((f: string) => void set.push(f));
  return set;
}

afterEach(() => vi.restoreAllMocks());

/** One function `f: [] -> []` with the body `code`. */
function unit(code: number[]): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.exportFunction('f', m.addRawFunction(m.addType([], []), Uint8Array.from([0, ...code, 0x0b]), 'f'));
  return m.finish();
}

describe('tiering', () => {
  it("sets --no-liftoff for 'optimized' only", () => {
    const set = flagsSet();
    applyTiering(undefined);
    applyTiering('modules');
    applyTiering('dynamic');
    expect(set).toEqual([]);
    applyTiering('optimized');
    expect(set).toEqual(['--no-liftoff']);
  });

  const AROUND = ['--no-liftoff', '--no-wasm-lazy-compilation', '--liftoff', '--wasm-lazy-compilation', '--wasm-dynamic-tiering'];

  it('compiles code with a loop optimized, putting the flags back after', () => {
    const set = flagsSet();
    const m = compileOptimized(unit([0x03, 0x40, 0x0b]));
    expect(m).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.exports(m)).toEqual([{ name: 'f', kind: 'function' }]);
    expect(set).toEqual(AROUND);
  });

  it('compiles code that runs straight through on the baseline tier, setting no flag', () => {
    const set = flagsSet();
    const m = compileOptimized(unit([0x01]));
    expect(WebAssembly.Module.exports(m)).toEqual([{ name: 'f', kind: 'function' }]);
    expect(set).toEqual([]);
  });

  it('puts the flags back when the engine refuses the code', () => {
    const set = flagsSet();
    // A loop (so not straight code) that leaves a value the function does not return.
    const bad = unit([0x03, 0x40, 0x0b, 0x42, 0x00]);
    expect(() => compileOptimized(bad)).toThrow(WebAssembly.CompileError);
    expect(set).toEqual(AROUND);
  });
});
