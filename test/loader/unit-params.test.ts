/**
 * A parameter of the unit type `()` has no WebAssembly value, so the wasm signature leaves it
 * out: the loader's conversions at the host boundary must skip it in both directions, or every
 * argument after it lands one place early.
 */
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { TextCapture } from '../../src/runtime/index.js';

function loaderWith(source: string, host: Record<string, (...a: never[]) => unknown> = {}): ModuleLoader {
  const files = new Map([['/virtual/m.spl', source]]);
  const [m] = new CompileSession().compileFiles([...files.keys()], files);
  const loader = new ModuleLoader({ output: new TextCapture(), host, jit: { updateSmf: false } });
  const r = loader.loadCompiled(m);
  if (r.kind === 'error') throw r.error;
  return loader;
}

function call(loader: ModuleLoader, name: string, ...args: unknown[]): unknown {
  const r = loader.resolveSymbol(name);
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name}: ${r.kind}`);
  return r.call(...args);
}

describe('unit parameters at the host boundary', () => {
  it('a Simple function called from TypeScript: the arguments after a unit one keep their places', () => {
    const loader = loaderWith(['fn g(a: i64, x: (), b: i64, y: (), c: f64) -> f64:', '    (a * 10 + b) as f64 + c', ''].join('\n'));
    expect(call(loader, 'g', 4n, undefined, 2n, undefined, 0.5)).toBe(42.5);
  });

  it('a method with a unit parameter, called from TypeScript', () => {
    const loader = loaderWith(['struct P:', '    v: i64', '', 'impl P:', '    fn add(x: (), n: i64) -> i64:', '        self.v + n', '    static fn make(x: (), v: i64) -> P:', '        P(v: v)', ''].join('\n'));
    const p = call(loader, 'P.make', undefined, 40n);
    expect(call(loader, 'P.add', p, undefined, 2n)).toBe(42n);
  });

  it('an extern fn: the host gets undefined for the unit parameter and the others in place', () => {
    const seen: unknown[][] = [];
    const loader = loaderWith(['extern fn h(x: (), a: i64, y: (), b: bool) -> i64', 'fn run() -> i64:', '    h((), 4, (), true)', ''].join('\n'), {
      h: (...args: never[]) => {
        seen.push(args);
        return 42n;
      },
    });
    expect(call(loader, 'run')).toBe(42n);
    expect(seen).toEqual([[undefined, 4n, undefined, true]]);
  });
});
