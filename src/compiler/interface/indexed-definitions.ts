/**
 * A module's definitions made one at a time from its interface's records (interface-directory.ts):
 * a lookup of one struct or function reads and checks that record only (a struct with its
 * methods, a method with its struct). What the first load-time JIT in a module costs then depends
 * on the instance, not on how many other definitions the module has.
 */
import type { FnDef, ProgramEnv, SingleDefinitions, StructDef } from '../program.js';
import { DefinitionBuilder, InterfaceError } from './module-interface.js';
import type { FunctionJson, ScopeTable } from './module-interface.js';
import { LOAD_INDEX_SECTION } from './load-index.js';
import type { InterfaceRecords } from './interface-directory.js';
import type { FnTemplatePayload } from './templates.js';

export class IndexedDefinitions implements SingleDefinitions {
  private readonly build: DefinitionBuilder;
  private readonly structs: Array<StructDef | undefined>;
  private readonly fns: Array<FnDef | undefined>;
  private structIndex: Map<string, number> | undefined;
  private fnIndex: Map<string, number> | undefined;
  private methodIndex: number[][] | undefined;
  private methodScans = 0;
  /** 1 at the index of each function the load index says is exported. */
  private readonly exported: Uint8Array;

  /** `exported`: the symbols of the functions the load index says are exported. */
  constructor(
    module: string,
    private readonly records: InterfaceRecords,
    exported: readonly string[],
    private readonly file: string,
    env: ProgramEnv,
    loadTemplate: (offset: number) => FnTemplatePayload,
  ) {
    this.build = new DefinitionBuilder(module, file, env, loadTemplate, () => this.scopeTable(module));
    // Flags by position rather than a set of names: what the first lookup in a module of thousands
    // of functions allocates decides whether a scavenge falls inside that JIT.
    const known = this.fnIndexOf();
    this.exported = new Uint8Array(records.functionCount);
    for (let i = 0; i < exported.length; i++) {
      const at = known.get(exported[i]);
      if (at === undefined) this.disagree();
      this.exported[at] = 1;
    }
    this.structs = new Array<StructDef | undefined>(records.structCount);
    this.fns = new Array<FnDef | undefined>(records.functionCount);
  }

  /** The struct of this name, with its methods; undefined when the module defines none. */
  struct(name: string): StructDef | undefined {
    const i = this.structIndexOf().get(name);
    return i === undefined ? undefined : this.structAt(i);
  }

  /** The function (or method) of this symbol; undefined when the module defines none. */
  fn(symbol: string): FnDef | undefined {
    const i = this.fnIndexOf().get(symbol);
    return i === undefined ? undefined : this.fnAt(i);
  }

  /**
   * The names the module's templates see: where the directory says the scope lists every own
   * struct and free function under its name, those are known from it and only the names from
   * other modules are read.
   */
  private scopeTable(module: string): ScopeTable {
    const foreign = this.records.foreignScope();
    if (!foreign) return this.records.scopeTable();
    return {
      get: (name) => {
        if (this.structIndexOf().has(name)) return ['struct', module, name];
        const f = this.fnIndexOf().get(name);
        return f !== undefined && this.records.directory.fnOwners[f] < 0 ? ['fn', module, name] : foreign.get(name);
      },
    };
  }

  private structIndexOf(): Map<string, number> {
    return (this.structIndex ??= indexOf(this.records.structNames));
  }

  private fnIndexOf(): Map<string, number> {
    return (this.fnIndex ??= indexOf(this.records.directory.fnSymbols));
  }

  /** Every definition, in the interface's order. */
  all(): { structs: readonly StructDef[]; fns: readonly FnDef[] } {
    const structs = Array.from({ length: this.structs.length }, (_, i) => this.structAt(i));
    const fns = Array.from({ length: this.fns.length }, (_, i) => this.fnAt(i));
    return { structs, fns };
  }

  private structAt(i: number): StructDef {
    const known = this.structs[i];
    if (known) return known;
    const def = this.build.struct(this.records.struct(i));
    // Every method's record is read and checked before any of them (or the struct) is kept: a
    // struct whose methods failed is made again, and fails again, on the next lookup.
    const of = this.methodsOf(i);
    const methods = of.map((m) => this.fnRecord(m));
    const defs = methods.map((f) => this.build.fn(f, def));
    of.forEach((m, k) => (this.fns[m] = defs[k]));
    this.structs[i] = def;
    return def;
  }

  private fnAt(i: number): FnDef {
    const known = this.fns[i];
    if (known) return known;
    const owner = this.records.directory.fnOwners[i];
    if (owner >= 0) {
      this.structAt(owner); // makes its methods, this one among them
      return this.fns[i]!;
    }
    return (this.fns[i] = this.build.fn(this.fnRecord(i), null));
  }

  /** A function's record, which must be exported exactly when the load index says so. */
  private fnRecord(i: number): FunctionJson {
    const f = this.records.fn(i);
    if (f.exported !== (this.exported[i] === 1)) this.disagree();
    return f;
  }

  private disagree(): never {
    throw new InterfaceError(this.file, `${LOAD_INDEX_SECTION} does not agree with the interface it indexes`);
  }

  /**
   * The functions whose owner is `struct`. The first few lookups scan the owners; after that an
   * index of every struct's methods is made (a first JIT needs one struct or two, `all` needs them all).
   */
  private methodsOf(struct: number): readonly number[] {
    const owners = this.records.directory.fnOwners;
    if (!this.methodIndex && ++this.methodScans > 4) {
      const index: number[][] = Array.from({ length: this.structs.length }, () => []);
      for (let f = 0; f < owners.length; f++) if (owners[f] >= 0) index[owners[f]].push(f);
      this.methodIndex = index;
    }
    if (this.methodIndex) return this.methodIndex[struct];
    const methods: number[] = [];
    for (let f = 0; f < owners.length; f++) if (owners[f] === struct) methods.push(f);
    return methods;
  }
}

/**
 * Each name's position. A loop rather than `new Map(names.map(...))`: no pair array per name, in
 * the first JIT of a module of thousands of definitions (its allocations decide whether a
 * scavenge falls inside that JIT).
 */
function indexOf(names: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i++) index.set(names[i], i);
  return index;
}
