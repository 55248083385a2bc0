/**
 * The cache metrics (src/loader/metrics.ts): every histogram bound, the memory series thinned at
 * exactly its capacity (with the samples kept, by value), averages with no loads and rounded, and
 * the report's exact text.
 */
import { describe, expect, it } from 'vitest';
import { LOAD_TIME_BUCKETS_MS, LoadMetrics, formatCacheReport } from '../../src/loader/metrics.js';

const bytes = (m: LoadMetrics) => m.snapshot().memoryUsageOverTime.map((s) => s.bytes);

describe('LoadMetrics', () => {
  it('puts a load just under each bound in that bound\'s bucket, and one exactly at it in the next', () => {
    const finite = LOAD_TIME_BUCKETS_MS.slice(0, -1);
    finite.forEach((bound, i) => {
      const m = new LoadMetrics();
      m.recordLoad(bound * 0.999, 1);
      m.recordLoad(bound, 1);
      const counts = m.snapshot().loadTimeHistogram.map((b) => b.count);
      const want = LOAD_TIME_BUCKETS_MS.map(() => 0);
      want[i] = 1;
      want[i + 1] = 1;
      expect(counts).toEqual(want);
    });
    const m = new LoadMetrics();
    m.recordLoad(0, 1);
    m.recordLoad(1e6, 1);
    expect(m.snapshot().loadTimeHistogram.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('averages nothing as 0, and rounds the average file size', () => {
    expect(new LoadMetrics().snapshot()).toMatchObject({ loads: 0, avgLoadTimeMs: 0, avgFileSize: 0 });
    const m = new LoadMetrics();
    m.recordLoad(1, 1);
    m.recordLoad(2, 2);
    expect(m.snapshot()).toMatchObject({ loads: 2, avgLoadTimeMs: 1.5, avgFileSize: 2 });
    m.recordLoad(3, 2);
    expect(m.snapshot()).toMatchObject({ loads: 3, avgLoadTimeMs: 2, avgFileSize: 2 });
  });

  it('thins a full series to every other sample, keeps the newest, and then keeps every second change', () => {
    const m = new LoadMetrics(4);
    expect(bytes(m)).toEqual([0]);
    for (const b of [1, 2]) m.sampleMemory(b);
    expect(bytes(m)).toEqual([0, 1, 2]);
    m.sampleMemory(3);
    expect(bytes(m)).toEqual([0, 2, 3]);
    m.sampleMemory(4);
    expect(bytes(m)).toEqual([0, 2, 4]);
    m.sampleMemory(5);
    expect(bytes(m)).toEqual([0, 2, 4, 5]);
    m.sampleMemory(6);
    expect(bytes(m)).toEqual([0, 4, 6]);
    m.sampleMemory(7);
    expect(bytes(m)).toEqual([0, 4, 7]);
    m.sampleMemory(8);
    expect(bytes(m)).toEqual([0, 4, 8]);
  });

  it('with an odd capacity, the series thinned ends with a kept sample', () => {
    const m = new LoadMetrics(3);
    m.sampleMemory(1);
    m.sampleMemory(2);
    expect(bytes(m)).toEqual([0, 2]);
    m.sampleMemory(3);
    expect(bytes(m)).toEqual([0, 2, 3]);
    m.sampleMemory(4);
    expect(bytes(m)).toEqual([0, 4]);
  });

  it('accepts a capacity of 2 and refuses 1 with its message', () => {
    const m = new LoadMetrics(2);
    m.sampleMemory(1);
    expect(bytes(m)).toEqual([0, 1]);
    expect(() => new LoadMetrics(1)).toThrow(new RangeError('LoadMetrics: capacity 1 is below 2'));
  });
});

describe('formatCacheReport', () => {
  it('prints each line exactly', () => {
    const text = formatCacheReport({
      files: 2,
      bytes: 3 * 1024 * 1024,
      hits: 1,
      misses: 3,
      hitRate: 0.25,
      evictions: 5,
      loads: 4,
      avgLoadTimeMs: 1.234,
      avgFileSize: 77,
      loadTimeHistogram: LOAD_TIME_BUCKETS_MS.map((upToMs, i) => ({ upToMs, count: i })),
      memoryUsageOverTime: [
        { atMs: 0, bytes: 0 },
        { atMs: 1, bytes: 900 },
        { atMs: 2, bytes: 300 },
      ],
    });
    expect(text).toBe(
      [
        'Cache Statistics:',
        '  Hit rate: 25.00% (1 hits, 3 misses)',
        '  Avg load time: 1.23 ms (4 loads)',
        '  Total memory: 3.00 MB (3145728 bytes in 2 files)',
        '  Memory over time: 3 samples, peak 900 bytes',
        '  Evictions: 5',
        '  Avg file size: 77 bytes',
        '  Latency histogram:',
        '    < 0.01 ms: 0',
        '    < 0.025 ms: 1',
        '    < 0.05 ms: 2',
        '    < 0.1 ms: 3',
        '    < 0.25 ms: 4',
        '    < 0.5 ms: 5',
        '    < 1 ms: 6',
        '    < 2.5 ms: 7',
        '    < 10 ms: 8',
        '    >= 10 ms: 9',
        '',
      ].join('\n'),
    );
  });
});
