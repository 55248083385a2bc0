import { Command, CommanderError } from 'commander';
import { isSimpleError } from '../errors.js';
import { errorLabel, wantsColour } from './colour.js';
import { EXIT } from './exit-codes.js';
import { registerCompile } from './compile.js';
import { registerInspect } from './inspect.js';
import { registerLink } from './link.js';
import { registerRun } from './run.js';
import { registerRepl } from './repl.js';
import { registerGraph } from './graph.js';
import { registerPlayground } from './playground.js';
import type { OutputSink } from '../runtime/output.js';
import type { RemoteWatch } from './thread.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where a program's `print` goes (default: the process's standard output). */
  output?: OutputSink;
  /** On the `smf run` thread: the flag the main thread raises when a watched source changes. */
  interrupt?: Int32Array;
  /** On the `smf run` thread: sources are watched by the main thread. */
  watch?: RemoteWatch;
  /** Dress errors in terminal colours (colour.ts decides); plain when absent. */
  colour?: boolean;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  colour: wantsColour(process.stderr.isTTY),
};

export { EXIT } from './exit-codes.js';

/** What a command reports back: its exit code. */
export interface CommandContext {
  readonly io: CliIo;
  exit(code: number): void;
}

/**
 * Runs the `smf` command line and returns its exit code. Kept free of `process.exit` so the
 * tests can drive it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  // A trap's backtrace is read from the engine's stack: keep more than the default 10 frames.
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 48);
  const ctx: CommandContext = {
    io,
    exit: (c) => {
      code = c;
    },
  };
  const program = new Command('smf')
    .description('The Simple module system: compile, link, inspect and run SMF modules.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run smf --help for usage)');
  registerCompile(program, ctx);
  registerRun(program, ctx);
  registerInspect(program, ctx);
  registerLink(program, ctx);
  registerRepl(program, ctx);
  registerGraph(program, ctx);
  registerPlayground(program, ctx);
  // `smf app.smf` is `smf run app.smf`: what the `#!/usr/bin/env smf` stub of a linked program runs.
  const args = argv.length > 0 && /\.(smf|spl)$/.test(argv[0]) ? ['run', ...argv] : [...argv];
  // `--stats=json` is `--stats-json` (an optional option value would swallow `run --stats app.smf`'s file).
  const end = args.indexOf('--');
  for (let i = 0; i < (end < 0 ? args.length : end); i++) if (args[i] === '--stats=json') args[i] = '--stats-json';
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (isSimpleError(e)) {
      io.stderr(`${errorLabel(io.colour)} ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
  return code;
}

export const VERSION = '0.1.0';
