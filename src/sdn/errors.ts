import { SimpleError } from '../errors.js';

/** Where a problem sits in SDN text. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface SdnLocation {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
}

function prefix(where: SdnLocation): string {
  const file = where.file !== undefined ? `${where.file}:` : '';
  return `${file}${where.line}:${where.column}`;
}

/**
 * Malformed SDN text. `reason` is the message without the location, so callers that print their
 * own location (or compare in tests) do not have to parse it back out of `message`.
 */
export class SdnError extends SimpleError {
  readonly code: string;
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, where: SdnLocation, code = 'SDN_SYNTAX') {
    super(`${prefix(where)}: ${reason}`);
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.reason = reason;
  }
}

/** The names of the resource limits a parse enforces; see `SdnLimits`. */
export type SdnLimitName = 'maxDepth' | 'maxStringBytes' | 'maxValues' | 'maxInputBytes';

/** Input that is well-formed as far as it was read but exceeds a configured resource limit. */
export class SdnLimitError extends SdnError {
  readonly limit: SdnLimitName;
  readonly max: number;

  constructor(limit: SdnLimitName, max: number, reason: string, where: SdnLocation) {
    super(`${reason} (limit ${limit} = ${max})`, where, 'SDN_LIMIT');
    this.limit = limit;
    this.max = max;
  }
}

/**
 * A value that has no SDN spelling (NaN, a table nested in an array, a row of the wrong
 * width, …). `path` names the offending value, e.g. `deps[2].rows[0][1]`.
 */
export class SdnSerializeError extends SimpleError {
  readonly code = 'SDN_UNSERIALIZABLE';
  readonly path: string;
  readonly reason: string;

  constructor(reason: string, path: string) {
    super(`cannot write ${path || 'document'} as SDN: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Which cell of a note.sdn table a `NoteSdnError` is about. `row` is the 0-based row index (= its id). */
export interface NoteSdnCell {
  readonly table: string;
  readonly row?: number;
  readonly columnName?: string;
}

/** SDN that parses but does not match the note.sdn schema (columns, enums, cell kinds). */
export class NoteSdnError extends SdnError {
  readonly table: string;
  readonly row: number | undefined;
  readonly columnName: string | undefined;

  constructor(reason: string, cell: NoteSdnCell, where: SdnLocation) {
    const parts = [`table '${cell.table}'`];
    if (cell.row !== undefined) parts.push(`row ${cell.row}`);
    if (cell.columnName !== undefined) parts.push(`column '${cell.columnName}'`);
    super(`${parts.join(', ')}: ${reason}`, where, 'NOTE_SDN_INVALID');
    this.table = cell.table;
    this.row = cell.row;
    this.columnName = cell.columnName;
  }
}

/**
 * Note text that a reader would cut short: it must end with the terminator and contain it nowhere
 * else, because readers stop at its first occurrence.
 */
export class NoteSdnTerminatorError extends SimpleError {
  readonly code = 'NOTE_SDN_TERMINATOR';
  /** UTF-16 index of the first terminator in the text, or -1 if there is none. */
  readonly foundAt: number;

  constructor(foundAt: number) {
    super(
      foundAt < 0
        ? 'note.sdn text does not end with the "# END_NOTE" terminator'
        : `note.sdn text contains the "# END_NOTE" terminator before its end (at index ${foundAt})`,
    );
    this.foundAt = foundAt;
  }
}
