/**
 * The linked output's note.sdn: the inputs' rows merged (`mergeNotes`: in input order, `to_obj`
 * set to the output, instances listed once), then this link's decisions on top —
 *
 *   - an instance compiled at link time: an `instantiations` row with status `compiled`, its
 *     `possible` row dropped (the output defines it);
 *   - an instance left to the loader: an `instantiations` row with status `deferred`, and its
 *     `possible` row kept (or added), which is what the loader's JIT looks for;
 *   - `dependencies` rows for each link-time instance (its type arguments, `type_param`; the
 *     instances it calls, `method_dep`; what their type arguments are made of, `field_type` and
 *     `inner_type`), the instantiation cycles the linker met, in `circular_errors`, and the
 *     cycles of the merged dependency graph (sdn/cycles.ts: hard in `circular_errors`, soft in
 *     `circular_warnings`).
 *
 * Rows of an earlier link that were only `deferred` are decided again, so linking a linked SMF
 * does not pile up stale rows.
 *
 * `type_inferences` rows are usage hints for the linker: a row whose instance is now defined by
 * the output has been used up and is dropped; for an instance left to the loader the first row
 * is kept (it says where the instance is needed); rows the linker could not decide are kept.
 * Without this, the hints of thousands of modules would outgrow the note's 16 MiB limit.
 */
import { emptyNote, mergeNotes, recordCycles } from '../sdn/index.js';
import { typeDependencies } from '../compiler/driver/type-deps.js';
import type { StructDef } from '../compiler/program.js';
import type { CircularErrorRow, DepKind, InstantiationRow, NoteSdn, TypeInferenceRow } from '../sdn/index.js';
import { typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import type { DeferredInstance, LinkInstance, RequestSite } from './instantiate.js';

export function mergeLinkNote(
  notes: readonly NoteSdn[],
  toObj: string,
  compiled: readonly LinkInstance[],
  deferred: readonly DeferredInstance[],
  circularErrors: readonly CircularErrorRow[],
  hintSymbols: ReadonlyMap<TypeInferenceRow, string>,
  fileOf: (module: string) => string,
  /** The program's structs, for the `field_type` / `inner_type` rows of the instances' type arguments. */
  structOf: (name: string) => StructDef | undefined = () => undefined,
): NoteSdn {
  const decided = new Set<string>([...compiled.map((c) => c.symbol), ...deferred.map((d) => d.symbol)]);
  const waiting = new Set(deferred.map((d) => d.symbol));
  const hinted = new Set<string>();
  const keepHint = (row: TypeInferenceRow): boolean => {
    const symbol = hintSymbols.get(row);
    if (symbol === undefined) return true;
    if (!waiting.has(symbol) || hinted.has(symbol)) return false;
    hinted.add(symbol);
    return true;
  };
  const inputs = notes.map((n) => ({
    ...n,
    instantiations: n.instantiations.filter((r) => !(r.status === 'deferred' && decided.has(r.mangledName))),
    typeInferences: n.typeInferences.filter(keepHint),
  }));
  const base = notes.length > 0 ? mergeNotes(inputs, { toObj }) : emptyNote();
  const out: NoteSdn = {
    ...base,
    instantiations: base.instantiations.filter((r) => !decided.has(r.mangledName)),
  };
  const row = (symbol: string, template: string, args: readonly Type[], site: RequestSite, status: InstantiationRow['status']): InstantiationRow => {
    const fromLoc = site.at ?? `${fileOf(site.module)}:0:0`;
    return { template, typeArgs: typeArgsCell(args), mangledName: symbol, fromFile: fileOfLoc(fromLoc), fromLoc, toObj, status };
  };
  const deps = new Set(out.dependencies.map((d) => `${d.fromInst}\0${d.toInst}\0${d.depKind}`));
  const dep = (fromInst: string, toInst: string, depKind: DepKind): void => {
    const key = `${fromInst}\0${toInst}\0${depKind}`;
    if (deps.has(key)) return;
    deps.add(key);
    out.dependencies.push({ fromInst, toInst, depKind });
  };
  for (const c of compiled) {
    out.instantiations.push(row(c.symbol, c.template, c.args, c.site, 'compiled'));
    for (const t of c.args) dep(c.symbol, typeToString(t), 'type_param');
    for (const r of c.requires) dep(c.symbol, r, 'method_dep');
  }
  for (const d of typeDependencies([...compiled, ...deferred].flatMap((c) => c.args), structOf)) dep(d.fromInst, d.toInst, d.depKind);
  const linked = new Set(compiled.map((c) => c.symbol));
  out.possible = out.possible.filter((p) => !linked.has(p.mangledName));
  const offered = new Set(out.possible.map((p) => p.mangledName));
  for (const d of deferred) {
    out.instantiations.push(row(d.symbol, d.template, d.args, d.site, 'deferred'));
    if (!offered.has(d.symbol)) {
      offered.add(d.symbol);
      out.possible.push({ template: d.template, typeArgs: typeArgsCell(d.args), mangledName: d.symbol, requiredBy: d.site.module, canDefer: true });
    }
  }
  const known = new Set(out.circularErrors.map((e) => `${e.errorCode} ${e.cyclePath}`));
  for (const e of circularErrors) if (!known.has(`${e.errorCode} ${e.cyclePath}`)) out.circularErrors.push({ ...e });
  // Cycles that only the whole program shows (a struct of one module holding one of another).
  recordCycles(out);
  return out;
}

/** The `type_args` cell: readable types joined by `, `, as the compiler writes it. */
export function typeArgsCell(args: readonly Type[]): string {
  return args.map((t) => typeToString(t)).join(', ');
}

/** `dir/app.spl:4:11` → `dir/app.spl`. */
function fileOfLoc(loc: string): string {
  const m = /^(.*?):\d+:\d+(?::jit)?$/.exec(loc);
  return m ? m[1] : loc;
}
