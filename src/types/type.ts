/**
 * The type model shared by the compiler, the linker and the loader.
 *
 * Types are immutable plain objects discriminated on `kind`, so they can be compared
 * structurally, serialized without a class registry (see json.ts) and built by any layer
 * without importing constructors. Nothing here mutates a type; helpers that transform one
 * return the original object when nothing changed, so callers may compare by identity to skip
 * work.
 *
 * Invariants the helpers rely on (json.ts and syntax.ts enforce them on untrusted input):
 * - a tuple has at least one element; the empty tuple is `unit`;
 * - a SIMD type is one of f32x4, i32x4, f64x2, i64x2 (128 bits, signed lanes for integers);
 * - names of named types and params are identifiers that are not built-in type names.
 */

import { KEY, printType } from './print.js';
import { nameEnd } from './name-chars.js';

export type IntBits = 8 | 16 | 32 | 64;
export type FloatBits = 32 | 64;
export type SimdLanes = 2 | 4;

export interface IntType {
  readonly kind: 'int';
  readonly bits: IntBits;
  readonly signed: boolean;
}
export interface FloatType {
  readonly kind: 'float';
  readonly bits: FloatBits;
}
export interface BoolType {
  readonly kind: 'bool';
}
/** The language's `text`. Called `string` because that is the name on the JSON boundary. */
export interface StringType {
  readonly kind: 'string';
}
/** The result of a fn without `-> R`; also the empty tuple `()`. */
export interface UnitType {
  readonly kind: 'unit';
}
/** A struct, possibly generic: `Pair<i64, text>`. */
export interface NamedType {
  readonly kind: 'named';
  readonly name: string;
  readonly args: readonly Type[];
}
export interface ArrayType {
  readonly kind: 'array';
  readonly elem: Type;
}
export interface TupleType {
  readonly kind: 'tuple';
  readonly elems: readonly Type[];
}
export interface SimdType {
  readonly kind: 'simd';
  readonly lanes: SimdLanes;
  readonly elem: IntType | FloatType;
}
/** A rigid type parameter of the enclosing generic; equal only to itself. */
export interface ParamType {
  readonly kind: 'param';
  readonly name: string;
}
/** A unification variable; its meaning lives in a Substitution, never in the type itself. */
export interface VarType {
  readonly kind: 'var';
  readonly id: number;
}
export interface FnType {
  readonly kind: 'fn';
  readonly params: readonly Type[];
  readonly ret: Type;
}

export type Type =
  | IntType
  | FloatType
  | BoolType
  | StringType
  | UnitType
  | NamedType
  | ArrayType
  | TupleType
  | SimdType
  | ParamType
  | VarType
  | FnType;

export type TypeKind = Type['kind'];

// ---------------------------------------------------------------------------------------------
// Constructors

export function int(bits: IntBits, signed: boolean): IntType {
  return { kind: 'int', bits, signed };
}
export function float(bits: FloatBits): FloatType {
  return { kind: 'float', bits };
}
export function named(name: string, args: readonly Type[] = []): NamedType {
  return { kind: 'named', name, args };
}
export function array(elem: Type): ArrayType {
  return { kind: 'array', elem };
}
/** `elems` must not be empty: the empty tuple is `T.unit`. */
export function tuple(elems: readonly Type[]): TupleType {
  return { kind: 'tuple', elems };
}
/** Only the four 128-bit combinations are valid; see `isValidSimd`. */
export function simd(lanes: SimdLanes, elem: IntType | FloatType): SimdType {
  return { kind: 'simd', lanes, elem };
}
export function param(name: string): ParamType {
  return { kind: 'param', name };
}
export function typeVar(id: number): VarType {
  return { kind: 'var', id };
}
export function fnType(params: readonly Type[], ret: Type): FnType {
  return { kind: 'fn', params, ret };
}

// Shared singletons are frozen: one accidental write would corrupt every type in the program.
function frozen<X extends Type>(t: X): X {
  if (t.kind === 'simd') Object.freeze(t.elem);
  return Object.freeze(t);
}

const i32 = frozen(int(32, true));
const i64 = frozen(int(64, true));
const f32 = frozen(float(32));
const f64 = frozen(float(64));

/** The closed (non-generic) types of the language, by their source names. */
export const T = Object.freeze({
  i8: frozen(int(8, true)),
  i16: frozen(int(16, true)),
  i32,
  i64,
  u8: frozen(int(8, false)),
  u16: frozen(int(16, false)),
  u32: frozen(int(32, false)),
  u64: frozen(int(64, false)),
  f32,
  f64,
  bool: frozen<BoolType>({ kind: 'bool' }),
  text: frozen<StringType>({ kind: 'string' }),
  unit: frozen<UnitType>({ kind: 'unit' }),
  f32x4: frozen(simd(4, f32)),
  i32x4: frozen(simd(4, i32)),
  f64x2: frozen(simd(2, f64)),
  i64x2: frozen(simd(2, i64)),
});

export type BuiltinTypeName = keyof typeof T;

const BUILTINS: ReadonlyMap<string, Type> = new Map(
  Object.entries(T).filter(([name]) => name !== 'unit'),
);

/**
 * The type a built-in source name denotes (`i64`, `text`, `f32x4`, …), or undefined.
 * `unit` is not a source name: it is written `()`.
 */
export function builtinType(name: string): Type | undefined {
  return BUILTINS.get(name);
}

/** Names that can never name a struct or a type parameter. */
export function isReservedTypeName(name: string): boolean {
  return BUILTINS.has(name) || name === 'fn';
}

/** Whether `name` can name a struct or a type parameter. */
export function isTypeName(name: string): boolean {
  return name.length > 0 && nameEnd(name, 0) === name.length && !isReservedTypeName(name);
}

/** Whether a SIMD type is one of the four the language has (128 bits, signed int lanes). */
export function isValidSimd(lanes: number, elem: Type): boolean {
  if (elem.kind === 'float') return elem.bits * lanes === 128;
  if (elem.kind === 'int') return elem.signed && (elem.bits === 32 || elem.bits === 64) && elem.bits * lanes === 128;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Classification

export function isInteger(t: Type): t is IntType {
  return t.kind === 'int';
}
export function isFloat(t: Type): t is FloatType {
  return t.kind === 'float';
}
/** Scalar numbers only; SIMD vectors are not numeric in this sense. */
export function isNumeric(t: Type): t is IntType | FloatType {
  return t.kind === 'int' || t.kind === 'float';
}

/**
 * Whether values of `t` live on the heap and are passed as pointers: text, arrays, structs and
 * tuples (docs/code-model.md). Params and vars answer false because their representation is not
 * known yet; callers must resolve them first.
 */
export function isHeapType(t: Type): boolean {
  switch (t.kind) {
    case 'string':
    case 'array':
    case 'named':
    case 'tuple':
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Traversal

/** The direct component types of `t`, in a fixed order. */
export function childTypes(t: Type): readonly Type[] {
  switch (t.kind) {
    case 'named':
      return t.args;
    case 'array':
      return [t.elem];
    case 'tuple':
      return t.elems;
    case 'simd':
      return [t.elem];
    case 'fn':
      return [...t.params, t.ret];
    default:
      return [];
  }
}

/** True when `pred` holds for `t` or any type nested in it. */
export function someType(t: Type, pred: (t: Type) => boolean): boolean {
  if (pred(t)) return true;
  switch (t.kind) {
    case 'named':
      return t.args.some((a) => someType(a, pred));
    case 'array':
      return someType(t.elem, pred);
    case 'tuple':
      return t.elems.some((e) => someType(e, pred));
    case 'fn':
      return t.params.some((p) => someType(p, pred)) || someType(t.ret, pred);
    default:
      return false;
  }
}

/**
 * Rebuilds `t` with `f` applied to each direct child. Returns `t` itself when every child comes
 * back unchanged, so deep transformations of concrete types allocate nothing.
 */
export function mapChildren(t: Type, f: (child: Type) => Type): Type {
  switch (t.kind) {
    case 'named': {
      const args = mapList(t.args, f);
      return args === t.args ? t : { kind: 'named', name: t.name, args };
    }
    case 'array': {
      const elem = f(t.elem);
      return elem === t.elem ? t : { kind: 'array', elem };
    }
    case 'tuple': {
      const elems = mapList(t.elems, f);
      return elems === t.elems ? t : { kind: 'tuple', elems };
    }
    case 'fn': {
      const params = mapList(t.params, f);
      const ret = f(t.ret);
      return params === t.params && ret === t.ret ? t : { kind: 'fn', params, ret };
    }
    // SIMD lanes are always scalar numbers, so there is nothing to rewrite inside them.
    default:
      return t;
  }
}

function mapList(list: readonly Type[], f: (t: Type) => Type): readonly Type[] {
  let out: Type[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const before = list[i];
    const after = f(before);
    if (after !== before && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(after);
  }
  return out ?? list;
}

/** Ids of the unification variables in `t`, in order of first appearance. */
export function freeVars(t: Type, into: Set<number> = new Set()): Set<number> {
  someType(t, (x) => {
    if (x.kind === 'var') into.add(x.id);
    return false;
  });
  return into;
}

/** Names of the type parameters in `t`, in order of first appearance. */
export function paramNames(t: Type, into: Set<string> = new Set()): Set<string> {
  someType(t, (x) => {
    if (x.kind === 'param') into.add(x.name);
    return false;
  });
  return into;
}

export function containsVars(t: Type): boolean {
  return someType(t, (x) => x.kind === 'var');
}

export function containsParams(t: Type): boolean {
  return someType(t, (x) => x.kind === 'param');
}

/** A type with neither params nor vars: what code generation and instance names need. */
export function isConcrete(t: Type): boolean {
  return !someType(t, (x) => x.kind === 'param' || x.kind === 'var');
}

/** Replaces each param named in `map`; params not in it are left as they are. */
export function substituteParams(t: Type, map: ReadonlyMap<string, Type>): Type {
  if (map.size === 0) return t;
  const go = (x: Type): Type => {
    if (x.kind === 'param') return map.get(x.name) ?? x;
    return mapChildren(x, go);
  };
  return go(t);
}

// ---------------------------------------------------------------------------------------------
// Equality and keys

export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'int':
      return b.kind === 'int' && a.bits === b.bits && a.signed === b.signed;
    case 'float':
      return b.kind === 'float' && a.bits === b.bits;
    case 'bool':
    case 'string':
    case 'unit':
      return b.kind === a.kind;
    case 'named':
      return b.kind === 'named' && a.name === b.name && listEquals(a.args, b.args);
    case 'array':
      return b.kind === 'array' && typeEquals(a.elem, b.elem);
    case 'tuple':
      return b.kind === 'tuple' && listEquals(a.elems, b.elems);
    case 'simd':
      return b.kind === 'simd' && a.lanes === b.lanes && typeEquals(a.elem, b.elem);
    case 'param':
      return b.kind === 'param' && a.name === b.name;
    case 'var':
      return b.kind === 'var' && a.id === b.id;
    case 'fn':
      return b.kind === 'fn' && listEquals(a.params, b.params) && typeEquals(a.ret, b.ret);
  }
}

export function typeListEquals(a: readonly Type[], b: readonly Type[]): boolean {
  return listEquals(a, b);
}

function listEquals(a: readonly Type[], b: readonly Type[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!typeEquals(a[i], b[i])) return false;
  return true;
}

/**
 * A string that is equal for two types exactly when `typeEquals` holds, for use as a Map key.
 * It reads like the compact surface syntax, except that params carry a `'` prefix so that the
 * param `T` and a struct named `T` get different keys.
 */
export function typeKey(t: Type): string {
  return printType(t, KEY);
}
