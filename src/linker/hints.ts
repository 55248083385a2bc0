/**
 * Usage hints: what note.sdn's `type_inferences` table says about the type arguments a template
 * is used with. The compiler writes one row per use of another module's template:
 *
 *     inferred_type "i64", expr "max<i64>(…)", context "call", from_loc "app.spl:4:11"
 *
 * Other producers may leave a type open: `inferred_type` then holds placeholders (`?T`,
 * `Pair<?A, i64>`) and `context` is `depends_on_<expr>`, naming the row whose types decide the
 * placeholders (matched position by position through the shared unifier). A chain of such rows
 * that comes back to itself can never be decided: that is an inference cycle (E0421), reported
 * with its path `x->y->x`. A chain that ends in a row without concrete types stays open, and the
 * instantiation is left to the loader.
 */
import { inferTypeArgs, parseTypeList, substituteParams } from '../types/index.js';
import type { Type } from '../types/index.js';
import type { NoteSdn, TypeInferenceRow } from '../sdn/index.js';

export interface UsageHint {
  /** The template's symbol, e.g. `max` or `Stack.push`. */
  readonly template: string;
  /** The raw `inferred_type` cell: type arguments separated by commas, maybe with placeholders. */
  readonly typeArgs: string;
  readonly expr: string;
  readonly context: string;
  /** `file:line:col` of the use. */
  readonly at: string;
  /** The note row it was read from. */
  readonly row?: TypeInferenceRow;
}

export type HintResolution =
  | { readonly kind: 'types'; readonly args: readonly Type[] }
  /** Placeholders no row decides: only the loader will know. */
  | { readonly kind: 'open' }
  /** E0421: the rows' dependencies form a cycle; `path` repeats its first node at the end. */
  | { readonly kind: 'cycle'; readonly path: readonly string[] }
  | { readonly kind: 'invalid'; readonly message: string };

// Made on first use, not when the module loads (with the loader, at every import): a Unicode
// property class costs ~0.15 ms to make.
let expr: RegExp | undefined;
const DEPENDS_ON = 'depends_on_';
let placeholder: RegExp | undefined;

/** The template a row's expression instantiates, or undefined for rows about other things. */
export function hintTemplate(row: TypeInferenceRow): string | undefined {
  return (expr ??= /^([\p{L}\p{N}_.]+)<.*>\(…\)$/su).exec(row.expr)?.[1];
}

/** The hints of a note, in row order; `template` filters them. */
export function usageHints(note: NoteSdn, template?: string): UsageHint[] {
  const out: UsageHint[] = [];
  for (const row of note.typeInferences) {
    const t = hintTemplate(row);
    if (t === undefined || (template !== undefined && t !== template)) continue;
    out.push({ template: t, typeArgs: row.inferredType, expr: row.expr, context: row.context, at: row.fromLoc, row });
  }
  return out;
}

/** Decides a hint's type arguments, following `depends_on_` rows of the same note. */
export function resolveHint(note: NoteSdn, hint: UsageHint): HintResolution {
  let byExpr = rowsByExpr.get(note);
  if (!byExpr) {
    byExpr = new Map<string, TypeInferenceRow>();
    for (const row of note.typeInferences) if (!byExpr.has(row.expr)) byExpr.set(row.expr, row);
    rowsByExpr.set(note, byExpr);
  }
  return resolveRow(byExpr, hint.expr, hint.typeArgs, hint.context, []);
}

// Notes are not modified once read, so the index can live as long as the note.
const rowsByExpr = new WeakMap<NoteSdn, Map<string, TypeInferenceRow>>();

function resolveRow(
  byExpr: ReadonlyMap<string, TypeInferenceRow>,
  expr: string,
  typeArgs: string,
  context: string,
  chain: readonly string[],
): HintResolution {
  const at = chain.indexOf(expr);
  if (at >= 0) return { kind: 'cycle', path: [...chain.slice(at), expr] };
  const placeholders = new Set<string>();
  const src = typeArgs.replace((placeholder ??= /\?([\p{L}\p{N}_]+)/gu), (_, name: string) => {
    placeholders.add(placeholderParam(name));
    return placeholderParam(name);
  });
  let args: Type[];
  try {
    args = parseTypeList(src, { params: placeholders });
  } catch (e) {
    return { kind: 'invalid', message: `'${typeArgs}' is not a list of types (${(e as Error).message})` };
  }
  if (placeholders.size === 0) return { kind: 'types', args };
  if (!context.startsWith(DEPENDS_ON)) return { kind: 'open' };
  const target = byExpr.get(context.slice(DEPENDS_ON.length));
  if (!target) return { kind: 'open' };
  const dep = resolveRow(byExpr, target.expr, target.inferredType, target.context, [...chain, expr]);
  if (dep.kind !== 'types') return dep;
  if (dep.args.length !== args.length) {
    return { kind: 'invalid', message: `'${typeArgs}' has ${args.length} type(s) but '${target.expr}' decides ${dep.args.length}` };
  }
  const solved = inferTypeArgs([...placeholders], args.map((expected, i) => ({ expected, actual: dep.args[i] })));
  if (!solved.ok) return { kind: 'invalid', message: `'${typeArgs}' does not match '${target.inferredType}': ${solved.error}` };
  const map = new Map([...placeholders].map((p, i) => [p, solved.args[i]]));
  return { kind: 'types', args: args.map((a) => substituteParams(a, map)) };
}

function placeholderParam(name: string): string {
  return `P_${name}`;
}
