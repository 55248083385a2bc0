/**
 * A unit's static data (src/compiler/lower/static-data.ts): each text literal is a text object
 * `[len: u32][UTF-8]` behind an 8-byte block header flagged Static, starting 8-aligned, each
 * distinct text once. Checked byte for byte, and through a compiled unit's `dataSize`.
 */
import { describe, expect, it } from 'vitest';
import { BlockFlag } from '../../../src/compiler/runtime-abi.js';
import { StaticData } from '../../../src/compiler/lower/static-data.js';
import { compileSource } from './run-source.js';

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

describe('StaticData', () => {
  it('lays out texts behind Static headers, 8-aligned, and reuses a text already there', () => {
    const d = new StaticData();
    expect(d.length).toBe(0);
    expect(d.text('abc')).toBe(8);
    expect(d.length).toBe(8 + 4 + 3);
    // The next header starts at the next multiple of 8 (16), its text 8 bytes later.
    expect(d.text('é')).toBe(24);
    expect(d.length).toBe(24 + 4 + 2);
    expect(d.text('abc')).toBe(8);
    expect(d.text('')).toBe(40);
    expect(d.length).toBe(44);
    const bytes = d.finish();
    expect(bytes.length).toBe(44);
    expect([u32(bytes, 0), u32(bytes, 4), u32(bytes, 8)]).toEqual([BlockFlag.Static, 0, 3]);
    expect([...bytes.subarray(12, 15)]).toEqual([0x61, 0x62, 0x63]);
    expect([...bytes.subarray(15, 16)]).toEqual([0]);
    expect([u32(bytes, 16), u32(bytes, 20), u32(bytes, 24)]).toEqual([BlockFlag.Static, 0, 2]);
    expect([...bytes.subarray(28, 30)]).toEqual([0xc3, 0xa9]);
    expect([u32(bytes, 32), u32(bytes, 36), u32(bytes, 40)]).toEqual([BlockFlag.Static, 0, 0]);
  });

  it('grows past its first buffer, and past twice its size at once, keeping what it holds', () => {
    const d = new StaticData();
    const long = 'x'.repeat(300);
    expect(d.text('first')).toBe(8);
    // 'first' ends at 17; the long text's header at 24, its length at 32, its bytes up to 336.
    expect(d.text(long)).toBe(32);
    expect(d.text('y'.repeat(40))).toBe(344);
    const bytes = d.finish();
    expect(bytes.length).toBe(d.length);
    expect(bytes.length).toBe(344 + 4 + 40);
    expect(new TextDecoder().decode(bytes.subarray(12, 17))).toBe('first');
    expect([u32(bytes, 24), u32(bytes, 32)]).toEqual([BlockFlag.Static, 300]);
    expect(new TextDecoder().decode(bytes.subarray(36, 336))).toBe(long);
    expect(u32(bytes, 336)).toBe(BlockFlag.Static);
    expect(u32(bytes, 344)).toBe(40);
  });

  it('finish() is a copy of exactly the bytes laid out', () => {
    const d = new StaticData();
    d.text('a');
    const first = d.finish();
    d.text('b');
    expect(first.length).toBe(13);
    expect(d.finish().length).toBe(8 + 4 + 1 + 3 + 8 + 4 + 1);
  });
});

describe('a compiled unit’s static data', () => {
  const dataSize = (src: string): number => compileSource(src)[0].unit.dataSize;
  it('holds each distinct literal once, and the names trap messages show', () => {
    const once = dataSize('fn main():\n    print("hello")\n');
    expect(dataSize('fn main():\n    print("hello")\n    print("hello")\n')).toBe(once);
    // One more 5-byte text: 8 header + 4 length + 5 bytes, after aligning the end of the last.
    const twice = dataSize('fn main():\n    print("hello")\n    print("world")\n');
    expect(twice).toBe(((once + 7) & ~7) + 8 + 4 + 5);
  });
});
