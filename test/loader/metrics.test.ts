// Issue #10, point 6: the report's cache metrics — hit rate, average load time, the latency
// histogram, memory usage over time, eviction count, average file size — and report()'s text.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { LoadMetrics, LOAD_TIME_BUCKETS_MS, formatCacheReport } from '../../src/loader/metrics.js';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { compileToSmf, workspace } from './fixtures.js';

function modules(n: number): string[] {
  const files: Record<string, string> = {};
  // Different sizes, so the average file size is a real average.
  for (let i = 0; i < n; i++) files[`m${i}.spl`] = `fn f${i}(x: i64) -> i64:\n    x + ${i}\n` + `\nfn h${i}x${'y'.repeat(i * 40)}() -> i64:\n    ${i}\n`;
  const dir = workspace(files);
  compileToSmf(dir, Object.keys(files));
  return Object.keys(files).map((f) => join(dir, f.replace('.spl', '.smf')));
}

describe('LoadMetrics', () => {
  it('keeps the running average and puts each load in the bucket whose bound is above it', () => {
    const m = new LoadMetrics();
    m.recordLoad(0.005, 100);
    m.recordLoad(0.3, 300);
    m.recordLoad(0.3, 500);
    m.recordLoad(50, 1000);
    const s = m.snapshot();
    expect(s.loads).toBe(4);
    expect(s.avgLoadTimeMs).toBeCloseTo((0.005 + 0.3 + 0.3 + 50) / 4, 10);
    expect(s.avgFileSize).toBe(475);
    const count = (upToMs: number): number => s.loadTimeHistogram.find((b) => b.upToMs === upToMs)!.count;
    expect(count(0.01)).toBe(1);
    expect(count(0.5)).toBe(2);
    expect(count(Infinity)).toBe(1);
    expect(s.loadTimeHistogram.map((b) => b.upToMs)).toEqual(LOAD_TIME_BUCKETS_MS);
    expect(s.loadTimeHistogram.reduce((n, b) => n + b.count, 0)).toBe(4);
  });

  it('a load exactly at a bound goes to the next bucket ("< bound")', () => {
    const m = new LoadMetrics();
    m.recordLoad(1, 1);
    expect(m.snapshot().loadTimeHistogram.find((b) => b.count === 1)!.upToMs).toBe(2.5);
  });

  it('thins the memory series evenly when full, keeping the first sample and ending with the newest', () => {
    const m = new LoadMetrics(8);
    for (let i = 1; i <= 1000; i++) m.sampleMemory(i);
    const series = m.snapshot().memoryUsageOverTime;
    expect(series.length).toBeLessThanOrEqual(8);
    expect(series.length).toBeGreaterThanOrEqual(4);
    expect(series[0].bytes).toBe(0);
    expect(series[series.length - 1].bytes).toBe(1000);
    for (let i = 1; i < series.length; i++) {
      expect(series[i].bytes).toBeGreaterThan(series[i - 1].bytes);
      expect(series[i].atMs).toBeGreaterThanOrEqual(series[i - 1].atMs);
    }
    // Evenly: the steps between kept samples (all but the newest) are equal.
    const steps = series.slice(1, -1).map((s, i) => s.bytes - series[i].bytes);
    expect(new Set(steps.slice(1)).size).toBe(1);
  });

  it('refuses a capacity that cannot hold a series', () => {
    expect(() => new LoadMetrics(1)).toThrow(/capacity 1/);
  });
});

describe('SmfCache metrics', () => {
  it('counts loads, evictions and file sizes, and samples the cached bytes over time', () => {
    const paths = modules(4);
    const cache = new SmfCache({ maxFiles: 2 });
    for (const p of paths) cache.get(p);
    cache.get(paths[3]); // a hit
    const s = cache.stats();
    const sizes = paths.map((p) => statSync(p).size);
    expect(s.loads).toBe(4);
    expect(s.evictions).toBe(2);
    expect(s.hitRate).toBeCloseTo(1 / 5, 10);
    expect(s.avgFileSize).toBe(Math.round(sizes.reduce((a, b) => a + b, 0) / 4));
    expect(s.avgLoadTimeMs).toBeGreaterThan(0);
    expect(s.loadTimeHistogram.reduce((n, b) => n + b.count, 0)).toBe(4);
    // One sample at creation, one per file read; the last is what the cache holds now.
    expect(s.memoryUsageOverTime.map((x) => x.bytes)).toEqual([0, sizes[0], sizes[0] + sizes[1], sizes[1] + sizes[2], sizes[2] + sizes[3]]);
    cache.close(paths[3]);
    expect(cache.stats().memoryUsageOverTime.at(-1)!.bytes).toBe(sizes[2]);
    cache.clear();
    expect(cache.stats().memoryUsageOverTime.at(-1)!.bytes).toBe(0);
  });

  it('report(): the report\'s lines, the histogram as one line per bucket', () => {
    const paths = modules(2);
    const cache = new SmfCache();
    cache.get(paths[0]);
    cache.get(paths[0]);
    cache.get(paths[1]);
    const text = formatCacheReport(cache.stats());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Cache Statistics:');
    expect(lines).toContain('  Hit rate: 33.33% (1 hits, 2 misses)');
    expect(text).toMatch(/^ {2}Avg load time: \d+\.\d\d ms \(2 loads\)$/m);
    expect(text).toMatch(/^ {2}Total memory: 0\.0\d MB \(\d+ bytes in 2 files\)$/m);
    expect(text).toMatch(/^ {2}Evictions: 0$/m);
    expect(text).toMatch(/^ {2}Avg file size: \d+ bytes$/m);
    const buckets = lines.slice(lines.indexOf('  Latency histogram:') + 1);
    expect(buckets).toHaveLength(LOAD_TIME_BUCKETS_MS.length);
    expect(buckets[0]).toMatch(/^ {4}< 0\.01 ms: \d+$/);
    expect(buckets.at(-1)).toMatch(/^ {4}>= 10 ms: \d+$/);
    expect(buckets.reduce((n, l) => n + Number(l.split(': ')[1]), 0)).toBe(2);
  });
});
