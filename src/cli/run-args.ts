/**
 * What the `smf` launcher (main.ts) reads off a command line before it loads anything else:
 * whether it runs a program, on how big a stack, and whether it is a plain run of a compiled
 * module (the fast path, run-fast.ts). Kept free of imports, so the launcher stays small.
 */

/** The stack of the thread `smf run` runs programs on, unless `--stack-size` says otherwise. */
export const DEFAULT_STACK_MB = 256;

/** What smf prints for an error that only a bug in smf itself can cause. */
export function reportInternalError(e: unknown): void {
  process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug in smf; please report it)\n`);
}

/** Does this command line run a program (and so belong on the big-stack thread)? */
export function runsProgram(argv: readonly string[]): boolean {
  const first = argv[0];
  return first === 'run' || (first !== undefined && /\.(smf|spl)$/.test(first));
}

/**
 * The stack size `--stack-size MB` asks for, or the default; undefined when it is not a size.
 * 0 runs the program on the main thread, with Node's own stack (about 1 MiB), sparing the start
 * of a thread.
 */
export function stackSizeOf(argv: readonly string[]): number | undefined {
  const i = argv.findIndex((a) => a === '--stack-size' || a.startsWith('--stack-size='));
  if (i < 0) return DEFAULT_STACK_MB;
  const text = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  const mb = Number(text);
  return Number.isInteger(mb) && mb >= 0 && mb <= 65536 ? mb : undefined;
}

/**
 * The file of a command line that only runs a compiled module — `smf run app.smf` or
 * `smf app.smf`, at most with `--stack-size` — which the fast path (src/cli/run-fast.ts) runs
 * without loading the option parser or the compiler; undefined for any other command line.
 */
export function fastRunFile(argv: readonly string[]): string | undefined {
  const args = argv[0] === 'run' ? argv.slice(1) : argv;
  const at = args.findIndex((a) => a === '--stack-size' || a.startsWith('--stack-size='));
  const rest = at < 0 ? args : args.filter((_, i) => i !== at && !(i === at + 1 && args[at] === '--stack-size'));
  if (at >= 0 && stackSizeOf(argv) === undefined) return undefined;
  return rest.length === 1 && rest[0].endsWith('.smf') && !rest[0].startsWith('-') ? rest[0] : undefined;
}
