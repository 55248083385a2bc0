// The WebAssembly xxh64 that hashes modules (src/platform/xxh64.ts) agrees with the native one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xxh64 } from '@node-rs/xxhash';
import { xxh64 as xxh64Js } from '../../src/platform/xxh64.js';
import { hasherModule } from '../../src/platform/xxh64-assembly.js';
import { XXH64_MODULE } from '../../src/platform/xxh64-module.js';

describe('xxh64 in WebAssembly', () => {
  it('ships the bytes its assembler makes (after changing xxh64-assembly.ts: npm run build && node scripts/gen-xxh64.mjs)', () => {
    expect(Array.from(XXH64_MODULE)).toEqual(Array.from(hasherModule()));
    expect(WebAssembly.validate(XXH64_MODULE)).toBe(true);
  });

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

  it('grows its memory for inputs larger than it has held, and still hashes small ones after', () => {
    for (const n of [65_535, 65_536, 65_537, 300_001]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
      expect(xxh64Js(bytes, 7n)).toBe(xxh64(bytes, 7n));
    }
    expect(xxh64Js(new Uint8Array([1, 2, 3]))).toBe(xxh64(new Uint8Array([1, 2, 3]), 0n));
  });
});
