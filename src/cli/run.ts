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
import { formatCacheReport } from '../loader/metrics.js';

interface RunOptions {
  modulePath?: string[];
  stats?: boolean;
  statsJson?: boolean;
  jit: boolean;
  watch?: boolean;
  optimize?: boolean;
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
    .option('--optimize', "compile all code with V8's optimizing tier up front (for long-running kernels)")
    .option('--watch', 'with a .spl file: recompile on save and hot-reload the changed modules, then run main again')
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
    loader = new ModuleLoader({ modulePaths: opts.modulePath, enableJit: opts.jit, hotReload: opts.watch, tiering: opts.optimize ? 'optimized' : 'dynamic' });
    if (file.endsWith('.spl')) {
      const session = new CompileSession({ modulePaths: opts.modulePath, displayRoot: process.cwd() });
      loadSession(loader, session, session.compileFiles([file]));
      if (opts.watch) {
        const live = loader;
        const runMain = (): number => {
          try {
            return callMain(live, file);
          } catch (e) {
            return reportError(e, ctx.io);
          }
        };
        runMain();
        await watchAndReload(file, live, session, ctx, { modulePaths: opts.modulePath, runMain });
        return EXIT.ok;
      }
    } else {
      const r = loader.load(file);
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
      `  smf cache           ${s.cache.files} files, ${s.cache.bytes} bytes, hits ${s.cache.hits}, misses ${s.cache.misses} (hit rate ${(s.cache.hitRate * 100).toFixed(1)}%), evictions ${s.cache.evictions}`,
      '',
    ].join('\n') + formatCacheReport(s.cache),
  );
}
