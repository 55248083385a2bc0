/**
 * A unit's static data: text literals and the function names that trap messages show, laid
 * out as text objects (`[len: u32][UTF-8]`, 8-aligned). The loader places the block where it
 * likes (8-aligned) and passes its address as the unit's `__memory_base`.
 *
 * Each text is preceded by a block header flagged Static (docs/memory.md), so a pointer to a
 * literal looks to the collector like a pointer to a static block: never followed, never freed,
 * recognised from the 8 bytes before it as every heap pointer is.
 */
import { BlockFlag } from '../runtime-abi.js';

const utf8 = new TextEncoder();
const HEADER = 8;

export class StaticData {
  private bytes = new Uint8Array(64);
  private size = 0;
  private readonly texts = new Map<string, number>();

  /** The offset of a text object holding `s`, deduplicated. */
  text(s: string): number {
    let offset = this.texts.get(s);
    if (offset !== undefined) return offset;
    const body = utf8.encode(s);
    offset = ((this.size + 7) & ~7) + HEADER;
    this.reserve(offset + 4 + body.length);
    const view = new DataView(this.bytes.buffer);
    view.setUint32(offset - HEADER, BlockFlag.Static, true);
    view.setUint32(offset - 4, 0, true);
    view.setUint32(offset, body.length, true);
    this.bytes.set(body, offset + 4);
    this.size = offset + 4 + body.length;
    this.texts.set(s, offset);
    return offset;
  }

  private reserve(n: number): void {
    if (n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(n, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.size));
    this.bytes = next;
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.size);
  }
}
