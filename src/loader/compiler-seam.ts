/**
 * The loader's ways to the compiler: the compiler proper (for load-time JIT) and the wasm meter
 * (for runs with limits). Here they are plain imports; in the bundles (scripts/bundle.mjs) this
 * file is replaced by one that loads each one's own bundle on its first call, so that running
 * precompiled code never loads or evaluates the compiler (docs/performance.md).
 */
import * as backend from '../compiler/jit-backend.js';
import * as meter from '../compiler/wasm/meter.js';

export type CompilerBackend = typeof backend;
export type WasmMeter = typeof meter;

export function compilerBackend(): CompilerBackend {
  return backend;
}

export function wasmMeter(): WasmMeter {
  return meter;
}
