import { Worker } from 'node:worker_threads';
import type { CaseResult, FromWorker, FuzzCase } from './protocol.js';

export interface RunnerOptions {
  /** A case using more CPU time than this is a hang (ms). */
  deadlineMs?: number;
  /** A case taking longer than this in wall-clock time is a hang too, busy or blocked (ms). */
  wallLimitMs?: number;
  /** The worker's V8 heap bound (MiB): going over is a memory finding. */
  heapMb?: number;
  /** The process's resident size above which the running case is a memory finding (bytes). */
  maxRssBytes?: number;
  /** Load the toolchain before the first case (default true; false for a runner of probes only). */
  preload?: boolean;
}

/**
 * Runs fuzz cases one at a time in a worker thread, with a deadline and a memory bound per
 * case. A case that overruns either ends the worker (a new one takes the next case). The
 * deadline is CPU time, so that a machine busy with other work (whose wall clock runs many
 * times faster than this process's CPU clock) does not turn a slow case into a "hang"; a wall-
 * clock limit catches a case that blocks without using the CPU. A hang is confirmed by running
 * the case once more in a fresh worker.
 */
export class CaseRunner {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;
  private readonly deadlineMs: number;
  private readonly wallLimitMs: number;
  private readonly heapMb: number;
  private readonly maxRssBytes: number;
  private readonly preload: boolean;

  constructor(options: RunnerOptions = {}) {
    this.preload = options.preload ?? true;
    this.deadlineMs = options.deadlineMs ?? 2000;
    this.wallLimitMs = options.wallLimitMs ?? 30_000;
    this.heapMb = options.heapMb ?? 1024;
    this.maxRssBytes = options.maxRssBytes ?? 3 * 1024 ** 3;
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(new URL('./boot.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: this.heapMb }, workerData: { preload: this.preload }, stdout: true, stderr: true });
    this.worker = w;
    w.stdout.resume();
    w.stderr.resume();
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if ('ready' in m) {
          w.off('message', onMessage);
          w.off('error', reject);
          resolve();
        }
      };
      w.on('message', onMessage);
      w.once('error', reject);
    });
    return this.ready;
  }

  private async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (w) await w.terminate();
  }

  private async once(c: FuzzCase): Promise<CaseResult> {
    await this.start();
    const w = this.worker!;
    const id = this.nextId++;
    return new Promise<CaseResult>((resolve) => {
      let done = false;
      const finish = (r: CaseResult, restart: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(sampler);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (restart) void this.stop().then(() => resolve(r));
        else resolve(r);
      };
      const started = performance.now();
      const onMessage = (m: FromWorker): void => {
        if ('id' in m && m.id === id) finish(m.result, false);
      };
      const onError = (e: Error): void => {
        const code = (e as { code?: string }).code;
        finish(code === 'ERR_WORKER_OUT_OF_MEMORY' ? { status: 'memory', detail: `worker heap over ${this.heapMb} MiB` } : { status: 'crash', detail: `${e.name}: ${e.message}` }, true);
      };
      const onExit = (code: number): void => finish({ status: 'crash', detail: `worker exited with ${code}` }, true);
      // The process's CPU time: the worker's, as this thread only waits (a little more with the
      // engine's helper threads, which errs towards reporting).
      const cpuAtStart = process.cpuUsage();
      const check = (): void => {
        const used = process.cpuUsage(cpuAtStart);
        const cpuMs = (used.user + used.system) / 1000;
        const wallMs = performance.now() - started;
        if (cpuMs >= this.deadlineMs || wallMs >= this.wallLimitMs) finish({ status: 'hang', ms: wallMs, cpuMs }, true);
        else timer = setTimeout(check, Math.max(50, this.deadlineMs - cpuMs));
      };
      let timer = setTimeout(check, this.deadlineMs);
      const sampler = setInterval(() => {
        const rss = process.memoryUsage.rss();
        if (rss > this.maxRssBytes) finish({ status: 'memory', detail: `resident size ${(rss / 2 ** 20).toFixed(0)} MiB` }, true);
      }, 50);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ id, case: c });
    });
  }

  /** Runs `c`; a hang is retried once in a fresh worker before it is reported. */
  async run(c: FuzzCase): Promise<CaseResult> {
    const r = await this.once(c);
    if (r.status !== 'hang') return r;
    return this.once(c);
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
