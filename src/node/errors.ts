/** A diagnostic as plain data: what a program that caught an import error can read. */
export interface PlainDiagnostic {
  readonly severity: string;
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}
