/**
 * The report's cache metrics ("Performance Metrics and Profiling"): hit rate, average load time,
 * the load-time histogram, memory usage over time, eviction count and average file size, and
 * `report()`'s text form of them.
 *
 * `LoadMetrics` is the recorder `SmfCache` feeds: one `recordLoad` per file read (its duration
 * and size), one `sampleMemory` whenever the cache's byte count changes. The memory series is
 * bounded: when it is full, every other sample is dropped (the first stays) and from then on only
 * every second change is kept (then every fourth, …), so a long run keeps an evenly thinned
 * timeline of at most `capacity` points, ending with the newest, at a constant cost per sample.
 */
import type { CacheStats } from './smf-cache.js';
import { natives } from '../platform/index.js';

/** Upper bounds of the load-time buckets, in milliseconds; the last bucket is open. */
export const LOAD_TIME_BUCKETS_MS: readonly number[] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, Infinity];

export interface HistogramBucket {
  /** The bucket holds loads shorter than this (ms); `Infinity` for the last. */
  readonly upToMs: number;
  readonly count: number;
}

export interface MemorySample {
  /** Milliseconds since the cache was made. */
  readonly atMs: number;
  /** Bytes of cached files at that moment. */
  readonly bytes: number;
}

export interface LoadMetricsSnapshot {
  /** Files read from disk (misses and stale re-reads, prefetches included). */
  readonly loads: number;
  readonly avgLoadTimeMs: number;
  /** Bytes of the files read, over `loads`. */
  readonly avgFileSize: number;
  readonly loadTimeHistogram: readonly HistogramBucket[];
  readonly memoryUsageOverTime: readonly MemorySample[];
}

export class LoadMetrics {
  private readonly origin = natives.now();
  private loads = 0;
  private totalLoadMs = 0;
  private totalFileBytes = 0;
  private readonly histogram = LOAD_TIME_BUCKETS_MS.map(() => 0);
  private readonly samples: MemorySample[] = [];
  /** Keep one sample in `stride` (doubled each time the series is thinned). */
  private stride = 1;
  private taken = 0;
  /** The newest sample when it fell between kept ones: the series always ends with the present. */
  private latest: MemorySample | undefined;

  constructor(readonly capacity = 128) {
    if (capacity < 2) throw new RangeError(`LoadMetrics: capacity ${capacity} is below 2`);
    this.sampleMemory(0);
  }

  recordLoad(durationMs: number, fileBytes: number): void {
    this.loads++;
    this.totalLoadMs += durationMs;
    this.totalFileBytes += fileBytes;
    let i = 0;
    while (durationMs >= LOAD_TIME_BUCKETS_MS[i]) i++;
    this.histogram[i]++;
  }

  /** The cache now holds `bytes`. */
  sampleMemory(bytes: number): void {
    const sample = { atMs: natives.now() - this.origin, bytes };
    // Sample n is kept when n is a multiple of the stride, so the kept ones stay evenly spaced.
    if (this.taken++ % this.stride !== 0) {
      this.latest = sample;
      return;
    }
    this.latest = undefined;
    this.samples.push(sample);
    if (this.samples.length === this.capacity) {
      let kept = 0;
      for (let i = 0; i < this.samples.length; i += 2) this.samples[kept++] = this.samples[i];
      if (this.samples.length % 2 === 0) this.latest = this.samples[this.samples.length - 1];
      this.samples.length = kept;
      this.stride *= 2;
    }
  }

  snapshot(): LoadMetricsSnapshot {
    return {
      loads: this.loads,
      avgLoadTimeMs: this.loads === 0 ? 0 : this.totalLoadMs / this.loads,
      avgFileSize: this.loads === 0 ? 0 : Math.round(this.totalFileBytes / this.loads),
      loadTimeHistogram: LOAD_TIME_BUCKETS_MS.map((upToMs, i) => ({ upToMs, count: this.histogram[i] })),
      memoryUsageOverTime: this.latest ? [...this.samples, this.latest] : [...this.samples],
    };
  }
}

/** What `report()` prints, from a cache's statistics. */
export type CacheReportInput = LoadMetricsSnapshot & Pick<CacheStats, 'files' | 'bytes' | 'hits' | 'misses' | 'hitRate' | 'evictions'>;

/**
 * The report's `report()`: hit rate, average load time, total memory, the histogram as one line
 * per bucket — and the metrics it lists but does not print (evictions, average file size, the
 * memory timeline, as its peak and sample count).
 */
export function formatCacheReport(s: CacheReportInput): string {
  const peak = s.memoryUsageOverTime.reduce((m, x) => Math.max(m, x.bytes), 0);
  const lines = [
    'Cache Statistics:',
    `  Hit rate: ${(s.hitRate * 100).toFixed(2)}% (${s.hits} hits, ${s.misses} misses)`,
    `  Avg load time: ${s.avgLoadTimeMs.toFixed(2)} ms (${s.loads} loads)`,
    `  Total memory: ${(s.bytes / 1024 / 1024).toFixed(2)} MB (${s.bytes} bytes in ${s.files} files)`,
    `  Memory over time: ${s.memoryUsageOverTime.length} samples, peak ${peak} bytes`,
    `  Evictions: ${s.evictions}`,
    `  Avg file size: ${s.avgFileSize} bytes`,
    '  Latency histogram:',
  ];
  for (const b of s.loadTimeHistogram) {
    lines.push(b.upToMs === Infinity ? `    >= ${LOAD_TIME_BUCKETS_MS[LOAD_TIME_BUCKETS_MS.length - 2]} ms: ${b.count}` : `    < ${b.upToMs} ms: ${b.count}`);
  }
  return lines.join('\n') + '\n';
}
