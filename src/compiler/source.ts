/**
 * Source text and position bookkeeping.
 *
 * Offsets everywhere in the compiler are UTF-16 code-unit indices into `SourceFile.text`, because
 * that is what JavaScript string indexing gives us for free. Columns shown to a user are counted
 * in Unicode code points instead, so a caret under a line containing `é` or an emoji lands under
 * the right character in any terminal that draws one cell per code point.
 */

/** A half-open range `[start, end)` of UTF-16 code-unit offsets into a source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A 1-based position; `col` counts code points from the start of the line. */
export interface LineCol {
  readonly line: number;
  readonly col: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** Number of code points in `text.slice(from, to)`; a lone surrogate counts as one. */
export function countCodePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      starts.push(i + 1);
    } else if (c === 0x0d) {
      // A CRLF pair is one line break; a lone CR (old Mac files) is one too.
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export class SourceFile {
  /** Offset of the first character of each line; `lineStarts[0]` is always 0. */
  readonly lineStarts: readonly number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line number containing `offset` (clamped into the text). */
  lineOf(offset: number): number {
    const target = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  lineCol(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    const start = this.lineStarts[line - 1];
    return { line, col: countCodePoints(this.text, start, clamped) + 1 };
  }

  /** Offsets of the line's content, excluding its terminator. */
  lineBounds(line: number): Span {
    if (line < 1 || line > this.lineStarts.length) return { start: this.text.length, end: this.text.length };
    const start = this.lineStarts[line - 1];
    let end = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 0x0a) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 0x0d) end--;
    return { start, end };
  }

  /** The text of a 1-based line without its terminator; '' when out of range. */
  lineText(line: number): string {
    const { start, end } = this.lineBounds(line);
    return this.text.slice(start, end);
  }
}
