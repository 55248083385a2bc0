/**
 * Robinson unification over the type model, with an occurs check.
 *
 * Params are rigid: inside a generic body `T` is an unknown but fixed type, so it unifies only
 * with itself (or with a variable, which then stands for `T`). A failed unification leaves the
 * substitution exactly as it was, so the checker can report the error and keep going.
 */
import { SimpleError } from '../errors.js';
import type { Substitution, TypeVarSupply } from './substitution.js';
import { typeToString } from './syntax.js';
import { substituteParams, typeEquals } from './type.js';
import type { Type, VarType } from './type.js';

export type UnifyReason = 'mismatch' | 'occurs' | 'arity';

/** Where unification broke: the innermost conflicting pair, with the substitution applied. */
export interface UnifyFailure {
  readonly reason: UnifyReason;
  readonly left: Type;
  readonly right: Type;
  /** The variable on the left whose binding brought in `left`, if it came through one. */
  readonly leftVar?: number;
  readonly rightVar?: number;
}

export class UnifyError extends SimpleError {
  readonly code = 'TYPE_MISMATCH';

  constructor(
    /** The two types that were unified, printed through the substitution of the time. */
    readonly left: Type,
    readonly right: Type,
    readonly reason: UnifyReason,
    /** The innermost pair that did not fit (equal to left/right when the clash is at the top). */
    readonly innerLeft: Type,
    readonly innerRight: Type,
  ) {
    super(describeFailure(left, right, reason, innerLeft, innerRight));
  }
}

function describeFailure(left: Type, right: Type, reason: UnifyReason, innerLeft: Type, innerRight: Type): string {
  const l = typeToString(left);
  const r = typeToString(right);
  const il = typeToString(innerLeft);
  const ir = typeToString(innerRight);
  const head = `cannot unify ${l} with ${r}`;
  switch (reason) {
    case 'occurs':
      return `${head}: ${il} occurs in ${ir} (the type would be infinite)`;
    case 'arity':
      return `${head}: ${arityDetail(innerLeft, innerRight)}`;
    case 'mismatch':
      return il === l && ir === r ? head : `${head}: ${il} is not ${ir}`;
  }
}

function arityDetail(a: Type, b: Type): string {
  const pair = `${typeToString(a)} and ${typeToString(b)}`;
  if (a.kind === 'named' && b.kind === 'named') return `${pair} have ${a.args.length} and ${b.args.length} type arguments`;
  if (a.kind === 'tuple' && b.kind === 'tuple') return `${pair} have ${a.elems.length} and ${b.elems.length} elements`;
  if (a.kind === 'fn' && b.kind === 'fn') return `${pair} have ${a.params.length} and ${b.params.length} parameters`;
  return `${pair} differ in arity`;
}

/** Unifies `a` and `b`, extending `subst`; throws UnifyError (leaving `subst` unchanged) if impossible. */
export function unify(a: Type, b: Type, subst: Substitution): void {
  const failure = tryUnify(a, b, subst);
  if (failure !== null) {
    throw new UnifyError(subst.apply(a), subst.apply(b), failure.reason, failure.left, failure.right);
  }
}

/** Like `unify` but reports failure as a value, which is cheaper when failure is expected. */
export function tryUnify(a: Type, b: Type, subst: Substitution): UnifyFailure | null {
  const mark = subst.snapshot();
  const failure = unifyInner(a, b, subst);
  if (failure === null) {
    subst.commit(mark);
    return null;
  }
  // Applied before rolling back, so the inner pair shows what actually clashed.
  const applied: UnifyFailure = { ...failure, left: subst.apply(failure.left), right: subst.apply(failure.right) };
  subst.rollback(mark);
  return applied;
}

function unifyInner(a: Type, b: Type, s: Substitution): UnifyFailure | null {
  const ra = s.resolve(a);
  const rb = s.resolve(b);
  if (ra === rb) return null;
  if (ra.kind === 'var') {
    if (rb.kind === 'var' && rb.id === ra.id) return null;
    if (s.occurs(ra.id, rb)) return failure('occurs', ra, rb, a, b);
    s.bind(ra.id, rb);
    return null;
  }
  if (rb.kind === 'var') {
    if (s.occurs(rb.id, ra)) return failure('occurs', rb, ra, b, a);
    s.bind(rb.id, ra);
    return null;
  }
  switch (ra.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'string':
    case 'unit':
    case 'simd':
    case 'param':
      // None of these contain variables, so structural equality decides.
      return typeEquals(ra, rb) ? null : failure('mismatch', ra, rb, a, b);
    case 'named':
      if (rb.kind !== 'named' || rb.name !== ra.name) return failure('mismatch', ra, rb, a, b);
      if (rb.args.length !== ra.args.length) return failure('arity', ra, rb, a, b);
      return unifyLists(ra.args, rb.args, s);
    case 'array':
      if (rb.kind !== 'array') return failure('mismatch', ra, rb, a, b);
      return unifyInner(ra.elem, rb.elem, s);
    case 'tuple':
      if (rb.kind !== 'tuple') return failure('mismatch', ra, rb, a, b);
      if (rb.elems.length !== ra.elems.length) return failure('arity', ra, rb, a, b);
      return unifyLists(ra.elems, rb.elems, s);
    case 'fn': {
      if (rb.kind !== 'fn') return failure('mismatch', ra, rb, a, b);
      if (rb.params.length !== ra.params.length) return failure('arity', ra, rb, a, b);
      return unifyLists(ra.params, rb.params, s) ?? unifyInner(ra.ret, rb.ret, s);
    }
  }
}

function unifyLists(as: readonly Type[], bs: readonly Type[], s: Substitution): UnifyFailure | null {
  for (let i = 0; i < as.length; i++) {
    const f = unifyInner(as[i], bs[i], s);
    if (f !== null) return f;
  }
  return null;
}

function failure(reason: UnifyReason, left: Type, right: Type, origLeft: Type, origRight: Type): UnifyFailure {
  // For an occurs failure the sides may have been swapped, so the var ids follow `origLeft`.
  return {
    reason,
    left,
    right,
    ...(origLeft.kind === 'var' ? { leftVar: origLeft.id } : {}),
    ...(origRight.kind === 'var' ? { rightVar: origRight.id } : {}),
  };
}

/**
 * Replaces the named params in `t` with fresh variables: the first step of using a generic
 * signature at a call site. The returned map lets the caller instantiate further types of the
 * same generic (with `substituteParams`) consistently and read the inferred arguments back.
 */
export function instantiateParams(
  t: Type,
  params: readonly string[],
  supply: TypeVarSupply,
): { type: Type; vars: Map<string, VarType> } {
  const vars = new Map<string, VarType>();
  for (const p of params) if (!vars.has(p)) vars.set(p, supply.fresh());
  return { type: substituteParams(t, vars), vars };
}

// The substitution belongs with unification for most callers; it lives in its own file only
// to keep each file to one purpose.
export { Substitution, TypeVarSupply } from './substitution.js';
