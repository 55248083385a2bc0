/** The memory series of `LoadMetrics` (src/loader/metrics.ts) is timed from the recorder's making. */
import { describe, expect, it, vi } from 'vitest';
import { LoadMetrics } from '../../src/loader/metrics.js';
import { natives } from '../../src/platform/index.js';

describe('LoadMetrics memory samples', () => {
  it('are stamped with the milliseconds since the recorder was made', () => {
    let clock = 1000;
    const now = vi.spyOn(natives, 'now').mockImplementation(() => clock);
    try {
      const m = new LoadMetrics();
      clock = 1250;
      m.sampleMemory(5);
      expect(m.snapshot().memoryUsageOverTime).toEqual([
        { atMs: 0, bytes: 0 },
        { atMs: 250, bytes: 5 },
      ]);
    } finally {
      now.mockRestore();
    }
  });
});
