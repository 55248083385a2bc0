#!/usr/bin/env node
/**
 * The `smf` launcher: small, so that `smf run` starts its run thread (src/cli/thread.ts) without
 * first loading the compiler; the command line itself is `smf-cli.js` (src/cli/run-entry.ts).
 */
import { reportInternalError, runOnThread, runsProgram, stackSizeOf } from './thread.js';

/** The bundled command line next to this file (scripts/bundle.mjs). */
const CLI = new URL('./smf-cli.js', import.meta.url);

const argv = process.argv.slice(2);
try {
  const stackMb = runsProgram(argv) ? stackSizeOf(argv) : undefined;
  // A malformed --stack-size is left to the command line parser to report; 0 runs in-process.
  if (stackMb !== undefined && stackMb > 0) process.exitCode = await runOnThread(CLI, argv, stackMb);
  else {
    const cli = (await import(CLI.href)) as typeof import('./run-entry.js');
    process.exitCode = await cli.runCli(argv);
  }
} catch (e) {
  // Every expected failure is reported by runCli; anything reaching here is a bug in smf itself.
  reportInternalError(e);
  process.exitCode = 1;
}
