import { createRequire } from 'node:module';
import { xxh64Js } from './xxh64.js';

/** Inputs up to this size are hashed in JavaScript, sparing small programs the native hasher's load. */
const JS_HASH_LIMIT = 4 * 1024;
let native: typeof import('@node-rs/xxhash') | undefined;
const nativeHasher = (): typeof import('@node-rs/xxhash') => (native ??= createRequire(import.meta.url)('@node-rs/xxhash') as typeof import('@node-rs/xxhash'));

/** xxh64 (seed 0) of `bytes`: in JavaScript when small, else by the native hasher. */
export function xxh64Of(bytes: Uint8Array): bigint {
  return bytes.length <= JS_HASH_LIMIT ? xxh64Js(bytes) : nativeHasher().xxh64(bytes, 0n);
}

const HASH_FIELD_SIZE = 8;
const ZERO_HASH_FIELD = new Uint8Array(HASH_FIELD_SIZE);
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
