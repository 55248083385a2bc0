// `simple-smf/loader`: the loader alone, for running compiled modules — the compiler is not
// loaded with it, only on the first load-time JIT (docs/performance.md).
export { SimpleError, isSimpleError, FileError } from './errors.js';
export { ModuleLoader } from './loader/module-loader.js';
export type { ModuleLoaderOptions, LoadResult, SymbolResult, LoadedModule, CallableSymbol, LoaderStats, HostFunction } from './loader/module-loader.js';
export { SmfCache } from './loader/smf-cache.js';
export type { SmfCacheOptions, CachedSmf, CacheStats, CacheStatsWithMetrics } from './loader/smf-cache.js';
export { LoadMetrics, formatCacheReport, LOAD_TIME_BUCKETS_MS } from './loader/metrics.js';
export { LoadError, InstantiationCycleError } from './loader/errors.js';
export { HeapHandle } from './loader/values.js';
export type { ExecutionLimits } from './loader/limits.js';
export { SimpleTrap, TextCapture } from './runtime/index.js';
export type { OutputSink, TrapCode, TrapName, TrapDetails } from './runtime/index.js';
