import { SdnError } from './errors.js';

/** A line that carries content: not blank and not only a comment. */
export interface SdnLine {
  /** 1-based line number in the input. */
  readonly no: number;
  /** Number of leading spaces. */
  readonly indent: number;
  /** The whole line without its line break. */
  readonly text: string;
}

/**
 * Blank and comment-only lines never affect structure, so they are dropped here and the block
 * parser only ever sees lines whose indentation matters. Tabs are rejected in the indentation of
 * those lines because their width is ambiguous.
 */
export function significantLines(text: string, file: string | undefined): SdnLine[] {
  const out: SdnLine[] = [];
  let start = 0;
  let no = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    no++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    start = end + 1;
    let i = 0;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i === line.length || line[i] === '#') continue;
    const tab = line.indexOf('\t');
    if (tab >= 0 && tab < i) {
      throw new SdnError('tab in indentation; indent with spaces', { file, line: no, column: tab + 1 });
    }
    out.push({ no, indent: i, text: line });
  }
  return out;
}
