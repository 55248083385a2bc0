/**
 * Linker figures: link time of a program of 1,000 generated modules of 20 functions each (per
 * policy), and how link time grows from 100 to 1,000 to 4,000 modules. The modules are
 * generated and compiled once into a temporary folder; only `link()` is timed (inputs are read
 * from disk inside it, as `smf link` does; the output is not written).
 */
import { link } from '../src/linker/link.js';
import type { InstantiatePolicy } from '../src/linker/link.js';
import { generateProgram } from '../test/linker/generate.js';
import { compileTo, tempDir } from '../test/linker/helpers.js';
import { median } from './harness.js';
import type { Report } from './harness.js';

const SECTION = 'linker';
const FNS = 20;

function compileProgram(n: number): { all: string[]; byName: Map<string, string> } {
  const src = tempDir('smf-bench-link-src-');
  const out = tempDir('smf-bench-link-');
  const byName = compileTo(generateProgram(src, n, FNS), out);
  return { all: [...byName.values()], byName };
}

function timeLink(inputs: readonly string[], policy: InstantiatePolicy, runs: number, warmup = 2): number {
  const times: number[] = [];
  for (let i = 0; i < runs + warmup; i++) {
    const t0 = performance.now();
    const r = link(inputs, { output: 'app.smf', instantiate: policy });
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(`link failed: ${r.errors.map((e) => e.message).join('; ')}`);
    // Warm-up runs (the linker's own code, and the garbage the compile left) are not counted.
    if (i >= warmup) times.push(ms);
  }
  return median(times);
}

export const linkerSection = {
  name: SECTION,
  async run(report: Report): Promise<void> {
    const program = compileProgram(1000);
    for (const policy of ['hybrid', 'eager', 'lazy'] as const) {
      const ms = timeLink(program.all, policy, 7);
      report.add({
        section: SECTION,
        name: `link 1,000 modules x ${FNS} functions + main (${policy})`,
        value: ms,
        unit: 'ms',
        target: { text: '< 1 s', met: ms < 1000 },
      });
    }

    // Growth: libraries made of the first n modules of one 4,000-module program (each module
    // uses only lower-numbered ones, so every prefix links on its own). 10,000 modules of 20
    // functions would be 200,000 exports, over the engine's limit for one module (100,000).
    const big = compileProgram(4000);
    const prefix = (n: number): string[] => [big.byName.get('core')!, ...Array.from({ length: n }, (_, k) => big.byName.get(`m${k}`)!)];
    const sizes = [100, 1000, 4000];
    const times = sizes.map((n) => timeLink(prefix(n), 'hybrid', n >= 4000 ? 3 : 7, n >= 4000 ? 1 : 2));
    sizes.forEach((n, i) => {
      report.add({
        section: SECTION,
        name: `link ${n.toLocaleString('en')} modules x ${FNS} functions (library, hybrid)`,
        value: times[i],
        unit: 'ms',
        note: `${((times[i] * 1000) / n).toFixed(0)} µs per module`,
      });
    });
    for (let i = 1; i < sizes.length; i++) {
      const ratio = times[i] / times[i - 1];
      const scale = sizes[i] / sizes[i - 1];
      report.add({
        section: SECTION,
        name: `link time growth, ${sizes[i - 1].toLocaleString('en')} -> ${sizes[i].toLocaleString('en')} modules (${scale}x)`,
        value: ratio,
        unit: 'x',
        target: { text: `near linear (<= ${scale * 1.5}x)`, met: ratio <= scale * 1.5 },
      });
    }
  },
};
