/**
 * ModuleLoader — loads SMF modules at run time into one shared table and memory, resolves
 * symbols with a JIT fallback that instantiates generic templates on demand, and unloads and
 * reloads modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CompilerContext } from '../compiler/context.js';
import type { Instance } from '../compiler/context.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { buildNote } from '../compiler/driver/emit-smf.js';
import { definitionsFromInterface } from '../compiler/interface/module-interface.js';
import { allTypeParams, ProgramEnv } from '../compiler/program.js';
import type { FnDef, StructDef } from '../compiler/program.js';
import { SimpleError } from '../errors.js';
import { createRuntime } from '../runtime/index.js';
import type { OutputSink, Runtime } from '../runtime/index.js';
import { asTrap } from '../runtime/index.js';
import { findPossible as findPossibleRow, markJitCompiled, parseNoteSdn, serializeNoteSdn } from '../sdn/index.js';
import { atomicWriteFileSync, moduleSpecFromReader, SectionType, writeSmf } from '../smf/index.js';
import type { SmfReader } from '../smf/index.js';
import { decodeJitCache, encodeJitCache, instanceFingerprint, JIT_CACHE_SECTION } from './jit-code-cache.js';
import type { CachedInstance } from './jit-code-cache.js';
import type { NoteSdn } from '../sdn/index.js';
import { normalizeSymbolName, parseType, readableName, substituteParams, typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import { ExecMemory } from './exec-memory.js';
import type { ExecMemoryOptions } from './exec-memory.js';
import { LoadError } from './errors.js';
import { JitInstantiator } from './jit-instantiator.js';
import type { JitConfig, JitStats, PossibleEntry } from './jit-instantiator.js';
import { SmfCache } from './smf-cache.js';
import type { CacheStats, SmfCacheOptions } from './smf-cache.js';
import { SymbolTable } from './symbol-table.js';
import type { LoadedSymbol } from './symbol-table.js';
import { fromWasm, toWasm } from './values.js';

export type HostFunction = (...args: any[]) => unknown;

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
  readonly memory?: { readonly initialPages?: number; readonly maximumPages?: number };
  /** Bounds of the SMF file cache. */
  readonly cache?: SmfCacheOptions;
  readonly table?: ExecMemoryOptions;
}

export interface LoadedModule {
  readonly name: string;
  /** The file it was loaded from, or `<memory>`. */
  readonly path: string;
  /** The source modules in it: just itself, or every module linked into it. */
  readonly members: readonly string[];
  readonly symbols: readonly string[];
  readonly structs: readonly StructDef[];
  readonly fns: readonly FnDef[];
  readonly note: NoteSdn;
  version: number;
  readonly loadedAt: number;
}

export type LoadResult =
  | { readonly kind: 'loaded'; readonly module: LoadedModule }
  | { readonly kind: 'already_loaded'; readonly module: LoadedModule }
  | { readonly kind: 'error'; readonly message: string; readonly error: SimpleError };

export interface CallableSymbol {
  readonly name: string;
  readonly slot: number;
  readonly version: number;
  /** Calls the function through its table slot: always the current code, also after a reload. */
  call(...args: unknown[]): unknown;
}

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
  readonly cache: CacheStats;
}

interface FileState {
  /** The file as this loader read it; write-back skips a file changed by someone else since. */
  reader: SmfReader;
  jitCache: Map<string, CachedInstance> | undefined;
  readonly pending: CachedInstance[];
}

/** What instantiating a unit needs: its compiled code and what it imports. */
interface UnitCode {
  readonly label: string;
  readonly module: WebAssembly.Module;
  readonly exports: readonly string[];
  readonly got: readonly string[];
  readonly host: readonly string[];
  readonly dataSize: number;
  /** The module whose private symbols and externs the unit sees. */
  readonly owner: string;
}

export class ModuleLoader {
  readonly env = new ProgramEnv();
  readonly context: CompilerContext;
  readonly runtime: Runtime;
  readonly exec: ExecMemory;
  readonly symbols = new SymbolTable();
  readonly jit: JitInstantiator;
  readonly cache: SmfCache;
  private readonly modules = new Map<string, LoadedModule>();
  private readonly byPath = new Map<string, LoadedModule>();
  /** Per file-backed module: the file as loaded, its persisted JIT code, and what to write back. */
  private readonly files = new Map<string, FileState>();
  private flushScheduled = false;

  constructor(readonly options: ModuleLoaderOptions = {}) {
    this.context = new CompilerContext(this.env);
    this.runtime = createRuntime({
      output: options.output,
      initialPages: options.memory?.initialPages,
      maximumPages: options.memory?.maximumPages,
    });
    this.exec = new ExecMemory(options.table);
    this.cache = new SmfCache(options.cache);
    this.jit = new JitInstantiator(
      {
        env: this.env,
        context: this.context,
        symbols: this.symbols,
        exec: this.exec,
        findPossible: (s) => this.findPossible(s),
        instantiateInstance: (instance, slots) => this.instantiateInstance(instance, slots),
        recordJit: (symbol, possible, instance, fn, args) => this.recordJit(symbol, possible, instance, fn, args),
        loadPersisted: (symbol, fn, args) => this.loadPersisted(symbol, fn, args),
        log: (m) => process.stderr.write(m + '\n'),
      },
      { enabled: options.enableJit ?? true, ...options.jit },
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  /** Loads an SMF module and, first, the modules it imports. */
  load(path: string): LoadResult {
    const abs = resolve(path);
    const existing = this.byPath.get(abs);
    if (existing) return { kind: 'already_loaded', module: existing };
    try {
      return { kind: 'loaded', module: this.loadFile(abs, []) };
    } catch (e) {
      return errorResult(e);
    }
  }

  /** Loads a module compiled in this process (the `smf run file.spl` path). */
  loadCompiled(compiled: CompiledModule): LoadResult {
    const name = compiled.declared.name;
    const existing = this.modules.get(name);
    if (existing) return { kind: 'already_loaded', module: existing };
    try {
      for (const clash of this.env.add(compiled.declared.structs, compiled.declared.fns)) {
        throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${clash.name}' is defined by both '${clash.first.module}' and '${clash.second.module}'`);
      }
      const unit: UnitCode = {
        label: name,
        module: new WebAssembly.Module(compiled.unit.wasm as Uint8Array<ArrayBuffer>),
        exports: compiled.unit.exports,
        got: compiled.unit.imports.got,
        host: compiled.unit.imports.host,
        dataSize: compiled.unit.dataSize,
        owner: name,
      };
      const note = buildNote(compiled, `${name}.smf`);
      return { kind: 'loaded', module: this.install(name, compiled.declared.source.path, unit, compiled.declared.structs, compiled.declared.fns, note) };
    } catch (e) {
      this.env.remove(name);
      return errorResult(e);
    }
  }

  private loadFile(path: string, chain: readonly string[]): LoadedModule {
    const existing = this.byPath.get(path);
    if (existing) return existing;
    if (chain.includes(path)) {
      throw new LoadError('LOAD_MISSING_MODULE', `import cycle: ${[...chain, path].join(' -> ')}`, path);
    }
    const { reader, parts } = this.cache.get(path);
    const name = parts.iface.module;
    if (this.modules.has(name)) {
      throw new LoadError('LOAD_DUPLICATE_SYMBOL', `a module named '${name}' is already loaded from ${this.modules.get(name)!.path}`, path);
    }
    for (const dep of parts.iface.imports) {
      if (this.modules.has(dep)) continue;
      const depPath = this.findModuleFile(dep, dirname(path));
      if (!depPath) throw new LoadError('LOAD_MISSING_MODULE', `imported module '${dep}' not found (looked for ${dep}.smf)`, path);
      this.loadFile(depPath, [...chain, path]);
    }
    // A linked SMF carries the interfaces of every module linked into it.
    const members = parts.iface.members ?? [parts.iface];
    const memberNames = members.map((m) => m.module);
    const structs: StructDef[] = [];
    const fns: FnDef[] = [];
    for (const member of members) {
      const defs = definitionsFromInterface(member, path, this.env, (offset) => parts.template(offset));
      structs.push(...defs.structs);
      fns.push(...defs.fns);
    }
    for (const clash of this.env.add(structs, fns)) {
      memberNames.forEach((m) => this.env.remove(m));
      throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${clash.name}' is defined by both '${clash.first.module}' and '${clash.second.module}'`, path);
    }
    try {
      const noteText = reader.noteSdnText();
      const note = noteText ? parseNoteSdn(noteText, { file: path }) : { instantiations: [], possible: [], typeInferences: [], dependencies: [], circularWarnings: [], circularErrors: [] };
      const module = new WebAssembly.Module(parts.code as Uint8Array<ArrayBuffer>);
      const imports = WebAssembly.Module.imports(module);
      const unit: UnitCode = {
        label: name,
        module,
        exports: WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name),
        got: imports.filter((i) => i.module === 'GOT.func').map((i) => i.name),
        host: imports.filter((i) => i.module === 'host').map((i) => i.name),
        dataSize: parts.iface.dataSize,
        owner: name,
      };
      // Registered before installing: instances JIT-compiled while resolving its imports are written back.
      this.files.set(name, { reader, jitCache: undefined, pending: [] });
      return this.install(name, path, unit, structs, fns, note, parts.iface.uses, memberNames);
    } catch (e) {
      this.files.delete(name);
      memberNames.forEach((m) => this.env.remove(m));
      if (e instanceof WebAssembly.CompileError) throw new LoadError('LOAD_INSTANTIATE', `invalid code: ${e.message}`, path);
      throw e;
    }
  }

  private findModuleFile(name: string, dir: string): string | null {
    for (const base of [dir, ...(this.options.modulePaths ?? []).map((p) => resolve(p))]) {
      const candidate = join(base, `${name}.smf`);
      if (existsSync(candidate)) return candidate;
    }
    return null;
  }

  /** Reserves slots for a module's exports, resolves its imports, instantiates it and installs it. */
  private install(
    name: string,
    path: string,
    unit: UnitCode,
    structs: readonly StructDef[],
    fns: readonly FnDef[],
    note: NoteSdn,
    uses: ReadonlyArray<{ symbol: string; at: string }> = [],
    members: readonly string[] = [name],
  ): LoadedModule {
    const module: LoadedModule = { name, path, members, symbols: unit.exports, structs, fns, note, version: 1, loadedAt: Date.now() };
    this.modules.set(name, module);
    if (path !== '<memory>') this.byPath.set(path, module);
    const defined: LoadedSymbol[] = [];
    try {
      const fnBySymbol = new Map(fns.map((f) => [f.symbol, f]));
      for (const symbol of unit.exports) {
        const prior = this.symbols.lookup(symbol);
        const own = fnBySymbol.get(symbol);
        const base = own ? { fn: own, args: [] as readonly Type[] } : this.baseOf(symbol, name);
        const exported = base ? base.fn.exported : true;
        if (prior && exported && prior.owner !== name) {
          throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${symbol}' is already defined by module '${prior.owner}'`, path, symbol);
        }
        const sym: LoadedSymbol = {
          name: symbol,
          slot: this.exec.allocExecMemory(),
          owner: name,
          fn: base?.fn ?? null,
          typeArgs: base?.args ?? [],
          version: 1,
          isJit: false,
        };
        this.symbols.define(sym, exported);
        defined.push(sym);
      }
      const exports = this.instantiate(unit, (symbol) => {
        const where = uses.filter((u) => u.symbol === symbol).map((u) => u.at);
        return `undefined symbol '${readableName(symbol)}'${where.length ? ` (used at ${where.join(', ')})` : ''}`;
      });
      for (const sym of defined) this.exec.install(sym.slot, exports[sym.name]);
      return module;
    } catch (e) {
      for (const sym of defined) {
        this.symbols.delete(sym.name, name);
        this.exec.release(sym.slot);
      }
      this.modules.delete(name);
      this.byPath.delete(path);
      members.forEach((m) => this.env.remove(m));
      throw e;
    }
  }

  private baseOf(symbol: string, fromModule: string): { fn: FnDef; args: readonly Type[] } | undefined {
    return this.jit.templateFor(symbol, fromModule);
  }

  /** Resolves a unit's imports and instantiates it; returns its exports. */
  private instantiate(unit: UnitCode, undefinedMessage: (symbol: string) => string, slots?: ReadonlyMap<string, number>): Record<string, unknown> {
    const got: Record<string, number> = {};
    for (const symbol of unit.got) {
      const known = slots?.get(symbol) ?? this.symbols.lookup(symbol, unit.owner)?.slot;
      if (known !== undefined) {
        got[symbol] = known;
        continue;
      }
      const r = this.jit.tryJitInstantiate(symbol, unit.owner);
      if (r.kind === 'success') got[symbol] = r.slot;
      else if (r.kind === 'not_found') throw new LoadError('LOAD_UNDEFINED_SYMBOL', undefinedMessage(symbol), unit.label, symbol);
      else throw new LoadError('LOAD_UNDEFINED_SYMBOL', r.kind === 'error' ? r.message : `circular dependency: ${r.cycle.join(' -> ')}`, unit.label, symbol);
    }
    const host: Record<string, HostFunction> = {};
    for (const name of unit.host) host[name] = this.hostFunction(name, unit.owner);
    const memoryBase = unit.dataSize > 0 ? this.runtime.allocStatic(new Uint8Array(unit.dataSize), 8) : 0;
    try {
      const instance = new WebAssembly.Instance(unit.module, {
        env: { memory: this.runtime.memory, table: this.exec.table, __memory_base: memoryBase },
        'GOT.func': got,
        rt: this.runtime.imports as unknown as Record<string, HostFunction>,
        host,
      });
      return instance.exports as Record<string, unknown>;
    } catch (e) {
      throw new LoadError('LOAD_INSTANTIATE', `cannot instantiate: ${(e as Error).message}`, unit.label);
    }
  }

  private instantiateInstance(instance: Instance, slots: ReadonlyMap<string, number>): unknown {
    const unit: UnitCode = {
      label: readableName(instance.symbol),
      module: new WebAssembly.Module(instance.unit.wasm as Uint8Array<ArrayBuffer>),
      exports: instance.unit.exports,
      got: instance.unit.imports.got,
      host: instance.unit.imports.host,
      dataSize: instance.unit.dataSize,
      owner: this.symbols.lookup(instance.symbol)?.fn?.module ?? '',
    };
    const exports = this.instantiate(unit, (s) => `undefined symbol '${readableName(s)}'`, slots);
    return exports[instance.symbol];
  }

  /** The embedder's function for an `extern fn`, wrapped to convert values both ways. */
  private hostFunction(name: string, module: string): HostFunction {
    const impl = this.options.host?.[name];
    const decl = this.env.fn(name, module);
    if (typeof impl !== 'function') {
      throw new LoadError('LOAD_MISSING_HOST_FUNCTION', `the host does not provide extern fn '${name}'${decl ? ` (declared in module '${decl.module}')` : ''}`, module, name);
    }
    if (!decl) return impl;
    const runtime = this.runtime;
    return (...raw: unknown[]) => {
      const args = decl.params.map((p, i) => fromWasm(p.type, raw[i], runtime));
      return toWasm(decl.ret, impl(...args), runtime, `result of extern fn '${name}'`);
    };
  }

  private findPossible(symbol: string): PossibleEntry | undefined {
    for (const m of this.modules.values()) {
      const row = findPossibleRow(m.note, symbol);
      if (row) return { module: m.name, template: row.template };
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Write-back and persisted JIT code

  /**
   * After a load-time instantiation: the requiring module's note.sdn row moves from `possible`
   * to `instantiations` (status jit_compiled, to_obj jit_memory), and the instance's code is
   * kept in the module's `jit_cache` section. Writes are batched and done atomically.
   */
  private recordJit(symbol: string, possible: PossibleEntry | undefined, instance: Instance, fn: FnDef, args: readonly Type[]): void {
    if (!this.jit.config.updateSmf || !possible) return;
    const module = this.modules.get(possible.module);
    const state = module && this.files.get(module.name);
    if (!module || !state) return;
    markJitCompiled(module.note, symbol, { smfPath: module.path });
    state.pending.push({ symbol, fingerprint: instanceFingerprint(this.env, fn, args), dataSize: instance.unit.dataSize, wasm: instance.unit.wasm });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushWrites());
    }
  }

  /**
   * Writes pending note.sdn updates now. Each file is replaced atomically (temporary file, then
   * rename), so neither a crash nor a concurrent reader ever sees a half-written SMF. A file that
   * changed on disk since it was loaded is left alone.
   */
  flushWrites(): void {
    this.flushScheduled = false;
    for (const [name, state] of this.files) {
      if (state.pending.length === 0) continue;
      const module = this.modules.get(name)!;
      const entries = state.pending.splice(0);
      try {
        const current = this.cache.get(module.path).reader;
        if (current !== state.reader) continue;
        const spec = moduleSpecFromReader(current);
        const previous = this.persisted(state) ?? new Map<string, CachedInstance>();
        for (const e of entries) previous.set(e.symbol, e);
        const sections = spec.sections.filter((sec) => sec.name !== JIT_CACHE_SECTION);
        sections.push({ type: SectionType.Code, name: JIT_CACHE_SECTION, data: encodeJitCache([...previous.values()]) });
        const bytes = writeSmf({ ...spec, sections, note: serializeNoteSdn(module.note) });
        atomicWriteFileSync(module.path, bytes);
        // The file on disk is now ours again: keep serving it without a re-read conflict.
        state.reader = this.cache.get(module.path).reader;
        state.jitCache = previous;
      } catch (e) {
        if (this.jit.config.verbose) process.stderr.write(`smf: could not write back ${module.path}: ${(e as Error).message}\n`);
      }
    }
  }

  private persisted(state: FileState): Map<string, CachedInstance> | undefined {
    if (state.jitCache === undefined) {
      const section = state.reader.findSection(SectionType.Code, JIT_CACHE_SECTION);
      state.jitCache = section ? decodeJitCache(state.reader.sectionData(section.index), state.reader.file) : new Map();
    }
    return state.jitCache;
  }

  private loadPersisted(symbol: string, fn: FnDef, args: readonly Type[]): (() => unknown) | undefined {
    let fingerprint: bigint | undefined;
    for (const state of this.files.values()) {
      const entry = this.persisted(state)?.get(symbol);
      if (!entry) continue;
      fingerprint ??= instanceFingerprint(this.env, fn, args);
      if (entry.fingerprint !== fingerprint) continue;
      return () => {
        const module = new WebAssembly.Module(entry.wasm as Uint8Array<ArrayBuffer>);
        const imports = WebAssembly.Module.imports(module);
        const unit: UnitCode = {
          label: readableName(symbol),
          module,
          exports: [symbol],
          got: imports.filter((i) => i.module === 'GOT.func').map((i) => i.name),
          host: imports.filter((i) => i.module === 'host').map((i) => i.name),
          dataSize: entry.dataSize,
          owner: fn.module,
        };
        return this.instantiate(unit, (s) => `undefined symbol '${readableName(s)}'`)[symbol];
      };
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Symbols

  /** Looks a symbol up in the global table, then falls back to the JIT. Accepts `max<i64>`. */
  resolveSymbol(name: string): SymbolResult {
    let symbol: string;
    try {
      symbol = normalizeSymbolName(name);
    } catch (e) {
      return { kind: 'error', name, message: (e as Error).message, error: e as SimpleError };
    }
    const found = this.symbols.lookup(symbol);
    if (found) return { kind: 'found', ...this.callable(found) };
    const r = this.jit.tryJitInstantiate(symbol);
    switch (r.kind) {
      case 'success':
        return { kind: 'jit', ...this.callable(this.symbols.lookup(symbol)!) };
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

  private callable(sym: LoadedSymbol): CallableSymbol {
    const fn = sym.fn;
    const map = fn ? new Map(allTypeParams(fn).map((p, i) => [p, sym.typeArgs[i]])) : new Map<string, Type>();
    const params = fn ? [...(fn.receiver === 'fn' || fn.receiver === 'me' ? [selfType(fn, sym.typeArgs)] : []), ...fn.params.map((p) => substituteParams(p.type, map))] : [];
    const ret = fn ? substituteParams(fn.ret, map) : null;
    const exec = this.exec;
    const runtime = this.runtime;
    const label = readableName(sym.name);
    return {
      name: sym.name,
      slot: sym.slot,
      version: sym.version,
      call: (...args: unknown[]) => {
        const target = exec.get(sym.slot);
        if (!target) throw new LoadError('LOAD_NOT_LOADED', `'${label}' is no longer loaded`, undefined, sym.name);
        if (fn && args.length !== params.length) {
          throw new LoadError('LOAD_SIGNATURE_CHANGED', `'${label}' takes ${params.length} argument(s), given ${args.length}`, undefined, sym.name);
        }
        const raw = fn ? args.map((a, i) => toWasm(params[i], a, runtime, `argument ${i + 1} of '${label}'`)) : args;
        let result: unknown;
        try {
          result = target(...raw);
        } catch (e) {
          throw asTrap(e) ?? e;
        } finally {
          runtime.flush();
        }
        return ret ? fromWasm(ret, result, runtime) : result;
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle and statistics

  /** Unloads a module: its symbols leave the table and their slots are emptied. */
  unload(pathOrName: string): boolean {
    const m = this.byPath.get(resolve(pathOrName)) ?? this.modules.get(pathOrName);
    if (!m) return false;
    for (const sym of this.symbols.removeModule(m.name)) this.exec.release(sym.slot);
    this.flushWrites();
    this.modules.delete(m.name);
    this.byPath.delete(m.path);
    this.files.delete(m.name);
    m.members.forEach((member) => this.env.remove(member));
    return true;
  }

  isLoaded(pathOrName: string): boolean {
    return this.byPath.has(resolve(pathOrName)) || this.modules.has(pathOrName);
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
    };
  }
}

function selfType(fn: FnDef, typeArgs: readonly Type[]): Type {
  const owner = fn.owner!;
  return { kind: 'named', name: owner.name, args: typeArgs.slice(0, owner.typeParams.length) };
}

function errorResult(e: unknown): LoadResult {
  if (e instanceof SimpleError) return { kind: 'error', message: e.message, error: e };
  throw e;
}


