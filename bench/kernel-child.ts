/**
 * Runs one kernel in a fresh process (V8 tiering flags are process-wide): compiles the Simple
 * version, times its load (compile cost) and its runs, times the JavaScript version, and prints
 * one JSON line. Usage: kernel-child.ts <sort|matmul|dot|binarytrees> <runs> [simple|js]: with
 * `simple` or `js`, only that side runs (the bench times each side in its own process: running
 * one side first can slow the other — V8's heap after an allocation-heavy run, say). With `js`,
 * nothing of this project is set up in the process: plain JS in a plain process (with a loader
 * merely constructed, V8's allocation-site pretenuring sometimes makes the JS binary trees 10×
 * slower, depending on the heap's state — not a fair baseline).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession } from '../src/compiler/driver/session.js';
import { ModuleLoader } from '../src/loader/module-loader.js';
import { binaryTreesJs, dotJs, matmulJs, sortJs } from './kernels/baseline.js';

const KERNELS = {
  sort: { n: 1_000_000, js: sortJs },
  matmul: { n: 256, js: matmulJs },
  dot: { n: 1_000_000, js: dotJs },
  binarytrees: { n: 16, js: binaryTreesJs },
} as const;

const [name, runsArg, only] = process.argv.slice(2) as [keyof typeof KERNELS, string, 'simple' | 'js' | undefined];
const runs = Number(runsArg ?? 5);
const kernel = KERNELS[name];
// The kernels' sources stay in bench/kernels; a built copy of this file lives in build/bench/bench.
const here = fileURLToPath(new URL('.', import.meta.url));
const file = join(here.includes('/build/bench/') ? here.replace(/build\/bench\/bench\/?$/, 'bench/') : here, 'kernels', `${name}.spl`);

const t0 = performance.now();
const simpleSide = only === 'js' ? undefined : loadKernel();
const loadMs = performance.now() - t0;

function loadKernel(): { loader: ModuleLoader; run: (n: bigint) => unknown } {
  const loader = new ModuleLoader();
  for (const c of new CompileSession().compileFiles([file])) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const run = loader.resolveSymbol('run');
  if (run.kind !== 'found') throw new Error('no run');
  return { loader, run: (n) => run.call(n) };
}

// Elapsed time, and CPU time of the whole process (V8's GC threads included: JavaScript's
// parallel scavenger runs on another core, which elapsed time on an idle machine rewards).
const time = (f: () => unknown): { ms: number; cpuMs: number; value: unknown } => {
  const s = performance.now();
  const c = process.cpuUsage();
  const value = f();
  const d = process.cpuUsage(c);
  return { ms: performance.now() - s, cpuMs: (d.user + d.system) / 1000, value };
};
const simpleN = BigInt(kernel.n);
const simple = simpleSide ? Array.from({ length: runs }, () => time(() => simpleSide.run(simpleN))) : [];
const js = only === 'simple' ? [] : Array.from({ length: runs }, () => time(() => kernel.js(kernel.n)));
const norm = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
process.stdout.write(
  JSON.stringify({
    kernel: name,
    flags: process.execArgv.filter((a) => a.startsWith('--') && !a.includes('import')),
    loadMs,
    simpleMs: simple.map((r) => r.ms),
    jsMs: js.map((r) => r.ms),
    simpleCpuMs: simple.map((r) => r.cpuMs),
    jsCpuMs: js.map((r) => r.cpuMs),
    agree: only !== undefined || Math.abs(norm(simple[0].value) - norm(js[0].value)) <= Math.abs(norm(js[0].value)) * 1e-6,
    simpleValue: String(simple[0]?.value),
    gc: simpleSide?.loader.stats().memory.gc,
    jsValue: String(js[0]?.value),
  }) + '\n',
);
