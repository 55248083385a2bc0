/**
 * `npm run bench`: every figure the issues ask for, side by side with its baseline, printed as a
 * table and written to bench/results/latest.json. Sections can be picked by name:
 * `npm run bench -- loader linker`.
 */
import { resolve } from 'node:path';
import { Report } from './harness.js';
import { compilerSection } from './compiler.js';
import { loaderSection } from './loader.js';
import { linkerSection } from './linker.js';
import { limitsSection } from './limits.js';
import { memorySection } from './memory.js';
import { browserSection } from './browser.js';
import { startupSection } from './startup.js';
import { tiersSection } from './tiers.js';
import { freshLoadSection } from './fresh-load.js';

type Section = { name: string; run: (report: Report) => Promise<void> };

const sections: Section[] = [startupSection, tiersSection, freshLoadSection, compilerSection, loaderSection, linkerSection, limitsSection, memorySection, browserSection];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const report = new Report();
  for (const s of sections) {
    if (wanted.length > 0 && !wanted.includes(s.name)) continue;
    process.stdout.write(`\n== ${s.name}\n`);
    await s.run(report);
  }
  // bench/results/latest.json in the repository, whether this runs from source or from build/.
  const out = resolve('bench/results/latest.json');
  report.write(out);
  process.stdout.write(`\nwrote ${out}\n`);
}

await main();
