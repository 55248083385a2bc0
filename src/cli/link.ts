import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { runLink } from './link-action.js';
import { LINK_COMPRESSIONS, LINK_DEFAULTS, LINK_POLICIES } from './link-args.js';
import type { LinkCliOptions } from './link-args.js';
import type { CommandContext } from './program.js';

/**
 * The `smf link` command. A plain link command line (link-args.ts) does not come here: the
 * launcher runs it through link-fast.ts, with the same options and the same action (link-action.ts).
 */
export function registerLink(program: Command, ctx: CommandContext): void {
  program
    .command('link')
    .description('link SMF modules into one program that runs as ./app.smf')
    .argument('<files...>', '.smf modules (compiled modules or linked programs)')
    .option('-o, --output <file>', 'output file', LINK_DEFAULTS.output)
    .addOption(
      new Option('--instantiate <policy>', 'when generic instances are compiled: at link time (eager), by the loader (lazy), or what main reaches at link time and the rest by the loader (hybrid)')
        .choices([...LINK_POLICIES])
        .default(LINK_DEFAULTS.instantiate),
    )
    .option('--max-depth <n>', 'longest chain of instances requiring instances (default 100)', positiveInt)
    .option('--max-instances <n>', 'most instances compiled at link time (default 10000)', positiveInt)
    .option('--profile <file>', 'an SMF whose note.sdn lists instances JIT-compiled in earlier runs: compile them in')
    .option('--no-stub', 'do not start the output with the launcher that lets it run as ./app.smf')
    .addOption(new Option('--compression <algo>', 'compress metadata sections').choices([...LINK_COMPRESSIONS]).default(LINK_DEFAULTS.compression))
    .option('--stats', 'print what the link did and how long each phase took')
    .action((files: string[], opts: LinkCliOptions) => {
      const code = runLink(files, opts, ctx.io);
      if (code !== 0) ctx.exit(code);
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
