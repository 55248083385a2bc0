/**
 * The run thread's script (`dist/cli/smf-thread.js`, started by thread.ts `runOnThread`): the
 * fast path for a plain run of a compiled module, else the whole command line.
 */
import { runsFastPath, runThreadIo } from './thread.js';

// An error escaping here is a bug in smf; the main thread reports it.
const io = runThreadIo();
const argv = process.argv.slice(2);
const run = runsFastPath() ? (await import('./run-fast.js')).runFast : (await import('./run-entry.js')).runCli;
io.exit(await run(argv, io));
