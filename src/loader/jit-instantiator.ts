/**
 * JitInstantiator — load-time instantiation of generic templates.
 *
 * `tryJitInstantiate(symbol)` checks, in the report's order: disabled → not found; depth at the
 * limit → "Maximum JIT depth (N) exceeded"; cache hit → success; already in progress → circular
 * dependency; no `possible` entry and no template → not found. Otherwise it instantiates the
 * template through the CompilerContext, reserves a table slot, resolves what the instance calls
 * (instantiating further generics under the same checks), installs the code and records it.
 *
 * The slot is reserved and the symbol registered before the instance's own calls are resolved,
 * so mutually recursive instances (`even<T>` ↔ `odd<T>`) link to each other's slots; only
 * instantiations that grow without end run into the depth limit.
 */
import type { CompilerContext, Instance } from '../compiler/context.js';
import type { CallSite } from '../compiler/check/checker.js';
import { MAX_INSTANCE_TYPE_NODES, typeNodes } from '../compiler/driver/instance-limits.js';
import { allTypeParams, isGeneric } from '../compiler/program.js';
import { goesRound, instantiationCycle, siteLabel } from '../linker/instantiation-cycle.js';
import type { CycleLink } from '../linker/instantiation-cycle.js';
import type { CircularErrorRow } from '../sdn/index.js';
import type { ObjTaker } from '../linker/obj-taker.js';
import type { FnDef, ProgramEnv } from '../compiler/program.js';
import type { SimpleError } from '../errors.js';
import { demangle, isMangledForm, ManglingError, normalizeSymbolName, readableName, someType } from '../types/index.js';
import type { Type } from '../types/index.js';
import type { ExecMemory } from './exec-memory.js';
import { InstantiationCycleError, LoadError } from './errors.js';
import { makeStub, stubSignature } from './lazy-stub.js';
import { JIT_OWNER } from './symbol-table.js';
import type { SymbolTable } from './symbol-table.js';
import { natives } from '../platform/index.js';

export interface JitConfig {
  readonly enabled: boolean;
  readonly maxDepth: number;
  /** The most instances this loader will JIT-compile (a resource limit). */
  readonly maxInstantiations: number;
  /** Write each instantiation back into the requiring module's note.sdn. */
  readonly updateSmf: boolean;
  readonly verbose: boolean;
  /**
   * Instances named by installed code are compiled on their first call (default true): their
   * slot holds a stub until then (lazy-stub.ts). An instance's own requirements, and what
   * `tryJitInstantiate` is asked for, are compiled at once.
   */
  readonly perCall: boolean;
}

export const DEFAULT_JIT_CONFIG: JitConfig = {
  enabled: true,
  maxDepth: 50,
  maxInstantiations: 100_000,
  updateSmf: true,
  verbose: false,
  perCall: true,
};

export type JitResult =
  | { readonly kind: 'success'; readonly symbol: string; readonly slot: number; readonly cached: boolean }
  | { readonly kind: 'not_found'; readonly symbol: string }
  | { readonly kind: 'circular'; readonly symbol: string; readonly cycle: readonly string[] }
  | { readonly kind: 'error'; readonly symbol: string; readonly message: string; readonly error?: SimpleError };

export interface JitStats {
  readonly compiled: number;
  /** Instances loaded from code an earlier run compiled (no instantiation needed). */
  readonly persistedLoads: number;
  readonly cacheHits: number;
  readonly failures: number;
  /** Instances whose slot holds a first-call stub, never called so far. */
  readonly awaitingFirstCall: number;
  /** Per-instantiation time, microseconds, installation included. */
  readonly timesUs: readonly number[];
}

/** Where a `possible` row for a symbol was found. */
export interface PossibleEntry {
  readonly module: string;
  readonly template: string;
}

/** What the JIT needs from the loader around it. */
export interface JitServices {
  readonly env: ProgramEnv;
  /** The compiler: read only when an instance is compiled (the loader's getter loads it). */
  readonly context: CompilerContext;
  /** When given, instances come through it (the object getter the linker uses too). */
  readonly objTaker?: ObjTaker;
  readonly symbols: SymbolTable;
  readonly exec: ExecMemory;
  /** The module whose note.sdn lists `symbol` as a possible instantiation, if any. */
  findPossible(symbol: string): PossibleEntry | undefined;
  /** Instantiates an instance's unit with its calls resolved to `slots`, returning its function. */
  instantiateInstance(instance: Instance, slots: ReadonlyMap<string, number>): unknown;
  /**
   * Records an instantiation cycle met while instantiating `root` (the first instance of the
   * chain): a `circular_errors` row for the note of the module that needs it.
   */
  recordCycle?(root: string, row: CircularErrorRow): void;
  /** Records a finished instantiation (note.sdn write-back). */
  recordJit?(symbol: string, possible: PossibleEntry | undefined, instance: Instance, fn: FnDef, args: readonly Type[]): void;
  /**
   * Code for `symbol` compiled by an earlier run and kept in an SMF file, when still valid for
   * `fn` at `args`; instantiated with its calls resolved like any module. Gives its function and
   * the symbols it calls through slots.
   */
  loadPersisted?(symbol: string, fn: FnDef, args: readonly Type[]): (() => { code: unknown; calls: readonly string[] }) | undefined;
  log?(message: string): void;
}

/** An instance this JIT compiled (or loaded from an earlier run's code). */
interface JitEntry {
  readonly slot: number;
  readonly fn: FnDef;
  readonly args: readonly Type[];
  /** The symbols its code calls through table slots. */
  readonly calls: readonly string[];
  /** Its slot holds a first-call stub: compiled when first called. */
  readonly awaitingCall?: boolean;
}

/** A module about to be unloaded, as `dropWith` needs it. */
export interface LeavingModule {
  /** The source modules in it (templates are defined per member). */
  readonly members: readonly string[];
  /** Whether it defines the struct `name`. */
  definesStruct(name: string): boolean;
  /** Whether `symbol`, as code of `fromModule` finds it, is one of its functions. */
  defines(symbol: string, fromModule: string): boolean;
}

export class JitInstantiator {
  readonly config: JitConfig;
  private readonly inProgress: string[] = [];
  /** The instances being instantiated, each required by the one before, with their templates. */
  private readonly links: Array<CycleLink & { readonly fn: FnDef }> = [];
  private depth = 0;
  /** Instances compiled by this JIT, by symbol. */
  private readonly cache = new Map<string, JitEntry>();
  private compiled = 0;
  private persistedLoads = 0;
  /** Instances whose code was loaded from a module's jit_cache (kept from an earlier run). */
  private readonly persisted = new Set<string>();
  private cacheHits = 0;
  private failures = 0;
  private readonly times: number[] = [];

  constructor(
    private readonly services: JitServices,
    config: Partial<JitConfig> = {},
  ) {
    this.config = { ...DEFAULT_JIT_CONFIG, ...config };
  }

  /** Accepts the mangled form (`max$i64`) or the readable one (`max<i64>`). */
  tryJitInstantiate(name: string, fromModule?: string): JitResult {
    return this.attempt(name, fromModule, undefined);
  }

  /**
   * For an instance that installed code names: with `perCall`, reserves its slot with a stub that
   * compiles it on the first call (LLVM ORC's lazy re-exports); else, or when its signature cannot
   * go through a stub, `tryJitInstantiate`.
   */
  instantiateOnFirstCall(name: string, fromModule?: string): JitResult {
    const symbol = this.config.perCall && this.config.enabled && this.depth === 0 ? mangled(name) : undefined;
    const target = symbol === undefined || this.cache.has(symbol) ? undefined : this.templateFor(symbol, fromModule);
    const sig = target && stubSignature(target.fn, target.args);
    if (symbol === undefined || !target || !sig) return this.attempt(name, fromModule, undefined);
    const { exec } = this.services;
    const slot = this.defineSlot(symbol, target.fn, target.args);
    this.cache.set(symbol, { slot, fn: target.fn, args: target.args, calls: [], awaitingCall: true });
    exec.install(
      slot,
      makeStub(sig, (...args: unknown[]) => {
        const r = this.firstCall(symbol);
        if (r.kind !== 'success') throw failure(r);
        return (exec.get(slot) as (...a: unknown[]) => unknown)(...args);
      }),
    );
    return { kind: 'success', symbol, slot, cached: false };
  }

  /** A stub's first call: the instance compiled into the stub's slot (a failure leaves the stub, to fail again). */
  private firstCall(symbol: string): JitResult {
    const entry = this.cache.get(symbol);
    // Gone with an unloaded module: the stub is unreachable through the table; say so if held.
    if (!entry) return { kind: 'not_found', symbol };
    if (!entry.awaitingCall) return { kind: 'success', symbol, slot: entry.slot, cached: true };
    if (this.compiled >= this.config.maxInstantiations) {
      return { kind: 'error', symbol, message: `the JIT instantiation limit (${this.config.maxInstantiations}) is reached` };
    }
    // The template as it is now: a hot reload may have replaced it since the stub was made.
    const target = this.templateFor(symbol, entry.fn.module) ?? { fn: entry.fn, args: entry.args };
    return this.run(symbol, target, this.services.findPossible(symbol), entry.slot);
  }

  /** Whether `symbol`'s slot holds a first-call stub (nothing compiled yet, so nothing to swap). */
  awaitsFirstCall(symbol: string): boolean {
    return this.cache.get(symbol)?.awaitingCall === true;
  }

  /** `tryJitInstantiate` for an instance another one requires, called at `site` in its template. */
  private attempt(name: string, fromModule: string | undefined, site: CallSite | undefined): JitResult {
    let symbol: string;
    try {
      symbol = isMangledForm(name) ? name : normalizeSymbolName(name);
    } catch (e) {
      return { kind: 'error', symbol: name, message: (e as Error).message, error: e as ManglingError };
    }
    if (!this.config.enabled) return { kind: 'not_found', symbol };
    if (this.depth >= this.config.maxDepth) {
      const target = this.templateFor(symbol, fromModule);
      const chain = target ? this.chainTo(symbol, target.fn) : [];
      if (target && goesRound(chain)) return this.cycle(chain, site, `Maximum JIT depth (${this.config.maxDepth}) exceeded`);
      return {
        kind: 'error',
        symbol,
        message: `Maximum JIT depth (${this.config.maxDepth}) exceeded while instantiating ${[...this.inProgress, symbol].map((s) => readableName(s)).slice(0, 6).join(' -> ')} -> …`,
      };
    }
    const cached = this.cache.get(symbol);
    if (cached !== undefined) {
      this.cacheHits++;
      return { kind: 'success', symbol, slot: cached.slot, cached: true };
    }
    if (this.inProgress.includes(symbol)) {
      const start = this.inProgress.indexOf(symbol);
      return { kind: 'circular', symbol, cycle: [...this.inProgress.slice(start), symbol] };
    }
    const possible = this.services.findPossible(symbol);
    const target = this.templateFor(symbol, fromModule);
    if (!target) {
      return possible
        ? { kind: 'error', symbol, message: `'${readableName(symbol)}' is listed as possible by module '${possible.module}', but no loaded module has the template '${possible.template}'` }
        : { kind: 'not_found', symbol };
    }
    // A template calling itself at ever larger types (`f<T>` → `f<Pair<T, T>>`) doubles its
    // arguments per step: stopped here, long before the depth limit and their names' growth.
    if (typeNodes(target.args, MAX_INSTANCE_TYPE_NODES) > MAX_INSTANCE_TYPE_NODES) {
      const chain = this.chainTo(symbol, target.fn);
      return this.cycle(chain, site, `its type arguments grew past ${MAX_INSTANCE_TYPE_NODES} type nodes at depth ${chain.length}`);
    }
    if (this.compiled >= this.config.maxInstantiations) {
      return { kind: 'error', symbol, message: `the JIT instantiation limit (${this.config.maxInstantiations}) is reached` };
    }

    return this.run(symbol, target, possible, undefined);
  }

  /** Compiles an instance (into `reserved`, a stub's slot, if given), its chain tracked for cycles. */
  private run(symbol: string, target: { fn: FnDef; args: readonly Type[] }, possible: PossibleEntry | undefined, reserved: number | undefined): JitResult {
    this.inProgress.push(symbol);
    this.links.push({ symbol, template: target.fn.symbol, fn: target.fn });
    this.depth++;
    const started = natives.now();
    try {
      return this.compile(symbol, target.fn, target.args, possible, started, reserved);
    } finally {
      this.inProgress.pop();
      this.links.pop();
      this.depth--;
    }
  }

  /** The instances being instantiated, then `symbol`. */
  private chainTo(symbol: string, fn: FnDef): Array<CycleLink & { readonly fn: FnDef }> {
    return [...this.links, { symbol, template: fn.symbol, fn }];
  }

  /** A new slot for an instance, entered in the symbol table. */
  private defineSlot(symbol: string, fn: FnDef, args: readonly Type[]): number {
    const slot = this.services.exec.allocExecMemory(fn.exported ? 'exposed' : 'private');
    this.services.symbols.define({ name: symbol, slot, owner: JIT_OWNER, fn, typeArgs: args, version: 1, isJit: true }, true);
    return slot;
  }

  /** The E0420 result for a chain that goes round, recorded for the note of the module that needs it. */
  private cycle(chain: ReadonlyArray<CycleLink & { readonly fn: FnDef }>, site: CallSite | undefined, why: string): JitResult {
    const params = (template: string): readonly string[] => {
      const fn = chain.find((c) => c.template === template)?.fn;
      return fn ? allTypeParams(fn) : [];
    };
    const found = instantiationCycle(chain, params, why);
    const root = chain[0].symbol;
    const error = new InstantiationCycleError(found.path, found.message, site && siteLabel(site), root);
    this.services.recordCycle?.(root, { cyclePath: found.path, errorCode: 'E0420' });
    return { kind: 'error', symbol: chain[chain.length - 1].symbol, message: error.message, error };
  }

  private compile(symbol: string, fn: FnDef, args: readonly Type[], possible: PossibleEntry | undefined, started: number, reserved: number | undefined): JitResult {
    const { symbols, exec } = this.services;
    // The slot: a stub's, kept on failure (its next call fails again), or a new one.
    const claim = (): number => reserved ?? this.defineSlot(symbol, fn, args);
    const rollback = (slot: number): void => {
      if (reserved === undefined) {
        symbols.delete(symbol);
        exec.release(slot);
      }
      this.failures++;
    };
    const load = this.services.loadPersisted?.(symbol, fn, args);
    if (load) {
      const slot = claim();
      let calls: readonly string[];
      try {
        const loaded = load();
        calls = loaded.calls;
        exec.install(slot, loaded.code);
      } catch (e) {
        rollback(slot);
        return { kind: 'error', symbol, message: (e as Error).message, error: e instanceof LoadError ? e : undefined };
      }
      this.cache.set(symbol, { slot, fn, args, calls });
      this.persistedLoads++;
      this.persisted.add(symbol);
      return { kind: 'success', symbol, slot, cached: true };
    }
    // Load-time instances are never linked (no relocation section), and instances with the same
    // code share one compiled module (canonical names).
    const options = { relocatable: false, canonicalNames: true };
    let instance: Instance;
    if (this.services.objTaker) {
      const taken = this.services.objTaker.takeInstance(fn, args, options);
      if (taken.kind !== 'code' || !taken.code.instance) {
        this.failures++;
        const message = taken.kind === 'error' ? taken.message : `'${readableName(symbol)}' cannot be instantiated (${taken.kind})`;
        return { kind: 'error', symbol, message, error: taken.kind === 'error' ? taken.error : undefined };
      }
      instance = taken.code.instance;
    } else {
      const result = this.services.context.instantiate(fn, args, options);
      if (!result.ok) {
        this.failures++;
        return { kind: 'error', symbol, message: result.error.message, error: result.error };
      }
      instance = result.instance;
    }
    const slot = claim();
    const slots = new Map<string, number>();
    for (const need of instance.requires) {
      const found = symbols.lookup(need.symbol, need.fn.module);
      if (found) {
        slots.set(need.symbol, found.slot);
        continue;
      }
      const sub = this.attempt(need.symbol, need.fn.module, need.site);
      if (sub.kind !== 'success') {
        rollback(slot);
        // A cycle says where it goes round and what it is: passed on as it is.
        if (sub.kind === 'error' && sub.error instanceof InstantiationCycleError) return { ...sub, symbol };
        const why = sub.kind === 'error' ? sub.message : sub.kind === 'circular' ? `circular dependency ${sub.cycle.join(' -> ')}` : `'${readableName(need.symbol)}' is not defined by any loaded module`;
        // Context is added once, by the innermost failure: nested levels pass the message on.
        const nested = why.startsWith('Maximum JIT depth') || why.startsWith('while instantiating');
        return { kind: 'error', symbol, message: nested ? why : `while instantiating '${readableName(symbol)}': ${why}` };
      }
      slots.set(need.symbol, sub.slot);
    }
    try {
      exec.install(slot, this.services.instantiateInstance(instance, slots));
    } catch (e) {
      rollback(slot);
      return { kind: 'error', symbol, message: (e as Error).message, error: e instanceof LoadError ? e : undefined };
    }
    this.cache.set(symbol, { slot, fn, args, calls: instance.unit.imports.got });
    this.compiled++;
    this.times.push((natives.now() - started) * 1000);
    this.services.recordJit?.(symbol, possible, instance, fn, args);
    if (this.config.verbose) this.services.log?.(`jit: compiled ${readableName(symbol)} into slot ${slot}`);
    return { kind: 'success', symbol, slot, cached: false };
  }

  /** The template a symbol instantiates and its type arguments, if the symbol names one. */
  templateFor(symbol: string, fromModule?: string): { fn: FnDef; args: readonly Type[] } | undefined {
    let parts;
    try {
      parts = demangle(symbol);
    } catch {
      return undefined;
    }
    const fn = this.services.env.fn(parts.base, fromModule);
    if (!fn || !isGeneric(fn)) return undefined;
    return { fn, args: parts.args };
  }

  /** Whether a symbol would be JIT-compiled (a possible entry or a template exists). */
  canJitInstantiate(symbol: string): boolean {
    return this.config.enabled && (this.services.findPossible(symbol) !== undefined || this.templateFor(symbol) !== undefined);
  }

  /**
   * Forgets the instances that cannot outlive a module being unloaded (or reloaded), so that no
   * code of its old version stays reachable through them: instances of its templates, instances
   * whose type arguments name its structs, and — transitively — instances that call one of its
   * functions or a forgotten instance. Returns them, for the caller to remove from the symbol
   * table and empty their slots.
   */
  dropWith(module: LeavingModule): Array<{ readonly symbol: string; readonly slot: number }> {
    const members = new Set(module.members);
    const ofModule = (t: Type): boolean => t.kind === 'named' && module.definesStruct(t.name);
    const dropped = new Set<string>();
    for (const [symbol, e] of this.cache) {
      if (members.has(e.fn.module) || e.args.some((a) => someType(a, ofModule))) dropped.add(symbol);
    }
    // Callers of what goes, until nothing more goes.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [symbol, e] of this.cache) {
        if (dropped.has(symbol)) continue;
        if (e.calls.some((c) => dropped.has(c) || module.defines(c, e.fn.module))) {
          dropped.add(symbol);
          grew = true;
        }
      }
    }
    const out: Array<{ symbol: string; slot: number }> = [];
    for (const symbol of dropped) {
      out.push({ symbol, slot: this.cache.get(symbol)!.slot });
      this.cache.delete(symbol);
    }
    return out;
  }

  /** The instances compiled so far, symbol → slot. */
  *cachedSymbols(): IterableIterator<[string, number]> {
    for (const [symbol, e] of this.cache) yield [symbol, e.slot];
  }

  /** Whether `symbol`'s code was loaded from a jit_cache rather than compiled in this run. */
  wasPersisted(symbol: string): boolean {
    return this.persisted.has(symbol);
  }

  stats(): JitStats {
    let awaitingFirstCall = 0;
    for (const e of this.cache.values()) if (e.awaitingCall) awaitingFirstCall++;
    return { compiled: this.compiled, persistedLoads: this.persistedLoads, cacheHits: this.cacheHits, failures: this.failures, awaitingFirstCall, timesUs: this.times };
  }
}

/** A symbol in its mangled form, or undefined when it is not a valid name. */
function mangled(name: string): string | undefined {
  try {
    return isMangledForm(name) ? name : normalizeSymbolName(name);
  } catch {
    return undefined;
  }
}

/** The error a failed first call throws into the code that made it. */
function failure(r: Exclude<JitResult, { kind: 'success' }>): Error {
  if (r.kind === 'error') return r.error ?? new LoadError('LOAD_INSTANTIATE', r.message, undefined, r.symbol);
  if (r.kind === 'circular') return new LoadError('LOAD_INSTANTIATE', `circular dependency: ${r.cycle.join(' -> ')}`, undefined, r.symbol);
  return new LoadError('LOAD_UNDEFINED_SYMBOL', `'${readableName(r.symbol)}' is not defined by any loaded module`, undefined, r.symbol);
}
