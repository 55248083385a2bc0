/**
 * The hot-reload swap: a loaded module's code replaced while the program runs.
 *
 * Every function the module had keeps its table slot, so every caller — other modules, the
 * host's handles — runs the new code from its next call on. Live instances of the module's
 * templates that live elsewhere (JIT-compiled, linked in) are instantiated again from the new
 * templates and installed in the same synchronous step, so no call ever sees a half-installed
 * module. A changed signature or struct layout is refused before anything changes, and on any
 * failure the old definitions come back.
 */
import type { CompilerContext, Instance } from '../compiler/context.js';
import type { FnDef, ProgramEnv } from '../compiler/program.js';
import { readableName } from '../types/index.js';
import type { Type } from '../types/index.js';
import { LoadError } from './errors.js';
import type { ExecMemory } from './exec-memory.js';
import { definedExports } from './prepared-module.js';
import type { PreparedModule, UnitCode } from './prepared-module.js';
import { checkCompatible } from './reload-check.js';
import type { ModuleShape } from './reload-check.js';
import type { LoadedSymbol, SymbolDescription, SymbolTable } from './symbol-table.js';

/** What a swap needs of the loader. */
export interface SwapServices {
  readonly env: ProgramEnv;
  readonly context: CompilerContext;
  readonly symbols: SymbolTable;
  readonly exec: ExecMemory;
  /** Compiles and installs a module loaded lazily, if it is not yet. */
  materialize(module: string): void;
  describeSymbol(symbol: string, p: PreparedModule): SymbolDescription | undefined;
  /** Instantiates a unit against the table; returns its exports. */
  instantiate(unit: UnitCode, undefinedMessage: (symbol: string) => string): Record<string, unknown>;
  undefinedMessage(p: PreparedModule): (symbol: string) => string;
  /** Compiles and instantiates one template instance; returns its function. */
  instantiateInstance(instance: Instance, slots: ReadonlyMap<string, number>): unknown;
  /** Whether an instance's slot holds a first-call stub, which compiles the template current at its first call. */
  awaitsFirstCall(symbol: string): boolean;
}

/** The module as it is loaded now. */
export interface SwappedModule extends ModuleShape {
  readonly name: string;
  readonly members: readonly string[];
}

/** Swaps `old`'s code for `next`'s; throws (leaving `old` as it was) when it cannot. */
export function swapModule(services: SwapServices, old: SwappedModule, next: PreparedModule): void {
  const { env, symbols, exec } = services;
  checkCompatible(old, next);
  for (const member of next.members) if (member !== old.name) symbols.link(member, old.name);
  // A module never used yet is installed first, so there is one code path for the swap.
  services.materialize(old.name);
  // The new definitions replace the old ones; on any failure the old ones come back.
  old.members.forEach((m) => env.remove(m));
  const restore = (): void => {
    next.members.forEach((m) => env.remove(m));
    env.add(old.structs, old.fns);
  };
  for (const clash of env.add(next.structs, next.fns)) {
    restore();
    throw new LoadError('LOAD_DUPLICATE_SYMBOL', `'${clash.name}' is defined by both '${clash.first.module}' and '${clash.second.module}'`, next.path);
  }
  const added: LoadedSymbol[] = [];
  try {
    // Slots: kept for every symbol the module had, new ones for what it adds.
    const targets: Array<{ sym: LoadedSymbol; fn: FnDef | null; args: readonly Type[] }> = [];
    for (const symbol of next.exports) {
      const base = services.describeSymbol(symbol, next);
      let sym = symbols.lookup(symbol, old.name);
      if (!sym || sym.owner !== old.name) {
        sym = { name: symbol, slot: exec.allocExecMemory(base && !base.fn.exported ? 'private' : 'exposed'), owner: old.name, fn: base?.fn ?? null, typeArgs: base?.args ?? [], version: 0, isJit: false };
        symbols.define(sym, base ? base.fn.exported : true);
        added.push(sym);
      }
      targets.push({ sym, fn: base?.fn ?? null, args: base?.args ?? [] });
    }
    const exports = definedExports(services.instantiate(next.compile(), services.undefinedMessage(next)), next);

    const regenerated: Array<{ sym: LoadedSymbol; fn: FnDef; code: unknown }> = [];
    for (const sym of liveInstancesOf(symbols, old)) {
      if (services.awaitsFirstCall(sym.name)) continue;
      const fn = env.fn(sym.fn!.symbol, sym.fn!.module);
      if (!fn) throw new LoadError('LOAD_SIGNATURE_CHANGED', `template '${sym.fn!.symbol}' was removed, but '${readableName(sym.name)}' is in use`, next.path, sym.name);
      const r = services.context.instantiate(fn, sym.typeArgs);
      if (!r.ok) throw new LoadError('LOAD_INSTANTIATE', `the new template does not instantiate: ${r.error.message}`, next.path, sym.name);
      const slots = new Map<string, number>();
      for (const need of r.instance.requires) {
        const found = symbols.lookup(need.symbol, need.fn.module);
        if (found) slots.set(need.symbol, found.slot);
      }
      regenerated.push({ sym, fn, code: services.instantiateInstance(r.instance, slots) });
    }

    // The swap: one synchronous step.
    for (const t of targets) {
      exec.install(t.sym.slot, exports[t.sym.name]);
      t.sym.fn = t.fn;
      t.sym.typeArgs = t.args;
      t.sym.version++;
    }
    for (const r of regenerated) {
      exec.install(r.sym.slot, r.code);
      r.sym.fn = r.fn;
      r.sym.version++;
    }
  } catch (e) {
    for (const sym of added) {
      symbols.delete(sym.name, old.name);
      exec.release(sym.slot);
    }
    restore();
    throw e;
  }
}

/** Symbols outside `module` that are instances of its templates. */
function liveInstancesOf(symbols: SymbolTable, module: SwappedModule): LoadedSymbol[] {
  const out: LoadedSymbol[] = [];
  for (const sym of symbols.all()) {
    // typeArgs first: a symbol that is no instance says so without looking its function up.
    if (sym.owner !== module.name && sym.typeArgs.length > 0 && sym.fn && module.members.includes(sym.fn.module)) out.push(sym);
  }
  return out;
}
