import { xxh64 } from '@node-rs/xxhash';
import { describe, expect, it } from 'vitest';
import { computeModuleHash } from '../../src/smf/index.js';

/** The definition: xxh64 of the bytes after the stub with the 8-byte hash field zeroed. */
function reference(bytes: Uint8Array, dataStart: number, hashFieldAt: number): bigint {
  const copy = bytes.slice(dataStart);
  copy.fill(0, hashFieldAt - dataStart, hashFieldAt - dataStart + 8);
  return xxh64(copy, 0n);
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('computeModuleHash', () => {
  // Small files are hashed over a zeroed copy, large ones streamed: both must agree with the definition.
  for (const size of [200, 5000, 40_000, 300_000, 1_000_000]) {
    it(`matches the definition for a ${size}-byte file, with and without a stub`, () => {
      const bytes = randomBytes(size, size);
      const original = bytes.slice();
      expect(computeModuleHash(bytes, 0, size - 128 + 40)).toBe(reference(bytes, 0, size - 128 + 40));
      expect(computeModuleHash(bytes, 64, size - 128 + 40)).toBe(reference(bytes, 64, size - 128 + 40));
      expect(bytes).toEqual(original);
    });
  }

  it('does not depend on the stored hash or on a previous, larger call', () => {
    const big = randomBytes(100_000, 7);
    computeModuleHash(big, 0, 50_000);
    const small = randomBytes(1000, 9);
    const h = computeModuleHash(small, 0, 900);
    small.fill(0xab, 900, 908);
    expect(computeModuleHash(small, 0, 900)).toBe(h);
    small[10] ^= 1;
    expect(computeModuleHash(small, 0, 900)).not.toBe(h);
  });
});
