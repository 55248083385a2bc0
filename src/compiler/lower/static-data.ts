/**
 * A unit's static data: text literals and the function names that trap messages show, laid
 * out as text objects (`[len: u32][UTF-8]`, 4-aligned). The loader places the block where it
 * likes and passes its address as the unit's `__memory_base`.
 */
const utf8 = new TextEncoder();

export class StaticData {
  private bytes = new Uint8Array(64);
  private size = 0;
  private readonly texts = new Map<string, number>();

  /** The offset of a text object holding `s`, deduplicated. */
  text(s: string): number {
    let offset = this.texts.get(s);
    if (offset !== undefined) return offset;
    const body = utf8.encode(s);
    offset = (this.size + 3) & ~3;
    this.reserve(offset + 4 + body.length);
    new DataView(this.bytes.buffer).setUint32(offset, body.length, true);
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
