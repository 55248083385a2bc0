/**
 * Where each definition's record lies in a module's interface (`type_info`), so that a loader
 * can read one struct or function without parsing the rest: a module of 1,200 templates has an
 * interface of ~400 KB, and its first load-time JIT needs one of them. The directory is stored in
 * the load index (load-index.ts), which a loader parses when it registers the module.
 *
 * The interface stays the JSON text it always was (JSON.stringify of the same object, key for
 * key): the writer only notes the byte ranges as it writes the text.
 */
import type { FunctionJson, ModuleInterfaceJson, StructJson } from './module-interface.js';
import { InterfaceError, isFunctionJson, isStructJson, scopeProblem, scopeTable, usesProblem } from './module-interface.js';
import type { ScopeTable } from './module-interface.js';

export interface InterfaceDirectory {
  /** Byte range [start, end) of the `scope` list. */
  readonly scope: readonly [number, number];
  /** Byte range [start, end) of the `uses` list. */
  readonly uses: readonly [number, number];
  /**
   * When the scope holds every struct and free function of the module under its own name (its
   * symbol), written first, then the names from other modules: the byte range [start, end) of
   * those others, without the brackets. A template's lookups then read only them.
   */
  readonly foreignScope?: readonly [number, number];
  /**
   * The struct records, in the interface's order: where the first starts, then each one's length
   * (one comma separates two records). Empty when there are none.
   */
  readonly structs: readonly number[];
  /** The function records, the same way. */
  readonly functions: readonly number[];
  /** Each function record's symbol. */
  readonly fnSymbols: readonly string[];
  /** Each function record's owner: the index of its struct record, or -1. */
  readonly fnOwners: readonly number[];
}

/** The interface's JSON text as bytes, with the directory of its records. */
export function writeInterface(iface: ModuleInterfaceJson): { bytes: Uint8Array; directory: InterfaceDirectory } {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let at = 0;
  const put = (text: string): number => {
    const b = encoder.encode(text);
    pieces.push(b);
    at += b.length;
    return b.length;
  };
  const ranges: Record<string, [number, number]> = {};
  const records: Record<string, number[]> = {};
  const ownFirst = splitScope(iface);
  put('{');
  let first = true;
  for (const [key, value] of Object.entries(iface)) {
    if (value === undefined) continue; // as JSON.stringify leaves it out
    put(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    const start = at;
    if (key === 'structs' || key === 'functions') {
      const list = value as unknown[];
      put('[');
      const lengths = list.map((record, i) => {
        if (i > 0) put(',');
        return put(JSON.stringify(record));
      });
      put(']');
      records[key] = list.length === 0 ? [] : [start + 1, ...lengths];
    } else if (key === 'scope' && ownFirst) {
      put(`[${ownFirst.own.map((e) => JSON.stringify(e)).join(',')}${ownFirst.own.length > 0 && ownFirst.foreign.length > 0 ? ',' : ''}`);
      const foreign = at;
      put(ownFirst.foreign.map((e) => JSON.stringify(e)).join(','));
      ranges.foreignScope = [foreign, at];
      put(']');
      ranges[key] = [start, at];
    } else {
      put(JSON.stringify(value));
      ranges[key] = [start, at];
    }
  }
  put('}');
  const bytes = new Uint8Array(at);
  let p = 0;
  for (const b of pieces) {
    bytes.set(b, p);
    p += b.length;
  }
  const structIndex = new Map(iface.structs.map((s, i) => [s.name, i]));
  return {
    bytes,
    directory: {
      scope: ranges.scope,
      uses: ranges.uses,
      ...(ranges.foreignScope ? { foreignScope: ranges.foreignScope } : {}),
      structs: records.structs,
      functions: records.functions,
      fnSymbols: iface.functions.map((f) => f.symbol),
      fnOwners: iface.functions.map((f) => (f.owner === null ? -1 : (structIndex.get(f.owner) ?? -1))),
    },
  };
}

/** The module's own definitions as scope entries. */
function ownScope(module: string, structs: readonly StructJson[], functions: readonly FunctionJson[]): ModuleInterfaceJson['scope'] {
  const own: ModuleInterfaceJson['scope'] = structs.map((s) => [s.name, 'struct', module, s.name]);
  for (const f of functions) if (f.owner === null) own.push([f.symbol, 'fn', module, f.symbol]);
  return own;
}

/** The scope as the module's own names and the others, when it holds every own one as ownScope makes it. */
function splitScope(iface: ModuleInterfaceJson): { own: ModuleInterfaceJson['scope']; foreign: ModuleInterfaceJson['scope'] } | null {
  const own = ownScope(iface.module, iface.structs, iface.functions);
  const key = (e: ModuleInterfaceJson['scope'][number]): string => e.join('\u0000');
  const ownKeys = new Set(own.map(key));
  const names = new Set(own.map((e) => e[0]));
  if (names.size !== own.length || !iface.functions.every((f) => f.owner !== null || f.name === f.symbol)) return null;
  const listed = new Set(iface.scope.map(key));
  if (listed.size !== iface.scope.length || own.some((e) => !listed.has(key(e)))) return null;
  const foreign = iface.scope.filter((e) => !ownKeys.has(key(e)));
  return foreign.some((e) => names.has(e[0])) ? null : { own, foreign };
}

// Indexed loops, no callbacks: every module loaded with a load index has its directory checked.
const isOffset = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRange = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && isOffset(v[0]) && isOffset(v[1]) && v[0] <= v[1];

function isRecords(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isOffset(v[i])) return false;
  return true;
}

/**
 * What is wrong with a stored directory's shape, or null (`structs`: how many struct names the
 * index lists). Whether its ranges hold what they should is checked as each record is read.
 */
export function directoryProblem(v: unknown, structs: number): string | null {
  if (typeof v !== 'object' || v === null) return 'is not an object';
  const d = v as Record<keyof InterfaceDirectory, unknown>;
  if (!isRange(d.scope) || !isRange(d.uses) || (d.foreignScope !== undefined && !isRange(d.foreignScope))) return 'scope, foreignScope or uses is not a byte range';
  if (!isRecords(d.structs) || d.structs.length !== (structs === 0 ? 0 : structs + 1)) return 'structs does not list every struct record';
  const { fnSymbols, fnOwners } = d;
  if (!isRecords(d.functions) || !Array.isArray(fnSymbols) || !Array.isArray(fnOwners)) return 'functions, fnSymbols or fnOwners is not a list';
  const count = fnSymbols.length;
  if (d.functions.length !== (count === 0 ? 0 : count + 1) || fnOwners.length !== count) return 'functions, fnSymbols and fnOwners disagree in length';
  for (let i = 0; i < count; i++) if (typeof fnSymbols[i] !== 'string') return 'fnSymbols holds a non-string';
  for (let i = 0; i < count; i++) {
    const o: unknown = fnOwners[i];
    if (!Number.isSafeInteger(o) || (o as number) < -1 || (o as number) >= structs) return 'fnOwners holds no struct index';
  }
  return null;
}

/**
 * The records of an interface, read one at a time through its directory: each decoded from its
 * own bytes and checked in full, and checked to be the record the directory says it is.
 */
export class InterfaceRecords {
  private structStarts: number[] | undefined;
  private functionStarts: number[] | undefined;

  constructor(
    private readonly data: () => Uint8Array,
    readonly directory: InterfaceDirectory,
    /** The struct names, in the interface's order (the load index's list). */
    readonly structNames: readonly string[],
    private readonly file: string,
  ) {}

  get structCount(): number {
    return this.structNames.length;
  }

  get functionCount(): number {
    return this.directory.fnSymbols.length;
  }

  struct(i: number): StructJson {
    const starts = (this.structStarts ??= startsOf(this.directory.structs));
    const json = this.read(starts[i], this.directory.structs[i + 1], `structs[${i}]`);
    if (!isStructJson(json)) return this.bad(`structs[${i}] is malformed`);
    if (json.name !== this.structNames[i]) return this.bad(`structs[${i}] is ${json.name}, where the load index lists ${this.structNames[i]}`);
    return json;
  }

  fn(i: number): FunctionJson {
    const starts = (this.functionStarts ??= startsOf(this.directory.functions));
    const json = this.read(starts[i], this.directory.functions[i + 1], `functions[${i}]`);
    if (!isFunctionJson(json)) return this.bad(`functions[${i}] is malformed`);
    const owner = this.directory.fnOwners[i];
    if (json.symbol !== this.directory.fnSymbols[i] || json.owner !== (owner < 0 ? null : this.structNames[owner])) {
      return this.bad(`functions[${i}] is ${json.symbol}, which is not the function the load index lists there`);
    }
    return json;
  }

  /** The whole scope list, as a table. */
  scopeTable(): ScopeTable {
    const json = this.read(this.directory.scope[0], this.directory.scope[1] - this.directory.scope[0], 'scope');
    const problem = scopeProblem(json);
    return problem ? this.bad(problem) : scopeTable(json as ModuleInterfaceJson['scope']);
  }

  /** Only the names from other modules, when the directory says where they are (else null). */
  foreignScope(): ScopeTable | null {
    const range = this.directory.foreignScope;
    if (!range) return null;
    const json = this.read(range[0], range[1] - range[0], 'scope', '[', ']');
    const problem = scopeProblem(json);
    return problem ? this.bad(problem) : scopeTable(json as ModuleInterfaceJson['scope']);
  }

  uses(): ModuleInterfaceJson['uses'] {
    const json = this.read(this.directory.uses[0], this.directory.uses[1] - this.directory.uses[0], 'uses');
    const problem = usesProblem(json);
    return problem ? this.bad(problem) : (json as ModuleInterfaceJson['uses']);
  }

  private read(start: number, length: number, what: string, before = '', after = ''): unknown {
    const data = this.data();
    if (start + length > data.length) return this.bad(`${what}: bytes ${start}..${start + length} lie past the end of the section (${data.length} bytes)`);
    try {
      return JSON.parse(before + utf8.decode(data.subarray(start, start + length)) + after);
    } catch (e) {
      return this.bad(`${what} at byte ${start} is not valid JSON (${(e as Error).message})`);
    }
  }

  private bad(detail: string): never {
    throw new InterfaceError(this.file, detail);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Each record's start, from the first start and the lengths (a comma between two records). */
function startsOf(records: readonly number[]): number[] {
  const starts: number[] = [];
  let at = records[0];
  for (let i = 1; i < records.length; i++) {
    starts.push(at);
    at += records[i] + 1;
  }
  return starts;
}
