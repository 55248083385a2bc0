/**
 * Carrying a unit's `simple.lines` table through the metering pass (meter.ts), so that a trap in
 * metered code (a loader with limits, `smf run --fuel/--timeout`) still names its source lines.
 *
 * The pass copies each body in runs, inserting its counting code between them; `BodyOffsets`
 * records where each run starts in the old body and in the new one (both relative to the body,
 * which a longer size prefix may shift as a whole). A line mark in the old body then lands at
 * the same distance from the start of its run in the new body — and a mark on an instruction the
 * pass rewrote (a loop header) lands where its replacement starts.
 */
import { codePayloadStart } from './custom-section.js';
import { LebReader, appendLineTable, readLineTable } from './line-section.js';
import type { LineFunction } from './line-section.js';

export class BodyOffsets {
  /** Pairs: offset in the old body where a copied run starts, its offset in the new body. */
  readonly runs: number[] = [];

  constructor(
    /** The old body's start, in the module. */
    private readonly oldStart: number,
    /** The new body's start in the writer (after its size prefix). */
    private readonly newStart: number,
  ) {}

  /** A run of the old body starting at module offset `oldAt` is written at writer offset `newAt`. */
  run(oldAt: number, newAt: number): void {
    this.runs.push(oldAt - this.oldStart, newAt - this.newStart);
  }

  /** Where offset `rel` of the old body is in the new one. */
  map(rel: number): number {
    let i = 0;
    while (i + 2 < this.runs.length && this.runs[i + 2] <= rel) i += 2;
    return this.runs.length === 0 ? rel : this.runs[i + 1] + (rel - this.runs[i]);
  }
}

/**
 * `metered` with the old `simple.lines` payload re-based onto its code: function indices moved by
 * `fn`, body offsets and marks mapped through `bodies` (by defined-function index). `metered`
 * itself when there is nothing to carry or the table cannot be read (lines are never worth a
 * failed load).
 */
export function carryLines(
  linesPayload: Uint8Array | undefined,
  metered: Uint8Array<ArrayBuffer>,
  bodies: readonly BodyOffsets[],
  importedFunctions: number,
  fn: (index: number) => number,
): Uint8Array<ArrayBuffer> {
  if (!linesPayload) return metered;
  let table;
  try {
    table = readLineTable(linesPayload);
  } catch {
    return metered;
  }
  if (!table) return metered;
  const starts = bodyStarts(metered);
  const fns: LineFunction[] = [];
  for (const f of table.functions) {
    const defined = f.index - importedFunctions;
    const body = bodies[defined];
    const start = starts[defined];
    if (!body || !start) continue;
    const marks: number[] = [];
    for (let i = 0; i < f.marks.length; i += 2) marks.push(start.at + body.map(f.marks[i] - f.codeStart), f.marks[i + 1]);
    fns.push({ index: fn(f.index), file: f.file, line: f.line, codeStart: start.at, codeSize: start.size, marks });
  }
  return appendLineTable(metered, fns) as Uint8Array<ArrayBuffer>;
}

/** Each body's start (after its size, in the code section's payload) and size. */
function bodyStarts(module: Uint8Array): { at: number; size: number }[] {
  const payload = codePayloadStart(module);
  if (payload < 0) return [];
  const r = new LebReader(module.subarray(payload));
  const out: { at: number; size: number }[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const size = r.u32();
    out.push({ at: r.pos, size });
    r.pos += size;
  }
  return out;
}
