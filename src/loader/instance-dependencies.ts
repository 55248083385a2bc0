/**
 * The `dependencies` rows of an instance the loader compiled, written into the requiring
 * module's note with the instance's `jit_compiled` row: its type arguments (`type_param`) and
 * what they are made of (`field_type`, `inner_type`). A note the compiler wrote has them already,
 * and that is told from a set of the note's rows kept between calls (rebuilt when the table
 * changed size behind its back), so a JIT compile in a program with a large note costs no scan
 * of it. Missing rows are added one at a time; one that closes a cycle of the note's type graph
 * adds its `circular_errors` / `circular_warnings` row (sdn/cycles.ts `addDependency`).
 */
import type { StructDef } from '../compiler/program.js';
import { instanceDependencies } from '../compiler/driver/type-deps.js';
import { addDependency, typeGraph } from '../sdn/index.js';
import type { CircularErrorRow, CircularWarningRow, DependencyRow, NoteSdn, RecordedCycles } from '../sdn/index.js';
import type { Type } from '../types/index.js';

const known = new WeakMap<NoteSdn, { size: number; keys: Set<string> }>();
const keyOf = (r: DependencyRow): string => `${r.fromInst}\0${r.toInst}\0${r.depKind}`;

export function recordInstanceDependencies(note: NoteSdn, symbol: string, args: readonly Type[], structOf: (name: string) => StructDef | undefined): RecordedCycles {
  let seen = known.get(note);
  if (!seen || seen.size !== note.dependencies.length) {
    seen = { size: note.dependencies.length, keys: new Set(note.dependencies.map(keyOf)) };
    known.set(note, seen);
  }
  const keys = seen.keys;
  const missing = instanceDependencies(symbol, args, structOf).filter((r) => !keys.has(keyOf(r)));
  const errors: CircularErrorRow[] = [];
  const warnings: CircularWarningRow[] = [];
  if (missing.length > 0) {
    const graph = typeGraph(note);
    for (const row of missing) {
      const found = addDependency(note, row, graph);
      keys.add(keyOf(row));
      errors.push(...found.errors);
      warnings.push(...found.warnings);
    }
    seen.size = note.dependencies.length;
  }
  return { errors, warnings };
}
