import { NoteSdnError } from './errors.js';
import type { SdnLimits } from './limits.js';
import type { NoteSdn } from './note-model.js';
import { emptyNote } from './note-model.js';
import type { ColumnSpec, TableSpec } from './note-schema.js';
import { NOTE_TABLES } from './note-schema.js';
import { parseSdnWithPositions } from './parse.js';
import type { SdnPosition, SdnPositions } from './positions.js';
import type { SdnTable, SdnValue } from './value.js';
import { isSdnTable } from './value.js';

export interface NoteParseOptions extends Partial<SdnLimits> {
  /** Named in error messages, e.g. the SMF path. */
  file?: string;
}

const BY_NAME = new Map(NOTE_TABLES.map((t) => [t.table, t]));
const TERMINATOR_LINE = /^# END_NOTE[ \t]*\r?$/m;

/**
 * Reads note.sdn text. Everything from the `# END_NOTE` line on is ignored, because an in-place
 * rewrite may leave stale bytes of a longer old note behind it. Missing tables read as empty;
 * top-level entries that are not one of the six tables are kept in `extra`. A known table with
 * other columns, or a cell of the wrong kind, is a `NoteSdnError`; ids are checked to be
 * non-negative integers and otherwise ignored (a row's id is its position).
 */
export function parseNoteSdn(text: string, options: NoteParseOptions = {}): NoteSdn {
  const end = TERMINATOR_LINE.exec(text);
  const body = end === null ? text : text.slice(0, end.index);
  const { value: doc, positions } = parseSdnWithPositions(body, options);
  const note = emptyNote();
  const extra = new Map<string, SdnValue>();
  const file = options.file;
  for (const [name, value] of doc) {
    const spec = BY_NAME.get(name);
    if (spec === undefined) {
      extra.set(name, value);
      continue;
    }
    const at = positions.keyOf(doc, name) ?? { line: 1, column: 1 };
    if (!isSdnTable(value)) {
      throw new NoteSdnError(`expected a table, found ${describe(value)}`, { table: name }, { file, ...at });
    }
    checkColumns(spec, value, { file, ...at });
    (note[spec.key] as unknown[]) = value.rows.map((row, r) => readRow(spec, row, r, positions, at, file));
  }
  if (extra.size > 0) note.extra = extra;
  return note;
}

function checkColumns(spec: TableSpec, t: SdnTable, where: { file?: string; line: number; column: number }): void {
  const want = spec.columns.map((c) => c.column);
  if (t.fields.length === want.length && t.fields.every((f, i) => f === want[i])) return;
  throw new NoteSdnError(
    `expected columns |${want.join(', ')}| but found |${t.fields.join(', ')}|`,
    { table: spec.table },
    where,
  );
}

function readRow(
  spec: TableSpec,
  row: SdnValue[],
  r: number,
  positions: SdnPositions,
  tableAt: SdnPosition,
  file: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  spec.columns.forEach((col, c) => {
    const v = readCell(col, row[c]);
    if (v instanceof Mismatch) {
      const at = positions.cellOf(row, c) ?? positions.of(row) ?? tableAt;
      throw new NoteSdnError(v.reason, { table: spec.table, row: r, columnName: col.column }, { file, ...at });
    }
    if (col.prop !== undefined) out[col.prop] = v;
  });
  return out;
}

class Mismatch {
  constructor(readonly reason: string) {}
}

function readCell(col: ColumnSpec, v: SdnValue): unknown {
  const kind = col.kind;
  if (kind === 'id') {
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
      ? v
      : new Mismatch(`expected a non-negative integer id, found ${describe(v)}`);
  }
  if (kind === 'bool') {
    // The Simple-language writer quotes booleans; accept its spelling too.
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return new Mismatch(`expected true or false, found ${describe(v)}`);
  }
  if (typeof v !== 'string') return new Mismatch(`expected a string, found ${describe(v)}`);
  if (kind === 'string' || kind.enum.includes(v)) return v;
  return new Mismatch(`expected one of ${kind.enum.join(', ')}, found ${describe(v)}`);
}

function describe(v: SdnValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return String(v);
  if (v instanceof Map) return 'a dict';
  return Array.isArray(v) ? 'a list' : 'a table';
}
