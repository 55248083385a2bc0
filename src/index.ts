// The package's public API: what embedders and tools import from 'simple-smf'.
export { SimpleError, isSimpleError, FileError } from './errors.js';

// Types: the shared type model.
export * from './types/index.js';

// SDN and note.sdn.
export * from './sdn/index.js';

// The SMF format.
export * from './smf/index.js';

// The compiler.
export { CompileSession } from './compiler/driver/session.js';
export type { SessionOptions, SessionModule } from './compiler/driver/session.js';
export { compileModule } from './compiler/driver/compile-module.js';
export type { CompiledModule, InstanceUse } from './compiler/driver/compile-module.js';
export { emitSmf, buildNote } from './compiler/driver/emit-smf.js';
export type { EmitOptions } from './compiler/driver/emit-smf.js';
export { CompilerContext, InstantiationError } from './compiler/context.js';
export type { Instance, InstantiateResult } from './compiler/context.js';
export { CompileError, formatDiagnostic, formatDiagnostics } from './compiler/diagnostics.js';
export type { Diagnostic } from './compiler/diagnostics.js';
export { SourceFile } from './compiler/source.js';
export { ProgramEnv } from './compiler/program.js';
export type { FnDef, StructDef } from './compiler/program.js';
export { readSmfModule } from './compiler/interface/smf-module.js';

// The runtime.
export { createRuntime, SimpleTrap, TextCapture } from './runtime/index.js';
export type { Runtime, RuntimeOptions, OutputSink, TrapCode, TrapName, TrapDetails } from './runtime/index.js';

// The loader.
export { ModuleLoader } from './loader/module-loader.js';
export type { ModuleLoaderOptions, LoadResult, SymbolResult, LoadedModule, CallableSymbol, LoaderStats, HostFunction } from './loader/module-loader.js';
export { JitInstantiator, DEFAULT_JIT_CONFIG } from './loader/jit-instantiator.js';
export type { JitConfig, JitResult, JitStats, JitServices, PossibleEntry, LeavingModule } from './loader/jit-instantiator.js';
export { SmfCache } from './loader/smf-cache.js';
export type { SmfCacheOptions, CachedSmf, CacheStats, CacheStatsWithMetrics } from './loader/smf-cache.js';
export { LoadMetrics, formatCacheReport, LOAD_TIME_BUCKETS_MS } from './loader/metrics.js';
export type { LoadMetricsSnapshot, HistogramBucket, MemorySample, CacheReportInput } from './loader/metrics.js';
export { SymbolTable, JIT_OWNER } from './loader/symbol-table.js';
export type { LoadedSymbol } from './loader/symbol-table.js';
export { ExecMemory } from './loader/exec-memory.js';
export type { ExecMemoryOptions } from './loader/exec-memory.js';
export { LoadError, InstantiationCycleError } from './loader/errors.js';
export { HeapHandle } from './loader/values.js';
export { TrustDomain, TrustDomains, DomainCrossingError } from './loader/trust-domain.js';
export { CodeVerifyError } from './loader/verify-code.js';
export type { ExecutionLimits } from './loader/limits.js';

// The linker.
export * from './linker/index.js';
