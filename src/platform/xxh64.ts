/**
 * xxh64 as a tiny WebAssembly module, compiled synchronously on first use: the hasher of the
 * SMF module hash in the browser, and in Node for every one-shot hash (the native addon is kept
 * for streaming large files). Written here by hand because no library offers a synchronous one:
 * the WebAssembly ports on npm instantiate asynchronously, which a synchronous `load` cannot wait
 * for, and the native addon costs ~10 ms to load — more than hashing a thousand small modules —
 * while BigInt arithmetic in JavaScript costs ~100 µs for a 2.5 KB module. Here a module of a
 * few hundred bytes compiles in well under a millisecond and hashes at memory speed.
 *
 * The module is assembled in xxh64-assembly.ts from xxHash64's specification and kept here as
 * bytes (xxh64-module.ts); test/smf/xxh64.test.ts checks it against the native implementation.
 */
import { XXH64_MODULE } from './xxh64-module.js';

interface HasherExports {
  readonly memory: WebAssembly.Memory;
  readonly hash: (len: number, seed: bigint) => bigint;
  readonly verify: (len: number, field: number) => number;
}
let hasher: HasherExports | undefined;
/** A view of the hasher's memory, made again only when the memory grows. */
let input = new Uint8Array(0);

/** The hasher, with `bytes` copied to the start of its memory. */
function hasherWith(bytes: Uint8Array): HasherExports {
  const h = (hasher ??= new WebAssembly.Instance(new WebAssembly.Module(XXH64_MODULE)).exports as unknown as HasherExports);
  if (input.length < bytes.length) {
    const short = bytes.length - h.memory.buffer.byteLength;
    if (short > 0) h.memory.grow(Math.ceil(short / 65536));
    input = new Uint8Array(h.memory.buffer);
  }
  input.set(bytes);
  return h;
}

/** xxh64 of `bytes` with `seed` (taken modulo 2^64). */
export function xxh64(bytes: Uint8Array, seed = 0n): bigint {
  return BigInt.asUintN(64, hasherWith(bytes).hash(bytes.length, BigInt.asIntN(64, seed)));
}

/**
 * Whether the 8 bytes at `field` in `bytes` (little-endian) are the xxh64 (seed 0) of `bytes`
 * with those 8 bytes taken as zero. One copy into the hasher, and no BigInt: what opening a
 * module costs for its hash (src/smf/hash.ts).
 */
export function xxh64MatchesField(bytes: Uint8Array, field: number): boolean {
  return hasherWith(bytes).verify(bytes.length, field) === 1;
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
