/**
 * The whole command line, bundled on its own (`dist/cli/smf-cli.js`): loaded by the `smf`
 * launcher (`main.ts`) in-process for commands that run no program, and as the run thread's
 * script for `smf run` (src/cli/thread.ts), so the launcher itself stays small.
 */
import { runCli } from './program.js';
import { isRunThread, runThreadIo } from './thread.js';

export { runCli };

if (isRunThread()) {
  // An error escaping here is a bug in smf; the main thread reports it.
  const io = runThreadIo();
  io.exit(await runCli(process.argv.slice(2), io));
}
