/**
 * `smf run` of a compiled module (.smf): what it needs of the command line and no more — no
 * compiler and no option parser — so that the run thread's fast path (src/cli/run-fast.ts) and
 * `smf run` share it. The compiler is loaded only if the program needs a load-time JIT.
 */
import { ModuleLoader } from '../loader/module-loader.js';
import type { ModuleLoader as Loader } from '../loader/module-loader.js';
import { EXIT } from './exit-codes.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { LoadError } from '../loader/errors.js';
import { DEFAULT_STACK_MB } from './thread.js';
import type { ExecutionLimits } from '../loader/limits.js';
import { formatCacheReport } from '../loader/metrics.js';

export interface RunOptions {
  modulePath?: string[];
  stats?: boolean;
  statsJson?: boolean;
  jit: boolean;
  watch?: boolean;
  optimize?: boolean;
  timeout?: number;
  fuel?: bigint;
  stackSize?: number;
  prefetch?: boolean;
}

/** The loader `smf run` runs a program in, set up from its options. */
export function newLoader(opts: RunOptions, ctx: CommandContext): Loader {
  return new ModuleLoader({
    modulePaths: opts.modulePath,
    enableJit: opts.jit,
    hotReload: opts.watch,
    tiering: opts.optimize ? 'optimized' : 'modules',
    output: ctx.io.output,
    limits: limitsOf(opts, ctx),
    // The shadow stack (heap pointers of running functions, docs/memory.md) grows with the
    // thread's stack: a 64th of it, at least 1 MiB, so deep recursion over heap values fits too.
    memory: { shadowStackBytes: Math.max(1, Math.floor((opts.stackSize ?? DEFAULT_STACK_MB) / 64)) << 20 },
  });
}

/** Loads a compiled module and runs its main; returns the exit code. */
export async function runSmfFile(file: string, opts: RunOptions, ctx: CommandContext): Promise<number> {
  let loader: Loader | null = null;
  try {
    loader = newLoader(opts, ctx);
    const r = opts.prefetch ? await loader.loadAsync(file) : loader.load(file);
    if (r.kind === 'error') throw r.error;
    return callMain(loader, file);
  } catch (e) {
    return reportError(e, ctx.io);
  } finally {
    if (loader) finishRun(loader, opts, ctx);
  }
}

/** After a run: instances compiled at load time are written back, and --stats printed. */
export function finishRun(loader: Loader, opts: RunOptions, ctx: CommandContext): void {
  loader.flushWrites();
  if (opts.stats || opts.statsJson) printStats(loader, ctx, opts.statsJson === true);
}

/**
 * The loader's limits: --fuel and --timeout, and under --watch on the run thread the flag the
 * main thread raises on a save. None (code not metered) when nothing asks for them.
 */
function limitsOf(opts: RunOptions, ctx: CommandContext): ExecutionLimits | undefined {
  const interrupt = opts.watch ? ctx.io.interrupt : undefined;
  if (opts.fuel === undefined && opts.timeout === undefined && interrupt === undefined) return undefined;
  return { fuel: opts.fuel, timeoutMs: opts.timeout, interrupt };
}

export /** Runs `main` and returns the exit code: its i64 result, or 0. */
function callMain(loader: Loader, file: string): number {
  const main = loader.resolveSymbol('main');
  if (main.kind === 'not_found') throw new LoadError('LOAD_UNDEFINED_SYMBOL', `no 'main' function to run`, file, 'main');
  if (main.kind === 'error') throw main.error ?? new LoadError('LOAD_UNDEFINED_SYMBOL', main.message, file, 'main');
  const fn = loader.symbols.lookup('main')?.fn;
  if (fn && (fn.params.length > 0 || (fn.ret.kind !== 'unit' && !(fn.ret.kind === 'int' && fn.ret.bits === 64 && fn.ret.signed)))) {
    throw new LoadError('LOAD_SIGNATURE_CHANGED', `'main' must be 'fn main()' or 'fn main() -> i64'`, file, 'main');
  }
  const result = main.call();
  return typeof result === 'bigint' ? Number(BigInt.asIntN(32, result)) : EXIT.ok;
}

function printStats(loader: Loader, ctx: CommandContext, json: boolean): void {
  const s = loader.stats();
  if (json) {
    ctx.io.stderr(JSON.stringify(s, (_, v: unknown) => (v === Infinity ? null : v)) + '\n');
    return;
  }
  const times = [...s.jit.timesUs].sort((a, b) => a - b);
  const p = (q: number): string => (times.length ? `${times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1)} µs` : '-');
  ctx.io.stderr(
    [
      'loader statistics:',
      `  modules loaded      ${s.modules}`,
      `  symbols             ${s.symbols}`,
      `  table slots in use  ${s.slotsInUse}`,
      `  jit compiled        ${s.jit.compiled} (cache hits ${s.jit.cacheHits}, loaded from earlier runs ${s.jit.persistedLoads}, failures ${s.jit.failures})`,
      `  jit time p50 / p99  ${p(0.5)} / ${p(0.99)}`,
      `  heap in use         ${s.memory.bytesInUse} bytes (peak ${s.memory.peakBytesInUse}, ${s.memory.allocations} allocations)`,
      `  garbage collection  ${s.memory.gc.collections} collections in ${s.memory.gc.totalMs.toFixed(1)} ms, ${s.memory.gc.blocksFreed} blocks freed, ${s.memory.gc.liveBytesAfterLast} bytes live after the last; memory ${s.memory.memoryBytes} bytes`,
      `  smf cache           ${s.cache.files} files, ${s.cache.bytes} bytes, hits ${s.cache.hits}, misses ${s.cache.misses} (hit rate ${(s.cache.hitRate * 100).toFixed(1)}%), evictions ${s.cache.evictions}, prefetched ${s.cache.prefetched}`,
      ...s.notWrittenBack.map((why) => `  not written back    ${why}`),
      '',
    ].join('\n') + formatCacheReport(s.cache),
  );
}
