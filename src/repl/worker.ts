/**
 * The REPL's evaluation thread, for a terminal session: the session runs here so that the main
 * thread stays free to read keys, and Ctrl-C can raise the loader's interrupt flag while an
 * input runs (docs/limits.md).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ReplSession } from './session.js';

export interface WorkerRequest {
  readonly input: string;
}

export type WorkerReply = { readonly out: string } | { readonly err: string } | { readonly done: true; readonly quit: boolean };

export interface ReplWorkerData {
  readonly repl: true;
  readonly interrupt: Int32Array;
  readonly cwd: string;
  readonly modulePaths: readonly string[];
}

const data = workerData as ReplWorkerData | undefined;
if (parentPort && data?.repl) {
  const port = parentPort;
  const session = new ReplSession(
    { out: (text) => port.postMessage({ out: text } satisfies WorkerReply), err: (text) => port.postMessage({ err: text } satisfies WorkerReply) },
    { cwd: data.cwd, modulePaths: data.modulePaths, interrupt: data.interrupt },
  );
  port.on('message', (m: WorkerRequest) => {
    // A flag raised after the last input finished must not stop this one.
    Atomics.store(data.interrupt, 0, 0);
    const goOn = session.handle(m.input);
    port.postMessage({ done: true, quit: !goOn } satisfies WorkerReply);
  });
}
