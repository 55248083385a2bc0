import { countCodePoints, SourceFile } from './source.js';
import type { LineCol, Span } from './source.js';

/**
 * The lines of a source file that a template was written on. Templates carry their own text so
 * that an instantiation failing at load time, far from the source tree, still reports
 * `file:line:col` with the source line and a caret. Offsets are relative to the excerpt; line
 * numbers are those of the original file.
 */
export class SourceExcerpt extends SourceFile {
  constructor(
    path: string,
    text: string,
    /** Lines of the original file before the excerpt. */
    readonly lineOffset: number,
  ) {
    super(path, text);
  }

  override lineOf(offset: number): number {
    return super.lineOf(offset) + this.lineOffset;
  }

  override lineCol(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const local = super.lineOf(clamped);
    const col = countCodePoints(this.text, this.lineStarts[local - 1], clamped) + 1;
    return { line: local + this.lineOffset, col };
  }

  override lineBounds(line: number): Span {
    return super.lineBounds(line - this.lineOffset);
  }
}

/** Cuts the lines covering `span` out of `source`, for a template. */
export function excerptOf(source: SourceFile, span: Span): { text: string; start: number; lineOffset: number } {
  const firstLine = source.lineOf(span.start);
  const lastLine = source.lineOf(Math.max(span.start, span.end - 1));
  const start = source.lineStarts[firstLine - 1];
  const end = source.lineBounds(lastLine).end;
  return { text: source.text.slice(start, end), start, lineOffset: firstLine - 1 };
}
