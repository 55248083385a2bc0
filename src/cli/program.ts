import { Command, CommanderError } from 'commander';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Exit codes, as documented in docs/cli.md. */
export const EXIT = { ok: 0, error: 1, usage: 2, trap: 3 } as const;

/**
 * Runs the `smf` command line and returns its exit code. Kept free of `process.exit` so the
 * tests can drive it in-process.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('smf')
    .description('The Simple module system: compile, link, inspect and run SMF modules.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.showHelpAfterError();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw e;
  }
  return code;
}
