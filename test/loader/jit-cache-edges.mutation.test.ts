/**
 * The `jit_cache` section (src/loader/jit-code-cache.ts) at two more edges: an entry whose length
 * field ends the section exactly, a symbol length that runs past it; and a fingerprint that tells
 * type arguments apart when no struct is involved.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { decodeJitCache, encodeJitCache, instanceFingerprint, JitCacheError } from '../../src/loader/jit-code-cache.js';
import { parseType } from '../../src/types/index.js';
import { thrown } from '../thrown.js';
import { workspace } from './fixtures.js';

/** One entry `f` (2 bytes of code) and then `extra`, the header claiming two entries. */
function withSecond(extra: number[]): Uint8Array {
  const one = encodeJitCache([{ symbol: 'f', fingerprint: 1n, dataSize: 0, wasm: Uint8Array.from([9, 9]) }]);
  const bytes = new Uint8Array([...one, ...extra]);
  bytes[6] = 2;
  return bytes;
}

describe('jit_cache decoding', () => {
  it('refuses a second entry with only its length field as running past the section, not as truncated', () => {
    const e = thrown(() => decodeJitCache(withSecond([0, 0, 0, 0]), 'm.smf'), JitCacheError);
    expect(e.message).toBe('m.smf: jit_cache at byte 33: entry runs past the section');
  });

  it('refuses a symbol longer than what is left of the section', () => {
    // A 5-byte symbol and 15 of the 16 bytes of fixed fields after it.
    const e = thrown(() => decodeJitCache(withSecond([5, 0, 0, 0, ...new Array(20).fill(0x61)]), 'm.smf'), JitCacheError);
    expect(e.message).toBe('m.smf: jit_cache at byte 33: entry runs past the section');
  });
});

describe('instanceFingerprint', () => {
  it('differs for type arguments that reach no struct', () => {
    const dir = workspace({ 'g.spl': 'fn first<T>(a: T, b: T) -> T:\n    a\n' });
    const session = new CompileSession();
    session.compileFiles([join(dir, 'g.spl')]);
    const fn = session.env.fn('first')!;
    const of = (t: string): bigint => instanceFingerprint(session.env, fn, [parseType(t)]);
    expect(of('i64')).toBe(of('i64'));
    expect(of('i64')).not.toBe(of('f64'));
    expect(of('[i64]')).not.toBe(of('[f64]'));
  });
});
