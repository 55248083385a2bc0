/**
 * The resolved declarations the checker works from: structs, functions and methods with their
 * signatures as Types, and the scopes that map source names to them.
 *
 * A definition comes either from source (it then carries its syntax tree) or from a compiled
 * module's interface (it then carries a template body, or no body when only its code exists).
 * The checker does not care which: this is what lets the compiler, the linker and the loader
 * instantiate templates through the same code.
 */
import type { FnDecl, Receiver } from './ast.js';
import type { SourceFile, Span } from './source.js';
import type { Type } from '../types/index.js';

export interface FieldDef {
  readonly name: string;
  /** May mention the struct's type parameters as `param` types. */
  readonly type: Type;
}

export interface StructDef {
  readonly kind: 'struct';
  readonly name: string;
  readonly module: string;
  readonly typeParams: readonly string[];
  readonly fields: readonly FieldDef[];
  readonly methods: Map<string, FnDef>;
  readonly exported: boolean;
  readonly origin: Origin;
}

export interface ParamDef {
  readonly name: string;
  /** May mention the owner's and the function's own type parameters. */
  readonly type: Type;
}

/** A function body ready to be checked: its syntax, the source it came from, and its names. */
export interface FnBody {
  readonly decl: FnDecl;
  readonly source: SourceFile;
  readonly scope: Scope;
}

export interface FnDef {
  readonly kind: 'fn';
  readonly name: string;
  /** The base symbol: `max`, or `Pair.swap` for a method. Instances append `$args`. */
  readonly symbol: string;
  readonly module: string;
  /** The struct a method belongs to; null for a free function. */
  readonly owner: StructDef | null;
  readonly receiver: Receiver;
  /** The function's own type parameters (a method also has its owner's). */
  readonly typeParams: readonly string[];
  readonly params: readonly ParamDef[];
  readonly ret: Type;
  readonly isExtern: boolean;
  readonly exported: boolean;
  /** Null for an extern fn, or for a concrete function known only by its compiled code. */
  readonly body: FnBody | null;
  readonly origin: Origin;
}

/** Where a definition was written, for diagnostics. */
export interface Origin {
  readonly file: SourceFile | string;
  readonly span: Span | null;
}

export type Definition = FnDef | StructDef;

/** All type parameters in scope inside a function: its owner's, then its own. */
export function allTypeParams(fn: FnDef): readonly string[] {
  return fn.owner ? [...fn.owner.typeParams, ...fn.typeParams] : fn.typeParams;
}

export function isGeneric(fn: FnDef): boolean {
  return fn.typeParams.length > 0 || (fn.owner !== null && fn.owner.typeParams.length > 0);
}

/** The names visible at module level: the module's own declarations and what it imports. */
export class Scope {
  private readonly names = new Map<string, Definition>();

  constructor(readonly module: string) {}

  define(name: string, def: Definition): void {
    this.names.set(name, def);
  }

  lookup(name: string): Definition | undefined {
    return this.names.get(name);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  entries(): IterableIterator<[string, Definition]> {
    return this.names.entries();
  }
}

/**
 * Every struct the program knows, by its global name (the namespace is flat, as in the
 * original: two structs of one name are an error).
 */
export interface StructTable {
  struct(name: string): StructDef | undefined;
}

/**
 * A module whose definitions are known by name until one of them is first looked up: a loader
 * registers a module from its load index and decodes the interface only when it is needed.
 */
export interface LazyModuleDefinitions {
  /** The module's name. */
  readonly name: string;
  /** Every struct it defines. */
  readonly structNames: readonly string[];
  /** The symbols of its exported functions (private ones are found through the module). */
  readonly fnSymbols: readonly string[];
  /** Decodes the definitions; called at most once while it is registered (or again after a throw). */
  buildDefinitions(): { readonly structs: readonly StructDef[]; readonly fns: readonly FnDef[] };
  /**
   * Set when the module can make one definition on its own: the struct or function (exported or
   * private) named, the same object every time and the one buildDefinitions returns; undefined
   * when the module defines none of that name.
   */
  readonly single?: SingleDefinitions | null;
}

export interface SingleDefinitions {
  struct(name: string): StructDef | undefined;
  fn(symbol: string): FnDef | undefined;
}

export interface DefinitionClash {
  readonly name: string;
  /** The module that defined the name first, and the one that defines it again. */
  readonly first: string;
  readonly second: string;
}

/** The marker a lazily registered module's names point to until it is built. */
class Unbuilt {
  constructor(readonly module: string, readonly defs: LazyModuleDefinitions) {}
}

/**
 * The definitions of every module a compilation, a link or a loader knows: structs by their
 * global name, functions by symbol. Private (`_`) functions are kept per module, since only
 * their own module (and instances of its templates) may call them.
 */
export class ProgramEnv implements StructTable {
  private readonly structsByName = new Map<string, StructDef | Unbuilt>();
  private readonly fnsBySymbol = new Map<string, FnDef | Unbuilt>();
  private readonly privateFns = new Map<string, Map<string, FnDef>>();
  private readonly unbuilt = new Map<string, Unbuilt>();

  struct(name: string): StructDef | undefined {
    const s = this.structsByName.get(name);
    if (!(s instanceof Unbuilt)) return s;
    const one = s.defs.single?.struct(name);
    if (one) {
      this.structsByName.set(name, one);
      return one;
    }
    this.build(s);
    const built = this.structsByName.get(name);
    return built instanceof Unbuilt ? undefined : built;
  }

  /** The function a symbol names, as seen from `fromModule` (which may see its private ones). */
  fn(symbol: string, fromModule?: string): FnDef | undefined {
    if (fromModule !== undefined) {
      const own = this.privateFns.get(fromModule)?.get(symbol);
      if (own) return own;
      const pending = this.unbuilt.get(fromModule);
      const single = pending?.defs.single;
      if (single) {
        const one = single.fn(symbol);
        if (one && !one.exported) return this.addPrivate(one);
      } else if (pending) {
        this.build(pending);
        const built = this.privateFns.get(fromModule)?.get(symbol);
        if (built) return built;
      }
    }
    const f = this.fnsBySymbol.get(symbol);
    if (!(f instanceof Unbuilt)) return f;
    const one = f.defs.single?.fn(symbol);
    if (one?.exported) {
      this.fnsBySymbol.set(symbol, one);
      return one;
    }
    this.build(f);
    const built = this.fnsBySymbol.get(symbol);
    return built instanceof Unbuilt ? undefined : built;
  }

  /** Adds a module's definitions; returns the names that clash with another module's. */
  add(structs: readonly StructDef[], fns: readonly FnDef[]): Array<{ name: string; first: Definition; second: Definition }> {
    const clashes: Array<{ name: string; first: Definition; second: Definition }> = [];
    for (const s of structs) {
      const prev = this.struct(s.name);
      if (prev && prev !== s) clashes.push({ name: s.name, first: prev, second: s });
      else this.structsByName.set(s.name, s);
    }
    for (const f of fns) {
      if (!f.exported) {
        this.addPrivate(f);
        continue;
      }
      const prev = this.fn(f.symbol);
      if (prev && prev !== f) clashes.push({ name: f.symbol, first: prev, second: f });
      else this.fnsBySymbol.set(f.symbol, f);
    }
    return clashes;
  }

  private addPrivate(f: FnDef): FnDef {
    let own = this.privateFns.get(f.module);
    if (!own) this.privateFns.set(f.module, (own = new Map()));
    own.set(f.symbol, f);
    return f;
  }

  /**
   * Registers a module by the names it defines; its definitions are built on the first lookup
   * that needs one. A name another module already defines is a clash, and nothing is added.
   */
  addLazy(defs: LazyModuleDefinitions): DefinitionClash[] {
    const clashes: DefinitionClash[] = [];
    for (const name of defs.structNames) {
      const prev = this.structsByName.get(name);
      if (prev) clashes.push({ name, first: prev.module, second: defs.name });
    }
    for (const symbol of defs.fnSymbols) {
      const prev = this.fnsBySymbol.get(symbol);
      if (prev) clashes.push({ name: symbol, first: prev.module, second: defs.name });
    }
    if (clashes.length > 0) return clashes;
    const marker = new Unbuilt(defs.name, defs);
    for (const name of defs.structNames) this.structsByName.set(name, marker);
    for (const symbol of defs.fnSymbols) this.fnsBySymbol.set(symbol, marker);
    this.unbuilt.set(defs.name, marker);
    return clashes;
  }

  /** Replaces a lazily registered module's names by its definitions. */
  private build(marker: Unbuilt): void {
    const { structs, fns } = marker.defs.buildDefinitions();
    this.unbuilt.delete(marker.module);
    for (const name of marker.defs.structNames) if (this.structsByName.get(name) === marker) this.structsByName.delete(name);
    for (const symbol of marker.defs.fnSymbols) if (this.fnsBySymbol.get(symbol) === marker) this.fnsBySymbol.delete(symbol);
    this.add(structs, fns);
  }

  /** Forgets a module's definitions (unload, reload). */
  remove(module: string): void {
    for (const [name, s] of this.structsByName) if (s.module === module) this.structsByName.delete(name);
    for (const [symbol, f] of this.fnsBySymbol) if (f.module === module) this.fnsBySymbol.delete(symbol);
    this.privateFns.delete(module);
    this.unbuilt.delete(module);
  }

  structs(): IterableIterator<StructDef> {
    for (const marker of [...this.unbuilt.values()]) this.build(marker);
    return (this.structsByName as Map<string, StructDef>).values();
  }
}
