/**
 * The REPL on a pipe: inputs read from a stream, results printed with no prompts and no
 * banner, so scripts and tests can drive it. Runs in this thread (nothing can press Ctrl-C).
 */
import { createInterface } from 'node:readline';
import { InputCollector } from './input.js';
import { ReplSession } from './session.js';
import type { ReplIo, ReplOptions } from './session.js';

/** Reads inputs to the end of `input` (or `:quit`); 1 when any input failed, else 0. */
export async function runPipe(input: NodeJS.ReadableStream, io: ReplIo, options: ReplOptions): Promise<number> {
  const session = new ReplSession(io, options);
  const collector = new InputCollector();
  const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
  let quit = false;
  for await (const line of rl) {
    for (const text of collector.push(line)) {
      if (!session.handle(text)) quit = true;
      if (quit) break;
    }
    if (quit) break;
  }
  if (!quit) for (const text of collector.flush()) session.handle(text);
  rl.close();
  return session.failures > 0 ? 1 : 0;
}
