/**
 * What the loader takes from the compiler proper (checker, lowering, encoder): loaded on the
 * first load-time JIT only, through src/loader/compiler-seam.ts, so that running precompiled
 * code never loads it (docs/performance.md).
 */
export { CompilerContext } from './context.js';
export { buildNote } from './driver/emit-smf.js';
