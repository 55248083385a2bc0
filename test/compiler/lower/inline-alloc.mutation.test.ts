/**
 * Allocation written out in compiled code (src/compiler/lower/inline-alloc.ts): a record literal
 * takes a block of its size class off the free list right at the site, and keeps the runtime's
 * statistics as `alloc` would — one allocation, the class's bytes in use. A block past
 * SMALL_BLOCK_MAX (1,024 bytes, header included) is the runtime's, at its exact size.
 */
import { describe, expect, it } from 'vitest';
import { loadSource, printed } from './run-source.js';

const tuple = (n: number): string => Array.from({ length: n }, (_, i) => String(i)).join(', ');
const tupleType = (n: number): string => Array.from({ length: n }, () => 'i64').join(', ');

const SOURCE = [
  'struct P:',
  '    a: i64',
  'struct Q:',
  '    a: i64',
  '    b: i64',
  '    c: i64',
  'fn take(p: P) -> i64:',
  '    p.a',
  'fn takeq(q: Q) -> i64:',
  '    q.c',
  'fn one() -> i64:',
  '    take(P(a: 5))',
  'fn three() -> i64:',
  '    takeq(Q(a: 1, b: 2, c: 3))',
  // Blocks of the two classes, then garbage: the collection puts them on the free lists.
  'fn garbage(n: i64) -> i64:',
  '    var xs: [P] = []',
  '    var qs: [Q] = []',
  '    for i in 0..n:',
  '        xs.push(P(a: i))',
  '        qs.push(Q(a: i, b: i, c: i))',
  '    xs.len()',
  `fn at_edge(t: (${tupleType(127)})) -> i64:`,
  '    t.126',
  'fn edge() -> i64:',
  `    at_edge((${tuple(127)}))`,
  `fn past_edge(t: (${tupleType(128)})) -> i64:`,
  '    t.127',
  'fn past() -> i64:',
  `    past_edge((${tuple(128)}))`,
  '',
].join('\n');

describe('a record literal’s block', () => {
  // Compiled inside each test: mutation testing switches its mutant on per test, not while the
  // file is collected.
  const loaded = () => {
    const p = loadSource(SOURCE);
    p.fn('garbage')(50n);
    p.fn('edge')();
    p.fn('past')();
    p.loader.runtime.collect();
    return p;
  };
  const measured = (p: ReturnType<typeof loaded>, name: string) => {
    const before = p.loader.runtime.stats();
    const value = p.fn(name)();
    const after = p.loader.runtime.stats();
    return { value, allocations: after.allocations - before.allocations, bytes: after.bytesInUse - before.bytesInUse };
  };

  it('is one allocation of its size class: 16 bytes for 8 of payload, 32 for 24', () => {
    const p = loaded();
    expect(measured(p, 'one')).toEqual({ value: 5n, allocations: 1, bytes: 16 });
    expect(measured(p, 'three')).toEqual({ value: 3n, allocations: 1, bytes: 32 });
    expect(measured(p, 'one')).toEqual({ value: 5n, allocations: 1, bytes: 16 });
  });

  it('1,016 bytes of payload is the last small class (1,024); 1,024 of payload is a large block of 1,032', () => {
    const p = loaded();
    expect(measured(p, 'edge')).toEqual({ value: 126n, allocations: 1, bytes: 1024 });
    expect(measured(p, 'past')).toEqual({ value: 127n, allocations: 1, bytes: 1032 });
  });

  it('holds its fields through collections at every safepoint', () => {
    const src = `${SOURCE}\nfn main():\n    print(garbage(20))\n    print(one() + three())\n    print(edge())\n    print(past())\n`;
    expect(printed(src, { gcStress: true })).toEqual(['20', '8', '126', '127']);
  });
});
