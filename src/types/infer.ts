/**
 * Inferring a generic's type arguments from usage hints.
 *
 * The linker and the loader see a call to a template (`max<T>(a: T, b: T) -> T`) together with
 * what is known at the use site (argument types, an expected result type). Each hint pairs a
 * type written in terms of the template's params with the concrete type seen at the use site;
 * unifying all pairs yields the arguments. Errors are strings because callers wrap them in
 * their own diagnostics, naming the template and the use site.
 */
import { Substitution, TypeVarSupply } from './substitution.js';
import { typeToString } from './syntax.js';
import { freeVars, mapChildren, substituteParams } from './type.js';
import type { Type, VarType } from './type.js';
import { tryUnify } from './unify.js';

export interface TypeArgHint {
  /** A type that mentions the template's params, e.g. the declared type of a parameter. */
  readonly expected: Type;
  /** The type found at the use site. */
  readonly actual: Type;
}

export type InferTypeArgsResult = { ok: true; args: Type[] } | { ok: false; error: string };

/** Hints are numbered from 1 in messages, in the order given. */
export function inferTypeArgs(params: readonly string[], hints: readonly TypeArgHint[]): InferTypeArgsResult {
  const unique = new Set(params);
  if (unique.size !== params.length) {
    const dup = params.find((p, i) => params.indexOf(p) !== i);
    return { ok: false, error: `type parameter ${dup} is declared more than once` };
  }

  // Fresh variables must not collide with variables the caller's types already contain.
  const used = new Set<number>();
  for (const h of hints) {
    freeVars(h.expected, used);
    freeVars(h.actual, used);
  }
  let firstFree = 0;
  for (const id of used) if (id >= firstFree) firstFree = id + 1;
  const supply = new TypeVarSupply(firstFree);
  const vars = new Map<string, VarType>();
  const paramOfVar = new Map<number, string>();
  for (const p of params) {
    const v = supply.fresh();
    vars.set(p, v);
    paramOfVar.set(v.id, p);
  }

  // Prints through the substitution, with the params' own variables shown by their names.
  const subst = new Substitution();
  const show = (t: Type): string => {
    const named = (x: Type): Type => {
      if (x.kind === 'var') {
        const p = paramOfVar.get(x.id);
        return p === undefined ? x : { kind: 'param', name: p };
      }
      return mapChildren(x, named);
    };
    return typeToString(named(subst.apply(t)));
  };

  const firstHint = new Map<string, number>();
  for (let i = 0; i < hints.length; i++) {
    const hint = hints[i];
    const failure = tryUnify(substituteParams(hint.expected, vars), hint.actual, subst);
    if (failure !== null) {
      const p = failure.leftVar === undefined ? undefined : paramOfVar.get(failure.leftVar);
      if (p !== undefined && failure.reason !== 'occurs') {
        const first = firstHint.get(p);
        const where = first === undefined ? `in hint ${i + 1}` : `from hints ${first + 1} and ${i + 1}`;
        return {
          ok: false,
          error: `conflicting types for type parameter ${p}: ${show(failure.left)} vs ${show(failure.right)} (${where})`,
        };
      }
      const expected = typeToString(hint.expected);
      const actual = typeToString(hint.actual);
      const left = show(failure.left);
      const right = show(failure.right);
      const verb = failure.reason === 'occurs' ? 'occurs in' : 'does not match';
      // The inner pair only adds information when the clash is below the top level.
      const inner = left === expected && right === actual ? '' : ` (${left} ${verb} ${right})`;
      return { ok: false, error: `hint ${i + 1}: expected ${expected} but found ${actual}${inner}` };
    }
    for (const [p, v] of vars) {
      if (!firstHint.has(p) && subst.isBound(v.id)) firstHint.set(p, i);
    }
  }

  const unresolved = params.filter((p) => {
    const r = subst.resolve(vars.get(p)!);
    return r.kind === 'var' && paramOfVar.has(r.id);
  });
  if (unresolved.length > 0) {
    const which = unresolved.length === 1 ? `type parameter ${unresolved[0]}` : `type parameters ${unresolved.join(', ')}`;
    return { ok: false, error: `cannot infer ${which}: no hint determines ${unresolved.length === 1 ? 'it' : 'them'}` };
  }
  return { ok: true, args: params.map((p) => subst.apply(vars.get(p)!)) };
}
