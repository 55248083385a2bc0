import { Xxh64 } from '@node-rs/xxhash';

const ZERO_HASH_FIELD = new Uint8Array(8);

/**
 * xxh64 (seed 0) of the SMF bytes after the stub, with the 8 bytes of `module_hash` taken as
 * zero. Streamed in three pieces so that neither the file nor the hash field is copied.
 * The stub is left out so that swapping the launcher line does not change a module's identity.
 */
export function computeModuleHash(bytes: Uint8Array, dataStart: number, hashFieldAt: number): bigint {
  const h = new Xxh64(0n);
  h.update(bytes.subarray(dataStart, hashFieldAt));
  h.update(ZERO_HASH_FIELD);
  h.update(bytes.subarray(hashFieldAt + ZERO_HASH_FIELD.length));
  return h.digest();
}
