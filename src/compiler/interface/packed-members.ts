/**
 * The member interfaces of a linked SMF, packed (docs/smf-format.md, "type_info"): a linked
 * program of many small modules is mostly member interfaces, and written as plain interface JSON
 * they cost about 300 bytes a function — twice the function's code. Packed, what every member
 * and function has in common is left out:
 *
 *     "members": {"packed": 1, "list": [member, …]}
 *     member:    [module, [function, …]]  or  [module, [function, …], {other fields}]
 *     function:  [symbol, [param name, param type, …], result type]  or the function's object
 *
 * A member's other fields are those that differ from an empty interface's (`imports`,
 * `importPaths` and `structs`, … when not empty, `dataSize` when not 0, `format` when not 1). A
 * function is a tuple when it is a plain exported function: its name is its symbol, it has no
 * owner, receiver, type parameters or template, and it is not extern; any other function is
 * written as its object. Unpacking gives back the interfaces, which the interface's own checks
 * then check in full; a packed list of the wrong shape is reported as what it is.
 *
 * A reader older than this format finds `members` not to be a list and refuses the file.
 */
import { INTERFACE_FORMAT } from './module-interface.js';
import type { FunctionJson, ModuleInterfaceJson } from './module-interface.js';

export const PACKED_MEMBERS_VERSION = 1;

export interface PackedMembers {
  readonly packed: number;
  readonly list: readonly unknown[];
}

type PlainFunction = [symbol: string, params: string[], ret: string];

/** The fields an interface has when empty, and their empty values (format aside). */
const EMPTY_LISTS = ['imports', 'importPaths', 'structs', 'scope', 'uses'] as const;

export function packMembers(members: readonly ModuleInterfaceJson[]): PackedMembers {
  return { packed: PACKED_MEMBERS_VERSION, list: members.map(packMember) };
}

function packMember(m: ModuleInterfaceJson): unknown[] {
  const functions = m.functions.map((f) => (isPlain(f) ? packFunction(f) : f));
  const other: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(m)) {
    if (key === 'module' || key === 'functions' || value === undefined) continue;
    if (key === 'format' && value === INTERFACE_FORMAT) continue;
    if (key === 'dataSize' && value === 0) continue;
    if ((EMPTY_LISTS as readonly string[]).includes(key) && Array.isArray(value) && value.length === 0) continue;
    other[key] = value;
    any = true;
  }
  return any ? [m.module, functions, other] : [m.module, functions];
}

const FUNCTION_KEYS = 10;

function isPlain(f: FunctionJson): boolean {
  return (
    f.name === f.symbol &&
    f.owner === null &&
    f.receiver === 'none' &&
    f.typeParams.length === 0 &&
    !f.extern &&
    f.exported &&
    f.template === null &&
    // Anything this format does not know is kept by writing the object.
    Object.keys(f).length === FUNCTION_KEYS
  );
}

function packFunction(f: FunctionJson): PlainFunction {
  const params: string[] = [];
  for (const p of f.params) params.push(p.name, p.type);
  return [f.symbol, params, f.ret];
}

/** The member interfaces of a packed `members`, or what is wrong with its shape. */
export function unpackMembers(packed: Record<string, unknown>): unknown[] | string {
  if (packed.packed !== PACKED_MEMBERS_VERSION) return `members: packed format ${String(packed.packed)} is not one this reader knows (${PACKED_MEMBERS_VERSION})`;
  if (!Array.isArray(packed.list)) return 'members: the packed list is not a list';
  const out: unknown[] = [];
  for (const [k, m] of packed.list.entries()) {
    const member = unpackMember(m);
    if (typeof member === 'string') return `members[${k}]: ${member}`;
    out.push(member);
  }
  return out;
}

function unpackMember(m: unknown): ModuleInterfaceJson | string {
  if (!Array.isArray(m) || (m.length !== 2 && m.length !== 3)) return 'not a packed member ([module, functions] or [module, functions, fields])';
  const [module, functions, other] = m as [unknown, unknown, unknown];
  if (!Array.isArray(functions)) return 'its functions are not a list';
  if (other !== undefined && (typeof other !== 'object' || other === null || Array.isArray(other))) return 'its other fields are not an object';
  const fns: unknown[] = new Array(functions.length);
  for (let i = 0; i < functions.length; i++) {
    const f = functions[i];
    if (!Array.isArray(f)) {
      fns[i] = f;
      continue;
    }
    const fn = unpackFunction(f);
    if (fn === null) return `functions[${i}] is not a packed function ([symbol, [name, type, …], result])`;
    fns[i] = fn;
  }
  return {
    format: INTERFACE_FORMAT,
    imports: [],
    importPaths: [],
    structs: [],
    scope: [],
    dataSize: 0,
    uses: [],
    ...(other as Partial<ModuleInterfaceJson> | undefined),
    module: module as string,
    functions: fns as FunctionJson[],
  };
}

function unpackFunction(f: unknown[]): FunctionJson | null {
  const [symbol, flat, ret] = f;
  if (f.length !== 3 || typeof symbol !== 'string' || typeof ret !== 'string' || !Array.isArray(flat) || flat.length % 2 !== 0) return null;
  const params: FunctionJson['params'] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const name: unknown = flat[i];
    const type: unknown = flat[i + 1];
    if (typeof name !== 'string' || typeof type !== 'string') return null;
    params.push({ name, type });
  }
  return { symbol, name: symbol, owner: null, receiver: 'none', typeParams: [], params, ret, extern: false, exported: true, template: null };
}
