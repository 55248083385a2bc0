/**
 * Fresh-process measurements: each trial is a new child process, and the cases of a comparison
 * take turns (A B, B A, A B, …) so that the machine's load falls on both alike. A trial's figure
 * is the child's CPU time (user + system, from the shell's `times`, to the millisecond): this
 * machine is shared, and CPU time is what a busy machine does not inflate the way it does
 * elapsed time. Elapsed time is kept beside it.
 */
import { spawnSync } from 'node:child_process';
import { median } from './harness.js';

export interface FreshTrial {
  /** The child's CPU time, user + system, in ms. */
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly stdout: string;
}

/** Runs `argv` once in a fresh process; throws when it fails. */
export function runFresh(argv: readonly string[], env?: NodeJS.ProcessEnv): FreshTrial {
  const t0 = performance.now();
  // `times` prints the shell's own times, then its children's: the second line is the child's.
  const r = spawnSync('bash', ['-c', '"$@"; rc=$?; times >&2; exit $rc', 'bash', ...argv], { encoding: 'utf8', env: env ?? process.env, maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stderr.trimEnd().split('\n');
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1]);
  if (!m) throw new Error(`no times from ${argv.join(' ')}: ${r.stderr.slice(-500)}`);
  const cpuMs = (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return { cpuMs, wallMs, stdout: r.stdout };
}

/** Runs each case `trials` times, in turns whose order alternates; the trials by case. */
export function alternate<K extends string>(cases: Readonly<Record<K, readonly string[]>>, trials: number): Record<K, FreshTrial[]> {
  const names = Object.keys(cases) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as FreshTrial[]])) as Record<K, FreshTrial[]>;
  for (let t = 0; t < trials; t++) {
    const order = t % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(runFresh(cases[n]));
  }
  return out;
}

export const medianCpu = (trials: readonly FreshTrial[]): number => median(trials.map((t) => t.cpuMs));
export const medianWall = (trials: readonly FreshTrial[]): number => median(trials.map((t) => t.wallMs));

/** The last line of a trial's standard output, as JSON (what a bench child reports). */
export function reported<T>(trial: FreshTrial): T {
  const lines = trial.stdout.trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
