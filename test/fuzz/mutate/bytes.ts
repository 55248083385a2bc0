import { computeModuleHash } from '../../../src/smf/hash.js';
import type { Rand } from '../rand.js';

/** Values that sit on the edges of sizes, counts and offsets. */
const INTERESTING = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0xffffffffffffffffn];

/**
 * Byte-level damage: flips, byte and word overwrites with edge values, truncation, extension,
 * copied runs. `focus` (an offset range) gets most of the damage when given.
 */
export function mutateBytes(input: Uint8Array, r: Rand, focus?: { start: number; end: number }): Uint8Array {
  let out = input.slice();
  const steps = 1 + r.int(4);
  for (let i = 0; i < steps && out.length > 0; i++) {
    const lo = focus && r.chance(0.8) ? Math.min(focus.start, out.length - 1) : 0;
    const hi = focus && lo === focus.start ? Math.min(focus.end, out.length) : out.length;
    const at = lo + r.int(Math.max(1, hi - lo));
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    switch (r.int(7)) {
      case 0:
        out[at] ^= 1 << r.int(8);
        break;
      case 1:
        out[at] = r.int(256);
        break;
      case 2:
        if (at + 4 <= out.length) v.setUint32(at, Number(r.pick(INTERESTING) & 0xffffffffn), true);
        break;
      case 3:
        if (at + 8 <= out.length) v.setBigUint64(at, r.pick(INTERESTING), true);
        break;
      case 4:
        out = out.slice(0, at);
        break;
      case 5: {
        const extra = new Uint8Array(1 + r.int(64)).map(() => r.int(256));
        const grown = new Uint8Array(out.length + extra.length);
        grown.set(out.subarray(0, at));
        grown.set(extra, at);
        grown.set(out.subarray(at), at + extra.length);
        out = grown;
        break;
      }
      default: {
        const from = r.int(out.length);
        const len = Math.min(1 + r.int(32), out.length - from, out.length - at);
        out.copyWithin(at, from, from + len);
      }
    }
  }
  return out;
}

const HEADER_SIZE = 128;
const MAGIC = [0x53, 0x4d, 0x46, 0x00];

/**
 * Sets `module_hash` of a trailer-header file to the hash of its (damaged) bytes, so the damage
 * gets past the integrity check to the parsers behind it. Files whose header no longer says
 * where the data starts are left as they are.
 */
export function rehash(bytes: Uint8Array): Uint8Array {
  if (bytes.length < HEADER_SIZE) return bytes;
  const h = bytes.length - HEADER_SIZE;
  if (!MAGIC.every((b, i) => bytes[h + i] === b)) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataStart = view.getUint32(h + 56, true);
  if (dataStart > h) return bytes;
  view.setBigUint64(h + 60, computeModuleHash(bytes, dataStart, h + 60), true);
  return bytes;
}
