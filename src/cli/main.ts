#!/usr/bin/env node
/**
 * The `smf` launcher: small, so that `smf run` starts its run thread (src/cli/thread.ts) without
 * first loading the compiler; the command line itself is `smf-cli.js` (src/cli/run-entry.ts), and
 * a plain run of a compiled module is `smf-run.cjs` (src/cli/run-fast.ts), which loads neither the
 * option parser nor the compiler — and runs on this thread when the program cannot recurse
 * (src/cli/stack-bound.ts), sparing the thread's start.
 *
 * It is bundled twice (scripts/bundle.mjs): `smf.cjs`, the package's `smf` command — Node starts a
 * CommonJS script sooner than an ES module — and `smf.js`, the same as an ES module.
 */
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from '../node/cached-bundle.js';
import { fastRunFile, reportInternalError, runsProgram, stackSizeOf } from './run-args.js';
import { fastLinkArgs } from './link-args.js';

/** The bundles next to this file (scripts/bundle.mjs). */
const CLI = new URL('./smf-cli.js', import.meta.url);
/** The fast path as one CommonJS script, loaded through V8's code cache (cached-bundle.ts). */
const FAST_RUN = new URL('./smf-run.cjs', import.meta.url);
const THREAD = new URL('./smf-thread.js', import.meta.url);

async function main(argv: readonly string[]): Promise<number> {
  const stackMb = runsProgram(argv) ? stackSizeOf(argv) : undefined;
  const file = fastRunFile(argv);
  if (file !== undefined) {
    const fast = loadCachedBundle(fileURLToPath(FAST_RUN)).exports as unknown as typeof import('./run-fast.js');
    if (stackMb === 0 || fast.fitsMainThread(file)) return fast.runFastHere(argv);
    return (await import('./thread.js')).runOnThread(THREAD, argv, stackMb ?? 0, true);
  }
  const link = fastLinkArgs(argv);
  if (link) return (loadCachedBundle(fileURLToPath(new URL('./smf-link.cjs', import.meta.url))).exports as unknown as typeof import('./link-fast.js')).linkFast(link);
  // A malformed --stack-size is left to the command line parser to report; 0 runs in-process.
  if (stackMb !== undefined && stackMb > 0) return (await import('./thread.js')).runOnThread(THREAD, argv, stackMb, false);
  const cli = (await import(CLI.href)) as typeof import('./run-entry.js');
  return cli.runCli(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Every expected failure is reported by runCli; anything reaching here is a bug in smf itself.
    reportInternalError(e);
    process.exitCode = 1;
  },
);
