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
export function linkFast({ files, options }: FastLink): Promise<number> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // Asked only when an error is reported: looking at process.stderr makes its stream.
    get colour() {
      return wantsColour(process.stderr.isTTY);
    },
  };
  return runLink(files, options, io);
}
