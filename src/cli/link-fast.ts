/**
 * The fast path of `smf link` (bundled as `dist/cli/smf-link.cjs`, loaded through V8's code cache
 * like `smf run`'s, cached-bundle.ts): a command line link-args.ts accepted needs neither the
 * option parser nor the other commands, and its start was a quarter of linking 1,000 modules.
 */
import { wantsColour } from './colour.js';
import { runLink } from './link-action.js';
import type { FastLink } from './link-args.js';
import type { CliIo } from './program.js';

/** Runs the link on this thread, writing to the process's own streams; the exit code. */
export function linkFast({ files, options }: FastLink): number {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // Asked only when an error is reported: looking at process.stderr makes its stream.
    get colour() {
      return wantsColour(process.stderr.isTTY);
    },
  };
  return withoutOptimizingCompiler(() => runLink(files, options, io));
}

/**
 * Runs `work` with V8's optimizing compiler (TurboFan) off. A link is one pass over its inputs in
 * a process that then exits: TurboFan compiled the linker's hot functions on background threads
 * for CPU time the rest of the run never earned back — linking 1,000 small modules took 0.49 s
 * of CPU with it, 0.30 s without, and a program with generics was no slower without it
 * (docs/performance.md). The flag is put back afterwards, so that a code cache written at exit
 * carries the flags a fresh process starts with.
 */
function withoutOptimizingCompiler<T>(work: () => T): T {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--no-opt');
  try {
    return work();
  } finally {
    v8.setFlagsFromString('--opt');
  }
}
