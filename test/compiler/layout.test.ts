import { describe, expect, it } from 'vitest';
import { HeapShape } from '../../src/compiler/runtime-abi.js';
import { recordLayout, recordShape } from '../../src/compiler/layout.js';
import type { Type } from '../../src/types/index.js';

const i64: Type = { kind: 'int', bits: 64, signed: true };
const i32: Type = { kind: 'int', bits: 32, signed: true };
const text: Type = { kind: 'string' };

describe('record layout and shape', () => {
  it('keeps declaration order while every pointer lies within the bitmap', () => {
    const fields = [i64, text, i32, text];
    const layout = recordLayout(fields);
    expect(layout.offsets).toEqual([0, 8, 12, 16]);
    expect(recordShape(fields, layout)).toBe((HeapShape.Record | (1 << 2) | (1 << 4)) >>> 0);
  });

  it('the last word the bitmap describes (29) still keeps declaration order', () => {
    const fields = [...Array<Type>(29).fill(i32), text];
    const layout = recordLayout(fields);
    expect(layout.offsets[29]).toBe(29 * 4);
    expect(recordShape(fields, layout)).toBe((HeapShape.Record | (1 << 29)) >>> 0);
  });

  it('lays out pointers first when one would fall past word 29', () => {
    const fields = [...Array<Type>(30).fill(i32), text, i64, text];
    const layout = recordLayout(fields);
    expect(layout.offsets[30]).toBe(0);
    expect(layout.offsets[32]).toBe(4);
    // The other fields follow in declaration order, naturally aligned.
    expect(layout.offsets[0]).toBe(8);
    expect(layout.offsets[31]).toBe(8 + 30 * 4);
    expect(recordShape(fields, layout)).toBe((HeapShape.Record | 0b11) >>> 0);
    // No field overlaps another.
    const ends = layout.offsets.map((o, i) => [o, o + (fields[i] === i64 ? 8 : 4)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ends.length; i++) expect(ends[i][0]).toBeGreaterThanOrEqual(ends[i - 1][1]);
  });

  it('a record of more pointers than the bitmap has words says how many lead it', () => {
    const fields = [i64, ...Array<Type>(31).fill(text)];
    const layout = recordLayout(fields);
    expect(layout.offsets.slice(1)).toEqual(Array.from({ length: 31 }, (_, i) => i * 4));
    expect(layout.offsets[0]).toBe(128);
    expect(recordShape(fields, layout)).toBe((HeapShape.Record | HeapShape.RecordTail | 31) >>> 0);
  });
});
