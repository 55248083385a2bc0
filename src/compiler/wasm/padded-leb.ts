/**
 * Fixed-width (5-byte) LEB128 fields written in place: the form a relocatable unit leaves for a
 * value the linker patches later (function indices, type indices, data offsets), so that a patch
 * never moves the bytes after it.
 */

/** Writes `value` as a 5-byte unsigned LEB at `offset` (the form the linker patches). */
export function writePaddedU32(buf: Uint8Array, offset: number, value: number): void {
  for (let i = 0; i < 4; i++) buf[offset + i] = ((value >>> (7 * i)) & 0x7f) | 0x80;
  buf[offset + 4] = (value >>> 28) & 0x0f;
}

/** Writes `value` as a 5-byte signed LEB at `offset`. */
export function writePaddedS32(buf: Uint8Array, offset: number, value: number): void {
  for (let i = 0; i < 4; i++) buf[offset + i] = ((value >> (7 * i)) & 0x7f) | 0x80;
  buf[offset + 4] = (value >> 28) & 0x7f;
}
