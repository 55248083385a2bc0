/**
 * One kernel, run once, in this fresh process (issue #12, goal 3): either the Simple version
 * under a tier policy (`ModuleLoaderOptions.tiering`) or the plain JavaScript one. Prints one
 * JSON line: the call's CPU time (process.cpuUsage: V8's background compiler threads count too)
 * and elapsed time, and the load's. Usage: tier-child.js <sort|matmul|dot> <js|dynamic|modules|optimized>
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession } from '../src/compiler/driver/session.js';
import { ModuleLoader } from '../src/loader/module-loader.js';
import type { Tiering } from '../src/loader/tiering.js';
import { dotJs, matmulJs, sortJs } from './kernels/baseline.js';

const KERNELS = { sort: { n: 1_000_000, js: sortJs }, matmul: { n: 256, js: matmulJs }, dot: { n: 1_000_000, js: dotJs } } as const;
const [name, mode] = process.argv.slice(2) as [keyof typeof KERNELS, 'js' | Tiering];
const kernel = KERNELS[name];
const here = fileURLToPath(new URL('.', import.meta.url));
const file = join(here.includes('/build/bench/') ? here.replace(/build\/bench\/bench\/?$/, 'bench/') : here, 'kernels', `${name}.spl`);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let call: () => unknown;
let loadMs = 0;
if (mode === 'js') call = () => kernel.js(kernel.n);
else {
  const compiled = new CompileSession().compileFiles([file]);
  const c0 = cpu();
  const loader = new ModuleLoader({ tiering: mode });
  for (const c of compiled) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const run = loader.resolveSymbol('run');
  if (run.kind !== 'found') throw new Error('no run');
  loadMs = cpu() - c0;
  const n = BigInt(kernel.n);
  call = () => run.call(n);
}
const c0 = cpu();
const t0 = performance.now();
const value = call();
process.stdout.write(JSON.stringify({ kernel: name, mode, callCpuMs: cpu() - c0, callWallMs: performance.now() - t0, loadCpuMs: loadMs, value: String(value) }) + '\n');
