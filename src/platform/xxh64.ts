/**
 * xxh64 in plain JavaScript (BigInt arithmetic): the browser build's only hasher, and in Node the
 * one for a process's first few KiB — loading the native hasher costs more than hashing that
 * here (node.ts). Same results as the reference algorithm; slower on large inputs.
 */
const M = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M;

function round(acc: bigint, input: bigint): bigint {
  return mul(rotl((acc + mul(input, P2)) & M, 31n), P1);
}

function merge(acc: bigint, val: bigint): bigint {
  return (mul(acc ^ round(0n, val), P1) + P4) & M;
}

export function xxh64(bytes: Uint8Array, seed = 0n): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  const u64 = (at: number): bigint => view.getBigUint64(at, true);
  let at = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M;
    let v2 = (seed + P2) & M;
    let v3 = seed & M;
    let v4 = (seed - P1) & M;
    for (; at + 32 <= len; at += 32) {
      v1 = round(v1, u64(at));
      v2 = round(v2, u64(at + 8));
      v3 = round(v3, u64(at + 16));
      v4 = round(v4, u64(at + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = (seed + P5) & M;
  }
  h = (h + BigInt(len)) & M;
  for (; at + 8 <= len; at += 8) h = (mul(rotl(h ^ round(0n, u64(at)), 27n), P1) + P4) & M;
  if (at + 4 <= len) {
    h = (mul(rotl(h ^ mul(BigInt(view.getUint32(at, true)), P1), 23n), P2) + P3) & M;
    at += 4;
  }
  for (; at < len; at++) h = mul(rotl(h ^ mul(BigInt(bytes[at]), P5), 11n), P1);
  h = mul(h ^ (h >> 33n), P2);
  h = mul(h ^ (h >> 29n), P3);
  return h ^ (h >> 32n);
}

/** The streaming form: the pieces are kept and hashed as one at `digest`. */
export class Xxh64Stream {
  private readonly parts: Uint8Array[] = [];

  constructor(private readonly seed = 0n) {}

  update(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
  }

  digest(): bigint {
    let size = 0;
    for (const p of this.parts) size += p.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    return xxh64(all, this.seed);
  }
}
