import { afterAll, describe, expect, it } from 'vitest';
import { CaseRunner } from './harness/pool.js';

/*
 * The fuzzing harness catches what it promises to: a case that spins past its CPU deadline is
 * a hang, one that takes more heap than the bound is a memory finding, and the runner goes on
 * with a fresh worker after either.
 */
const runner = new CaseRunner({ deadlineMs: 100, preload: false });
// Filling a heap makes the collector work hard near the end: a deadline that leaves room for it.
const small = new CaseRunner({ deadlineMs: 30_000, heapMb: 32, preload: false });
afterAll(() => Promise.all([runner.close(), small.close()]));

describe('the fuzz case runner', () => {
  it('passes a quick case, reports a spinning one as a hang, and goes on', async () => {
    expect(await runner.run({ kind: 'probe', spinMs: 10 })).toMatchObject({ status: 'ok', stages: { probe: 'ok' } });
    const hang = await runner.run({ kind: 'probe', spinMs: 60_000 });
    expect(hang.status).toBe('hang');
    if (hang.status === 'hang') expect(hang.cpuMs).toBeGreaterThanOrEqual(100);
    expect(await runner.run({ kind: 'probe', spinMs: 1 })).toMatchObject({ status: 'ok' });
  });

  it('reports a case over the heap bound as a memory finding, and goes on', async () => {
    expect(await small.run({ kind: 'probe', allocMb: 1000 })).toMatchObject({ status: 'memory' });
    expect(await small.run({ kind: 'probe', allocMb: 1 })).toMatchObject({ status: 'ok' });
  });
});
