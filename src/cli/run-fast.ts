/**
 * The fast path of `smf run app.smf` (bundled as `dist/cli/smf-run.cjs`): a command line that
 * only runs a compiled module (run-args.ts, fastRunFile) needs neither the option parser nor the
 * compiler, and loads neither — the compiler comes only with a load-time JIT. Any other
 * command line goes through the whole command line (run-entry.ts).
 *
 * It runs on the main thread when the program's stack is bounded (stack-bound.ts), else on the
 * run thread (thread-entry.ts).
 */
import { writeSync } from 'node:fs';
import { fastRunFile, stackSizeOf } from './run-args.js';
import { runSmfFile } from './run-smf.js';
import { wantsColour } from './colour.js';
import type { CliIo } from './program.js';
import type { OutputSink } from '../runtime/output.js';

export { fitsMainThread } from './stack-bound.js';

/** Runs a command line `fastRunFile` accepted, on the run thread; returns the exit code. */
export function runFast(argv: readonly string[], io: CliIo): Promise<number> {
  return run(argv, io, stackSizeOf(argv));
}

function run(argv: readonly string[], io: CliIo, stackSize: number | undefined): Promise<number> {
  const file = fastRunFile(argv);
  if (file === undefined) throw new Error(`not a plain run of a .smf file: ${argv.join(' ')}`);
  // A trap's backtrace is read from the engine's stack: keep more than the default 10 frames.
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 48);
  return runSmfFile(file, { jit: true, stackSize }, { io, exit: () => {} });
}

/**
 * Runs it on this thread (the main thread), writing to the process's own streams. The program
 * has this thread's stack whatever `--stack-size` says (the shadow stack is sized to match: its
 * frames hold fewer pointers than the bound stack-bound.ts found has slots).
 */
export function runFastHere(argv: readonly string[]): Promise<number> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    output: standardOutput(),
    // Asked only when an error is reported: looking at process.stderr makes its stream.
    get colour() {
      return wantsColour(process.stderr.isTTY);
    },
  };
  return run(argv, io, 0);
}

/**
 * `print` on the main thread, written to descriptor 1 as it comes, so that a reader that went
 * away (`smf run app.smf | head`) is seen at once — EPIPE from the write itself, where the
 * stream would report it only once `main` returned, which a program printing forever never does
 * — and ends the run quietly, as the run thread's does (thread.ts).
 */
function standardOutput(): OutputSink {
  let closed = false;
  return {
    write(bytes) {
      let at = 0;
      while (!closed && at < bytes.length) {
        try {
          at += writeSync(1, bytes, at, bytes.length - at);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          else if (code === 'EPIPE') {
            closed = true;
            process.exit(0);
          } else throw e;
        }
      }
    },
  };
}
