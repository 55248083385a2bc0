import type { LineCursor } from './cursor.js';
import { SdnLimitError } from './errors.js';
import type { SdnLimits } from './limits.js';
import { utf8Length } from './limits.js';
import type { SdnPositions } from './positions.js';
import type { SdnDict } from './value.js';

/** State shared by all scanners during one parse: the limits and what has been spent of them. */
export class ParseContext {
  private values = 0;

  constructor(
    readonly limits: SdnLimits,
    readonly positions: SdnPositions | undefined,
  ) {}

  /** Called once per value created, before its children are read. */
  countValue(cur: LineCursor, pos: number): void {
    this.values++;
    if (this.values > this.limits.maxValues) {
      throw new SdnLimitError('maxValues', this.limits.maxValues, 'too many values', cur.where(pos));
    }
  }

  /** Called before descending into a container at `depth`, so recursion is bounded up front. */
  enter(depth: number, cur: LineCursor, pos: number): void {
    if (depth > this.limits.maxDepth) {
      throw new SdnLimitError('maxDepth', this.limits.maxDepth, 'nesting too deep', cur.where(pos));
    }
  }

  checkString(s: string, cur: LineCursor, pos: number): void {
    // Each code unit is at least one UTF-8 byte, so short strings skip the exact count.
    if (s.length * 3 <= this.limits.maxStringBytes) return;
    if (utf8Length(s) > this.limits.maxStringBytes) {
      throw new SdnLimitError('maxStringBytes', this.limits.maxStringBytes, 'string too long', cur.where(pos));
    }
  }

  recordKey(dict: SdnDict, key: string, cur: LineCursor, pos: number): void {
    this.positions?.recordKey(dict, key, { line: cur.line, column: pos + 1 });
  }

  recordAt(node: object, cur: LineCursor, pos: number): void {
    this.positions?.record(node, { line: cur.line, column: pos + 1 });
  }
}
