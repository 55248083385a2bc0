import { SimpleError } from '../errors.js';

/** Codes of {@link SmfFormatError}; one per kind of defect so callers and tests can branch. */
export type SmfErrorCode =
  | 'SMF_TRUNCATED'
  | 'SMF_BAD_MAGIC'
  | 'SMF_BAD_VERSION'
  | 'SMF_BAD_FIELD'
  | 'SMF_OUT_OF_BOUNDS'
  | 'SMF_OVERLAP'
  | 'SMF_BAD_STRING'
  | 'SMF_NOTE_UNTERMINATED'
  | 'SMF_NOTE_TOO_LARGE'
  | 'SMF_DECOMPRESS'
  | 'SMF_HASH_MISMATCH'
  | 'SMF_TOO_MANY'
  | 'SMF_MISSING_SECTION';

/** Name used for bytes that did not come from a file. */
export const MEMORY_FILE = '<memory>';

/**
 * A malformed or unsupported SMF file. Always names the file, the field and the absolute
 * byte offset, so a user can find the defect with a hex dump.
 */
export class SmfFormatError extends SimpleError {
  readonly code: SmfErrorCode;
  readonly file: string;
  /** Dotted path of the offending field, e.g. `section[2].offset` or `note.sdn`. */
  readonly field: string;
  /** Absolute byte offset in the file: of the field, or of the content for content errors. */
  readonly offset: number;
  readonly detail: string;

  /**
   * `plain`: the message when the header's internals would not help the reader, as for a file
   * that is no SMF at all (the fields stay set for callers that branch on them).
   */
  constructor(code: SmfErrorCode, file: string, field: string, offset: number, detail: string, plain?: string) {
    super(plain === undefined ? `${file}: ${field}: ${detail} at byte ${hex(offset)}` : `${file}: ${plain}`);
    this.code = code;
    this.file = file;
    this.field = field;
    this.offset = offset;
    this.detail = detail;
  }
}

/** The module handed to the writer cannot be represented (a bad name, a note too large...). */
export class SmfWriteError extends SimpleError {
  readonly code = 'SMF_WRITE_INVALID';
  /** Path of the offending input, e.g. `sections[3].name`. */
  readonly field: string;

  constructor(field: string, detail: string) {
    super(`${field}: ${detail}`);
    this.field = field;
  }
}

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
