import type { SdnDict, SdnValue } from './value.js';

/** 1-based line and column of a construct in the parsed text. */
export interface SdnPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Source positions of parsed containers, kept beside the value model so values stay plain data.
 * Schema checks built on top of SDN (note.sdn) use it to report the line of a bad row or cell.
 */
export class SdnPositions {
  private readonly nodes = new WeakMap<object, SdnPosition>();
  private readonly rowCells = new WeakMap<SdnValue[], SdnPosition[]>();
  private readonly keys = new WeakMap<SdnDict, Map<string, SdnPosition>>();

  /** Where a dict, array, table (its name) or table row starts. */
  of(node: object): SdnPosition | undefined {
    return this.nodes.get(node);
  }

  /** Where cell `index` of a table row starts. */
  cellOf(row: SdnValue[], index: number): SdnPosition | undefined {
    return this.rowCells.get(row)?.[index];
  }

  /** Where the key of entry `key` of `dict` starts. */
  keyOf(dict: SdnDict, key: string): SdnPosition | undefined {
    return this.keys.get(dict)?.get(key);
  }

  record(node: object, at: SdnPosition): void {
    this.nodes.set(node, at);
  }

  recordCells(row: SdnValue[], cells: SdnPosition[]): void {
    this.rowCells.set(row, cells);
  }

  recordKey(dict: SdnDict, key: string, at: SdnPosition): void {
    let m = this.keys.get(dict);
    if (m === undefined) this.keys.set(dict, (m = new Map()));
    m.set(key, at);
  }
}
