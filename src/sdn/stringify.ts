import { SdnSerializeError } from './errors.js';
import { HARD_MAX_DEPTH } from './limits.js';
import { formatSdnKey, formatSdnString } from './quote.js';
import { isValidTypeText } from './table-type.js';
import type { SdnDict, SdnTable, SdnValue } from './value.js';
import { isSdnTable } from './value.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const INDENT = '    ';

/**
 * Canonical SDN text for `doc`: 4-space indentation; non-empty dicts as blocks; arrays inline
 * unless they hold a table somewhere (then `- item` blocks); tables as `name |…|` or
 * `name: table{…}` headers with one indented row per line; strings bare only when unambiguous.
 * `parseSdn(stringifySdn(d))` deep-equals `d`, except that a `bigint` in the safe-integer range
 * comes back as a `number` (see `value.ts`).
 */
export function stringifySdn(doc: SdnDict): string {
  const w = new Writer();
  w.dictBody(doc, '', '', 1);
  return w.lines.length === 0 ? '' : `${w.lines.join('\n')}\n`;
}

/** One value in single-line form, as it would appear after `key: ` or in a row. */
export function formatSdnInline(v: SdnValue): string {
  return new Writer().inline(v, '', 1);
}

class Writer {
  readonly lines: string[] = [];
  private readonly tableInside = new WeakMap<object, boolean>();

  dictBody(d: SdnDict, pad: string, path: string, depth: number): void {
    guardDepth(depth, path);
    for (const [k, v] of d) {
      const key = formatSdnKey(k);
      const at = path === '' ? k : `${path}.${k}`;
      if (v instanceof Map) {
        if (v.size === 0) this.lines.push(`${pad}${key} = {}`);
        else {
          this.lines.push(`${pad}${key}:`);
          this.dictBody(v, pad + INDENT, at, depth + 1);
        }
      } else if (Array.isArray(v)) {
        if (!this.holdsTable(v, at, depth)) this.lines.push(`${pad}${key} = ${this.inline(v, at, depth + 1)}`);
        else {
          this.lines.push(`${pad}${key}:`);
          this.arrayBlock(v, pad + INDENT, at, depth + 1);
        }
      } else if (isSdnTable(v)) {
        this.table(key, v, pad, at, depth + 1);
      } else {
        this.lines.push(`${pad}${key}: ${scalar(v, at)}`);
      }
    }
  }

  private arrayBlock(a: SdnValue[], pad: string, path: string, depth: number): void {
    guardDepth(depth, path);
    a.forEach((item, i) => {
      const at = `${path}[${i}]`;
      if (isSdnTable(item)) throw new SdnSerializeError('a table can only be the value of a dict entry', at);
      if ((item instanceof Map || Array.isArray(item)) && this.holdsTable(item, at, depth + 1)) {
        this.lines.push(`${pad}-`);
        if (item instanceof Map) this.dictBody(item, pad + INDENT, at, depth + 1);
        else this.arrayBlock(item, pad + INDENT, at, depth + 1);
      } else {
        this.lines.push(`${pad}- ${this.inline(item, at, depth + 1)}`);
      }
    });
  }

  private table(key: string, t: SdnTable, pad: string, path: string, depth: number): void {
    const width = checkTableShape(t, path);
    const cols = t.fields.map(formatSdnKey);
    if (t.types === undefined) this.lines.push(`${pad}${key} |${cols.join(', ')}|`);
    else {
      const types = t.types.map((ty, i) => (cols.length === 0 ? ty : `${cols[i]}: ${ty}`));
      this.lines.push(`${pad}${key}: table{${types.join(', ')}}`);
    }
    t.rows.forEach((row, r) => {
      const at = `${path}.rows[${r}]`;
      if (!Array.isArray(row) || row.length !== width) {
        throw new SdnSerializeError(`every row needs exactly ${width} cells`, at);
      }
      const cells = row.map((cell, c) => this.inline(cell, `${at}[${c}]`, depth + 1));
      this.lines.push(`${pad}${INDENT}${cells.join(', ')}`);
    });
  }

  inline(v: SdnValue, path: string, depth: number): string {
    if (v instanceof Map) {
      guardDepth(depth, path);
      const parts: string[] = [];
      for (const [k, x] of v) parts.push(`${formatSdnKey(k)}: ${this.inline(x, `${path}.${k}`, depth + 1)}`);
      return `{${parts.join(', ')}}`;
    }
    if (Array.isArray(v)) {
      guardDepth(depth, path);
      return `[${v.map((x, i) => this.inline(x, `${path}[${i}]`, depth + 1)).join(', ')}]`;
    }
    if (isSdnTable(v)) throw new SdnSerializeError('a table can only be the value of a dict entry', path);
    return scalar(v, path);
  }

  /** Memoised so that deciding the layout of each level does not rescan everything below it. */
  private holdsTable(v: SdnValue[] | SdnDict, path: string, depth: number): boolean {
    guardDepth(depth, path);
    const known = this.tableInside.get(v);
    if (known !== undefined) return known;
    const items = v instanceof Map ? [...v.values()] : v;
    const found = items.some(
      (x) => isSdnTable(x) || ((x instanceof Map || Array.isArray(x)) && this.holdsTable(x, path, depth + 1)),
    );
    this.tableInside.set(v, found);
    return found;
  }
}

/** Deep or cyclic values would otherwise overflow the stack. */
function guardDepth(depth: number, path: string): void {
  if (depth > HARD_MAX_DEPTH) {
    throw new SdnSerializeError(`nested deeper than ${HARD_MAX_DEPTH} levels (or cyclic)`, path);
  }
}

function checkTableShape(t: SdnTable, path: string): number {
  if (!Array.isArray(t.fields) || !t.fields.every((f) => typeof f === 'string') || !Array.isArray(t.rows)) {
    throw new SdnSerializeError('not an SDN value (a table needs fields: string[] and rows: SdnValue[][])', path);
  }
  if (new Set(t.fields).size !== t.fields.length) throw new SdnSerializeError('duplicate column name', path);
  if (t.types === undefined) {
    if (t.fields.length === 0) throw new SdnSerializeError('a table needs at least one column', path);
    return t.fields.length;
  }
  if (!Array.isArray(t.types) || t.types.length === 0) {
    throw new SdnSerializeError('a typed table needs at least one column type', path);
  }
  const bad = t.types.find((ty) => typeof ty !== 'string' || !isValidTypeText(ty));
  if (bad !== undefined) throw new SdnSerializeError(`invalid column type ${JSON.stringify(bad)}`, path);
  if (t.fields.length !== 0 && t.fields.length !== t.types.length) {
    throw new SdnSerializeError('a typed table names every column or none', path);
  }
  return t.types.length;
}

function scalar(v: SdnValue, path: string): string {
  switch (typeof v) {
    case 'string':
      return formatSdnString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v, path);
    case 'bigint':
      if (v < I64_MIN || v > I64_MAX) throw new SdnSerializeError('integer outside the i64 range', path);
      return v.toString();
    default:
      if (v === null) return 'null';
      throw new SdnSerializeError(`not an SDN value (${typeof v})`, path);
  }
}

/**
 * Safe integers print as integers; every other number prints with a `.` or exponent so it is
 * read back as a float, never as an integer or a bigint.
 */
function formatNumber(n: number, path: string): string {
  if (!Number.isFinite(n)) throw new SdnSerializeError(`${n} has no SDN spelling`, path);
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  if (Number.isSafeInteger(n) || /[.e]/.test(s)) return s;
  return `${s}.0`;
}
