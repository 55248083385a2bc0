/**
 * Custom sections added to a finished module: appended at its end, so every offset in the module
 * before them stays as it was (what the line table, which records code offsets, relies on).
 */
import { ByteWriter, nameSize, u32lebSize } from './bytes.js';

const CODE_SECTION_ID = 10;

/** The module offset of the code section's payload (its function count), or -1 without one. */
export function codePayloadStart(module: Uint8Array): number {
  let at = 8;
  while (at < module.length) {
    const id = module[at++];
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = module[at++];
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (id === CODE_SECTION_ID) return at;
    at += size;
  }
  return -1;
}

/** `module` with a custom section `name` holding `payload` appended (a new array). */
export function appendCustomSection(module: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const inner = nameSize(name) + payload.length;
  const w = new ByteWriter(module.length + 1 + u32lebSize(inner) + inner);
  w.bytes(module).u8(0).u32leb(inner).name(name).bytes(payload);
  return w.finish();
}
