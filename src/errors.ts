/**
 * The root of every error this toolchain reports to a user.
 *
 * Each layer defines its own subclasses (SmfFormatError, SdnError, TypeSyntaxError, …) that
 * carry the "what and where" as fields, so callers can branch on `code` and the CLI can print
 * a one-line message without a stack trace.
 */
export abstract class SimpleError extends Error {
  /** A stable, machine-readable identifier such as `SMF_TRUNCATED` or `E0420`. */
  abstract readonly code: string;

  /**
   * Quoted values in `message` longer than {@link MAX_QUOTED} are clipped (see clipQuoted), unless
   * `preformatted` (a message made of parts already clipped, with source lines that must stay as shown).
   */
  constructor(message: string, preformatted = false) {
    super(preformatted ? message : clipQuoted(message));
    this.name = new.target.name;
  }
}

export function isSimpleError(e: unknown): e is SimpleError {
  return e instanceof SimpleError;
}

/** A file that could not be read or written, with the operating system's reason. */
export class FileError extends SimpleError {
  readonly code = 'FILE_IO';
  constructor(
    readonly path: string,
    readonly operation: 'read' | 'write',
    readonly reason: string,
  ) {
    super(`cannot ${operation} '${path}': ${reason}`);
  }

  static from(path: string, operation: 'read' | 'write', e: unknown): FileError {
    return fileError(path, operation, e);
  }
}

// Outside the class: a bundler renames a class that names itself in its own body (`class
// _FileError`), and the error's `name` would then be `_FileError`.
function fileError(path: string, operation: 'read' | 'write', e: unknown): FileError {
  if (e instanceof FileError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  const reason = (code !== undefined ? PLAIN_REASONS[code] : undefined) ?? code ?? String(err?.message ?? e);
  return new FileError(path, operation, reason);
}

/** The operating system's error codes in the words a user reads them (never `ENOENT`). */
const PLAIN_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'not a regular file (a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the file name is too long',
  ELOOP: 'too many symbolic links in the path',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'the file is busy',
  EIO: 'an input/output error',
  EAGAIN: 'not a regular file (a pipe or socket)',
  ESPIPE: 'not a regular file (a pipe or socket)',
};

/** The longest value (a name, a type, a literal) an error message shows whole. */
export const MAX_QUOTED = 120;

/**
 * `text` when it has at most `max` characters; else its start and end around an ellipsis, with
 * its length, in at most `max` characters: `aaaaaaaa…aaaa (100000 characters)`. A surrogate
 * pair is never split.
 */
export function clipText(text: string, max: number = MAX_QUOTED): string {
  if (text.length <= max) return text;
  const suffix = ` (${text.length} characters)`;
  // The result has at most `max` characters, so clipping it again leaves it as it is.
  const budget = max - suffix.length - 1;
  let head = Math.ceil((budget * 2) / 3);
  let tail = budget - head;
  if (isHighSurrogate(text.charCodeAt(head - 1))) head--;
  if (isLowSurrogate(text.charCodeAt(text.length - tail))) tail--;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}${suffix}`;
}

/** `message` with every quoted value ('…' on one line) longer than {@link MAX_QUOTED} clipped by clipText. */
export function clipQuoted(message: string): string {
  return message.length <= MAX_QUOTED + 2 ? message : message.replace(LONG_QUOTED, (_, value: string) => `'${clipText(value)}'`);
}

const LONG_QUOTED = new RegExp(`'([^'\\n]{${MAX_QUOTED + 1},})'`, 'g');

export function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

export function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
