/**
 * The loader's global symbol table: symbol → table slot, with the module that owns it.
 * Private (`_`) functions live in their module's own table, visible only from that module.
 */
import type { FnDef } from '../compiler/program.js';
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
    if (!this.described && !this.name.includes('$')) return [];
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

export class SymbolTable {
  private readonly global = new Map<string, LoadedSymbol>();
  private readonly local = new Map<string, Map<string, LoadedSymbol>>();

  lookup(name: string, fromModule?: string): LoadedSymbol | undefined {
    if (fromModule !== undefined) {
      const own = this.local.get(fromModule)?.get(name);
      if (own) return own;
    }
    return this.global.get(name);
  }

  define(sym: LoadedSymbol, exported: boolean): void {
    if (exported) {
      this.global.set(sym.name, sym);
      return;
    }
    let own = this.local.get(sym.owner);
    if (!own) this.local.set(sym.owner, (own = new Map()));
    own.set(sym.name, sym);
  }

  delete(name: string, owner?: string): void {
    if (owner !== undefined && this.local.get(owner)?.delete(name)) return;
    this.global.delete(name);
  }

  /** All symbols a module owns (global and local). */
  ownedBy(module: string): LoadedSymbol[] {
    const out = [...(this.local.get(module)?.values() ?? [])];
    for (const s of this.global.values()) if (s.owner === module) out.push(s);
    return out;
  }

  removeModule(module: string): LoadedSymbol[] {
    const removed = this.ownedBy(module);
    for (const s of removed) this.delete(s.name, module);
    this.local.delete(module);
    return removed;
  }

  get size(): number {
    let n = this.global.size;
    for (const m of this.local.values()) n += m.size;
    return n;
  }

  all(): IterableIterator<LoadedSymbol> {
    return this.global.values();
  }
}
