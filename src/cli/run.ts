import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { CompileSession } from '../compiler/driver/session.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { ModuleLoader } from '../loader/module-loader.js';
import type { ModuleLoader as Loader } from '../loader/module-loader.js';
import { EXIT } from './program.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { LoadError } from '../loader/errors.js';
import { watchAndReload } from './watch.js';
import { DEFAULT_STACK_MB } from './thread.js';
import type { ExecutionLimits } from '../loader/limits.js';
import { SimpleTrap } from '../runtime/trap.js';
import { formatCacheReport } from '../loader/metrics.js';

interface RunOptions {
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

export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .description("run a program's main: a .spl source (compiled in memory with its imports) or a .smf module")
    .argument('<file>', '.spl or .smf file')
    .option('-I, --module-path <dir...>', 'more folders to find imported modules in')
    .option('--stats', "print the loader's and the cache's statistics at exit")
    .option('--stats-json', 'the same as one JSON object, for tools (also written --stats=json)')
    .option('--no-jit', 'do not instantiate templates at load time')
    .option('--prefetch', "with a .smf file: read the modules it imports (as their headers' prefetch hint asks) ahead, in parallel, before loading")
    .option('--optimize', "compile all code with V8's optimizing tier up front (for long-running kernels)")
    .option('--watch', 'with a .spl file: recompile on save and hot-reload the changed modules, then run main again')
    .option('--timeout <ms>', 'stop main with a timeout trap after this many milliseconds (each run of main under --watch)', wholeNumber('--timeout', (n) => Number(n), 0, 2 ** 31))
    .option('--fuel <n>', 'stop main with an out-of-fuel trap after n units (one per function call and loop iteration)', wholeNumber('--fuel', (n) => BigInt(n)))
    .option('--stack-size <mb>', `the stack of the thread main runs on, in MiB (default ${DEFAULT_STACK_MB}; 0: the main thread's own)`, wholeNumber('--stack-size', (n) => Number(n), 0, 65536))
    .action(async (file: string, opts: RunOptions) => {
      ctx.exit(await runProgram(file, opts, ctx));
    });
}

async function runProgram(file: string, opts: RunOptions, ctx: CommandContext): Promise<number> {
  let loader: Loader | null = null;
  try {
    if (opts.watch && !file.endsWith('.spl')) {
      ctx.io.stderr('error: --watch needs a .spl source file\n');
      return EXIT.usage;
    }
    loader = new ModuleLoader({
      modulePaths: opts.modulePath,
      enableJit: opts.jit,
      hotReload: opts.watch,
      tiering: opts.optimize ? 'optimized' : 'dynamic',
      output: ctx.io.output,
      limits: limitsOf(opts, ctx),
      // The shadow stack (heap pointers of running functions, docs/memory.md) grows with the
      // thread's stack: a 64th of it, at least 1 MiB, so deep recursion over heap values fits too.
      memory: { shadowStackBytes: Math.max(1, Math.floor((opts.stackSize ?? DEFAULT_STACK_MB) / 64)) << 20 },
    });
    if (file.endsWith('.spl')) {
      const session = new CompileSession({ modulePaths: opts.modulePath, displayRoot: process.cwd() });
      loadSession(loader, session, session.compileFiles([file]));
      if (opts.watch) {
        const live = loader;
        const runMain = (): number => {
          // A change seen while main was not running must not stop the run that follows it.
          if (ctx.io.interrupt) Atomics.store(ctx.io.interrupt, 0, 0);
          try {
            return callMain(live, file);
          } catch (e) {
            if (e instanceof SimpleTrap && e.kind === 'Interrupted') {
              ctx.io.stderr(`[smf] main stopped${e.functionName ? ` in function '${e.functionName}'` : ''}: a source changed\n`);
              return EXIT.trap;
            }
            return reportError(e, ctx.io);
          }
        };
        await watchAndReload(file, live, session, ctx, { modulePaths: opts.modulePath, runMain });
        return EXIT.ok;
      }
    } else {
      const r = opts.prefetch ? await loader.loadAsync(file) : loader.load(file);
      if (r.kind === 'error') throw r.error;
    }
    return callMain(loader, file);
  } catch (e) {
    return reportError(e, ctx.io);
  } finally {
    if (loader) {
      loader.flushWrites();
      if (opts.stats || opts.statsJson) printStats(loader, ctx, opts.statsJson === true);
    }
  }
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

/** A commander parser for an integer option in [min, max]. */
function wholeNumber<T>(option: string, convert: (text: string) => T, min = 0, max = Infinity): (text: string) => T {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new InvalidArgumentError(`${option} takes a whole number${max < Infinity ? ` from ${min} to ${max}` : min > 0 ? ` from ${min}` : ''}, not '${text}'`);
    }
    return convert(text);
  };
}

/**
 * Loads what a compilation produced into the loader, in dependency order: the modules compiled
 * from source, and the ones the session only knew from their SMF files.
 */
export function loadSession(loader: Loader, session: CompileSession, compiled: readonly CompiledModule[]): void {
  const byName = new Map(compiled.map((c) => [c.declared.name, c]));
  for (const m of session.modules) {
    const c = byName.get(m.name);
    const r = m.kind === 'smf' ? loader.load(m.path) : c ? loader.loadCompiled(c) : null;
    if (r?.kind === 'error') throw r.error;
  }
}

/** Runs `main` and returns the exit code: its i64 result, or 0. */
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
