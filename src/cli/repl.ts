import type { Command } from 'commander';
import { runPipe } from '../repl/pipe.js';
import { runTerminal, trimHistory } from '../repl/terminal.js';
import type { CommandContext } from './program.js';

export function registerRepl(program: Command, ctx: CommandContext): void {
  program
    .command('repl')
    .description('an interactive session: definitions are hot-reloaded, statements and expressions run and show their value and type')
    .option('-I, --module-path <dir...>', 'more folders to find imported modules in')
    .action(async (opts: { modulePath?: string[] }) => {
      const options = { cwd: process.cwd(), modulePaths: opts.modulePath ?? [] };
      if (process.stdin.isTTY && process.stdout.isTTY) {
        trimHistory();
        // The evaluation thread's script: tsc's output of src/repl/worker.ts, beside dist/cli.
        const workerUrl = new URL('../repl/worker.js', import.meta.url);
        ctx.exit(await runTerminal({ workerUrl, ...options, input: process.stdin, output: process.stdout, error: process.stderr }));
      } else {
        ctx.exit(await runPipe(process.stdin, { out: ctx.io.stdout, err: ctx.io.stderr }, options));
      }
    });
}
