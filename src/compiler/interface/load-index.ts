/**
 * The load index: the few names a loader needs to register a module, stored apart from the full
 * interface (`type_info`) in a small TypeInfo section named `load_index`.
 *
 * Registering a module needs only names — what it imports, which functions its code defines
 * and calls, which names it adds to the program, which extern fns the host must provide. The
 * interface (every signature, scope and template offset) is several times larger and costs
 * several times more to parse; with the index, a loader parses it only when one of the
 * module's definitions is first looked up. Files without the index (linked files, other
 * writers) are loaded from the interface, as before.
 */
import type { ModuleInterfaceJson } from './module-interface.js';
import { InterfaceError } from './module-interface.js';
import { directoryProblem } from './interface-directory.js';
import type { InterfaceDirectory } from './interface-directory.js';
import { isInstanceSymbol } from '../../types/index.js';

export const LOAD_INDEX_SECTION = 'load_index';
export const LOAD_INDEX_FORMAT = 1;

export interface LoadIndexJson {
  format: number;
  module: string;
  imports: string[];
  importPaths: string[];
  /** The functions the code defines, as in the interface's `code.exports`. */
  exports: string[];
  /** Those of `exports` that are private to the module. */
  local: string[];
  /** The functions the code calls through slots. */
  calls: string[];
  /** The module's extern fns: the names the host must provide. */
  externs: string[];
  /** Every struct the module defines (struct names are global). */
  structs: string[];
  /** The symbols of its exported functions and methods (private ones stay in the module). */
  fns: string[];
  /** Bytes of static data the code needs (the interface's `dataSize`). */
  dataSize: number;
  /**
   * Where each definition lies in the interface, so that a lookup reads only its own record
   * (interface-directory.ts). Absent in files written before it: the interface is then read whole.
   */
  directory?: InterfaceDirectory;
}

/** The index of a module's interface; null when the interface does not list its code's symbols. */
export function buildLoadIndex(iface: ModuleInterfaceJson, local: readonly string[], directory?: InterfaceDirectory): LoadIndexJson | null {
  if (!iface.code || iface.members) return null;
  return {
    ...(directory ? { directory } : {}),
    format: LOAD_INDEX_FORMAT,
    module: iface.module,
    imports: iface.imports,
    importPaths: iface.importPaths ?? [],
    exports: iface.code.exports,
    local: [...local],
    calls: iface.code.calls,
    externs: iface.functions.filter((f) => f.extern).map((f) => f.name),
    structs: iface.structs.map((s) => s.name),
    fns: iface.functions.filter((f) => f.exported).map((f) => f.symbol),
    dataSize: iface.dataSize,
  };
}

const LISTS = ['imports', 'exports', 'local', 'calls', 'externs', 'structs'] as const;

/**
 * The exported functions a module's code defines, told by the code's exports alone: those not
 * private and not instances (`base$args`). The stored index lists only the other exported
 * functions (templates, mostly) as `moreFns`, or — if this rule would name something that is
 * not an exported function — every one as `fns`.
 */
function fnsAmongExports(exports: readonly string[], local: readonly string[]): readonly string[] {
  if (local.length === 0 && !exports.some(isInstanceSymbol)) return exports;
  return exports.filter((e) => !isInstanceSymbol(e) && !local.includes(e));
}

/** The stored form: empty lists are left out, `importPaths` when it equals `imports`, and the functions the exports name. */
export function serializeLoadIndex(index: LoadIndexJson): string {
  const out: Record<string, unknown> = { format: index.format, module: index.module };
  for (const key of LISTS) if (index[key].length > 0) out[key] = index[key];
  if (index.importPaths.length !== index.imports.length || index.importPaths.some((p, i) => p !== index.imports[i])) out.importPaths = index.importPaths;
  if (index.dataSize !== 0) out.dataSize = index.dataSize;
  if (index.directory) out.directory = index.directory;
  const implied = fnsAmongExports(index.exports, index.local);
  const fns = new Set(index.fns);
  if (implied.every((f) => fns.has(f))) {
    const impliedSet = new Set(implied);
    const more = index.fns.filter((f) => !impliedSet.has(f));
    if (more.length > 0) out.moreFns = more;
  } else {
    out.fns = index.fns;
  }
  return JSON.stringify(out);
}

export function parseLoadIndex(text: string, file: string): LoadIndexJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InterfaceError(file, `${LOAD_INDEX_SECTION} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null) return badIndex(file);
  const j = json as Partial<Record<keyof LoadIndexJson | 'moreFns', unknown>>;
  if (j.format !== LOAD_INDEX_FORMAT || typeof j.module !== 'string') return badIndex(file);
  const dataSize = j.dataSize ?? 0;
  if (typeof dataSize !== 'number' || !Number.isSafeInteger(dataSize) || dataSize < 0) return badIndex(file);
  const imports = list(j.imports, file);
  const exports = list(j.exports, file);
  const local = list(j.local, file);
  let fns: readonly string[];
  if (j.fns !== undefined) {
    if (j.moreFns !== undefined) return badIndex(file);
    fns = list(j.fns, file);
  } else {
    const implied = fnsAmongExports(exports, local);
    const more = list(j.moreFns, file);
    fns = more.length === 0 ? implied : [...implied, ...more];
  }
  const structs = list(j.structs, file);
  let directory: InterfaceDirectory | undefined;
  if (j.directory !== undefined) {
    const problem = directoryProblem(j.directory, structs.length);
    if (problem) throw new InterfaceError(file, `${LOAD_INDEX_SECTION}: directory ${problem}`);
    directory = j.directory as InterfaceDirectory;
  }
  return {
    format: LOAD_INDEX_FORMAT,
    module: j.module,
    imports,
    importPaths: j.importPaths === undefined ? imports : list(j.importPaths, file),
    exports,
    local,
    calls: list(j.calls, file),
    externs: list(j.externs, file),
    structs,
    fns: fns as string[],
    dataSize,
    ...(directory ? { directory } : {}),
  };
}

function badIndex(file: string): never {
  throw new InterfaceError(file, `${LOAD_INDEX_SECTION}: missing or mistyped fields (or an unknown format)`);
}

/** A list field: absent means empty. */
function list(v: unknown, file: string): string[] {
  if (v === undefined) return EMPTY;
  // The check in line (no helper per list): every load runs it for every list of its index.
  if (!Array.isArray(v)) return badIndex(file);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return badIndex(file);
  return v as string[];
}

/** Shared by every index without a list (never modified). */
const EMPTY: string[] = [];

/**
 * Checks an index against the interface it summarizes, when the interface is finally parsed: a
 * file whose two sections disagree is refused rather than half-registered.
 */
export function checkLoadIndex(index: LoadIndexJson, iface: ModuleInterfaceJson, file: string): void {
  const expected = buildLoadIndex(iface, index.local);
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const agree =
    expected !== null &&
    expected.module === index.module &&
    expected.dataSize === index.dataSize &&
    same(expected.imports, index.imports) &&
    same(expected.importPaths, index.importPaths) &&
    same(expected.exports, index.exports) &&
    same(expected.calls, index.calls) &&
    same(expected.externs, index.externs) &&
    same(expected.structs, index.structs) &&
    same([...expected.fns].sort(), [...index.fns].sort());
  if (!agree) throw new InterfaceError(file, `${LOAD_INDEX_SECTION} does not agree with the interface it indexes`);
}
