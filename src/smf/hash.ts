import { natives } from '../platform/index.js';
import { xxh64MatchesField } from '../platform/xxh64.js';

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
    return natives.xxh64(scratch.subarray(0, length), 0n);
  }
  // Larger files are streamed in three pieces so that neither the file nor the field is copied.
  const h = natives.newXxh64(0n);
  h.update(bytes.subarray(dataStart, hashFieldAt));
  h.update(ZERO_HASH_FIELD);
  h.update(bytes.subarray(hashFieldAt + HASH_FIELD_SIZE));
  return h.digest();
}

/**
 * Whether the `module_hash` stored at `hashFieldAt` is the hash of the file (`computeModuleHash`
 * compared with it): for a small file, checked inside the WebAssembly hasher with one copy and
 * no BigInt — a cost every module pays when it is opened.
 */
export function moduleHashMatches(bytes: Uint8Array, dataStart: number, hashFieldAt: number): boolean {
  if (bytes.length - dataStart <= ONE_SHOT_LIMIT) return xxh64MatchesField(bytes.subarray(dataStart), hashFieldAt - dataStart);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return computeModuleHash(bytes, dataStart, hashFieldAt) === view.getBigUint64(hashFieldAt, true);
}
