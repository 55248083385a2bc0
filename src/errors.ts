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

  constructor(message: string) {
    super(message);
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
    if (e instanceof FileError) return e;
    const err = e as NodeJS.ErrnoException;
    const reason =
      err?.code === 'ENOENT' ? 'no such file or directory' : err?.code === 'EACCES' ? 'permission denied' : err?.code === 'EISDIR' ? 'is a directory' : err?.code === 'EAGAIN' || err?.code === 'ESPIPE' ? 'not a regular file (a pipe or socket)' : (err?.code ?? String(err?.message ?? e));
    return new FileError(path, operation, reason);
  }
}
