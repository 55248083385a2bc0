import { parentPort, workerData } from 'node:worker_threads';
import type { CaseResult, FromWorker, ProbeCase, ToWorker } from './protocol.js';

/*
 * One case at a time; the main thread holds the deadline and ends this worker on a hang. The
 * toolchain (./drive.js, most of src/) is loaded before "ready", so that loading it is not
 * charged to the first case; a runner that only sends probes skips it.
 */
type Drive = (c: ToWorker['case']) => CaseResult;
const port = parentPort!;
const kept: unknown[] = [];

/** The harness's self-check: spin, then keep memory. */
function probe(c: ProbeCase): CaseResult {
  const started = performance.now();
  while (performance.now() < started + (c.spinMs ?? 0));
  for (let i = 0; i < (c.allocMb ?? 0); i++) kept.push(Array.from({ length: 1 << 17 }, (_, k) => ({ k })));
  return { status: 'ok', stages: { probe: 'ok' }, ms: performance.now() - started };
}

async function start(): Promise<void> {
  let drive: Drive | undefined = (workerData as { preload?: boolean } | undefined)?.preload === false ? undefined : (await import('./drive.js')).drive;
  port.on('message', async (m: ToWorker) => {
    let result: CaseResult;
    if (m.case.kind === 'probe') result = probe(m.case);
    else {
      drive ??= (await import('./drive.js')).drive;
      result = drive(m.case);
    }
    port.postMessage({ id: m.id, result } satisfies FromWorker);
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

void start();
