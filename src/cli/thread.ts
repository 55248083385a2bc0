/**
 * `smf run` runs the program on a worker thread with a big stack (docs/limits.md): deep
 * recursion goes as far as the stack the thread was given (`--stack-size MB`), and the main
 * thread stays free to take Ctrl-C, SIGTERM and, under `--watch`, a save while `main` runs.
 * (A compiled program whose calls cannot recurse runs on the main thread instead: stack-bound.ts.)
 *
 * The worker (thread-entry.ts) runs the whole command (`runCli`), or for a plain run of a
 * compiled module the fast path (run-fast.ts); what it writes — the program's output and the
 * command's messages — comes to the main thread as messages on one port, in the order written,
 * and is written there to the real stdout and stderr. Its exit code comes back the same way.
 */
import { statSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import type { OutputSink } from '../runtime/output.js';
import { wantsColour } from './colour.js';
import { reportInternalError } from './run-args.js';

export { DEFAULT_STACK_MB, fastRunFile, reportInternalError, runsProgram, stackSizeOf } from './run-args.js';

/**
 * node:worker_threads, loaded when a thread is started, and on the thread: a run on the main
 * thread (src/cli/stack-bound.ts) never loads it.
 */
const threads = (): typeof import('node:worker_threads') => process.getBuiltinModule('node:worker_threads');

/** How sources are watched (chokidar): a save is reported once the file stops changing. */
export const WATCH_OPTIONS = { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } } as const;

/** What the worker posts. */
type FromWorker =
  | { readonly type: 'write'; readonly fd: 1 | 2; readonly bytes: Uint8Array | string }
  | { readonly type: 'watch'; readonly paths: readonly string[] }
  | { readonly type: 'exit'; readonly code: number };

/** What the main thread posts. */
type ToWorker = { readonly type: 'changed' } | { readonly type: 'ready' };

interface RunThreadData {
  readonly smfRunThread: true;
  /** Whether the thread runs the fast path (run-fast.ts) rather than the whole command line. */
  readonly fast: boolean;
  /** Raised by the main thread when a watched source changes (see ExecutionLimits.interrupt). */
  readonly interrupt: SharedArrayBuffer;
  /** Whether errors get terminal colours: decided here, where standard error is the terminal's. */
  readonly colour: boolean;
}

/** On the run thread: whether it runs the fast path. */
export function runsFastPath(): boolean {
  return (threads().workerData as RunThreadData).fast;
}

/**
 * Main thread: runs `argv` on a worker whose stack is `stackMb` MiB; resolves with its exit code.
 * Under `--watch` it watches the files the worker names, tells it of each change (raising the
 * interrupt flag, so a `main` that is still running stops), and stops it on SIGINT or SIGTERM.
 */
export function runOnThread(entry: URL, argv: readonly string[], stackMb: number, fast: boolean): Promise<number> {
  const interrupt = new SharedArrayBuffer(4);
  const data: RunThreadData = { smfRunThread: true, fast, interrupt, colour: wantsColour(process.stderr.isTTY) };
  const worker = new (threads().Worker)(entry, { argv: [...argv], workerData: data, resourceLimits: { stackSizeMb: stackMb }, stdout: false, stderr: false });
  let code = 1;
  let stopped = false;
  let watcher: { add(paths: readonly string[]): void; close(): Promise<void> } | undefined;
  const stop = (): void => {
    stopped = true;
    void worker.terminate();
  };
  // A reader that went away (`smf run app.spl | head`) ends the program quietly.
  const closedPipe = (e: NodeJS.ErrnoException): void => {
    if (e.code !== 'EPIPE') throw e;
    stop();
  };
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
  return new Promise((resolve) => {
    worker.on('message', (m: FromWorker) => {
      if (stopped) return;
      if (m.type === 'write') (m.fd === 1 ? process.stdout : process.stderr).write(m.bytes);
      else if (m.type === 'exit') code = m.code;
      else if (m.type === 'watch') {
        if (watcher) watcher.add(m.paths);
        else {
          watcher = startWatching(
            m.paths,
            () => {
              Atomics.store(new Int32Array(interrupt), 0, 1);
              worker.postMessage({ type: 'changed' } satisfies ToWorker);
            },
            () => worker.postMessage({ type: 'ready' } satisfies ToWorker),
          );
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        }
      }
    });
    worker.on('error', (e) => {
      // Only a bug in smf reaches here: every expected failure is reported by the command.
      reportInternalError(e);
      code = 1;
    });
    worker.on('exit', () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void (watcher?.close() ?? Promise.resolve()).then(() => resolve(stopped ? 0 : code));
    });
  });
}

/**
 * chokidar over `paths` (loaded only for --watch), calling `onChange` on each change and
 * `onReady` once its first scan is done. A file saved while the watcher was still starting is
 * reported once it is ready.
 */
function startWatching(paths: readonly string[], onChange: () => void, onReady: () => void): { add(paths: readonly string[]): void; close(): Promise<void> } {
  const since = Date.now();
  const pending: string[] = [...paths];
  let closed = false;
  let close: () => Promise<void> = async () => {};
  let add = (more: readonly string[]): void => void pending.push(...more);
  void import('chokidar').then(({ watch }) => {
    // Stopped before chokidar was loaded: nothing to watch any more.
    if (closed) return;
    const w = watch(pending, WATCH_OPTIONS);
    w.on('change', onChange);
    w.once('ready', () => {
      onReady();
      const early = pending.some((p) => {
        try {
          return statSync(p).mtimeMs > since;
        } catch {
          return false;
        }
      });
      if (early) onChange();
    });
    add = (more) => void w.add([...more]);
    close = () => w.close();
  });
  return {
    add: (more) => add(more),
    close: () => {
      closed = true;
      return close();
    },
  };
}

/** Worker: how the command's output and messages reach the main thread. */
export interface RunThreadIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where the program's `print` goes. */
  readonly output: OutputSink;
  /** Raised by the main thread on a change of a watched source. */
  readonly interrupt: Int32Array;
  /** Watching sources through the main thread. */
  readonly watch: RemoteWatch;
  /** Whether errors get terminal colours (the main thread's standard error decides). */
  readonly colour: boolean;
  exit(code: number): void;
}

export interface RemoteWatch {
  /** Asks the main thread to watch these files too. */
  add(paths: readonly string[]): void;
  /** Calls `onChange` when the main thread reports a change. */
  onChange(handler: () => void): void;
  /** Resolves when the main thread's watcher is ready. */
  readonly ready: Promise<void>;
}

export function runThreadIo(): RunThreadIo {
  const { parentPort, workerData } = threads();
  const port = parentPort as MessagePort;
  const post = (m: FromWorker): void => port.postMessage(m);
  const handlers: Array<() => void> = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  port.on('message', (m: ToWorker) => {
    if (m.type === 'changed') for (const h of handlers) h();
    else markReady();
  });
  // The port must not keep the worker alive unless something waits for changes.
  port.unref();
  return {
    stdout: (text) => post({ type: 'write', fd: 1, bytes: text }),
    stderr: (text) => post({ type: 'write', fd: 2, bytes: text }),
    // A chunk is the sink's to keep (OutputSink): its buffer moves to the main thread uncopied.
    output: { write: (bytes) => port.postMessage({ type: 'write', fd: 1, bytes } satisfies FromWorker, ownsBuffer(bytes) ? [bytes.buffer] : []) },
    interrupt: new Int32Array((workerData as RunThreadData).interrupt),
    colour: (workerData as RunThreadData).colour,
    watch: {
      add: (paths) => post({ type: 'watch', paths }),
      onChange: (h) => {
        handlers.push(h);
        port.ref();
      },
      ready,
    },
    exit: (code) => post({ type: 'exit', code }),
  };
}

/** Is `bytes` the whole of its own ArrayBuffer (so that the buffer can be transferred)? */
function ownsBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
