import { createRequire } from 'node:module';
import { xxh64Js } from './xxh64.js';

const HASH_FIELD_SIZE = 8;
const ZERO_HASH_FIELD = new Uint8Array(HASH_FIELD_SIZE);

/**
 * A process's first few small inputs are hashed in JavaScript, sparing a small program the
 * native hasher's load (more than hashing a few KiB here costs); past this many bytes in all —
 * a program of many modules, a link — the native one is loaded and used from then on.
 */
const JS_HASH_BUDGET = 8 * 1024;
let jsHashed = 0;
let native: typeof import('@node-rs/xxhash') | undefined;
const nativeHasher = (): typeof import('@node-rs/xxhash') => (native ??= createRequire(import.meta.url)('@node-rs/xxhash') as typeof import('@node-rs/xxhash'));

/** xxh64 (seed 0) of `bytes`. */
export function xxh64Of(bytes: Uint8Array): bigint {
  if (native === undefined && jsHashed + bytes.length <= JS_HASH_BUDGET) {
    jsHashed += bytes.length;
    return xxh64Js(bytes);
  }
  return nativeHasher().xxh64(bytes, 0n);
}

/**
 * Files up to this size are hashed in one call over a copy with the hash field zeroed: a copy
 * of a few KiB costs far less than the three native calls and the hasher object streaming takes.
 */
const ONE_SHOT_LIMIT = 256 * 1024;
let scratch = new Uint8Array(16 * 1024);

/**
 * xxh64 (seed 0) of the SMF bytes after the stub, with the 8 bytes of `module_hash` taken as
 * zero. The stub is left out so that swapping the launcher line does not change a module's identity.
 */
export function computeModuleHash(bytes: Uint8Array, dataStart: number, hashFieldAt: number): bigint {
  const length = bytes.length - dataStart;
  if (length <= ONE_SHOT_LIMIT) {
    if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
    scratch.set(bytes.subarray(dataStart));
    scratch.fill(0, hashFieldAt - dataStart, hashFieldAt - dataStart + HASH_FIELD_SIZE);
    return xxh64Of(scratch.subarray(0, length));
  }
  // Larger files are streamed in three pieces so that neither the file nor the field is copied.
  const h = new (nativeHasher().Xxh64)(0n);
  h.update(bytes.subarray(dataStart, hashFieldAt));
  h.update(ZERO_HASH_FIELD);
  h.update(bytes.subarray(hashFieldAt + HASH_FIELD_SIZE));
  return h.digest();
}
