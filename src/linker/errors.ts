/**
 * Errors of the linker. Problems of the program being linked (undefined and duplicate symbols,
 * cycles, instantiations that do not type-check) are diagnostics in the compiler's
 * `file:line:col: error:` form, returned by `link()`; an input that is not a linkable module
 * is a LinkInputError, which `link()` turns into a diagnostic too.
 */
import type { Diagnostic } from '../compiler/diagnostics.js';
import { SimpleError } from '../errors.js';

export class LinkInputError extends SimpleError {
  readonly code = 'LINK_BAD_INPUT';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/**
 * A diagnostic at a `file:line:col` location known only as text (from an interface's `uses`
 * or a note row): printed as `file:line:col: error: message`, without a source excerpt.
 */
export function linkDiagnostic(severity: Diagnostic['severity'], at: string, message: string, code?: string, notes?: Diagnostic[]): Diagnostic {
  return { severity, file: at, span: null, message, ...(code ? { code } : {}), ...(notes && notes.length > 0 ? { notes } : {}) };
}
