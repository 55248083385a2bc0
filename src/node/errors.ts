import { SimpleError } from '../errors.js';

/** A diagnostic as plain data: what a program that caught the error can read. */
export interface PlainDiagnostic {
  readonly severity: string;
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * A Simple module imported from Node did not compile. Its message is the compiler's, with the
 * source line and caret; `diagnostics` has each one as data.
 */
export class SimpleImportError extends SimpleError {
  readonly code = 'COMPILE_ERROR';
  constructor(
    message: string,
    readonly diagnostics: readonly PlainDiagnostic[],
  ) {
    super(message, true);
    this.name = 'SimpleImportError';
  }
}

/** A Simple export used in a way it cannot be: a generic function called without its type arguments. */
export class SimpleUsageError extends SimpleError {
  readonly code = 'USAGE';
}
