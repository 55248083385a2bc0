/**
 * The ModuleLoader's public shapes: its options, and what load, resolve and stats answer.
 * Types only, apart from the class (module-loader.ts), so tools can name them cheaply.
 */
import type { SimpleError } from '../errors.js';
import type { CollectorOptions, OutputSink, Runtime } from '../runtime/index.js';
import type { CallableSymbol } from './callable.js';
import type { ExecMemoryOptions } from './exec-memory.js';
import type { HostFunction } from './installer.js';
import type { JitConfig, JitStats } from './jit-instantiator.js';
import type { ExecutionLimits } from './limits.js';
import type { LoadedModule } from './module-registry.js';
import type { CacheStatsWithMetrics, SmfCacheOptions } from './smf-cache.js';
import type { Tiering } from './tiering.js';

export interface ModuleLoaderOptions {
  readonly enableJit?: boolean;
  readonly jit?: Partial<JitConfig>;
  readonly hotReload?: boolean;
  /** Folders searched for imported modules after the importing module's own folder. */
  readonly modulePaths?: readonly string[];
  /** The `extern fn`s modules may call, by name. */
  readonly host?: Readonly<Record<string, HostFunction>>;
  /** Where `print` writes. Default: standard output. */
  readonly output?: OutputSink;
  /**
   * The shared memory: its size in 64 KiB pages, the shadow stack's size, and collector tuning
   * (docs/memory.md).
   */
  readonly memory?: {
    readonly initialPages?: number;
    readonly maximumPages?: number;
    readonly shadowStackBytes?: number;
    readonly gc?: CollectorOptions;
  };
  /** Bounds of the SMF file cache. */
  readonly cache?: SmfCacheOptions;
  /**
   * How compiled code reaches V8's optimizing tier (tiering.ts, docs/performance.md). 'modules'
   * (default): modules' own code optimized up front, the JIT's instances on the baseline tier.
   * 'dynamic': baseline first everywhere, optimized between calls once hot. 'optimized':
   * `--no-liftoff` for the whole process.
   */
  readonly tiering?: Tiering;
  /**
   * Defer compiling a loaded module's code to its first use (default true): loading reads,
   * validates and registers the module; the first resolveSymbol of one of its functions, or the
   * installation of code that calls it, compiles and installs it.
   */
  readonly lazy?: boolean;
  readonly table?: ExecMemoryOptions;
  /**
   * Bounds on each call from the host into module code: fuel, a timeout, an interrupt flag
   * (docs/limits.md). With limits, all code is metered when it is installed; without, it is
   * installed as compiled and runs at full speed.
   */
  readonly limits?: ExecutionLimits;
}

export type LoadResult =
  | { readonly kind: 'loaded'; readonly module: LoadedModule }
  | { readonly kind: 'already_loaded'; readonly module: LoadedModule }
  | { readonly kind: 'error'; readonly message: string; readonly error: SimpleError };

export type SymbolResult =
  | ({ readonly kind: 'found' } & CallableSymbol)
  | ({ readonly kind: 'jit' } & CallableSymbol)
  | { readonly kind: 'not_found'; readonly name: string }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly error?: SimpleError };

export interface LoaderStats {
  readonly modules: number;
  readonly symbols: number;
  readonly slotsInUse: number;
  readonly jit: JitStats;
  readonly memory: ReturnType<Runtime['stats']>;
  readonly cache: CacheStatsWithMetrics;
  /** Why files were not written back (a read-only file is left alone), one line each. */
  readonly notWrittenBack: readonly string[];
}
