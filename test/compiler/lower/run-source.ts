// Shared by the lowering's mutation tests: a Simple program from a string, compiled in memory,
// checked by the engine's validator, loaded and run as `smf run` would, with its output captured.
import { expect } from 'vitest';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import type { CompiledModule } from '../../../src/compiler/driver/compile-module.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import type { ExecutionLimits } from '../../../src/loader/limits.js';
import { TextCapture } from '../../../src/runtime/index.js';
import { callMain } from '../call-main.js';
import type { MainResult } from '../call-main.js';

export type Ran = MainResult;

export interface RunOptions {
  readonly gcStress?: boolean;
  readonly limits?: ExecutionLimits;
}

const PATH = '/virtual/main.spl';

export function compileSource(source: string): CompiledModule[] {
  const compiled = new CompileSession().compileFiles([PATH], new Map([[PATH, source]]));
  for (const c of compiled) expect(WebAssembly.validate(c.unit.wasm as Uint8Array<ArrayBuffer>), 'invalid WebAssembly').toBe(true);
  return compiled;
}

/** The program compiled and loaded, its output captured. */
export function loadSource(source: string, options: RunOptions = {}): { loader: ModuleLoader; out: TextCapture; fn(name: string): (...args: unknown[]) => unknown } {
  const compiled = compileSource(source);
  const out = new TextCapture();
  const loader = new ModuleLoader({ output: out, memory: { maximumPages: 512, gc: { stress: options.gcStress } }, limits: options.limits, jit: { updateSmf: false } });
  for (const c of compiled) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  return {
    loader,
    out,
    fn(name) {
      const r = loader.resolveSymbol(name);
      if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name} did not resolve: ${r.kind}`);
      return r.call;
    },
  };
}

export function runSource(source: string, options: RunOptions = {}): Ran {
  const { loader, out } = loadSource(source, options);
  return callMain(loader, out);
}

/** The printed lines of a program that must run to its end. */
export function printed(source: string, options: RunOptions = {}): string[] {
  const r = runSource(source, options);
  expect(r.trap).toBeNull();
  return r.stdout.split('\n').slice(0, -1);
}
