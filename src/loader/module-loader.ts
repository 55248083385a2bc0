/**
 * ModuleLoader — loads SMF modules at run time into one shared table and memory, resolves
 * symbols with a JIT fallback that instantiates generic templates on demand, and unloads and
 * reloads modules.
 */
import { dirname, join, resolve } from 'node:path';
import { files } from '../platform/index.js';
import { absolutePath, findModuleFile } from './module-files.js';
import { applyTiering, compileOptimized } from './tiering.js';
import { INSTANCE_EXPORT } from '../compiler/lower/unit-abi.js';
import { ObjTaker } from '../linker/obj-taker.js';
import type { CompilerContext, Instance } from '../compiler/context.js';
import { compilerBackend, wasmMeter } from './compiler-seam.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { allTypeParams, ProgramEnv } from '../compiler/program.js';
import type { FnDef } from '../compiler/program.js';
import { SimpleError } from '../errors.js';
import { createRuntime } from '../runtime/index.js';
import { importsPrivate, verifyingCompiler } from './verify-code.js';
import { ExecutionGuard } from './limits.js';
import type { Runtime } from '../runtime/index.js';
import { addCircularError, markJitCompiled } from '../sdn/index.js';
import { recordInstanceDependencies } from './instance-dependencies.js';
import type { CircularErrorRow } from '../sdn/index.js';
import { instanceFingerprint } from './jit-code-cache.js';
import { WriteBack } from './write-back.js';
import { ModuleData } from './module-data.js';
import { grantedHostFunction } from './host-grants.js';
import { isMangledForm, normalizeSymbolName, parseType, readableName, typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import { ExecMemory } from './exec-memory.js';
import { LoadError } from './errors.js';
import { JitInstantiator } from './jit-instantiator.js';
import type { PossibleEntry } from './jit-instantiator.js';
import { SmfCache } from './smf-cache.js';
import { prefetchImports } from './import-prefetch.js';
import { ModuleSymbol, SymbolTable } from './symbol-table.js';
import type { LoadedSymbol } from './symbol-table.js';
import { Installer, missingHostFunction, undefinedMessage } from './installer.js';
import { ModuleRecord, ModuleRegistry } from './module-registry.js';
import type { LoadedModule } from './module-registry.js';
import { makeCallable } from './callable.js';
import { swapModule } from './hot-swap.js';
import type { SwapServices } from './hot-swap.js';
import { compilePlain, prepareFromCompiled, prepareFromFile, unitOf } from './prepared-module.js';
import type { CodeCompiler, PreparedModule } from './prepared-module.js';

export type { CallableSymbol } from './callable.js';
export type { HostFunction } from './installer.js';
export type { LoadedModule } from './module-registry.js';

export type { LoaderStats, LoadResult, ModuleLoaderOptions, SymbolResult } from './loader-api.js';
import type { LoaderStats, LoadResult, ModuleLoaderOptions, SymbolResult } from './loader-api.js';

export class ModuleLoader {
  readonly env = new ProgramEnv();
  readonly runtime: Runtime;
  readonly exec: ExecMemory;
  readonly symbols = new SymbolTable();
  readonly jit: JitInstantiator;
  readonly cache: SmfCache;
  private contextMade: CompilerContext | undefined;
  private objTakerMade: ObjTaker | undefined;
  private readonly modules = new ModuleRegistry();
  private readonly installer: Installer;
  /** Load-time instantiations written back into the modules' files, and the code kept there. */
  private readonly writeBack: WriteBack;
  /** Static data of the installed code, by owning module. */
  private readonly data: ModuleData;
  private readonly notWrittenBack: string[] = [];
  /** resolveSymbol answers by the name asked for: a hit is one map lookup. */
  private readonly callables = new Map<string, SymbolResult>();
  private swapServicesMade: SwapServices | undefined;
  /** What a module's symbol is an instance of, asked by the symbol on first use. */
  private readonly describer = (symbol: string, p: PreparedModule) => this.describeSymbol(symbol, p);
  /** Makes a module's symbol on its first lookup: a table slot, and its description on demand. */
  private readonly makeSymbol = (name: string, m: ModuleRecord): LoadedSymbol =>
    new ModuleSymbol(name, this.exec.allocExecMemory(m.prepared.localExports.has(name) ? 'private' : 'exposed'), m.name, this.describer, m.prepared);
  /** Enforces `options.limits`; undefined (and code not metered) without them. */
  private readonly guard: ExecutionGuard | undefined;
  /** Compiles units' code: metered when there are limits. */
  private readonly compileCode: CodeCompiler;
  /** Compiles modules' own code (not the JIT's instances): see `tiering`. */
  private readonly compileModuleCode: CodeCompiler;

  constructor(readonly options: ModuleLoaderOptions = {}) {
    applyTiering(options.tiering);
    this.guard = options.limits ? new ExecutionGuard(options.limits, () => this.runtime.flush()) : undefined;
    // Every unit is verified before it is compiled (docs/trust-model.md), metered or not.
    this.compileCode = verifyingCompiler(this.guard ? (wasm) => compilePlain(wasmMeter().meterModule(wasm)) : compilePlain);
    const compileModule = (options.tiering ?? 'modules') === 'modules' ? compileOptimized : compilePlain;
    this.compileModuleCode = verifyingCompiler(this.guard ? (wasm) => compileModule(wasmMeter().meterModule(wasm)) : compileModule);
    this.runtime = createRuntime({
      output: options.output,
      initialPages: options.memory?.initialPages,
      maximumPages: options.memory?.maximumPages,
      shadowStackBytes: options.memory?.shadowStackBytes,
      gc: options.memory?.gc,
    });
    this.data = new ModuleData(this.runtime);
    this.exec = new ExecMemory(options.table);
    this.cache = new SmfCache(options.cache);
    this.writeBack = new WriteBack(
      this.cache,
      (name) => this.modules.get(name),
      (path, e) => {
        this.notWrittenBack.push(e.message);
        if (this.jit.config.verbose) process.stderr.write(`smf: could not write back ${path}: ${e.message}\n`);
      },
    );
    const loader = this;
    this.jit = new JitInstantiator(
      {
        // Getters: the compiler is loaded when the JIT first compiles, not before.
        get context() {
          return loader.context;
        },
        get objTaker() {
          return loader.objTaker;
        },
        env: this.env,
        symbols: this.symbols,
        exec: this.exec,
        findPossible: (s) => this.modules.findPossible(s),
        instantiateInstance: (instance, slots) => this.installer.instantiateInstance(instance, slots),
        recordJit: (symbol, possible, instance, fn, args) => this.recordJit(symbol, possible, instance, fn, args),
        recordCycle: (root, row) => this.recordCycle(root, row),
        loadPersisted: (symbol, fn, args) => this.loadPersisted(symbol, fn, args),
        log: (m) => process.stderr.write(m + '\n'),
      },
      { enabled: options.enableJit ?? true, ...options.jit },
    );
    this.installer = new Installer({
      env: this.env,
      symbols: this.symbols,
      exec: this.exec,
      runtime: this.runtime,
      data: this.data,
      registry: this.modules,
      jit: () => this.jit,
      host: options.host,
      compileCode: this.compileCode,
      meterImports: this.guard?.imports,
    });
  }

  /** The compiler, loaded and set up by the first JIT that compiles (docs/performance.md). */
  get context(): CompilerContext {
    return (this.contextMade ??= new (compilerBackend().CompilerContext)(this.env));
  }

  /** The object getter the linker uses too: the JIT takes its instances through it. */
  get objTaker(): ObjTaker {
    return (this.objTakerMade ??= new ObjTaker(this.context));
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  /** Loads an SMF module and, first, the modules it imports. */
  load(path: string): LoadResult {
    const abs = absolutePath(path);
    const existing = this.modules.atPath(abs);
    if (existing) return { kind: 'already_loaded', module: existing };
    try {
      return { kind: 'loaded', module: this.loadFile(abs, []) };
    } catch (e) {
      return errorResult(e);
    }
  }

  /**
   * `load`, with the module's imports read ahead: unless `prefetch` is false, the file and —
   * as their headers' prefetch hint asks — the files it imports, transitively, are read into the
   * cache in parallel first (import-prefetch.ts); then `load` does the rest, so the result and
   * any error are those of `load`.
   */
  async loadAsync(path: string, options: { readonly prefetch?: boolean; readonly concurrency?: number } = {}): Promise<LoadResult> {
    const abs = absolutePath(path);
    if ((options.prefetch ?? true) && !this.modules.atPath(abs)) {
      await prefetchImports(this.cache, abs, (name, dir) => this.findModuleFile(name, dir), {
        concurrency: options.concurrency,
        isLoaded: (name) => this.modules.has(name),
      });
    }
    return this.load(path);
  }

  /** Loads a module compiled in this process (the `smf run file.spl` path). */
  loadCompiled(compiled: CompiledModule): LoadResult {
    const existing = this.modules.get(compiled.declared.name);
    if (existing) return { kind: 'already_loaded', module: existing };
    try {
      return { kind: 'loaded', module: this.loadPrepared(this.prepareCompiled(compiled)) };
    } catch (e) {
      return errorResult(e);
    }
  }

  private loadFile(path: string, chain: readonly string[]): LoadedModule {
    if (chain.length > 0) {
      const existing = this.modules.atPath(path);
      if (existing) return existing;
    }
    if (chain.includes(path)) {
      throw new LoadError('LOAD_MISSING_MODULE', `import cycle: ${[...chain, path].join(' -> ')}`, path);
    }
    const prepared = this.prepareFile(path);
    if (this.modules.has(prepared.name)) {
      throw new LoadError('LOAD_DUPLICATE_SYMBOL', `a module named '${prepared.name}' is already loaded from ${this.modules.get(prepared.name)!.path}`, path);
    }
    for (let i = 0; i < prepared.imports.length; i++) {
      const dep = prepared.imports[i];
      if (this.modules.has(dep)) continue;
      // As `use` wrote it (sub/util.smf), else by module name (util.smf) for flat build folders.
      const written = prepared.importPaths[i];
      const depPath = (written ? this.findModuleFile(written, dirname(path)) : null) ?? this.findModuleFile(dep, dirname(path));
      if (!depPath) {
        // Its source beside the importer is the likely case: say which file to compile.
        const source = join(dirname(path), `${written ?? dep}.spl`);
        const hint = files.existsSync(source) ? `; compile its source first: smf compile ${source}` : '';
        throw new LoadError('LOAD_MISSING_MODULE', `imported module '${dep}' not found (looked for ${written ?? dep}.smf)${hint}`, path);
      }
      this.loadFile(depPath, [...chain, path]);
    }
    return this.loadPrepared(prepared);
  }

  /** Reads an SMF file into everything loading it needs, without changing the loader. */
  private prepareFile(path: string): PreparedModule {
    const { reader, parts } = this.cache.getAbsolute(path, { fresh: true });
    return prepareFromFile(path, reader, parts, this.env, this.compileModuleCode);
  }

  private prepareCompiled(compiled: CompiledModule): PreparedModule {
    return prepareFromCompiled(compiled, resolve(compiled.declared.source.path), this.compileModuleCode);
  }

  private loadPrepared(p: PreparedModule): LoadedModule {
    const clashes = p.lazyDefinitions
      ? this.env.addLazy(p.lazyDefinitions)
      : this.env.add(p.structs, p.fns).map((c) => ({ name: c.name, first: c.first.module, second: c.second.module }));
    if (clashes.length > 0) {
      const clash = clashes[0];
      p.members.forEach((m) => this.env.remove(m));
      throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${clash.name}' is defined by both '${clash.first}' and '${clash.second}'`, p.path);
    }
    // Registered before installing: instances JIT-compiled while resolving its imports are written back.
    if (p.reader) this.writeBack.track(p.name, p.reader);
    try {
      return this.install(p);
    } catch (e) {
      this.writeBack.forget(p.name);
      p.members.forEach((m) => this.env.remove(m));
      throw e;
    }
  }

  private findModuleFile(name: string, dir: string): string | null {
    return findModuleFile(name, dir, this.options.modulePaths);
  }

  /**
   * Reserves slots for a module's exports and checks that everything it needs can be had: its
   * calls resolve (to loaded symbols or to templates the JIT can instantiate) and the host
   * provides its extern fns. Its code is compiled and installed now, or — with `lazy` (the
   * default) — on first use, as a materialization unit: when one of its symbols is resolved, or
   * when code that calls it is installed.
   */
  private install(p: PreparedModule): LoadedModule {
    const { name, path, members, exports, got, externs } = p;
    const module = new ModuleRecord(name, path, p, 1, Date.now(), this.makeSymbol);
    this.modules.add(module);
    // Indexed loops: a for-of makes an iterator and calls it per element, which a cold process
    // loading a thousand modules paid for (docs/performance.md).
    try {
      for (let i = 0; i < members.length; i++) if (members[i] !== name) this.symbols.link(members[i], name);
      for (let i = 0; i < exports.length; i++) {
        const symbol = exports[i];
        const prior = this.symbols.ownerOf(symbol);
        const exported = !p.localExports.has(symbol);
        if (prior !== undefined && exported && prior !== name) {
          throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${symbol}' is already defined by module '${prior}'`, path, symbol);
        }
        // The symbol, and its table slot, are made when it is first looked up.
        this.symbols.defineDeferred(symbol, module, exported);
      }
      for (let i = 0; i < got.length; i++) {
        const symbol = got[i];
        if (!this.symbols.has(symbol, name) && !this.jit.canJitInstantiate(symbol)) {
          throw new LoadError('LOAD_UNDEFINED_SYMBOL', undefinedMessage(p)(symbol), path, symbol);
        }
      }
      for (let i = 0; i < externs.length; i++) {
        const e = externs[i];
        if (!grantedHostFunction(this.options.host, e.name)) throw missingHostFunction(e.name, e.module, path);
      }
      if (!(this.options.lazy ?? true)) this.installer.materialize(name);
      return module;
    } catch (e) {
      for (const sym of this.symbols.removeModule(name)) this.exec.release(sym.slot);
      this.modules.remove(module);
      throw e;
    }
  }

  /** The function (or template and type arguments) an exported symbol of `p` is. */
  private describeSymbol(symbol: string, p: PreparedModule): { fn: FnDef; args: readonly Type[] } | undefined {
    const index = fnIndex(p.fns);
    const own = index.get(symbol);
    if (own) return { fn: own, args: [] };
    const parts = this.jit.templateFor(symbol, p.name);
    if (!parts) return undefined;
    // During a reload the environment still holds the old definitions: prefer the new ones.
    const fresh = index.get(parts.fn.symbol);
    return { fn: fresh && fresh.module === parts.fn.module ? fresh : parts.fn, args: parts.args };
  }

  // ---------------------------------------------------------------------------------------------
  // Write-back and persisted JIT code

  /**
   * After a load-time instantiation: the requiring module's note.sdn row moves from `possible`
   * to `instantiations` (status jit_compiled, to_obj jit_memory), and the instance's code is
   * kept in the module's `jit_cache` section, for the next run (see write-back.ts).
   */
  private recordJit(symbol: string, possible: PossibleEntry | undefined, instance: Instance, fn: FnDef, args: readonly Type[]): void {
    if (!this.jit.config.updateSmf || !possible) return;
    const module = this.modules.get(possible.module);
    if (!module || !this.writeBack.isTracked(module.name)) return;
    markJitCompiled(module.note, symbol, { smfPath: module.path });
    recordInstanceDependencies(module.note, symbol, args, (name) => this.env.struct(name));
    this.writeBack.record(module.name, { symbol, fingerprint: instanceFingerprint(this.env, fn, args), dataSize: instance.unit.dataSize, wasm: instance.unit.wasm });
  }

  /** After an instantiation cycle: a `circular_errors` row in the note of the module that needs the instance. */
  private recordCycle(root: string, row: CircularErrorRow): void {
    if (!this.jit.config.updateSmf) return;
    const possible = this.modules.findPossible(root);
    const module = possible && this.modules.get(possible.module);
    if (!module || !this.writeBack.isTracked(module.name)) return;
    if (addCircularError(module.note, row)) this.writeBack.noteChanged(module.name);
  }

  /** Writes pending note.sdn updates now (they are otherwise written at the end of the turn). */
  flushWrites(): void {
    this.writeBack.flush();
  }

  private loadPersisted(symbol: string, fn: FnDef, args: readonly Type[]): (() => { code: unknown; calls: readonly string[] }) | undefined {
    const entry = this.writeBack.lookup(symbol, () => instanceFingerprint(this.env, fn, args));
    // Kept code that would reach its template module's private functions is compiled anew (docs/trust-model.md).
    if (!entry || importsPrivate(entry.wasm, (s) => !this.symbols.has(s) && this.symbols.has(s, fn.module))) return undefined;
    return () => {
      const unit = unitOf(this.compileCode(entry.wasm, `jit_cache entry '${readableName(symbol)}'`), readableName(symbol), entry.dataSize, fn.module);
      const exports = this.installer.instantiate(unit, (s) => `undefined symbol '${readableName(s)}'`);
      return { code: exports[INSTANCE_EXPORT] ?? exports[symbol], calls: unit.got };
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Symbols

  /** Looks a symbol up in the global table, then falls back to the JIT. Accepts `max<i64>`. */
  resolveSymbol(name: string): SymbolResult {
    const hit = this.callables.get(name);
    if (hit) return hit;
    let symbol = name;
    try {
      symbol = isMangledForm(name) ? name : normalizeSymbolName(name);
      return this.resolveUncached(name, symbol);
    } catch (e) {
      // A module's interface is read on first use: a broken one shows here, as a typed error.
      if (e instanceof SimpleError) return { kind: 'error', name: symbol, message: e.message, error: e };
      throw e;
    }
  }

  private resolveUncached(name: string, symbol: string): SymbolResult {
    const found = this.symbols.lookup(symbol);
    if (found) {
      this.installer.materialize(found.owner);
      const result = this.callable(found, 'found');
      this.callables.set(name, result);
      return result;
    }
    const r = this.jit.tryJitInstantiate(symbol);
    switch (r.kind) {
      case 'success': {
        const sym = this.symbols.lookup(symbol)!;
        this.callables.set(name, this.callable(sym, 'found'));
        return this.callable(sym, 'jit');
      }
      case 'not_found':
        return { kind: 'not_found', name: symbol };
      case 'circular':
        return { kind: 'error', name: symbol, message: `circular dependency: ${r.cycle.join(' -> ')}` };
      case 'error':
        return { kind: 'error', name: symbol, message: r.message, error: r.error };
    }
  }

  /** Resolves an instance of a generic with explicit type arguments (`'i64'` or type values). */
  resolveGeneric(name: string, typeArgs: ReadonlyArray<string | Type>): SymbolResult {
    try {
      const args = typeArgs.map((t) => (typeof t === 'string' ? parseType(t) : t));
      const base = normalizeSymbolName(name);
      const fn = this.env.fn(base);
      if (!fn) return { kind: 'not_found', name: base };
      const expected = allTypeParams(fn).length;
      if (expected !== args.length) {
        return { kind: 'error', name: base, message: `type argument count mismatch: '${base}' takes ${expected}, given ${args.length}` };
      }
      return this.resolveSymbol(args.length === 0 ? base : `${base}$${args.map((a) => typeToString(a, { compact: true })).join('$')}`);
    } catch (e) {
      return { kind: 'error', name, message: (e as Error).message, error: e instanceof SimpleError ? e : undefined };
    }
  }

  private callable(sym: LoadedSymbol, kind: 'found' | 'jit'): SymbolResult {
    return makeCallable(sym, kind, this.exec, this.runtime, this.guard);
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle and statistics

  /**
   * Reloads a module from its file. With `hotReload`, the new code is swapped in while the
   * program runs: exported functions keep their table slots, so every caller runs the new code
   * from its next call on; live instances of its templates are instantiated again from the new
   * templates and swapped in the same step. A changed signature or struct layout is refused,
   * and the old code keeps running. Without `hotReload`, a reload is an unload and a load.
   */
  reload(pathOrName: string): LoadResult {
    const old = this.modules.find(pathOrName);
    if (!old) return errorResult(new LoadError('LOAD_NOT_LOADED', `'${pathOrName}' is not loaded`));
    if (!this.options.hotReload) {
      this.unload(old.name);
      return this.load(old.path);
    }
    try {
      return { kind: 'loaded', module: this.hotSwap(old, this.prepareFile(old.path)) };
    } catch (e) {
      return errorResult(e);
    }
  }

  /** Hot-swaps a module compiled in this process (the `smf run --watch` path). */
  reloadCompiled(compiled: CompiledModule): LoadResult {
    const old = this.modules.get(compiled.declared.name);
    if (!old) return this.loadCompiled(compiled);
    try {
      return { kind: 'loaded', module: this.hotSwap(old, this.prepareCompiled(compiled)) };
    } catch (e) {
      return errorResult(e);
    }
  }

  private hotSwap(old: LoadedModule, next: PreparedModule): LoadedModule {
    const oldData = this.data.mark(old.name);
    try {
      swapModule(this.swapServices, old, next);
    } catch (e) {
      this.data.releaseFrom(old.name, oldData);
      throw e;
    }
    this.data.releaseBefore(old.name, oldData);
    this.runtime.collectWhenIdle();
    const module = new ModuleRecord(old.name, old.path, next, old.version + 1, old.loadedAt, this.makeSymbol);
    module.materialized = true;
    this.modules.add(module);
    if (next.reader) this.writeBack.replaced(old.name, next.reader);
    this.callables.clear();
    this.objTakerMade?.clearCache();
    return module;
  }

  /** What a swap needs of this loader (made on first use: the fields it names are set by then). */
  private get swapServices(): SwapServices {
    return (this.swapServicesMade ??= {
      env: this.env,
      context: this.context,
      symbols: this.symbols,
      exec: this.exec,
      materialize: (module) => this.installer.materialize(module),
      describeSymbol: (symbol, p) => this.describeSymbol(symbol, p),
      instantiate: (unit, message) => this.installer.instantiate(unit, message),
      undefinedMessage,
      instantiateInstance: (instance, slots) => this.installer.instantiateInstance(instance, slots),
      awaitsFirstCall: (symbol) => this.jit.awaitsFirstCall(symbol),
    });
  }

  /** Unloads a module: its symbols leave the table and their slots are emptied. */
  unload(pathOrName: string): boolean {
    const m = this.modules.find(pathOrName);
    if (!m) return false;
    // Instances that go with it first: whether one calls the module is asked of the table.
    const dropped = this.jit.dropWith({
      members: m.members,
      definesStruct: (name) => m.structs.some((s) => s.name === name),
      defines: (symbol, from) => this.symbols.ownerOf(symbol, from) === m.name,
    });
    for (const { symbol, slot } of dropped) {
      this.symbols.delete(symbol);
      this.exec.release(slot);
    }
    for (const sym of this.symbols.removeModule(m.name)) this.exec.release(sym.slot);
    this.writeBack.forget(m.name);
    this.callables.clear();
    this.objTakerMade?.clearCache();
    this.modules.remove(m);
    m.members.forEach((member) => this.env.remove(member));
    this.data.releaseAll(m.name);
    this.runtime.collectWhenIdle();
    return true;
  }

  /**
   * Collects garbage now (the runtime also collects by itself as programs allocate). Only from
   * outside Simple code — not from an `extern fn` that Simple code called.
   */
  collectGarbage(): void {
    this.runtime.collect();
  }

  isLoaded(pathOrName: string): boolean {
    return this.modules.find(pathOrName) !== undefined;
  }

  getModule(name: string): LoadedModule | undefined {
    return this.modules.get(name);
  }

  loadedModules(): LoadedModule[] {
    return [...this.modules.values()];
  }

  stats(): LoaderStats {
    return {
      modules: this.modules.size,
      symbols: this.symbols.size,
      slotsInUse: this.exec.slotsInUse,
      jit: this.jit.stats(),
      memory: this.runtime.stats(),
      cache: this.cache.stats(),
      notWrittenBack: [...this.notWrittenBack],
    };
  }
}

function errorResult(e: unknown): LoadResult {
  if (e instanceof SimpleError) return { kind: 'error', message: e.message, error: e };
  throw e;
}

/** A prepared module's functions by symbol, built once per module (installs look up every export). */
const fnIndexes = new WeakMap<readonly FnDef[], Map<string, FnDef>>();
function fnIndex(fns: readonly FnDef[]): Map<string, FnDef> {
  let index = fnIndexes.get(fns);
  if (!index) fnIndexes.set(fns, (index = new Map(fns.map((f) => [f.symbol, f]))));
  return index;
}
