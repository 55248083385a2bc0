/**
 * ObjTaker — the "object getter" shared by the linker and the loader: given a module and a
 * symbol, it produces the code for it.
 *
 * A "module" here is an ObjModule (obj-module.ts): one opened SMF file with its interface
 * definitions registered in the ProgramEnv of the CompilerContext the taker was made with.
 *
 * `takeObject(module, name)` routes:
 *   - a function the module's code defines         → takeConcrete (its code; no inference)
 *   - an instance name `max$i64` of its template    → takeWithTypes (explicit arguments)
 *   - a template name `max`                         → takeGeneric (arguments inferred from the
 *     usage hints in note.sdn through CompilerContext.inferTypes, the shared unifier); when the
 *     hints leave types open → takeDeferred (the template and its hints, for load time); when
 *     there are no hints → the template itself
 *   - anything else                                 → not_found
 *
 * Templates and instances are cached (least recently used first out, bounded) with statistics.
 */
import type { CompilerContext, Instance, InstantiateOptions } from '../compiler/context.js';
import { allTypeParams, isGeneric } from '../compiler/program.js';
import type { FnDef } from '../compiler/program.js';
import type { SimpleError } from '../errors.js';
import type { NoteSdn } from '../sdn/index.js';
import { RelocKind } from '../compiler/lower/unit-abi.js';
import { demangle, mangle, parseType } from '../types/index.js';
import type { Type, TypeArgHint } from '../types/index.js';
import { BoundedCache } from './bounded-cache.js';
import type { CacheCounters } from './bounded-cache.js';
import { resolveHint, usageHints } from './hints.js';
import type { UsageHint } from './hints.js';
import type { ObjModule } from './obj-module.js';

export interface ObjTakerConfig {
  readonly enableCache: boolean;
  /** The most templates, and separately the most instances, kept in the caches. */
  readonly maxCacheSize: number;
  /** Hand back templates whose types are not known yet (`template`/`deferred`) instead of an error. */
  readonly allowDeferred: boolean;
}

export const DEFAULT_OBJ_TAKER_CONFIG: ObjTakerConfig = { enableCache: true, maxCacheSize: 10_000, allowDeferred: true };

/** Code for a symbol: one function of a WebAssembly unit. */
export interface TakenCode {
  /** `module`: the function is in the module's own code; `instance`: a fresh instance unit. */
  readonly source: 'module' | 'instance';
  /** The whole unit the function is in. */
  readonly wasm: Uint8Array;
  /** The function's index among the unit's defined functions. */
  readonly functionIndex: number;
  /** The symbols it calls through the GOT (other modules' functions, instances). */
  readonly requires: readonly string[];
  readonly typeArgs: readonly Type[];
  /** For an instance: the compiler's result, with the call sites of what it requires. */
  readonly instance?: Instance;
}

export type TakeErrorCode = 'E0421' | 'TYPE_ARG_COUNT' | 'NOT_A_TEMPLATE' | 'NO_HINTS' | 'BAD_HINT' | 'INFERENCE' | 'INSTANTIATION' | 'BAD_NAME';

export type TakeResult =
  | { readonly kind: 'code'; readonly symbol: string; readonly module: string; readonly code: TakenCode }
  | { readonly kind: 'template'; readonly symbol: string; readonly module: string; readonly template: FnDef }
  | { readonly kind: 'deferred'; readonly symbol: string; readonly module: string; readonly template: FnDef; readonly hints: readonly UsageHint[] }
  | { readonly kind: 'not_found'; readonly symbol: string }
  | {
      readonly kind: 'error';
      readonly symbol: string;
      readonly code: TakeErrorCode;
      readonly message: string;
      /** For E0421: the path of the cycle, first node repeated at the end. */
      readonly cycle?: readonly string[];
      /** Where the failing hint was written (`file:line:col`). */
      readonly at?: string;
      readonly error?: SimpleError;
    };

export interface ObjTakerStats {
  readonly templates: CacheCounters;
  readonly instances: CacheCounters;
  /** Instances compiled (cache misses that succeeded). */
  readonly instantiated: number;
  readonly failures: number;
  readonly deferred: number;
}

type CodeResult = Extract<TakeResult, { kind: 'code' }>;

export class ObjTaker {
  readonly config: ObjTakerConfig;
  private readonly templates: BoundedCache<string, FnDef>;
  private readonly instances: BoundedCache<string, CodeResult>;
  private instantiated = 0;
  private failures = 0;
  private deferred = 0;

  constructor(
    readonly context: CompilerContext,
    config: Partial<ObjTakerConfig> = {},
  ) {
    this.config = { ...DEFAULT_OBJ_TAKER_CONFIG, ...config };
    const size = this.config.enableCache ? this.config.maxCacheSize : 0;
    this.templates = new BoundedCache(size);
    this.instances = new BoundedCache(size);
  }

  takeObject(module: ObjModule, name: string): TakeResult {
    if (module.functionIndex.has(name)) return this.takeConcrete(module, name);
    let parts;
    try {
      parts = demangle(name);
    } catch (e) {
      return { kind: 'error', symbol: name, code: 'BAD_NAME', message: (e as Error).message, error: e as SimpleError };
    }
    if (parts.args.length > 0) {
      return module.fns.has(parts.base) ? this.takeWithTypes(module, parts.base, parts.args) : { kind: 'not_found', symbol: name };
    }
    const fn = module.fns.get(name);
    if (fn && isGeneric(fn)) return this.takeGeneric(module, name);
    return { kind: 'not_found', symbol: name };
  }

  /** A function of the module's own code. */
  takeConcrete(module: ObjModule, name: string): TakeResult {
    const index = module.functionIndex.get(name);
    if (index === undefined) return { kind: 'not_found', symbol: name };
    const body = module.wasm.bodies[index];
    const requires = new Set<string>();
    const relocs = module.relocs;
    // Relocations are sorted by offset: find the body's first one by binary search.
    let lo = 0;
    let hi = relocs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (relocs[mid].offset < body.code) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < relocs.length && relocs[i].offset < body.end; i++) {
      const r = relocs[i];
      if (r.kind === RelocKind.global && r.value > 0) requires.add(module.got[r.value - 1]);
    }
    return {
      kind: 'code',
      symbol: name,
      module: module.name,
      code: { source: 'module', wasm: module.parts.code, functionIndex: index, requires: [...requires], typeArgs: [] },
    };
  }

  /**
   * Instantiates a template with the type arguments its usage hints imply. `hints` default to
   * the module's own rows for the template; `note` is where `depends_on_` rows are looked up.
   */
  takeGeneric(module: ObjModule, name: string, hints?: readonly UsageHint[], note: NoteSdn = module.note): TakeResult {
    const fn = this.template(module, name);
    if (!fn) return { kind: 'not_found', symbol: name };
    if (!isGeneric(fn)) return this.fail(name, 'NOT_A_TEMPLATE', `'${name}' is not a generic template`);
    const list = hints ?? usageHints(module.note, name);
    if (list.length === 0) {
      if (this.config.allowDeferred) return { kind: 'template', symbol: name, module: module.name, template: fn };
      return this.fail(name, 'NO_HINTS', `no usage hint determines the type arguments of '${name}'`);
    }
    const params = allTypeParams(fn);
    const typeHints: TypeArgHint[] = [];
    for (const h of list) {
      const r = resolveHint(note, h);
      if (r.kind === 'cycle') {
        return { ...this.fail(name, 'E0421', `type inference cycle: ${r.path.join('->')}`), cycle: r.path, at: h.at };
      }
      if (r.kind === 'invalid') return { ...this.fail(name, 'BAD_HINT', r.message), at: h.at };
      if (r.kind === 'open') {
        if (this.config.allowDeferred) return this.takeDeferred(module, name, list);
        return { ...this.fail(name, 'INFERENCE', `the types of '${h.expr}' are only known at load time`), at: h.at };
      }
      if (r.args.length !== params.length) return { ...this.arityError(fn, r.args.length), at: h.at };
      params.forEach((p, i) => typeHints.push({ expected: { kind: 'param', name: p }, actual: r.args[i] }));
    }
    const inferred = this.context.inferTypes(fn, typeHints);
    if (!inferred.ok) return this.fail(name, 'INFERENCE', `cannot infer the type arguments of '${name}': ${inferred.error}`);
    return this.instantiate(module, fn, inferred.args);
  }

  /** Instantiates a template with explicit type arguments (types or their surface syntax). */
  takeWithTypes(module: ObjModule, name: string, typeArgs: ReadonlyArray<Type | string>): TakeResult {
    const fn = this.template(module, name);
    if (!fn) return { kind: 'not_found', symbol: name };
    if (!isGeneric(fn)) return this.fail(name, 'NOT_A_TEMPLATE', `'${name}' is not a generic template`);
    if (typeArgs.length !== allTypeParams(fn).length) return this.arityError(fn, typeArgs.length);
    let args: Type[];
    try {
      args = typeArgs.map((t) => (typeof t === 'string' ? parseType(t) : t));
    } catch (e) {
      return this.fail(name, 'BAD_NAME', (e as Error).message);
    }
    return this.instantiate(module, fn, args);
  }

  /** Leaves a template for load time, with the hints the loader will infer its types from. */
  takeDeferred(module: ObjModule, name: string, hints: readonly UsageHint[] = usageHints(module.note, name)): TakeResult {
    const fn = this.template(module, name);
    if (!fn) return { kind: 'not_found', symbol: name };
    if (!isGeneric(fn)) return this.fail(name, 'NOT_A_TEMPLATE', `'${name}' is not a generic template`);
    this.deferred++;
    return { kind: 'deferred', symbol: name, module: module.name, template: fn, hints };
  }

  /** The template (or function) a module defines under `name`, through the template cache. */
  template(module: ObjModule, name: string): FnDef | undefined {
    const key = `${module.file}\0${name}`;
    const cached = this.templates.get(key);
    if (cached) return cached;
    const fn = module.fns.get(name);
    if (fn) this.templates.set(key, fn);
    return fn;
  }

  clearCache(): void {
    this.templates.clear();
    this.instances.clear();
  }

  stats(): ObjTakerStats {
    return {
      templates: this.templates.counters(),
      instances: this.instances.counters(),
      instantiated: this.instantiated,
      failures: this.failures,
      deferred: this.deferred,
    };
  }

  /**
   * An instance of `fn` at `args`, without an ObjModule: the loader's JIT asks this way, for
   * units it loads but never links (`{ relocatable: false, canonicalNames: true }`).
   */
  takeInstance(fn: FnDef, args: readonly Type[], options: InstantiateOptions = {}): TakeResult {
    if (!isGeneric(fn)) return this.fail(fn.symbol, 'NOT_A_TEMPLATE', `'${fn.symbol}' is not a generic template`);
    if (args.length !== allTypeParams(fn).length) return this.arityError(fn, args.length);
    return this.instantiate(fn.module, fn, args, options);
  }

  private instantiate(
    moduleName: ObjModule | string,
    fn: FnDef,
    args: readonly Type[],
    // Default relocatable: the linker merges instance units through their reloc.CODE.
    options: InstantiateOptions = { relocatable: true },
  ): TakeResult {
    const module = { name: typeof moduleName === 'string' ? moduleName : moduleName.name };
    let symbol: string;
    try {
      symbol = mangle(fn.symbol, args);
    } catch (e) {
      return this.fail(fn.symbol, 'BAD_NAME', (e as Error).message);
    }
    // Units made with other options are other bytes: they are cached apart.
    const key = options.relocatable === false || options.canonicalNames ? `${symbol}\0${options.relocatable === false ? 'l' : 'r'}${options.canonicalNames ? 'c' : ''}` : symbol;
    const cached = this.instances.get(key);
    if (cached) return cached;
    const r = this.context.instantiate(fn, args, options);
    if (!r.ok) {
      this.failures++;
      return { kind: 'error', symbol, code: 'INSTANTIATION', message: r.error.message, error: r.error };
    }
    this.instantiated++;
    const result: CodeResult = {
      kind: 'code',
      symbol,
      module: module.name,
      code: {
        source: 'instance',
        wasm: r.instance.unit.wasm,
        functionIndex: 0,
        requires: r.instance.requires.map((u) => u.symbol),
        typeArgs: args,
        instance: r.instance,
      },
    };
    this.instances.set(key, result);
    return result;
  }

  private arityError(fn: FnDef, given: number): Extract<TakeResult, { kind: 'error' }> {
    const expected = allTypeParams(fn).length;
    return this.fail(fn.symbol, 'TYPE_ARG_COUNT', `type argument count mismatch: '${fn.symbol}' takes ${expected}, given ${given}`);
  }

  private fail(symbol: string, code: TakeErrorCode, message: string): Extract<TakeResult, { kind: 'error' }> {
    if (code !== 'INSTANTIATION') this.failures++;
    return { kind: 'error', symbol, code, message };
  }
}
