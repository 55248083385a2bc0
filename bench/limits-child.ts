/**
 * Fuel overhead of one kernel, in one process (tiering flags are process-wide): the same compiled
 * kernel loaded twice, by a loader without limits and by one with fuel (so its code is metered),
 * runs interleaved (each round led by another) so that all meet the same machine. Prints one JSON line.
 * Usage: limits-child.ts <sort|matmul|dot> <runs>
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession } from '../src/compiler/driver/session.js';
import { ModuleLoader } from '../src/loader/module-loader.js';
import type { ModuleLoaderOptions } from '../src/loader/module-loader.js';

const SIZES = { sort: 1_000_000, matmul: 256, dot: 1_000_000 } as const;
const [name, runsArg] = process.argv.slice(2) as [keyof typeof SIZES, string];
const runs = Number(runsArg ?? 7);
const here = fileURLToPath(new URL('.', import.meta.url));
const file = join(here.includes('/build/bench/') ? here.replace(/build\/bench\/bench\/?$/, 'bench/') : here, 'kernels', `${name}.spl`);

function kernel(options: ModuleLoaderOptions): (n: bigint) => unknown {
  const loader = new ModuleLoader(options);
  for (const c of new CompileSession().compileFiles([file])) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const run = loader.resolveSymbol('run');
  if (run.kind !== 'found') throw new Error('no run');
  return (n) => run.call(n);
}

const plain = kernel({});
const fuel = kernel({ limits: { fuel: 1n << 60n } });
const timeout = kernel({ limits: { timeoutMs: 3_600_000 } });
const n = BigInt(SIZES[name]);
const times = { plain: [] as number[], fuel: [] as number[], timeout: [] as number[] };
const values = new Set<string>();
const order = [['plain', plain], ['fuel', fuel], ['timeout', timeout]] as const;
for (let i = 0; i < runs; i++) {
  // Each run starts with another one of the three, so none is always the one after the others.
  for (let k = 0; k < order.length; k++) {
    const [key, f] = order[(i + k) % order.length];
    // CPU time of this process, not wall time: the machine is shared, and a run that waits for
    // a core would otherwise count another process's work.
    const t = process.cpuUsage();
    values.add(String(f(n)));
    const used = process.cpuUsage(t);
    times[key].push((used.user + used.system) / 1000);
  }
}
process.stdout.write(JSON.stringify({ kernel: name, ...times, agree: values.size === 1 }) + '\n');
