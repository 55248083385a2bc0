/**
 * The `jit_cache` section (src/loader/jit-code-cache.ts): its encoding read back, every refusal
 * at its exact edge with the byte it names, and what an instance's fingerprint depends on.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { decodeJitCache, encodeJitCache, instanceFingerprint, JitCacheError } from '../../src/loader/jit-code-cache.js';
import type { CachedInstance } from '../../src/loader/jit-code-cache.js';
import { parseType } from '../../src/types/index.js';
import { thrown } from '../thrown.js';
import { workspace } from './fixtures.js';

const entry = (symbol: string, code: number[], dataSize = 0, fingerprint = 0x0102030405060708n): CachedInstance => ({ symbol, fingerprint, dataSize, wasm: Uint8Array.from(code) });

function refusal(bytes: Uint8Array): { offset: number; message: string } {
  const e = thrown(() => decodeJitCache(bytes, 'm.smf'), JitCacheError);
  expect(e.code).toBe('JIT_CACHE_INVALID');
  expect(e.file).toBe('m.smf');
  return { offset: e.offset, message: e.message };
}

describe('jit_cache encoding', () => {
  it('reads back what it wrote, from within a larger buffer too', () => {
    const entries = [entry('pick$i64', [1, 2, 3], 2, 2n ** 64n - 1n), entry('é$f64', [], 0, 5n)];
    const bytes = encodeJitCache(entries);
    expect(bytes.length).toBe(10 + (4 + 8 + 16 + 3) + (4 + 6 + 16));
    expect([...bytes.subarray(0, 10)]).toEqual([0x4a, 0x49, 0x54, 0x43, 1, 0, 2, 0, 0, 0]);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    for (const b of [bytes, padded.subarray(5, 5 + bytes.length)]) {
      const back = decodeJitCache(b, 'm.smf');
      expect([...back.keys()]).toEqual(['pick$i64', 'é$f64']);
      expect(back.get('pick$i64')).toEqual({ symbol: 'pick$i64', fingerprint: 2n ** 64n - 1n, dataSize: 2, wasm: Uint8Array.from([1, 2, 3]) });
      expect(back.get('é$f64')).toEqual({ symbol: 'é$f64', fingerprint: 5n, dataSize: 0, wasm: new Uint8Array() });
    }
    expect(decodeJitCache(encodeJitCache([]), 'm.smf').size).toBe(0);
  });

  it('refuses a bad header: too short, wrong magic, another version', () => {
    const empty = encodeJitCache([]);
    expect(refusal(empty.subarray(0, 9))).toEqual({ offset: 0, message: 'm.smf: jit_cache at byte 0: bad magic' });
    const magic = empty.slice();
    magic[3] = 0x44;
    expect(refusal(magic).message).toBe('m.smf: jit_cache at byte 0: bad magic');
    const version = empty.slice();
    version[4] = 2;
    expect(refusal(version)).toEqual({ offset: 4, message: 'm.smf: jit_cache at byte 4: unsupported version' });
    version[4] = 1;
    version[5] = 1;
    expect(refusal(version).offset).toBe(4);
  });

  it('refuses an entry cut short at each field, and takes one that ends the section exactly', () => {
    const one = encodeJitCache([entry('f', [9, 9], 2)]);
    expect(one.length).toBe(10 + 4 + 1 + 16 + 2);
    expect(decodeJitCache(one, 'm.smf').get('f')?.dataSize).toBe(2);
    // Claims more entries than it has: the length field of the second one is missing.
    const more = one.slice();
    more[6] = 2;
    expect(refusal(more)).toEqual({ offset: 33, message: 'm.smf: jit_cache at byte 33: truncated' });
    const three = new Uint8Array([...one, 0, 0, 0]);
    three[6] = 2;
    expect(refusal(three).message).toBe('m.smf: jit_cache at byte 33: truncated');
    // Length field there, but the fixed fields of the entry are not.
    const four = new Uint8Array([...one, 0, 0, 0, 0, ...new Array(15).fill(0)]);
    four[6] = 2;
    expect(refusal(four)).toEqual({ offset: 33, message: 'm.smf: jit_cache at byte 33: entry runs past the section' });
    const sixteen = new Uint8Array([...one, 0, 0, 0, 0, ...new Array(16).fill(0)]);
    sixteen[6] = 2;
    expect(decodeJitCache(sixteen, 'm.smf').get('')).toEqual({ symbol: '', fingerprint: 0n, dataSize: 0, wasm: new Uint8Array() });
    // The code is one byte short.
    expect(refusal(one.subarray(0, one.length - 1))).toEqual({ offset: 15, message: 'm.smf: jit_cache at byte 15: code runs past the section' });
  });

  it('refuses a symbol that is not UTF-8, and static data larger than the code', () => {
    const bad = encodeJitCache([entry('ab', [])]);
    bad[15] = 0xff;
    expect(refusal(bad)).toEqual({ offset: 14, message: 'm.smf: jit_cache at byte 14: symbol is not UTF-8' });
    const big = encodeJitCache([entry('f', [1, 2], 2)]);
    expect(decodeJitCache(big, 'm.smf').get('f')?.dataSize).toBe(2);
    big[15 + 8] = 3;
    expect(refusal(big)).toEqual({ offset: 23, message: "m.smf: jit_cache at byte 23: data size 3 exceeds the entry's 2 bytes of code" });
  });
});

describe('instanceFingerprint', () => {
  function fingerprint(source: string, symbol: string, args: string[]): bigint {
    const dir = workspace({ 'g.spl': source });
    const session = new CompileSession();
    session.compileFiles([join(dir, 'g.spl')]);
    return instanceFingerprint(session.env, session.env.fn(symbol)!, args.map((a) => parseType(a)));
  }
  const TEMPLATE = 'struct Box:\n    v: i64\n\nfn first<T>(a: T, b: T) -> T:\n    a\n';

  it('depends on the template, its type arguments and the structs they reach, not on positions', () => {
    const base = fingerprint(TEMPLATE, 'first', ['Box']);
    expect(fingerprint('\n\n' + TEMPLATE, 'first', ['Box'])).toBe(base);
    expect(fingerprint(TEMPLATE, 'first', ['i64'])).not.toBe(base);
    expect(fingerprint(TEMPLATE.replace('v: i64', 'v: f64'), 'first', ['Box'])).not.toBe(base);
    expect(fingerprint(TEMPLATE.replace('v: i64', 'w: i64'), 'first', ['Box'])).not.toBe(base);
    expect(fingerprint(TEMPLATE.replace('    a\n', '    b\n'), 'first', ['Box'])).not.toBe(base);
    expect(fingerprint(TEMPLATE.replace('-> T:', '-> T:\n    val x = 1'), 'first', ['Box'])).not.toBe(base);
  });

  it('follows a struct through the fields of another', () => {
    const src = (t: string) => `struct In:\n    v: ${t}\n\nstruct Out:\n    inner: In\n\nfn first<T>(a: T, b: T) -> T:\n    a\n`;
    expect(fingerprint(src('i64'), 'first', ['Out'])).not.toBe(fingerprint(src('f64'), 'first', ['Out']));
    expect(fingerprint(src('i64'), 'first', ['[Out]'])).not.toBe(fingerprint(src('f64'), 'first', ['[Out]']));
  });
});
