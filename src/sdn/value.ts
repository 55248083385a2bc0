/**
 * The SDN value model.
 *
 * Numbers: an integer literal becomes a `number` when it is a safe integer (|n| ≤ 2^53 − 1) and
 * a `bigint` otherwise; literals outside the i64 range are rejected. Float literals are always
 * `number`. So a document only holds a `bigint` when a `number` would have lost precision, and
 * consumers can treat ordinary counts and ids as plain numbers.
 *
 * Dicts are `Map`s: they keep insertion order, and keys such as `__proto__` or `constructor`
 * are just data, never prototype lookups.
 *
 * Tables are only statement values (`name |a, b|` …, `name: table{…}`), as in the SDN grammar:
 * they may be entries of a dict but not elements of an array or cells of another table.
 */
export type SdnScalar = null | boolean | number | bigint | string;
export type SdnValue = SdnScalar | SdnValue[] | SdnDict | SdnTable;
export type SdnDict = Map<string, SdnValue>;

/**
 * `fields` are the column names (empty for a typed table written with bare types such as
 * `table{i32, text}`); `types` is present exactly for typed tables. Every row has one cell per
 * column, where the column count is `types.length` for typed tables and `fields.length` otherwise.
 */
export interface SdnTable {
  fields: string[];
  types?: string[];
  rows: SdnValue[][];
}

export function isSdnDict(v: SdnValue): v is SdnDict {
  return v instanceof Map;
}

export function isSdnTable(v: SdnValue): v is SdnTable {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !Array.isArray(v);
}

/** The number of cells each row of `t` must have. */
export function tableWidth(t: SdnTable): number {
  return t.types !== undefined ? t.types.length : t.fields.length;
}
