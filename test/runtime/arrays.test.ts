import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapShape } from '../../src/runtime/abi.js';
import { SimpleTrap } from '../../src/runtime/trap.js';
import { testRuntime, thrown, view } from './helpers.js';

const VALUES = HeapShape.ArrayOfValues;

describe('arrays', () => {
  it('array_new sets len, a capacity of len (4 when empty) and a data buffer', () => {
    const { rt } = testRuntime();
    for (const [len, cap] of [
      [0, 4],
      [1, 1],
      [3, 3],
      [4, 4],
      [10, 10],
    ]) {
      const arr = rt.imports.array_new(8, len, VALUES, 0) >>> 0;
      const h = rt.readArrayHeader(arr);
      expect(h).toMatchObject({ length: len, capacity: cap });
      expect(h.data).toBeGreaterThanOrEqual(rt.heapBase);
      expect(h.data % 8).toBe(0);
    }
  });

  it('push past capacity many times keeps every element', () => {
    const { rt, site } = testRuntime();
    const s = site('fill');
    const arr = rt.imports.array_new(8, 0, VALUES, s);
    for (let i = 0; i < 5000; i++) {
      const slot = rt.imports.array_push_slot(arr, 8, s) >>> 0;
      view(rt).setBigInt64(slot, BigInt(i) * 1_000_003n, true);
    }
    const h = rt.readArrayHeader(arr);
    expect(h.length).toBe(5000);
    expect(h.capacity).toBe(8192);
    const bytes = rt.readArrayBytes(arr, 8);
    const values = new BigInt64Array(bytes.buffer, 0, 5000);
    for (let i = 0; i < 5000; i++) expect(values[i]).toBe(BigInt(i) * 1_000_003n);
  });

  it('frees each old buffer when growing', () => {
    const { rt } = testRuntime();
    const base = rt.stats();
    const arr = rt.imports.array_new(4, 0, VALUES, 0);
    for (let i = 0; i < 1000; i++) rt.imports.array_push_slot(arr, 4, 0);
    const s = rt.stats();
    // Live: the header with its first 16-byte buffer in one 48-byte block (16 + 16 bytes of
    // payload, rounded up), and one separate data buffer of exactly 4 KiB.
    expect(s.allocations - s.frees - (base.allocations - base.frees)).toBe(2);
    expect(s.bytesInUse - base.bytesInUse).toBe(48 + 4096 + 8);
  });

  it('a small first buffer shares the header\'s block; a larger one has its own', () => {
    const { rt } = testRuntime();
    const small = rt.imports.array_new(8, 16, VALUES, 0) >>> 0; // 128 bytes: the most that shares
    expect(rt.readArrayHeader(small).data).toBe(small + 16);
    const large = rt.imports.array_new(8, 17, VALUES, 0) >>> 0;
    expect(rt.readArrayHeader(large).data).not.toBe(large + 16);
    // Outgrowing the shared buffer moves the elements to a buffer of their own.
    for (let i = 0; i < 16; i++) view(rt).setFloat64(small + 16 + i * 8, i, true);
    rt.imports.array_push_slot(small, 8, 0);
    const moved = rt.readArrayHeader(small).data;
    expect(moved).not.toBe(small + 16);
    expect(Array.from({ length: 16 }, (_, i) => view(rt).getFloat64(moved + i * 8, true))).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('pop returns the address of the last element and shrinks the array', () => {
    const { rt } = testRuntime();
    const arr = rt.imports.array_new(2, 0, VALUES, 0);
    for (const v of [10, 20, 30]) view(rt).setInt16(rt.imports.array_push_slot(arr, 2, 0) >>> 0, v, true);
    const popped: number[] = [];
    for (let i = 0; i < 3; i++) popped.push(view(rt).getInt16(rt.imports.array_pop_slot(arr, 2, 0) >>> 0, true));
    expect(popped).toEqual([30, 20, 10]);
    expect(rt.readArrayHeader(arr).length).toBe(0);
  });

  it('pop on an empty array traps with the function name from site', () => {
    const { rt, site } = testRuntime();
    const arr = rt.imports.array_new(8, 0, VALUES, 0);
    const e = thrown(() => rt.imports.array_pop_slot(arr, 8, site('drain<i64>')));
    expect(e).toBeInstanceOf(SimpleTrap);
    expect(e).toMatchObject({
      code: 'TRAP_POP_EMPTY',
      functionName: 'drain<i64>',
      message: "pop on an empty array in function 'drain<i64>'",
    });
    expect(rt.readArrayHeader(arr).length).toBe(0);
  });

  it('behaves like a JS array under random pushes and pops (property)', () => {
    const ops = fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 400 });
    fc.assert(
      fc.property(fc.constantFrom(1, 4, 8, 12), ops, (elemSize, seq) => {
        const { rt } = testRuntime();
        const arr = rt.imports.array_new(elemSize, 0, VALUES, 0);
        const model: number[] = [];
        const put = (addr: number, v: number): void => {
          const b = new Uint8Array(rt.memory.buffer, addr >>> 0, elemSize);
          for (let i = 0; i < elemSize; i++) b[i] = (v >>> (8 * (i % 4))) & 0xff;
        };
        const get = (addr: number): number => {
          const b = new Uint8Array(rt.memory.buffer, addr >>> 0, elemSize);
          let v = 0;
          for (let i = 0; i < Math.min(elemSize, 4); i++) v |= b[i] << (8 * i);
          return elemSize >= 4 ? v | 0 : v;
        };
        const norm = (v: number): number => (elemSize >= 4 ? v | 0 : v & 0xff);
        for (const op of seq) {
          if (op === null) {
            if (model.length === 0) {
              expect(() => rt.imports.array_pop_slot(arr, elemSize, 0)).toThrow(SimpleTrap);
            } else {
              expect(get(rt.imports.array_pop_slot(arr, elemSize, 0))).toBe(model.pop());
            }
          } else {
            put(rt.imports.array_push_slot(arr, elemSize, 0), op);
            model.push(norm(op));
          }
        }
        const h = rt.readArrayHeader(arr);
        expect(h.length).toBe(model.length);
        expect(h.capacity).toBeGreaterThanOrEqual(Math.max(model.length, 4));
        for (let i = 0; i < model.length; i++) expect(get(h.data + i * elemSize)).toBe(model[i]);
      }),
      { numRuns: 50 },
    );
  });

  it('handles zero-sized elements', () => {
    const { rt } = testRuntime();
    const arr = rt.imports.array_new(0, 0, VALUES, 0);
    for (let i = 0; i < 100; i++) rt.imports.array_push_slot(arr, 0, 0);
    expect(rt.readArrayHeader(arr).length).toBe(100);
    rt.imports.array_pop_slot(arr, 0, 0);
    expect(rt.readArrayHeader(arr).length).toBe(99);
  });

  it('traps with out of memory, reporting the full size, when the data cannot be allocated', () => {
    const { rt, site } = testRuntime({ maximumPages: 64 });
    const e = thrown(() => rt.imports.array_new(16, 0x40000000, VALUES, site('big')));
    expect(e).toMatchObject({
      code: 'TRAP_OUT_OF_MEMORY',
      details: { requested: 16n * 0x40000000n },
      message: "out of memory (requested 17179869184 bytes) in function 'big'",
    });
    const arr = rt.imports.array_new(8, 200_000, VALUES, 0);
    expect(() => {
      for (;;) rt.imports.array_push_slot(arr, 8, site('grow'));
    }).toThrow("out of memory (requested 3200000 bytes) in function 'grow'");
  });

  it('newArray and readArrayBytes convert to and from host bytes', () => {
    const { rt } = testRuntime();
    const arr = rt.newArray(4, 3, Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
    expect([...new Int32Array(rt.readArrayBytes(arr, 4).buffer)]).toEqual([1, 2, 3]);
  });
});
