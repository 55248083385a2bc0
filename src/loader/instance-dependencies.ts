/**
 * The `dependencies` rows of an instance the loader compiled, written into the requiring
 * module's note with the instance's `jit_compiled` row: its type arguments (`type_param`) and
 * what they are made of (`field_type`, `inner_type`). Rows are added one at a time; one that
 * closes a cycle of the note's type graph adds its `circular_errors` / `circular_warnings` row
 * (sdn/cycles.ts `addDependency`, which searches only then).
 */
import type { StructDef } from '../compiler/program.js';
import { typeDependencies } from '../compiler/driver/type-deps.js';
import { addDependency, typeGraph } from '../sdn/index.js';
import type { NoteSdn, RecordedCycles } from '../sdn/index.js';
import { typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';

export function recordInstanceDependencies(note: NoteSdn, symbol: string, args: readonly Type[], structOf: (name: string) => StructDef | undefined): RecordedCycles {
  const graph = typeGraph(note);
  const errors: RecordedCycles['errors'][number][] = [];
  const warnings: RecordedCycles['warnings'][number][] = [];
  const rows = [...args.map((t) => ({ fromInst: symbol, toInst: typeToString(t), depKind: 'type_param' as const })), ...typeDependencies(args, structOf)];
  for (const row of rows) {
    const found = addDependency(note, row, graph);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
  }
  return { errors, warnings };
}
