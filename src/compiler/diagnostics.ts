import { clipQuoted, isHighSurrogate, isLowSurrogate, SimpleError } from '../errors.js';
import { countCodePoints } from './source.js';
import type { SourceFile, Span } from './source.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  readonly code?: string;
  readonly message: string;
  /** The source the span points into, or just a path when no text is at hand. */
  readonly file: SourceFile | string;
  readonly span: Span | null;
  readonly notes?: Diagnostic[];
}

function fileLabel(file: SourceFile | string): string {
  return typeof file === 'string' ? file : file.path;
}

/** Source lines longer than this are shown as a window of this many characters around the caret. */
export const MAX_SHOWN_LINE = 160;
/** Characters of a long line shown before the caret. */
const BEFORE_CARET = 60;

/**
 * The source line and the line under it: `^` under the span's first character and `~` under the
 * rest of it on that line. Tabs before the caret are copied so the caret stays aligned however
 * the terminal expands them. A line longer than {@link MAX_SHOWN_LINE} is cut to a window around
 * the caret, with `…` where it was cut.
 */
function sourceAndCaret(source: SourceFile, line: number, sp: Span): [string, string] {
  const bounds = source.lineBounds(line);
  const text = source.text;
  const start = Math.max(bounds.start, Math.min(sp.start, bounds.end));
  let from = bounds.start;
  let to = bounds.end;
  if (to - from > MAX_SHOWN_LINE) {
    from = Math.max(bounds.start, start - BEFORE_CARET);
    to = Math.min(bounds.end, from + MAX_SHOWN_LINE);
    if (from > bounds.start && isLowSurrogate(text.charCodeAt(from))) from--;
    if (to < bounds.end && isHighSurrogate(text.charCodeAt(to - 1))) to--;
  }
  const cutBefore = from > bounds.start;
  let prefix = cutBefore ? ' ' : '';
  for (let i = from; i < start; i++) {
    const c = text.charCodeAt(i);
    prefix += c === 0x09 ? '\t' : ' ';
    if (isHighSurrogate(c) && i + 1 < start && isLowSurrogate(text.charCodeAt(i + 1))) i++;
  }
  const end = Math.min(Math.max(sp.end, start), to);
  const width = countCodePoints(text, start, end);
  const shown = (cutBefore ? '…' : '') + text.slice(from, to) + (to < bounds.end ? '…' : '');
  return [shown, prefix + '^' + '~'.repeat(Math.max(0, width - 1))];
}

/** How the parts of a diagnostic are dressed (terminal colours); plain text by default. */
export interface DiagnosticStyle {
  readonly location: (text: string) => string;
  readonly severity: Readonly<Record<Severity, (text: string) => string>>;
  readonly message: (text: string) => string;
  readonly caret: (text: string) => string;
}

const same = (text: string): string => text;
export const PLAIN_STYLE: DiagnosticStyle = { location: same, severity: { error: same, warning: same, note: same }, message: same, caret: same };

function formatOne(d: Diagnostic, style: DiagnosticStyle): string {
  const label = fileLabel(d.file);
  const message = clipQuoted(d.message);
  const head = (where: string): string => `${style.location(where + ':')} ${style.severity[d.severity](d.severity + ':')} ${style.message(message)}`;
  if (d.span === null || typeof d.file === 'string') {
    return head(label);
  }
  const source = d.file;
  const { line, col } = source.lineCol(d.span.start);
  const [text, caret] = sourceAndCaret(source, line, d.span);
  return [head(`${label}:${line}:${col}`), text, style.caret(caret)].join('\n');
}

/**
 * Clang-style short form:
 *
 *     file:line:col: error: message
 *     <the source line>
 *         ^~~~
 *
 * Notes follow their diagnostic in the same form. No trailing newline.
 */
export function formatDiagnostic(d: Diagnostic): string {
  return formatStyled(d, PLAIN_STYLE);
}

/** {@link formatDiagnostic} with its parts dressed by `style` (terminal colours). */
export function formatStyled(d: Diagnostic, style: DiagnosticStyle): string {
  const parts = [formatOne(d, style)];
  for (const note of d.notes ?? []) parts.push(formatStyled(note, style));
  return parts.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], style: DiagnosticStyle = PLAIN_STYLE): string {
  return ds.map((d) => formatStyled(d, style)).join('\n');
}

/** Raised when a compilation step produced errors; its message is every diagnostic, formatted. */
export class CompileError extends SimpleError {
  readonly code = 'COMPILE_ERROR';

  constructor(readonly diagnostics: readonly Diagnostic[]) {
    // Each diagnostic is clipped when formatted; the source lines must stay as shown.
    super(formatDiagnostics(diagnostics), true);
  }
}

/** Builds a diagnostic, leaving `code` absent rather than `undefined` so deep-equality tests stay simple. */
export function makeDiagnostic(
  severity: Severity,
  file: SourceFile | string,
  sp: Span | null,
  message: string,
  code?: string,
): Diagnostic {
  message = clipQuoted(message);
  return code === undefined ? { severity, message, file, span: sp } : { severity, code, message, file, span: sp };
}

export const DEFAULT_ERROR_LIMIT = 50;

/**
 * Collects the diagnostics of one run. After `limit` errors it records a single "too many
 * errors" error and drops everything else, so a badly broken file cannot flood the terminal;
 * producers may poll `isFull` to stop early.
 */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  private errors = 0;
  private full = false;

  constructor(readonly limit: number = DEFAULT_ERROR_LIMIT) {}

  get diagnostics(): readonly Diagnostic[] {
    return this.items;
  }

  get errorCount(): number {
    return this.errors;
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  get isFull(): boolean {
    return this.full;
  }

  add(d: Diagnostic): void {
    if (this.full) return;
    if (d.severity === 'error') {
      if (this.errors >= this.limit) {
        this.full = true;
        this.items.push({
          severity: 'error',
          code: 'TOO_MANY_ERRORS',
          message: `too many errors (more than ${this.limit}); stopping`,
          file: d.file,
          span: null,
        });
        return;
      }
      this.errors++;
    }
    this.items.push(d);
  }

  error(file: SourceFile | string, sp: Span | null, message: string, code?: string): void {
    this.add(makeDiagnostic('error', file, sp, message, code));
  }

  warning(file: SourceFile | string, sp: Span | null, message: string, code?: string): void {
    this.add(makeDiagnostic('warning', file, sp, message, code));
  }

  /** Throws a CompileError holding everything collected so far if any of it is an error. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new CompileError([...this.items]);
  }
}
