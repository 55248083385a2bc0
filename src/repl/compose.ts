/**
 * A module source put together from pieces — what the user typed, and the code the REPL writes
 * around it — so that a diagnostic in the composed text is shown against the piece the user
 * typed, with their own line and column, not the REPL's scaffolding.
 */
import { makeDiagnostic } from '../compiler/diagnostics.js';
import type { Diagnostic } from '../compiler/diagnostics.js';
import { SourceFile } from '../compiler/source.js';

interface Piece {
  /** The user's text as a source of its own (its label is what a diagnostic shows). */
  readonly own: SourceFile;
  /** The piece's first line in `own` (1-based). */
  readonly ownFirstLine: number;
  /** First line of the piece in the composed text (1-based). */
  readonly firstLine: number;
  readonly lines: number;
  /** Spaces put before each of its lines in the composed text (taken away when negative). */
  readonly indent: number;
}

export class Composer {
  private readonly lines: string[] = [];
  private readonly pieces: Piece[] = [];

  /** Code the REPL writes: a diagnostic inside it is shown without a source line. */
  scaffold(text: string): this {
    for (const line of text.split('\n')) this.lines.push(line);
    return this;
  }

  /** Text the user typed (labelled `label`), indented by `indent` spaces in the module. */
  user(text: string, label: string, indent = 0): this {
    const own = new SourceFile(label, text);
    return this.userLines(own, 1, own.lineCount, indent);
  }

  /** Lines `from`..`to` (1-based, inclusive) of a source the user typed. */
  userLines(own: SourceFile, from: number, to: number, indent = 0): this {
    this.pieces.push({ own, ownFirstLine: from, firstLine: this.lines.length + 1, lines: to - from + 1, indent });
    for (let l = from; l <= to; l++) {
      const line = own.lineText(l);
      this.lines.push(indent >= 0 ? (line.length > 0 ? ' '.repeat(indent) + line : line) : line.slice(-indent));
    }
    return this;
  }

  get text(): string {
    return this.lines.join('\n') + '\n';
  }

  /** A diagnostic of the composed module, moved onto the user's piece it falls in. */
  mapDiagnostic(d: Diagnostic, composed: string): Diagnostic {
    const mapped = this.mapOne(d, composed);
    return d.notes ? { ...mapped, notes: d.notes.map((n) => this.mapOne(n, composed)) } : mapped;
  }

  private mapOne(d: Diagnostic, composed: string): Diagnostic {
    if (d.span === null || typeof d.file === 'string' || d.file.path !== composed) return d;
    const start = d.file.lineCol(d.span.start);
    const piece = this.pieces.find((p) => start.line >= p.firstLine && start.line < p.firstLine + p.lines);
    if (!piece) return makeDiagnostic(d.severity, '<repl>', null, d.message, d.code);
    const file = d.file;
    // Offsets within a line (UTF-16 units, as spans are), moved by the indentation added.
    const offset = (pos: number): number => {
      const line = file.lineOf(pos);
      const ownLine = piece.ownFirstLine + Math.min(Math.max(line - piece.firstLine, 0), piece.lines - 1);
      const within = line < piece.firstLine ? 0 : pos - file.lineStarts[line - 1];
      const bounds = piece.own.lineBounds(ownLine);
      return Math.min(bounds.start + Math.max(0, within - piece.indent), bounds.end);
    };
    const s = offset(d.span.start);
    const e = Math.max(s, offset(d.span.end));
    return makeDiagnostic(d.severity, piece.own, { start: s, end: e }, d.message, d.code);
  }
}
