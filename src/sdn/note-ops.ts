import type { CircularErrorRow, DependencyRow, InstantiationRow, NoteSdn, PossibleRow } from './note-model.js';
import { emptyNote } from './note-model.js';

/*
 * Operations on a NoteSdn. `add*` and `markJitCompiled` mutate the note they are given (the
 * loader and linker own their notes and rewrite them right after); `find*` and `mergeNotes`
 * never modify their inputs. Ids need no maintenance: they are row positions.
 */

/** Appends a copy of `row`; returns its id. */
export function addInstantiation(note: NoteSdn, row: InstantiationRow): number {
  return note.instantiations.push({ ...row }) - 1;
}

/** Appends a copy of `row`; returns its id. */
export function addPossible(note: NoteSdn, row: PossibleRow): number {
  return note.possible.push({ ...row }) - 1;
}

/** Appends a copy of `row` unless the note has that cycle already; returns whether it was added. */
export function addCircularError(note: NoteSdn, row: CircularErrorRow): boolean {
  if (note.circularErrors.some((r) => r.cyclePath === row.cyclePath && r.errorCode === row.errorCode)) return false;
  note.circularErrors.push({ ...row });
  return true;
}

export function findPossible(note: NoteSdn, mangledName: string): PossibleRow | undefined {
  return note.possible.find((p) => p.mangledName === mangledName);
}

export function findInstantiation(note: NoteSdn, mangledName: string): InstantiationRow | undefined {
  return note.instantiations.find((p) => p.mangledName === mangledName);
}

/** Where a load-time instance says it came from. */
export function jitFromLoc(smfPath: string): string {
  return `${smfPath}:0:0:jit`;
}

/**
 * Records that the loader compiled `mangledName` at load time: its `possible` row is removed and
 * an instantiation row (status `jit_compiled`, `to_obj` `jit_memory`, from the SMF file) is
 * appended, so the following rows of `possible` move up one id and the new row gets the next
 * instantiation id. Returns false, changing nothing, when `possible` has no such row.
 */
export function markJitCompiled(note: NoteSdn, mangledName: string, opts: { smfPath: string }): boolean {
  const i = note.possible.findIndex((p) => p.mangledName === mangledName);
  if (i < 0) return false;
  const [p] = note.possible.splice(i, 1);
  const row = {
    template: p.template,
    typeArgs: p.typeArgs,
    mangledName: p.mangledName,
    fromFile: opts.smfPath,
    fromLoc: jitFromLoc(opts.smfPath),
    toObj: 'jit_memory',
    status: 'jit_compiled' as const,
  };
  // A linker leaves a `deferred` row for what it left to the loader: that row is the one that
  // now becomes jit_compiled, rather than a second row for the same instance.
  const deferred = note.instantiations.findIndex((r) => r.mangledName === mangledName && r.status === 'deferred');
  if (deferred >= 0) note.instantiations[deferred] = row;
  else note.instantiations.push(row);
  return true;
}

/**
 * The note of a linked output: the inputs' rows in input order, with every instantiation's
 * `to_obj` set to `toObj`. Because the output holds one copy of each instance, instantiations
 * are deduplicated by mangled name (first wins), `possible` rows that are now instantiated or
 * repeated are dropped, and identical rows of the other tables are kept once. `extra` entries of
 * the inputs are not carried over.
 */
export function mergeNotes(notes: readonly NoteSdn[], opts: { toObj: string }): NoteSdn {
  const out = emptyNote();
  const instantiated = new Set<string>();
  for (const n of notes) {
    for (const row of n.instantiations) {
      if (instantiated.has(row.mangledName)) continue;
      instantiated.add(row.mangledName);
      out.instantiations.push({ ...row, toObj: opts.toObj });
    }
  }
  const offered = new Set<string>();
  for (const n of notes) {
    for (const row of n.possible) {
      if (instantiated.has(row.mangledName) || offered.has(row.mangledName)) continue;
      offered.add(row.mangledName);
      out.possible.push({ ...row });
    }
  }
  out.typeInferences = unique(notes.flatMap((n) => n.typeInferences));
  out.dependencies = unique(notes.flatMap((n): DependencyRow[] => n.dependencies));
  out.circularWarnings = unique(notes.flatMap((n) => n.circularWarnings));
  out.circularErrors = unique(notes.flatMap((n) => n.circularErrors));
  return out;
}

/** Copies of the rows, dropping later rows whose every field equals an earlier one. */
function unique<T extends object>(rows: T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of rows) {
    const key = JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...row });
  }
  return out;
}
