import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapShape } from '../../src/runtime/abi.js';
import { FALSE_TEXT, HEAP_BASE, MAX_REQUEST, RESERVED_END, TRUE_TEXT, sizeClass } from '../../src/runtime/memory-layout.js';
import { SimpleTrap } from '../../src/runtime/trap.js';
import { testRuntime, thrown, u32 } from './helpers.js';

interface Live {
  ptr: number;
  size: number;
  fill: number;
}

describe('allocator', () => {
  it('returns 8-aligned pointers in the heap, above the reserved first KiB', () => {
    const { rt } = testRuntime();
    expect(rt.heapBase).toBe(HEAP_BASE);
    for (const size of [0, 1, 7, 8, 9, 100, 1016, 1017, 4096, 100_000]) {
      const p = rt.alloc(size);
      expect(p % 8).toBe(0);
      expect(p).toBeGreaterThanOrEqual(HEAP_BASE + 8);
      expect(p).toBeGreaterThan(RESERVED_END);
    }
  });

  it('records the class and a leaf shape in the block header', () => {
    const { rt } = testRuntime();
    for (const size of [0, 24, 1016, 1017, 70_000]) {
      const p = rt.alloc(size);
      expect(u32(rt, p - 8)).toBe(sizeClass(size).cls);
      expect(u32(rt, p - 4)).toBe(HeapShape.Leaf);
    }
  });

  it('alloc_shaped writes the shape word the collector reads', () => {
    const { rt } = testRuntime();
    const shape = (HeapShape.Record | 0b101) >>> 0;
    const p = rt.imports.alloc_shaped(24, shape | 0, 0) >>> 0;
    expect(u32(rt, p - 8)).toBe(sizeClass(24).cls);
    expect(u32(rt, p - 4)).toBe(shape);
  });

  it('reuses a freed block for the next request of its class', () => {
    const { rt } = testRuntime();
    const a = rt.alloc(100);
    const b = rt.alloc(100);
    rt.free(a);
    expect(rt.alloc(90)).toBe(a); // same 112-byte class
    rt.free(b);
    expect(rt.alloc(200)).not.toBe(b); // a different class
    const big = rt.alloc(5000);
    rt.free(big);
    expect(rt.alloc(8192)).toBe(big); // both in the 8 KiB class
    expect(u32(rt, big - 8)).toBe(sizeClass(8192).cls);
  });

  it('ignores free(0), double frees and pointers it did not hand out', () => {
    const { rt } = testRuntime();
    const p = rt.alloc(40);
    rt.free(0);
    rt.free(p);
    const before = rt.stats();
    rt.free(p);
    rt.free(TRUE_TEXT);
    rt.free(FALSE_TEXT);
    rt.free(p + 4);
    rt.free(rt.stats().heapTop + 64);
    expect(rt.stats()).toEqual(before);
    // The list still holds p exactly once.
    expect(rt.alloc(40)).toBe(p);
    expect(rt.alloc(40)).not.toBe(p);
  });

  it('keeps statistics', () => {
    const { rt } = testRuntime();
    const s0 = rt.stats();
    const a = rt.alloc(10);
    const b = rt.alloc(3000);
    const s1 = rt.stats();
    expect(s1.bytesInUse - s0.bytesInUse).toBe(32 + 4096 + 8);
    expect(s1.allocations - s0.allocations).toBe(2);
    rt.free(b);
    rt.free(a);
    const s2 = rt.stats();
    expect(s2.bytesInUse).toBe(s0.bytesInUse);
    expect(s2.peakBytesInUse).toBe(s1.bytesInUse);
    expect(s2.frees - s0.frees).toBe(2);
  });

  it('never overlaps live blocks, keeps their contents, and reuses memory (property)', () => {
    const op = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('alloc' as const), size: fc.nat(300) }), weight: 5 },
      { arbitrary: fc.record({ kind: fc.constant('alloc' as const), size: fc.nat(20_000) }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }), weight: 4 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const { rt } = testRuntime({ initialPages: 1 });
        const base = rt.stats().bytesInUse;
        const live: Live[] = [];
        let fill = 1;
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const ptr = rt.alloc(o.size);
            expect(ptr % 8).toBe(0);
            expect(ptr).toBeGreaterThanOrEqual(HEAP_BASE + 8);
            expect(ptr + o.size).toBeLessThanOrEqual(rt.memory.buffer.byteLength);
            const b = { ptr, size: o.size, fill: fill++ & 0xff };
            new Uint8Array(rt.memory.buffer, ptr, o.size).fill(b.fill);
            live.push(b);
          } else if (live.length > 0) {
            const [b] = live.splice(o.pick % live.length, 1);
            // Any overlap with a later block would have overwritten this one's pattern.
            expect(new Uint8Array(rt.memory.buffer, b.ptr, b.size).every((x) => x === b.fill)).toBe(true);
            rt.free(b.ptr);
          }
        }
        const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
        for (let i = 1; i < sorted.length; i++) {
          expect(sorted[i - 1].ptr + Math.max(sorted[i - 1].size, 1)).toBeLessThanOrEqual(sorted[i].ptr - 8);
        }
        for (const b of live) {
          expect(new Uint8Array(rt.memory.buffer, b.ptr, b.size).every((x) => x === b.fill)).toBe(true);
        }
        const expected = live.reduce((n, b) => n + sizeClass(b.size).blockSize, 0);
        expect(rt.stats().bytesInUse - base).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('frees and reallocates in a loop without the heap growing', () => {
    const { rt } = testRuntime();
    for (let i = 0; i < 100; i++) rt.free(rt.alloc(1000 + (i % 7)));
    const top = rt.stats().heapTop;
    for (let i = 0; i < 10_000; i++) rt.free(rt.alloc(1000 + (i % 7)));
    expect(rt.stats().heapTop).toBe(top);
  });

  it('grows the memory when the heap needs more', () => {
    const { rt } = testRuntime({ initialPages: 1 });
    const before = rt.memory.buffer.byteLength;
    const p = rt.alloc(3_000_000);
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(rt.memory.buffer.byteLength).toBeGreaterThanOrEqual(p + 3_000_000);
    new Uint8Array(rt.memory.buffer, p, 3_000_000).fill(7);
    const q = rt.alloc(100);
    expect(q).toBeGreaterThan(p + 3_000_000 - 1);
  });

  it('traps with out of memory at the memory maximum, naming the function', () => {
    const { rt, site } = testRuntime({ initialPages: 1, maximumPages: 4 });
    const grow = site('grow');
    const e = thrown(() => rt.imports.alloc(1_048_576, grow));
    expect(e).toBeInstanceOf(SimpleTrap);
    expect(e).toMatchObject({
      code: 'TRAP_OUT_OF_MEMORY',
      kind: 'OutOfMemory',
      functionName: 'grow',
      details: { requested: 1_048_576n },
      message: "out of memory (requested 1048576 bytes) in function 'grow'",
    });
    // Growth near the maximum falls back to exactly what is needed.
    expect(rt.alloc(100_000)).toBeGreaterThan(0); // a 128 KiB block
    expect(rt.memory.buffer.byteLength).toBeLessThanOrEqual(4 * 65536);
    // The failed request changed nothing; small requests still succeed.
    expect(rt.alloc(64)).toBeGreaterThan(0);
  });

  it('traps on requests no class can hold', () => {
    const { rt } = testRuntime();
    for (const size of [MAX_REQUEST + 1, -1]) {
      const e = thrown(() => rt.alloc(size));
      expect(e).toMatchObject({ code: 'TRAP_OUT_OF_MEMORY', details: { requested: BigInt(size >>> 0) } });
      expect((e as SimpleTrap).functionName).toBeUndefined();
    }
  });

  it('places static data at the requested alignment and never reuses it', () => {
    const { rt } = testRuntime();
    const data = Uint8Array.from({ length: 37 }, (_, i) => i + 1);
    for (const align of [1, 4, 8, 16, 64]) {
      const p = rt.allocStatic(data, align);
      expect(p % align).toBe(0);
      expect(p).toBeGreaterThanOrEqual(HEAP_BASE);
      expect([...new Uint8Array(rt.memory.buffer, p, data.length)]).toEqual([...data]);
    }
    expect(rt.allocStatic(new Uint8Array(0))).toBeGreaterThan(0);
    expect(() => rt.allocStatic(data, 3)).toThrow(RangeError);
  });

  it('gives every runtime its own memory and heap', () => {
    const a = testRuntime().rt;
    const b = testRuntime().rt;
    expect(a.memory).not.toBe(b.memory);
    expect(a.alloc(32)).toBe(b.alloc(32));
  });

  it('reallocates: which keeps contents and frees the old block', () => {
    const { rt } = testRuntime();
    const p = rt.alloc(20);
    rt.alloc(20); // p is not the block at the top of the heap: it cannot grow in place
    new Uint8Array(rt.memory.buffer, p, 20).fill(9);
    expect(rt.realloc(p, 20, 24)).toBe(p); // still fits its 32-byte block
    const q = rt.realloc(p, 20, 500);
    expect(q).not.toBe(p);
    expect([...new Uint8Array(rt.memory.buffer, q, 20)]).toEqual(Array(20).fill(9));
    expect(rt.alloc(20)).toBe(p);
    // Memory outside the heap is copied, never resized in place or freed.
    const moved = rt.realloc(TRUE_TEXT, 8, 16);
    expect(moved).not.toBe(TRUE_TEXT);
    expect(rt.readText(moved)).toBe('true');
    expect(rt.readText(TRUE_TEXT)).toBe('true');
  });

  it('grows the young block at the top of the heap in place, as if it had been allocated at its new size', () => {
    const { rt } = testRuntime();
    rt.alloc(64);
    const p = rt.alloc(2000);
    new Uint8Array(rt.memory.buffer, p, 2000).fill(7);
    const s0 = rt.stats();
    for (const size of [2048, 2049, 100_000, 1 << 20]) {
      expect(rt.realloc(p, 2000, size)).toBe(p);
      expect(u32(rt, p - 8)).toBe(sizeClass(size).cls);
      expect(rt.stats().heapTop).toBe(p - 8 + sizeClass(size).blockSize);
      expect(rt.stats().bytesInUse - s0.bytesInUse).toBe(sizeClass(size).blockSize - sizeClass(2000).blockSize);
      expect(rt.stats().frees).toBe(s0.frees);
    }
    expect(new Uint8Array(rt.memory.buffer, p, 2000).every((b) => b === 7)).toBe(true);
    // The next block starts past the grown one; the grown one now moves when it must grow.
    const next = rt.alloc(16);
    expect(next).toBe(p + sizeClass(1 << 20).blockSize);
    const moved = rt.realloc(p, 2000, (1 << 20) + 1);
    expect(moved).not.toBe(p);
    expect(new Uint8Array(rt.memory.buffer, moved, 2000).every((b) => b === 7)).toBe(true);
    expect(rt.stats().frees).toBe(s0.frees + 1);
  });

  it('does not grow in place a block below the young generation (a collection walks the young blocks up from its start)', () => {
    const { rt } = testRuntime();
    const p = rt.alloc(2000);
    // What a collection that kept p leaves: the young generation starts at the top.
    (rt as unknown as { rt: { gc_young_start: WebAssembly.Global } }).rt.gc_young_start.value = rt.stats().heapTop;
    const q = rt.realloc(p, 2000, 4000);
    expect(q).not.toBe(p);
    expect(q).toBeGreaterThanOrEqual(p + sizeClass(2000).blockSize);
  });
});
