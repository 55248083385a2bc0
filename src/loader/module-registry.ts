/**
 * The loader's registry of loaded modules: by name, by file, and which modules call each symbol
 * through a table slot (the only modules whose note can hold a `possible` row for it).
 */
import { resolve } from 'node:path';
import type { FnDef, StructDef } from '../compiler/program.js';
import { findPossible as findPossibleRow } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import type { PossibleEntry } from './jit-instantiator.js';
import type { PreparedModule } from './prepared-module.js';
import type { DeferredSymbols, LoadedSymbol } from './symbol-table.js';

export interface LoadedModule {
  readonly name: string;
  /** The file it was loaded from (an .smf file, or the .spl source of a module compiled in this process). */
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

/** A loaded module; its definitions and note are those of the prepared module, built on first use. */
export class ModuleRecord implements LoadedModule, DeferredSymbols {
  readonly symbols: readonly string[];
  /** Whether its code is compiled and installed (a lazy load leaves that to first use). */
  materialized = false;
  private memberList: readonly string[] | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly prepared: PreparedModule,
    public version: number,
    readonly loadedAt: number,
    private readonly maker: (name: string, m: ModuleRecord) => LoadedSymbol,
  ) {
    this.symbols = prepared.exports;
  }

  get owner(): string {
    return this.name;
  }

  makeSymbol(name: string): LoadedSymbol {
    return this.maker(name, this);
  }

  get members(): readonly string[] {
    return (this.memberList ??= this.prepared.members);
  }

  get structs(): readonly StructDef[] {
    return this.prepared.structs;
  }

  get fns(): readonly FnDef[] {
    return this.prepared.fns;
  }

  get note(): NoteSdn {
    return this.prepared.note;
  }
}

export class ModuleRegistry {
  private readonly byName = new Map<string, ModuleRecord>();
  private readonly byPath = new Map<string, ModuleRecord>();
  /** Which modules call each symbol through a slot. */
  private readonly callers = new Map<string, Set<string>>();
  private readonly callsOf = new Map<string, readonly string[]>();

  get(name: string): ModuleRecord | undefined {
    return this.byName.get(name);
  }

  /** The module loaded from `path` (already absolute). */
  atPath(path: string): ModuleRecord | undefined {
    return this.byPath.get(path);
  }

  /** A module by its file (any path form) or by its name. */
  find(pathOrName: string): ModuleRecord | undefined {
    return this.byPath.get(resolve(pathOrName)) ?? this.byName.get(pathOrName);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get size(): number {
    return this.byName.size;
  }

  values(): IterableIterator<ModuleRecord> {
    return this.byName.values();
  }

  /** Enters (or, for a module of the same name, replaces) a module with what it calls. */
  add(m: ModuleRecord): void {
    this.byName.set(m.name, m);
    this.byPath.set(m.path, m);
    this.indexCalls(m.name, m.prepared.got);
  }

  remove(m: ModuleRecord): void {
    this.byName.delete(m.name);
    this.byPath.delete(m.path);
    this.indexCalls(m.name, []);
  }

  /** The `possible` row for `symbol` in the note of a module that calls it. */
  findPossible(symbol: string): PossibleEntry | undefined {
    for (const name of this.callers.get(symbol) ?? []) {
      const m = this.byName.get(name);
      const row = m && findPossibleRow(m.note, symbol);
      if (row) return { module: name, template: row.template };
    }
    return undefined;
  }

  /** Records (or, with `calls` empty, forgets) what a module calls through slots. */
  private indexCalls(module: string, calls: readonly string[]): void {
    const before = this.callsOf.get(module);
    if (before === undefined && calls.length === 0) return;
    if (before) for (let i = 0; i < before.length; i++) this.callers.get(before[i])?.delete(module);
    if (calls.length === 0) {
      this.callsOf.delete(module);
      return;
    }
    this.callsOf.set(module, calls);
    // Indexed: every load of a module that calls others runs this (a for-of costs an iterator, cold).
    for (let i = 0; i < calls.length; i++) {
      let set = this.callers.get(calls[i]);
      if (!set) this.callers.set(calls[i], (set = new Set()));
      set.add(module);
    }
  }
}
