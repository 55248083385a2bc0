/**
 * Values of the unit type `()` have no WebAssembly value: a local of that type has no wasm
 * local, so reading it emits nothing (src/compiler/lower/function.ts `local`), storing one into
 * an array element stores nothing (`setIndex`), and a parameter of
 * that type is left out of a call's signature — for a call through another module's table slot
 * too, whose type the unit declares itself (src/compiler/lower/unit.ts `callSymbol`), and for an
 * `extern fn`'s host import and the wrapper the unit gives it.
 */
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { TextCapture } from '../../../src/runtime/index.js';
import { callMain } from '../call-main.js';
import { printed } from './run-source.js';

describe('unit values', () => {
  it('a unit local read and assigned', () => {
    expect(printed(['fn main():', '    val u = ()', '    val w = u', '    var v = w', '    v = u', '    print(1)', ''].join('\n'))).toEqual(['1']);
  });

  it('an array of unit values: built, stored into, pushed to', () => {
    expect(printed(['fn main():', '    var us = [(), ()]', '    us[1] = ()', '    us.push(())', '    print(us.len())', ''].join('\n'))).toEqual(['3']);
  });

  it('a unit argument to another module’s function, plain and generic', () => {
    const files = new Map([
      // `g` reads its unit parameter: a parameter with no wasm value has no wasm local either.
      ['/virtual/lib.spl', ['fn f<T>(x: T) -> i64:', '    7', '', 'fn one(x: ()) -> i64:', '    1', '', 'fn g(a: i64, x: (), b: i64) -> i64:', '    val y = x', '    a * 10 + b + one(y) + one(x) - 2', ''].join('\n')],
      ['/virtual/main.spl', ['use lib.{f, g}', 'fn main():', '    print(f(()))', '    print(g(4, (), 2))', ''].join('\n')],
    ]);
    const modules = new CompileSession().compileFiles([...files.keys()], files);
    const main = modules.find((m) => m.declared.name === 'main')!;
    expect(main.unit.imports.got).toContain('g');
    const out = new TextCapture();
    const loader = new ModuleLoader({ output: out, jit: { updateSmf: false } });
    for (const m of modules) {
      const r = loader.loadCompiled(m);
      if (r.kind === 'error') throw r.error;
    }
    expect(callMain(loader, out)).toEqual({ stdout: '7\n42\n', exit: 0, trap: null });
  });

  it('a unit parameter of an extern fn: left out of the host import and of its wrapper', () => {
    const files = new Map([['/virtual/main.spl', ['extern fn h(a: i64, x: (), b: i64) -> i64', 'fn main():', '    print(h(4, (), 2))', ''].join('\n')]]);
    const [main] = new CompileSession().compileFiles([...files.keys()], files);
    const out = new TextCapture();
    const loader = new ModuleLoader({ output: out, host: { h: (a: bigint, x: unknown, b: bigint) => (x === undefined ? a * 10n + b : -1n) }, jit: { updateSmf: false } });
    const r = loader.loadCompiled(main);
    if (r.kind === 'error') throw r.error;
    expect(callMain(loader, out)).toEqual({ stdout: '42\n', exit: 0, trap: null });
  });
});
