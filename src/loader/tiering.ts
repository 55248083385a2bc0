/**
 * How compiled code reaches V8's optimizing tier (ModuleLoaderOptions.tiering; the choices and
 * their measurements are in docs/performance.md). Flags go through the platform (in Node,
 * node:v8, loaded only when a flag is set; a browser has none to set).
 */
import { natives } from '../platform/index.js';
import { noteCodeModule } from '../runtime/backtrace.js';
import { runsStraight } from './call-graph.js';

/**
 * 'modules' (the default): each module's own code is compiled by the optimizing tier, all of it
 * when the module is first used, so a long first call (a kernel run once from main) runs
 * optimized code — V8 has no on-stack replacement for wasm, and its dynamic tier-up only helps
 * the next call; the load-time JIT's small instances keep the baseline tier and its latency.
 * 'dynamic': baseline code first everywhere, optimized between calls once hot.
 * 'optimized': `--no-liftoff` for the whole process.
 */
export type Tiering = 'dynamic' | 'modules' | 'optimized';

/** Sets the process's V8 flags for `tiering`. */
export function applyTiering(tiering: Tiering | undefined): void {
  if (tiering === 'optimized') natives.setEngineFlags('--no-liftoff');
}

/**
 * Compiles `wasm` with V8's optimizing compiler, every function up front: the flags that say so
 * are set for this one compilation and put back, so that other code (the load-time JIT's
 * instances) keeps the baseline tier and its compile latency.
 */
export function compileOptimized(wasm: Uint8Array): WebAssembly.Module {
  // Code that runs straight through (no loop, no recursion: `hello`) runs each function a few
  // times at most: optimizing it costs more than it saves, and setting the flags loads node:v8.
  if (runsStraight(wasm)) return compileBaseline(wasm);
  natives.setEngineFlags('--no-liftoff');
  natives.setEngineFlags('--no-wasm-lazy-compilation');
  try {
    const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    noteCodeModule(module); // for the line numbers of a trap's backtrace, as compilePlain does
    return module;
  } finally {
    natives.setEngineFlags('--liftoff');
    natives.setEngineFlags('--wasm-lazy-compilation');
    // `--no-liftoff` also turned dynamic tiering off (a V8 flag implication), and `--liftoff` does
    // not turn it back on: without this, every later module stayed on the baseline tier, and V8
    // refused code caches made afterwards (their flag hash differed).
    natives.setEngineFlags('--wasm-dynamic-tiering');
  }
}

function compileBaseline(wasm: Uint8Array): WebAssembly.Module {
  const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  noteCodeModule(module);
  return module;
}
