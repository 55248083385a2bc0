/**
 * The fast path of `smf run app.smf` (bundled as `dist/cli/smf-run.js`): a command line that
 * only runs a compiled module (thread.ts, fastRunFile) needs neither the option parser nor the
 * compiler, and loads neither — the compiler comes only with a load-time JIT. Any other
 * command line goes through the whole command line (run-entry.ts).
 */
import { fastRunFile, isRunThread, runThreadIo, stackSizeOf } from './thread.js';
import { runSmfFile } from './run-smf.js';
import type { CliIo } from './program.js';

/** Runs a command line `fastRunFile` accepted; returns the exit code. */
export function runFast(argv: readonly string[], io: CliIo): Promise<number> {
  const file = fastRunFile(argv);
  if (file === undefined) throw new Error(`not a plain run of a .smf file: ${argv.join(' ')}`);
  return runSmfFile(file, { jit: true, stackSize: stackSizeOf(argv) }, { io, exit: () => {} });
}

if (isRunThread()) {
  // An error escaping here is a bug in smf; the main thread reports it.
  const io = runThreadIo();
  io.exit(await runFast(process.argv.slice(2), io));
}
