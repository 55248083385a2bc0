// The JavaScript xxh64 that hashes small modules (src/platform/xxh64.ts) agrees with the native one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xxh64 } from '@node-rs/xxhash';
import { xxh64 as xxh64Js } from '../../src/platform/xxh64.js';

describe('xxh64Js', () => {
  it('equals @node-rs/xxhash for any bytes and seed, across the 32-byte stripe and tail lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (bytes, seed) => {
        expect(xxh64Js(bytes, seed)).toBe(xxh64(bytes, seed));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes a view into a larger buffer by the view alone', () => {
    const all = new Uint8Array(100).map((_, i) => i * 7);
    const view = all.subarray(13, 77);
    expect(xxh64Js(view)).toBe(xxh64(Uint8Array.from(view), 0n));
  });
});
