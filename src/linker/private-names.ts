/**
 * Private (`_`) functions in a linked SMF.
 *
 * Separately loaded modules keep their private functions in a per-module table, so two modules
 * may both define `_helper`. A linked SMF is one WebAssembly module with one export namespace
 * and is registered by the loader under one name, so its members' private functions get global
 * names that cannot clash: `<symbol>..<module>` (`_helper..lib`, `Stack._grow..lib`, and for
 * instances of a private template `_pick..lib$i64`). `..` never occurs in a symbol the compiler
 * makes, so the qualified name is unique by construction. Qualified functions are marked
 * exported in the member interfaces, which is what lets the loader's JIT find them from
 * instances of the member's templates.
 */
import type { ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import { symbolBase } from '../types/index.js';

/** Module names come from file names; only symbol characters may go into a symbol. */
export function qualifierOf(module: string): string {
  const q = module.replace(/[^\p{L}\p{N}_]/gu, '_');
  return q.length > 0 ? q : '_';
}

/** `_h$i64` of module `lib` → `_h..lib$i64`. */
export function qualify(symbol: string, qualifier: string): string {
  const base = symbolBase(symbol);
  return `${base}..${qualifier}${symbol.slice(base.length)}`;
}

export function isQualified(symbol: string): boolean {
  return symbolBase(symbol).includes('..');
}

/** What qualifying a member changed: private base symbol → qualified base symbol. */
export interface QualifiedMember {
  readonly iface: ModuleInterfaceJson;
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * A copy of a member interface with its private functions qualified and exported. Interfaces
 * that are already qualified (members of a linked input) come back unchanged.
 */
export function qualifyMember(iface: ModuleInterfaceJson): QualifiedMember {
  let renamed: Map<string, string> | undefined;
  for (const f of iface.functions) {
    if (!f.exported && !isQualified(f.symbol)) (renamed ??= new Map()).set(f.symbol, qualify(f.symbol, qualifierOf(iface.module)));
  }
  if (renamed === undefined) return { iface, renamed: NOTHING_RENAMED };
  const to = renamed;
  return {
    renamed: to,
    iface: {
      ...iface,
      functions: iface.functions.map((f) => {
        const q = to.get(f.symbol);
        return q === undefined ? f : { ...f, symbol: q, exported: true };
      }),
      scope: iface.scope.map(([name, kind, module, symbol]) => {
        const q = kind === 'fn' && module === iface.module ? to.get(symbol) : undefined;
        return [name, kind, module, q ?? symbol];
      }),
    },
  };
}

const NOTHING_RENAMED: ReadonlyMap<string, string> = new Map();

/** The final name of a symbol the member's code exports (a function or an instance). */
export function renameSymbol(symbol: string, renamed: ReadonlyMap<string, string>): string {
  if (renamed.size === 0) return symbol;
  const base = symbolBase(symbol);
  const q = renamed.get(base);
  return q === undefined ? symbol : q + symbol.slice(base.length);
}
