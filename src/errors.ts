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
