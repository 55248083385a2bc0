/**
 * The tier policy (issue #12, goal 3): each kernel run once, from a fresh process, with default
 * options, against the same algorithm in plain JavaScript run once in a fresh process; and the
 * other policies beside it. The figure is the call's CPU time (bench/tier-child.ts).
 */
import { fileURLToPath } from 'node:url';
import { alternate, reported } from './fresh.js';
import { median } from './harness.js';
import type { Report } from './harness.js';

const SECTION = 'tiers';
const TRIALS = 5;

interface TierResult {
  readonly callCpuMs: number;
  readonly callWallMs: number;
  readonly loadCpuMs: number;
  readonly value: string;
}

async function run(report: Report): Promise<void> {
  const child = fileURLToPath(new URL('./tier-child.js', import.meta.url));
  const loader = child.endsWith('.ts') ? ['--import', 'tsx'] : [];
  for (const kernel of ['sort', 'matmul', 'dot']) {
    const argv = (mode: string): string[] => [process.execPath, ...loader, child, kernel, mode];
    const runs = alternate({ js: argv('js'), modules: argv('modules'), dynamic: argv('dynamic') }, TRIALS);
    const results = (k: keyof typeof runs): TierResult[] => runs[k].map((t) => reported<TierResult>(t));
    const js = median(results('js').map((r) => r.callCpuMs));
    const values = new Set(Object.keys(runs).map((k) => results(k as keyof typeof runs)[0].value));
    if (values.size !== 1) throw new Error(`${kernel}: the Simple and JavaScript results differ: ${[...values].join(', ')}`);
    for (const [mode, label] of [['modules', 'default (modules optimized up front)'], ['dynamic', "'dynamic' (baseline, tier-up between calls)"]] as const) {
      const r = results(mode);
      const value = median(r.map((x) => x.callCpuMs));
      report.add({
        section: SECTION,
        name: `${kernel}, run once from a fresh process, ${label} (CPU)`,
        value,
        unit: 'ms',
        baseline: { name: 'plain JS run once, fresh process', value: js },
        target: mode === 'modules' ? { text: 'faster than JS', met: value < js } : undefined,
        note: `load + compile ${median(r.map((x) => x.loadCpuMs)).toFixed(1)} ms CPU`,
      });
    }
  }
}

export const tiersSection = { name: SECTION, run };
