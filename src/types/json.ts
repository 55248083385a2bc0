/**
 * The JSON form of types, used wherever a type crosses a process, file or layer boundary.
 *
 * The shapes mirror the in-memory model field for field (`{"kind":"int","bits":64,"signed":true}`,
 * `{"kind":"named","name":"Vec","args":[…]}`, …), minus unification variables, which only mean
 * something inside one Substitution. Input is treated as untrusted: every field is checked,
 * unknown fields are rejected, and nesting is bounded so hostile input cannot exhaust the stack.
 */
import { TypeJsonError } from './errors.js';
import { isTypeName, isValidSimd } from './type.js';
import type { FloatBits, IntBits, SimdLanes, Type } from './type.js';

/** Deepest nesting accepted from untrusted input (a leaf type has depth 1). */
export const MAX_TYPE_DEPTH = 64;

export type TypeJson =
  | { kind: 'int'; bits: IntBits; signed: boolean }
  | { kind: 'float'; bits: FloatBits }
  | { kind: 'bool' }
  | { kind: 'string' }
  | { kind: 'unit' }
  | { kind: 'named'; name: string; args: TypeJson[] }
  | { kind: 'array'; elem: TypeJson }
  | { kind: 'tuple'; elems: TypeJson[] }
  | { kind: 'simd'; lanes: SimdLanes; elem: TypeJson }
  | { kind: 'param'; name: string }
  | { kind: 'fn'; params: TypeJson[]; ret: TypeJson };

/** A fresh JSON-ready object; throws TypeJsonError for unification variables. */
export function typeToJson(t: Type, path = '$'): TypeJson {
  switch (t.kind) {
    case 'int':
      return { kind: 'int', bits: t.bits, signed: t.signed };
    case 'float':
      return { kind: 'float', bits: t.bits };
    case 'bool':
    case 'string':
    case 'unit':
      return { kind: t.kind };
    case 'named':
      return { kind: 'named', name: t.name, args: t.args.map((a, i) => typeToJson(a, `${path}.args[${i}]`)) };
    case 'array':
      return { kind: 'array', elem: typeToJson(t.elem, `${path}.elem`) };
    case 'tuple':
      return { kind: 'tuple', elems: t.elems.map((e, i) => typeToJson(e, `${path}.elems[${i}]`)) };
    case 'simd':
      return { kind: 'simd', lanes: t.lanes, elem: typeToJson(t.elem, `${path}.elem`) };
    case 'param':
      return { kind: 'param', name: t.name };
    case 'fn':
      return {
        kind: 'fn',
        params: t.params.map((p, i) => typeToJson(p, `${path}.params[${i}]`)),
        ret: typeToJson(t.ret, `${path}.ret`),
      };
    case 'var':
      throw new TypeJsonError(path, `unification variable ?${t.id} cannot be serialized`);
  }
}

/** Fields each kind requires besides `kind`; anything else is rejected. */
const FIELDS: Record<TypeJson['kind'], readonly string[]> = {
  int: ['bits', 'signed'],
  float: ['bits'],
  bool: [],
  string: [],
  unit: [],
  named: ['name', 'args'],
  array: ['elem'],
  tuple: ['elems'],
  simd: ['lanes', 'elem'],
  param: ['name'],
  fn: ['params', 'ret'],
};

/** Validates untrusted input completely and builds a fresh Type (never aliasing the input). */
export function typeFromJson(value: unknown): Type {
  return read(value, '$', 1);
}

function read(value: unknown, path: string, depth: number): Type {
  if (depth > MAX_TYPE_DEPTH) throw new TypeJsonError(path, `type nested deeper than ${MAX_TYPE_DEPTH} levels`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeJsonError(path, `expected a type object, found ${describe(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) {
    throw new TypeJsonError(`${path}.kind`, `unknown type kind ${describe(kind)}`);
  }
  const k = kind as TypeJson['kind'];
  const allowed = FIELDS[k];
  for (const key of Object.keys(obj)) {
    if (key !== 'kind' && !allowed.includes(key)) {
      throw new TypeJsonError(`${path}${member(key)}`, `unexpected field for kind '${k}'`);
    }
  }
  for (const key of allowed) {
    if (!Object.hasOwn(obj, key)) throw new TypeJsonError(`${path}${member(key)}`, 'missing field');
  }
  switch (k) {
    case 'int': {
      const bits = obj.bits;
      if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) {
        throw new TypeJsonError(`${path}.bits`, `integer bits must be 8, 16, 32 or 64, found ${describe(bits)}`);
      }
      if (typeof obj.signed !== 'boolean') {
        throw new TypeJsonError(`${path}.signed`, `expected a boolean, found ${describe(obj.signed)}`);
      }
      return { kind: 'int', bits, signed: obj.signed };
    }
    case 'float': {
      const bits = obj.bits;
      if (bits !== 32 && bits !== 64) {
        throw new TypeJsonError(`${path}.bits`, `float bits must be 32 or 64, found ${describe(bits)}`);
      }
      return { kind: 'float', bits };
    }
    case 'bool':
    case 'string':
    case 'unit':
      return { kind: k };
    case 'named':
      return { kind: 'named', name: readName(obj.name, `${path}.name`), args: readList(obj.args, `${path}.args`, depth) };
    case 'array':
      return { kind: 'array', elem: read(obj.elem, `${path}.elem`, depth + 1) };
    case 'tuple': {
      const elems = readList(obj.elems, `${path}.elems`, depth);
      if (elems.length === 0) throw new TypeJsonError(`${path}.elems`, "a tuple needs at least one element (the empty tuple is 'unit')");
      return { kind: 'tuple', elems };
    }
    case 'simd': {
      const lanes = obj.lanes;
      if (lanes !== 2 && lanes !== 4) {
        throw new TypeJsonError(`${path}.lanes`, `SIMD lanes must be 2 or 4, found ${describe(lanes)}`);
      }
      const elem = read(obj.elem, `${path}.elem`, depth + 1);
      if ((elem.kind !== 'int' && elem.kind !== 'float') || !isValidSimd(lanes, elem)) {
        throw new TypeJsonError(`${path}.elem`, `not a SIMD lane type for ${lanes} lanes (f32x4, i32x4, f64x2, i64x2)`);
      }
      return { kind: 'simd', lanes, elem };
    }
    case 'param':
      return { kind: 'param', name: readName(obj.name, `${path}.name`) };
    case 'fn':
      return {
        kind: 'fn',
        params: readList(obj.params, `${path}.params`, depth),
        ret: read(obj.ret, `${path}.ret`, depth + 1),
      };
  }
}

function readList(value: unknown, path: string, depth: number): Type[] {
  if (!Array.isArray(value)) throw new TypeJsonError(path, `expected an array, found ${describe(value)}`);
  // An index loop rather than map(): map() skips holes, which would smuggle `undefined` through.
  const out: Type[] = [];
  for (let i = 0; i < value.length; i++) out.push(read(value[i], `${path}[${i}]`, depth + 1));
  return out;
}

function readName(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new TypeJsonError(path, `expected a string, found ${describe(value)}`);
  if (!isTypeName(value)) throw new TypeJsonError(path, `${JSON.stringify(value)} is not a valid type name`);
  return value;
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return String(value);
}
