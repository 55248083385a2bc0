#!/usr/bin/env node
import { isRunThread, reportInternalError, runOnThread, runsProgram, runThreadIo, stackSizeOf } from './thread.js';

const argv = process.argv.slice(2);
if (isRunThread()) {
  // The big-stack thread `smf run` started (src/cli/thread.ts). An error escaping here is a bug
  // in smf; the main thread reports it.
  const { runCli } = await import('./program.js');
  const io = runThreadIo();
  io.exit(await runCli(argv, io));
} else {
  try {
    const stackMb = runsProgram(argv) ? stackSizeOf(argv) : undefined;
    // A malformed --stack-size is left to the command line parser to report.
    // The command's code is evaluated only on the thread that runs it.
    process.exitCode = stackMb !== undefined && stackMb > 0 ? await runOnThread(new URL(import.meta.url), argv, stackMb) : await (await import('./program.js')).runCli(argv);
  } catch (e) {
    // Every expected failure is reported by runCli; anything reaching here is a bug in smf itself.
    reportInternalError(e);
    process.exitCode = 1;
  }
}
