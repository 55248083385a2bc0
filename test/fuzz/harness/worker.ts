import { parentPort } from 'node:worker_threads';
import { drive } from './drive.js';
import type { FromWorker, ToWorker } from './protocol.js';

// One case at a time; the main thread holds the deadline and ends this worker on a hang.
const port = parentPort!;
port.on('message', (m: ToWorker) => {
  const reply: FromWorker = { id: m.id, result: drive(m.case) };
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies FromWorker);
