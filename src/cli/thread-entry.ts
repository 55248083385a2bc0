/**
 * The run thread's script (`dist/cli/smf-thread.js`, started by thread.ts `runOnThread`): the
 * fast path for a plain run of a compiled module (through its code cache, as the launcher loads
 * it), else the whole command line.
 */
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from '../node/cached-bundle.js';
import { runsFastPath, runThreadIo } from './thread.js';

// An error escaping here is a bug in smf; the main thread reports it.
const io = runThreadIo();
const argv = process.argv.slice(2);
const run = runsFastPath()
  ? (loadCachedBundle(fileURLToPath(new URL('./smf-run.cjs', import.meta.url))).exports as unknown as typeof import('./run-fast.js')).runFast
  : (await import('./run-entry.js')).runCli;
io.exit(await run(argv, io));
