import { SdnSerializeError } from './errors.js';
import type { NoteSdn } from './note-model.js';
import type { ColumnSpec } from './note-schema.js';
import { NOTE_HEADER, NOTE_TABLES } from './note-schema.js';
import { quoteSdnString } from './quote.js';
import { stringifySdn } from './stringify.js';

/**
 * The note in the fixed layout readers of other implementations expect: header comments, the six
 * tables in order (each followed by a blank line, rows indented 4 spaces, ids renumbered from 0,
 * strings always quoted, `can_defer` bare), any `extra` entries, then `# END_NOTE`. The result
 * ends with `NOTE_SDN_TERMINATOR` and contains it nowhere else (strings are single-line).
 */
export function serializeNoteSdn(note: NoteSdn): string {
  const lines = [...NOTE_HEADER, ''];
  for (const spec of NOTE_TABLES) {
    if (spec.comment !== undefined) lines.push(spec.comment);
    lines.push(`${spec.table} |${spec.columns.map((c) => c.column).join(', ')}|`);
    const rows = note[spec.key] as unknown as Record<string, unknown>[];
    rows.forEach((row, i) => {
      const cells = spec.columns.map((col) => formatCell(col, row, i, spec.table));
      lines.push(`    ${cells.join(', ')}`);
    });
    lines.push('');
  }
  let text = `${lines.join('\n')}\n`;
  if (note.extra !== undefined && note.extra.size > 0) {
    for (const name of note.extra.keys()) {
      if (NOTE_TABLES.some((t) => t.table === name)) {
        throw new SdnSerializeError(`extra entry '${name}' clashes with a note table`, `extra.${name}`);
      }
    }
    text += `${stringifySdn(note.extra)}\n`;
  }
  return `${text}# END_NOTE\n`;
}

function formatCell(col: ColumnSpec, row: Record<string, unknown>, index: number, table: string): string {
  if (col.kind === 'id') return String(index);
  const v = col.prop === undefined ? undefined : row[col.prop];
  const path = `${table}[${index}].${col.prop ?? col.column}`;
  if (col.kind === 'bool') {
    if (typeof v !== 'boolean') throw new SdnSerializeError('expected a boolean', path);
    return v ? 'true' : 'false';
  }
  if (typeof v !== 'string') throw new SdnSerializeError('expected a string', path);
  if (col.kind !== 'string' && !col.kind.enum.includes(v)) {
    throw new SdnSerializeError(`expected one of ${col.kind.enum.join(', ')}, found ${JSON.stringify(v)}`, path);
  }
  return quoteSdnString(v);
}
