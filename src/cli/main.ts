#!/usr/bin/env node
import { runCli } from './program.js';

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  // Every expected failure is reported by runCli; anything reaching here is a bug in smf itself.
  process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug in smf; please report it)\n`);
  process.exitCode = 1;
}
