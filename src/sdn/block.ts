import type { ParseContext } from './context.js';
import { LineCursor } from './cursor.js';
import { SdnError } from './errors.js';
import { readRow, readValue } from './inline.js';
import type { SdnLine } from './lines.js';
import { matchKey, readKey } from './scalars.js';
import { readColumnTypes } from './table-type.js';
import type { SdnDict, SdnTable, SdnValue } from './value.js';

const TYPED_TABLE = /table[ \t]*\{/y;

/**
 * The indentation-structured part of SDN. A block is the run of lines sharing one indentation;
 * a deeper line opens a child block only where a statement ends in `:` or a table header, and a
 * shallower line closes blocks until one with exactly that indentation is found.
 */
export class BlockParser {
  private i = 0;

  constructor(
    private readonly lines: readonly SdnLine[],
    private readonly ctx: ParseContext,
    private readonly file: string | undefined,
  ) {}

  document(): SdnDict {
    const first = this.lines[0];
    const probe = new LineCursor(first?.text ?? '', first?.no ?? 1, 0, this.file);
    this.ctx.countValue(probe, 0);
    this.ctx.enter(1, probe, 0);
    return this.dictBlock(0, 1);
  }

  private cursor(ln: SdnLine): LineCursor {
    return new LineCursor(ln.text, ln.no, ln.indent, this.file);
  }

  private fail(reason: string, ln: SdnLine, column = ln.indent + 1): SdnError {
    return new SdnError(reason, { file: this.file, line: ln.no, column });
  }

  /** The next line if it belongs to the block at `indent`; throws if it is indented deeper. */
  private nextAt(indent: number): SdnLine | undefined {
    const ln = this.lines[this.i];
    if (ln === undefined || ln.indent < indent) return undefined;
    if (ln.indent > indent) throw this.fail('unexpected indentation', ln);
    this.i++;
    return ln;
  }

  /**
   * After a child block ends, the next line must return to an enclosing level. The child ended at
   * a line shallower than itself (a deeper one throws in `nextAt`), so only the parent's level
   * needs comparing.
   */
  private checkDedent(parentIndent: number): void {
    const ln = this.lines[this.i];
    if (ln !== undefined && ln.indent > parentIndent) {
      throw this.fail('inconsistent indentation: the line matches no enclosing block', ln);
    }
  }

  private dictBlock(indent: number, depth: number): SdnDict {
    const dict: SdnDict = new Map();
    for (let ln = this.nextAt(indent); ln !== undefined; ln = this.nextAt(indent)) {
      this.statement(this.cursor(ln), dict, depth);
    }
    return dict;
  }

  private statement(cur: LineCursor, dict: SdnDict, depth: number): void {
    const indent = cur.pos;
    const keyPos = cur.pos;
    const key = readKey(cur, this.ctx, 'a key');
    if (dict.has(key)) throw cur.error(`duplicate key '${key}'`, keyPos);
    cur.skipSpaces();
    const c = cur.peek();
    let value: SdnValue;
    if (c === ':') {
      cur.pos++;
      if (!cur.atLineEnd() && cur.peek() !== ' ' && cur.peek() !== '\t') {
        throw cur.error("expected a space after ':'");
      }
      cur.skipSpaces();
      TYPED_TABLE.lastIndex = cur.pos;
      if (cur.atLineEnd()) value = this.nestedBlock(cur, indent, depth + 1);
      else if (TYPED_TABLE.test(cur.text)) value = this.typedTable(cur, indent, depth + 1, keyPos);
      else value = this.lineValue(cur, depth + 1);
    } else if (c === '=') {
      cur.pos++;
      cur.skipSpaces();
      value = this.lineValue(cur, depth + 1);
    } else if (c === '|') {
      value = this.namedTable(cur, indent, depth + 1, keyPos);
    } else {
      throw cur.error(`expected ':', '=' or '|' after the key, found ${cur.found()}`);
    }
    this.ctx.recordKey(dict, key, cur, keyPos);
    dict.set(key, value);
  }

  private lineValue(cur: LineCursor, depth: number): SdnValue {
    const v = readValue(cur, this.ctx, depth);
    this.endOfLine(cur);
    return v;
  }

  private endOfLine(cur: LineCursor): void {
    cur.skipSpaces();
    if (!cur.atLineEnd()) throw cur.error(`expected end of line, found ${cur.found()}`);
  }

  /** The indented block after `key:` or `-`; with no deeper line the value is null. */
  private nestedBlock(cur: LineCursor, parentIndent: number, depth: number): SdnValue {
    this.ctx.countValue(cur, cur.pos);
    const next = this.lines[this.i];
    if (next === undefined || next.indent <= parentIndent) return null;
    const probe = this.cursor(next);
    this.ctx.enter(depth, probe, next.indent);
    const value = startsStatement(probe)
      ? this.dictBlock(next.indent, depth)
      : this.arrayBlock(next.indent, depth);
    this.ctx.recordAt(value, probe, next.indent);
    this.checkDedent(parentIndent);
    return value;
  }

  /** Lines of `- item` and/or comma-separated values; every value becomes one element. */
  private arrayBlock(indent: number, depth: number): SdnValue[] {
    const arr: SdnValue[] = [];
    for (let ln = this.nextAt(indent); ln !== undefined; ln = this.nextAt(indent)) {
      const cur = this.cursor(ln);
      if (startsDashItem(cur)) {
        cur.pos++;
        cur.skipSpaces();
        arr.push(cur.atLineEnd() ? this.nestedBlock(cur, indent, depth + 1) : this.lineValue(cur, depth + 1));
        continue;
      }
      if (startsStatement(cur)) {
        throw cur.error('expected an array item: this block is an array because its first line is not key: value');
      }
      for (;;) {
        arr.push(readValue(cur, this.ctx, depth + 1));
        cur.skipSpaces();
        if (cur.atLineEnd()) break;
        if (cur.peek() !== ',') throw cur.error(`expected ',' or end of line, found ${cur.found()}`);
        cur.pos++;
        cur.skipSpaces();
      }
    }
    return arr;
  }

  /** `name |a, b|` with rows indented below, or one row on the same line. */
  private namedTable(cur: LineCursor, indent: number, depth: number, keyPos: number): SdnTable {
    this.ctx.countValue(cur, keyPos);
    this.ctx.enter(depth, cur, keyPos);
    cur.pos++;
    const fields: string[] = [];
    const seen = new Set<string>();
    for (;;) {
      cur.skipSpaces();
      const at = cur.pos;
      const field = readKey(cur, this.ctx, 'a column name');
      if (seen.has(field)) throw cur.error(`duplicate column '${field}'`, at);
      this.ctx.countValue(cur, at);
      seen.add(field);
      fields.push(field);
      cur.skipSpaces();
      const c = cur.peek();
      if (c !== ',' && c !== '|') throw cur.error(`expected ',' or '|' in the column list, found ${cur.found()}`);
      cur.pos++;
      if (c === '|') break;
    }
    const table: SdnTable = { fields, rows: [] };
    this.ctx.recordAt(table, cur, keyPos);
    cur.skipSpaces();
    if (cur.atLineEnd()) this.rowBlock(table, indent, depth);
    else table.rows.push(this.lineRow(cur, depth, fields.length));
    return table;
  }

  /** `name: table{i32, text}` followed by `= [(…), …]` or by indented rows. */
  private typedTable(cur: LineCursor, indent: number, depth: number, keyPos: number): SdnTable {
    this.ctx.countValue(cur, keyPos);
    this.ctx.enter(depth, cur, keyPos);
    cur.pos += 'table'.length;
    cur.skipSpaces();
    const { names, types } = readColumnTypes(cur, this.ctx);
    const table: SdnTable = { fields: names, types, rows: [] };
    this.ctx.recordAt(table, cur, keyPos);
    cur.skipSpaces();
    if (cur.atLineEnd()) {
      this.rowBlock(table, indent, depth);
    } else if (cur.peek() === '=') {
      cur.pos++;
      cur.skipSpaces();
      this.tupleList(cur, table, depth, types.length);
      this.endOfLine(cur);
    } else {
      throw cur.error(`expected '=' or end of line after the table type, found ${cur.found()}`);
    }
    return table;
  }

  private tupleList(cur: LineCursor, table: SdnTable, depth: number, width: number): void {
    cur.expect('[', "'[' to start the rows");
    cur.skipSpaces();
    if (cur.peek() === ']') {
      cur.pos++;
      return;
    }
    for (;;) {
      cur.skipSpaces();
      if (cur.peek() !== '(') throw cur.error(`expected '(' to start a row, found ${cur.found()}`);
      table.rows.push(readRow(cur, this.ctx, depth + 1, width));
      cur.skipSpaces();
      const c = cur.peek();
      cur.pos++;
      if (c === ']') return;
      if (c !== ',') {
        cur.pos--;
        throw cur.error(`expected ',' or ']' after a row, found ${cur.found()}`);
      }
    }
  }

  private rowBlock(table: SdnTable, parentIndent: number, depth: number): void {
    const next = this.lines[this.i];
    if (next === undefined || next.indent <= parentIndent) return;
    const width = table.types !== undefined ? table.types.length : table.fields.length;
    for (let ln = this.nextAt(next.indent); ln !== undefined; ln = this.nextAt(next.indent)) {
      table.rows.push(this.lineRow(this.cursor(ln), depth, width));
    }
    this.checkDedent(parentIndent);
  }

  private lineRow(cur: LineCursor, depth: number, width: number): SdnValue[] {
    const row = readRow(cur, this.ctx, depth + 1, width);
    cur.skipSpaces();
    if (!cur.atLineEnd()) throw cur.error(`expected end of row, found ${cur.found()}`);
    return row;
  }
}

function startsDashItem(cur: LineCursor): boolean {
  if (cur.peek() !== '-') return false;
  const next = cur.peek(1);
  return next === '' || next === ' ' || next === '\t' || next === '#';
}

/**
 * Decides whether an indented block is a dict: its first line must begin like a statement
 * (`key:` followed by a space or the line end, `key =`, or `key |`). Anything else, including
 * `a:b`, which is a bare string, starts an array block.
 */
function startsStatement(cur: LineCursor): boolean {
  if (startsDashItem(cur)) return false;
  const t = cur.text;
  let q = cur.pos;
  if (t[q] === '"') {
    q++;
    while (q < t.length && t[q] !== '"') q += t[q] === '\\' ? 2 : 1;
    if (q >= t.length) return false;
    q++;
  } else {
    const len = matchKey(t, q);
    if (len === 0) return false;
    q += len;
  }
  while (t[q] === ' ' || t[q] === '\t') q++;
  const c = t[q];
  if (c === '=' || c === '|') return true;
  if (c !== ':') return false;
  const d = t.charAt(q + 1);
  return d === '' || d === ' ' || d === '\t' || d === '#';
}
