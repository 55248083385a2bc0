/**
 * The playground's engine, without the page: compiles the sources in the editor, writes each
 * module's SMF to the platform's files (memory, in the browser), loads them into one long-lived
 * loader, and runs `main`. A later run with edited sources hot-reloads the changed modules into the
 * same loader, as `smf run --watch` does: slots keep working, the heap survives, and live
 * instances of changed templates are instantiated again. JIT-compiled instances are written back
 * into the modules' files, so a restart with unchanged sources loads them instead of compiling.
 */
import { CompileSession } from '../compiler/driver/session.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { emitSmf } from '../compiler/driver/emit-smf.js';
import { CompileError, formatDiagnostics } from '../compiler/diagnostics.js';
import { isSimpleError } from '../errors.js';
import { ModuleLoader } from '../loader/module-loader.js';
import type { LoaderStats } from '../loader/module-loader.js';
import { LoadError } from '../loader/errors.js';
import { TextCapture, SimpleTrap } from '../runtime/index.js';
import { files } from '../platform/index.js';
import { join, resolve } from 'node:path';
import { SmfReader } from '../smf/index.js';
import { jitCacheSymbolsOf } from '../graph/smf-graph.js';

export interface RunOutcome {
  readonly stdout: string;
  /** main's result (or 0); 1 for a compile or load error, 3 for a trap (as `smf run`). */
  readonly exitCode: number;
  /** The trap's message, when main trapped. */
  readonly trap: string | null;
  /** Compile errors with their source lines and carets, or another error's message. */
  readonly diagnostics: string | null;
  /** Modules hot-reloaded into the running loader by this run. */
  readonly reloaded: readonly string[];
  /** Whether this run started a fresh loader (first run, restart, or after a refused reload). */
  readonly fresh: boolean;
  /** Each module's SMF file as it is after the run (JIT instances written back). */
  readonly modules: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  /** jit_cache symbols each module file held before this run: instances kept from an earlier run. */
  readonly keptBefore: ReadonlySet<string>;
  readonly compileMs: number;
  readonly runMs: number;
  readonly stats: LoaderStats | null;
}

export interface PlaygroundOptions {
  /** Where the modules' SMF files go. Default `/playground`. */
  readonly dir?: string;
  /** A trap stops main after this long (an endless loop must not hang the page). Default 5000. */
  readonly timeoutMs?: number;
}

export const EXIT_ERROR = 1;
export const EXIT_TRAP = 3;

export class Playground {
  private loader: ModuleLoader | null = null;
  private readonly output = new TextCapture();
  /** Each module's source as loaded into the running loader (or as its file was written). */
  private readonly loadedSources = new Map<string, string>();
  readonly dir: string;

  constructor(private readonly options: PlaygroundOptions = {}) {
    this.dir = options.dir ?? '/playground';
  }

  /** Drops the running loader: the next run starts fresh (and reuses unchanged modules' files). */
  restart(): void {
    this.loader = null;
  }

  get running(): ModuleLoader | null {
    return this.loader;
  }

  /**
   * Compiles `entry` with the modules it uses from `sources` (path → text; paths under `dir`),
   * brings the loader up to date, and runs main.
   */
  run(entry: string, sources: ReadonlyMap<string, string>): RunOutcome {
    const t0 = performance.now();
    let compiled: CompiledModule[];
    try {
      compiled = new CompileSession({ displayRoot: this.dir }).compileFiles([entry], sources);
    } catch (e) {
      return this.failed(e, t0);
    }
    const paths = new Map(compiled.map((c) => [c.declared.name, join(this.dir, `${c.declared.name}.smf`)]));
    const changed = compiled.filter((c) => this.loadedSources.get(c.declared.name) !== sources.get(this.sourcePath(c)) || !files.existsSync(paths.get(c.declared.name)!));
    for (const c of changed) files.writeFileAtomicSync(paths.get(c.declared.name)!, emitSmf(c));
    const keptBefore = new Set<string>();
    for (const p of paths.values()) for (const s of jitCacheSymbols(p)) keptBefore.add(s);
    const compileMs = performance.now() - t0;

    const reloaded: string[] = [];
    let fresh = false;
    try {
      if (this.loader) {
        for (const c of changed) {
          const r = this.loader.isLoaded(c.declared.name) ? this.loader.reload(c.declared.name) : this.loader.load(paths.get(c.declared.name)!);
          if (r.kind === 'error') throw r.error;
          reloaded.push(c.declared.name);
        }
      } else {
        fresh = true;
        this.loader = new ModuleLoader({ hotReload: true, output: this.output, limits: { timeoutMs: this.options.timeoutMs ?? 5000 } });
        const main = compiled[compiled.length - 1];
        const r = this.loader.load(paths.get(main.declared.name)!);
        if (r.kind === 'error') throw r.error;
      }
    } catch (e) {
      // A refused reload (an incompatible edit) leaves the old code running; the files are new.
      for (const c of changed) this.loadedSources.delete(c.declared.name);
      return this.failed(e, t0, compileMs);
    }
    for (const c of compiled) this.loadedSources.set(c.declared.name, sources.get(this.sourcePath(c)) ?? '');

    const t1 = performance.now();
    this.output.clear();
    let exitCode = 0;
    let trap: string | null = null;
    let diagnostics: string | null = null;
    try {
      exitCode = callMain(this.loader, entry);
    } catch (e) {
      if (e instanceof SimpleTrap) {
        trap = e.message;
        exitCode = EXIT_TRAP;
      } else if (isSimpleError(e)) {
        diagnostics = e.message;
        exitCode = EXIT_ERROR;
      } else throw e;
    }
    this.loader.runtime.flush();
    this.loader.flushWrites();
    const runMs = performance.now() - t1;
    return {
      stdout: this.output.text,
      exitCode,
      trap,
      diagnostics,
      reloaded,
      fresh,
      modules: [...paths].map(([name, path]) => ({ name, path })),
      keptBefore,
      compileMs,
      runMs,
      stats: this.loader.stats(),
    };
  }

  /** A compiled module's source file (the session shows paths relative to `dir`). */
  private sourcePath(c: CompiledModule): string {
    return resolve(this.dir, c.declared.source.path);
  }

  private failed(e: unknown, t0: number, compileMs = performance.now() - t0): RunOutcome {
    let diagnostics: string;
    if (e instanceof CompileError) diagnostics = formatDiagnostics(e.diagnostics);
    else if (isSimpleError(e)) diagnostics = `error: ${e.message}`;
    else throw e;
    return { stdout: '', exitCode: EXIT_ERROR, trap: null, diagnostics, reloaded: [], fresh: false, modules: [], keptBefore: new Set(), compileMs, runMs: 0, stats: this.loader?.stats() ?? null };
  }
}

/** Runs `main` as `smf run` does: its i64 result is the exit code. */
function callMain(loader: ModuleLoader, file: string): number {
  const main = loader.resolveSymbol('main');
  if (main.kind === 'not_found') throw new LoadError('LOAD_UNDEFINED_SYMBOL', `no 'main' function to run`, file, 'main');
  if (main.kind === 'error') throw main.error ?? new LoadError('LOAD_UNDEFINED_SYMBOL', main.message, file, 'main');
  const result = main.call();
  return typeof result === 'bigint' ? Number(BigInt.asIntN(32, result)) : 0;
}

/** The instances whose code the module file at `path` keeps (its jit_cache section). */
function jitCacheSymbols(path: string): string[] {
  if (!files.existsSync(path)) return [];
  try {
    return jitCacheSymbolsOf(SmfReader.openSync(path, { verifyHash: false }));
  } catch {
    // An unreadable file is reported by the load that follows.
    return [];
  }
}
