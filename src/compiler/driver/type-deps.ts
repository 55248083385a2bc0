/**
 * The `field_type` and `inner_type` rows of note.sdn's `dependencies`: what the types an
 * instance is made with are made of, so the cycle detector (sdn/cycles.ts) can tell a struct
 * that holds itself through fields alone (hard) from one that holds itself through an array
 * (soft, through an indirection).
 *
 *   struct type   -> the type of each field, its type arguments substituted   field_type
 *   tuple type    -> each element type                                        field_type
 *   array `[T]`   -> T                                                        inner_type
 *
 * Types are followed from the given roots as far as the struct definitions at hand reach (a
 * struct not in `structOf` contributes no rows), for at most `maxTypes` types.
 */
import type { DependencyRow } from '../../sdn/index.js';
import { substituteParams } from '../../types/type.js';
import type { Type } from '../../types/type.js';
import { typeToString } from '../../types/syntax.js';
import type { StructDef } from '../program.js';

export const MAX_DEPENDENCY_TYPES = 512;

export function typeDependencies(roots: readonly Type[], structOf: (name: string) => StructDef | undefined, maxTypes = MAX_DEPENDENCY_TYPES): DependencyRow[] {
  const rows: DependencyRow[] = [];
  const seen = new Set<string>();
  const queue: Type[] = [];
  const visit = (t: Type): string => {
    const name = typeToString(t);
    if (!seen.has(name) && seen.size < maxTypes) {
      seen.add(name);
      queue.push(t);
    }
    return name;
  };
  for (const r of roots) visit(r);
  for (let i = 0; i < queue.length; i++) {
    const t = queue[i];
    const from = typeToString(t);
    if (t.kind === 'array') {
      rows.push({ fromInst: from, toInst: visit(t.elem), depKind: 'inner_type' });
    } else if (t.kind === 'tuple') {
      for (const e of t.elems) rows.push({ fromInst: from, toInst: visit(e), depKind: 'field_type' });
    } else if (t.kind === 'named') {
      const def = structOf(t.name);
      if (!def || def.typeParams.length !== t.args.length) continue;
      const params = new Map(def.typeParams.map((p, k) => [p, t.args[k]]));
      for (const f of def.fields) rows.push({ fromInst: from, toInst: visit(substituteParams(f.type, params)), depKind: 'field_type' });
    }
  }
  // One row per edge: a struct with two fields of one type needs it once.
  const unique = new Map(rows.map((r) => [`${r.fromInst}\0${r.toInst}\0${r.depKind}`, r]));
  return [...unique.values()];
}

/** An instance's rows: `type_param` to each type argument, then what the arguments are made of. */
export function instanceDependencies(symbol: string, args: readonly Type[], structOf: (name: string) => StructDef | undefined): DependencyRow[] {
  return [...args.map((t): DependencyRow => ({ fromInst: symbol, toInst: typeToString(t), depKind: 'type_param' })), ...typeDependencies(args, structOf)];
}
