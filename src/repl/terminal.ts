/**
 * The REPL on a terminal: line editing and history (readline), prompts (`> `, and `. ` for the
 * lines of a block), and evaluation on a worker thread so that Ctrl-C stops a running input
 * and returns to the prompt.
 */
import { readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { InputCollector } from './input.js';
import type { ReplWorkerData, WorkerReply } from './worker.js';

export interface TerminalOptions {
  readonly workerUrl: URL;
  readonly cwd: string;
  readonly modulePaths: readonly string[];
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly error: NodeJS.WritableStream;
}

const HISTORY_SIZE = 1000;

/** The history file: `SIMPLE_REPL_HISTORY` (empty: none), else ~/.simple_repl_history. */
export function historyPath(): string | null {
  const env = process.env.SIMPLE_REPL_HISTORY;
  if (env !== undefined) return env === '' ? null : env;
  return join(homedir(), '.simple_repl_history');
}

function readHistory(path: string | null): string[] {
  if (!path) return [];
  try {
    // readline wants the newest first.
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/** Runs the REPL until :quit or Ctrl-D; resolves to the exit code. */
export function runTerminal(o: TerminalOptions): Promise<number> {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const data: ReplWorkerData = { repl: true, interrupt, cwd: o.cwd, modulePaths: o.modulePaths };
  const worker = new Worker(o.workerUrl, { workerData: data });
  const history = historyPath();
  const rl = createInterface({ input: o.input, output: o.output, terminal: true, history: readHistory(history), historySize: HISTORY_SIZE, prompt: '> ' });
  const collector = new InputCollector();
  const queue: string[] = [];
  let busy = false;
  let closing = false;

  o.output.write('Simple REPL — :help for commands, :quit or Ctrl-D to leave\n');
  const prompt = (): void => {
    rl.setPrompt(collector.pending ? '. ' : '> ');
    rl.prompt();
  };
  const next = (): void => {
    if (busy) return;
    const input = queue.shift();
    if (input === undefined) {
      if (closing) finish();
      else prompt();
      return;
    }
    busy = true;
    worker.postMessage({ input });
  };

  let resolveDone: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    rl.close();
    void worker.terminate().then(() => resolveDone(0));
  };

  worker.on('message', (m: WorkerReply) => {
    if ('out' in m) o.output.write(m.out);
    else if ('err' in m) o.error.write(m.err);
    else {
      busy = false;
      if (m.quit) finish();
      else next();
    }
  });
  worker.on('error', (e) => {
    o.error.write(`internal error in the REPL (this is a bug in smf): ${e instanceof Error ? e.message : String(e)}\n`);
    finished = true;
    rl.close();
    resolveDone(1);
  });

  rl.on('line', (line) => {
    if (history && line.trim() !== '') {
      try {
        appendFileSync(history, line + '\n', { mode: 0o600 });
      } catch {
        // A history that cannot be written only loses history.
      }
    }
    queue.push(...collector.push(line));
    next();
  });
  rl.on('SIGINT', () => {
    if (busy) {
      Atomics.store(interrupt, 0, 1);
      return;
    }
    collector.clear();
    queue.length = 0;
    o.output.write('\n(Ctrl-C: input dropped; :quit or Ctrl-D to leave)\n');
    prompt();
  });
  rl.on('close', () => {
    if (finished) return;
    closing = true;
    queue.push(...collector.flush());
    o.output.write('\n');
    next();
  });
  prompt();
  return done;
}

/** Keeps the history file to its last HISTORY_SIZE lines. */
export function trimHistory(): void {
  const path = historyPath();
  if (!path) return;
  try {
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
    if (lines.length > HISTORY_SIZE * 2) writeFileSync(path, lines.slice(-HISTORY_SIZE).join('\n') + '\n');
  } catch {
    // No history yet.
  }
}
