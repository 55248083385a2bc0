/**
 * The inline fast path of allocation (src/compiler/lower/inline-alloc.ts) reached for real: a
 * collection puts dead blocks on the free lists only below the last live block (above it, the
 * heap goes back to the bump region), so here a value the host holds sits above the garbage, and
 * the next record literal pops its class's list in compiled code. The block it takes, the bytes
 * in use and the count must be what the runtime's `alloc` would give; a block past
 * SMALL_BLOCK_MAX never takes that path, even with a large free block waiting on its list.
 */
import { describe, expect, it } from 'vitest';
import { loadSource } from './run-source.js';

const tuple = (n: number): string => Array.from({ length: n }, (_, i) => String(i)).join(', ');
const tupleType = (n: number): string => Array.from({ length: n }, () => 'i64').join(', ');

const SOURCE = [
  'struct P:',
  '    a: i64',
  'struct Q:',
  '    a: i64',
  '    b: i64',
  '    c: i64',
  'struct Keep:',
  '    a: i64',
  'fn take(p: P) -> i64:',
  '    p.a',
  'fn takeq(q: Q) -> i64:',
  '    q.c',
  'fn one(x: i64) -> i64:',
  '    take(P(a: x))',
  'fn three(x: i64) -> i64:',
  '    takeq(Q(a: 1, b: 2, c: x))',
  'fn garbage(n: i64) -> i64:',
  '    var xs: [P] = []',
  '    var qs: [Q] = []',
  '    for i in 0..n:',
  '        xs.push(P(a: i))',
  '        qs.push(Q(a: i, b: i, c: i))',
  '    xs.len()',
  `fn past_edge(t: (${tupleType(128)})) -> i64:`,
  '    t.127 + t.0',
  'fn past(x: i64) -> i64:',
  `    past_edge((x, ${tuple(128).split(', ').slice(1).join(', ')}))`,
  'fn keep() -> Keep:',
  '    Keep(a: 7)',
  '',
].join('\n');

describe('a record literal popped off its free list in compiled code', () => {
  // Compiled inside each test: mutation testing switches its mutant on per test, not while the
  // file is collected.
  const loaded = () => {
    const p = loadSource(SOURCE);
    p.fn('garbage')(40n);
    for (let i = 0; i < 3; i++) p.fn('past')(BigInt(i));
    // Held by the host above the garbage: the collection keeps the heap's top past it.
    const held = p.fn('keep')();
    p.loader.runtime.collect();
    const free = p.loader.runtime.stats();
    expect(free.gc.collections).toBeGreaterThan(0);
    return { p, held };
  };
  const measured = (p: ReturnType<typeof loaded>['p'], name: string, x: bigint) => {
    const before = p.loader.runtime.stats();
    const value = p.fn(name)(x);
    const after = p.loader.runtime.stats();
    return {
      value,
      allocations: after.allocations - before.allocations,
      bytes: after.bytesInUse - before.bytesInUse,
      // A block reused from a free list leaves the heap's top where it was.
      grew: after.heapTop - before.heapTop,
    };
  };

  it('takes a block of its class from the list: one allocation, the class’s bytes, no growth', () => {
    const { p, held } = loaded();
    expect(measured(p, 'one', 5n)).toEqual({ value: 5n, allocations: 1, bytes: 16, grew: 0 });
    expect(measured(p, 'three', 9n)).toEqual({ value: 9n, allocations: 1, bytes: 32, grew: 0 });
    expect(measured(p, 'one', 6n)).toEqual({ value: 6n, allocations: 1, bytes: 16, grew: 0 });
    expect(held).toBeDefined();
  });

  it('many in a row keep their own blocks and fields, and the count matches the runtime’s', () => {
    const { p } = loaded();
    const before = p.loader.runtime.stats();
    for (let i = 0; i < 30; i++) {
      expect(p.fn('one')(BigInt(i))).toBe(BigInt(i));
      expect(p.fn('three')(BigInt(100 + i))).toBe(BigInt(100 + i));
    }
    const after = p.loader.runtime.stats();
    expect(after.allocations - before.allocations).toBe(60);
    expect(after.bytesInUse - before.bytesInUse).toBe(30 * 16 + 30 * 32);
    expect(after.heapTop).toBe(before.heapTop);
  });

  it('a block past SMALL_BLOCK_MAX is the runtime’s at its exact size, even with a large free block waiting', () => {
    const { p } = loaded();
    expect(measured(p, 'past', 10n)).toEqual({ value: 137n, allocations: 1, bytes: 1032, grew: 0 });
  });
});
