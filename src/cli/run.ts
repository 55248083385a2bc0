import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { CompileSession } from '../compiler/driver/session.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import type { ModuleLoader as Loader } from '../loader/module-loader.js';
import { EXIT } from './exit-codes.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { DEFAULT_STACK_MB } from './thread.js';
import { SimpleTrap } from '../runtime/trap.js';
import { callMain, finishRun, newLoader, runSmfFile } from './run-smf.js';
import type { RunOptions } from './run-smf.js';

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
  if (opts.watch && !file.endsWith('.spl')) {
    ctx.io.stderr('error: --watch needs a .spl source file\n');
    return EXIT.usage;
  }
  if (!file.endsWith('.spl')) return runSmfFile(file, opts, ctx);
  let loader: Loader | null = null;
  try {
    loader = newLoader(opts, ctx);
    // The compiler, and chokidar for --watch, are loaded only for a source file.
    const { CompileSession } = await import('../compiler/driver/session.js');
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
      const { watchAndReload } = await import('./watch.js');
      await watchAndReload(file, live, session, ctx, { modulePaths: opts.modulePath, runMain });
      return EXIT.ok;
    }
    return callMain(loader, file);
  } catch (e) {
    return reportError(e, ctx.io);
  } finally {
    if (loader) finishRun(loader, opts, ctx);
  }
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

