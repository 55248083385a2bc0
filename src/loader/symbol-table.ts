/**
 * The loader's global symbol table: symbol → table slot, with the module that owns it.
 * Private (`_`) functions live in their module's own table, visible only from that module.
 */
import type { FnDef } from '../compiler/program.js';
import { isInstanceSymbol } from '../types/index.js';
import type { Type } from '../types/index.js';

export const JIT_OWNER = '__jit__';

export interface LoadedSymbol {
  readonly name: string;
  readonly slot: number;
  /** The module that defines it (its name), or JIT_OWNER for load-time instances. */
  readonly owner: string;
  /** The function (or template) it is an instance of, for signatures and reloads. */
  fn: FnDef | null;
  typeArgs: readonly Type[];
  /** Goes up on every hot reload of its code. */
  version: number;
  readonly isJit: boolean;
}

export interface SymbolDescription {
  readonly fn: FnDef;
  readonly args: readonly Type[];
}

/**
 * A function a loaded module's code defines. What it is an instance of is looked up on first
 * use, so that registering a module does not need its definitions built.
 */
export class ModuleSymbol<M> implements LoadedSymbol {
  version = 1;
  readonly isJit = false;
  private described = false;
  private base: FnDef | null = null;
  private args: readonly Type[] = [];

  /** `describe(name, module)` says what the symbol is, when first asked. */
  constructor(
    readonly name: string,
    readonly slot: number,
    readonly owner: string,
    private readonly describe: (symbol: string, module: M) => SymbolDescription | undefined,
    private readonly module: M,
  ) {}

  get fn(): FnDef | null {
    this.ensureDescribed();
    return this.base;
  }

  set fn(fn: FnDef | null) {
    this.ensureDescribed();
    this.base = fn;
  }

  get typeArgs(): readonly Type[] {
    // Only an instance (`base$args`) has type arguments: others need no lookup to say so.
    if (!this.described && !isInstanceSymbol(this.name)) return [];
    this.ensureDescribed();
    return this.args;
  }

  set typeArgs(args: readonly Type[]) {
    this.ensureDescribed();
    this.args = args;
  }

  private ensureDescribed(): void {
    if (this.described) return;
    const d = this.describe(this.name, this.module);
    this.described = true;
    this.base = d?.fn ?? null;
    this.args = d?.args ?? [];
  }
}

/**
 * The symbols of a loaded module, registered by name only: each symbol — and its table slot — is
 * made when it is first looked up. Registering a module costs a map entry per symbol and nothing
 * more, and a function nobody calls never takes a slot.
 */
export interface DeferredSymbols {
  readonly owner: string;
  makeSymbol(name: string): LoadedSymbol;
}

type Entry = LoadedSymbol | DeferredSymbols;

function isDeferred(e: Entry): e is DeferredSymbols {
  return typeof (e as DeferredSymbols).makeSymbol === 'function';
}

export class SymbolTable {
  private readonly global = new Map<string, Entry>();
  private readonly local = new Map<string, Map<string, Entry>>();
  /** The modules linked into a loaded module, each to that module: they see its private symbols. */
  private readonly linkedInto = new Map<string, string>();

  lookup(name: string, fromModule?: string): LoadedSymbol | undefined {
    const own = this.localOf(fromModule);
    const e = own?.get(name);
    if (e) return isDeferred(e) ? made(own!, name, e) : e;
    const g = this.global.get(name);
    if (g === undefined) return undefined;
    return isDeferred(g) ? made(this.global, name, g) : g;
  }

  /** Whether `name` is defined (as `lookup` would find it), without making a deferred symbol. */
  has(name: string, fromModule?: string): boolean {
    return this.localOf(fromModule)?.has(name) === true || this.global.has(name);
  }

  /** The module that defines `name` (as `lookup` would find it), without making a deferred symbol. */
  ownerOf(name: string, fromModule?: string): string | undefined {
    return (this.localOf(fromModule)?.get(name) ?? this.global.get(name))?.owner;
  }

  /** Lets code of `member`, a module linked into `owner`, see `owner`'s private symbols. */
  link(member: string, owner: string): void {
    this.linkedInto.set(member, owner);
  }

  private localOf(fromModule: string | undefined): Map<string, Entry> | undefined {
    if (fromModule === undefined) return undefined;
    return this.local.get(this.linkedInto.get(fromModule) ?? fromModule);
  }

  define(sym: LoadedSymbol, exported: boolean): void {
    this.set(sym.name, sym, exported);
  }

  /** Registers `name` for `symbols` to make on its first lookup. */
  defineDeferred(name: string, symbols: DeferredSymbols, exported: boolean): void {
    this.set(name, symbols, exported);
  }

  private set(name: string, e: Entry, exported: boolean): void {
    if (exported) {
      this.global.set(name, e);
      return;
    }
    let own = this.local.get(e.owner);
    if (!own) this.local.set(e.owner, (own = new Map()));
    own.set(name, e);
  }

  delete(name: string, owner?: string): void {
    if (owner !== undefined && this.local.get(owner)?.delete(name)) return;
    this.global.delete(name);
  }

  /**
   * Forgets every symbol a module owns, global and local; returns those that were made (the
   * ones holding a table slot).
   */
  removeModule(module: string): LoadedSymbol[] {
    const made: LoadedSymbol[] = [];
    for (const e of this.local.get(module)?.values() ?? []) if (!isDeferred(e)) made.push(e);
    this.local.delete(module);
    for (const [member, owner] of this.linkedInto) if (owner === module) this.linkedInto.delete(member);
    for (const [name, e] of this.global) {
      if (e.owner !== module) continue;
      this.global.delete(name);
      if (!isDeferred(e)) made.push(e);
    }
    return made;
  }

  get size(): number {
    let n = this.global.size;
    for (const m of this.local.values()) n += m.size;
    return n;
  }

  /** The global symbols made so far (a deferred one has no slot, so nothing can be running it). */
  *all(): IterableIterator<LoadedSymbol> {
    for (const e of this.global.values()) if (!isDeferred(e)) yield e;
  }
}

function made(map: Map<string, Entry>, name: string, deferred: DeferredSymbols): LoadedSymbol {
  const sym = deferred.makeSymbol(name);
  map.set(name, sym);
  return sym;
}
