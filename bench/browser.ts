/**
 * The playground in Chromium (issue #14): the page's load on localhost, compile+run of each
 * example in the page once it is loaded, and the size of the browser bundles. Needs `npm run
 * build` (dist/playground/) and Debian's chromium; the section says so and is skipped without it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { servePlayground } from '../src/cli/playground.js';
import { percentile } from './harness.js';
import type { Report } from './harness.js';

const SECTION = 'browser';
const CHROMIUM = '/usr/bin/chromium';
const PAGE = resolve('dist/playground');
const LOADS = 7;
const RUNS = 15;

const median = (xs: readonly number[]): number => percentile(xs, 0.5);

export const browserSection = {
  name: SECTION,
  async run(report: Report): Promise<void> {
    if (!existsSync(CHROMIUM) || !existsSync(join(PAGE, 'app.js'))) {
      process.stdout.write(`  skipped: needs ${CHROMIUM} and npm run build\n`);
      return;
    }
    for (const [name, file] of [['library bundle dist/browser/simple-smf.js', 'dist/browser/simple-smf.js'], ['page bundle dist/playground/app.js', 'dist/playground/app.js']]) {
      const bytes = readFileSync(resolve(file));
      report.add({ section: SECTION, name: `${name} (gzip)`, value: gzipSync(bytes).length / 1024, unit: 'KiB', note: `${(bytes.length / 1024).toFixed(0)} KiB minified` });
    }
    const profile = mkdtempSync(join(tmpdir(), 'smf-bench-chromium-'));
    const server = await servePlayground(PAGE, 0);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      // Page load: navigation to the page ready (examples fetched, editor up, first example shown).
      const loads: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const page = await context.newPage();
        await page.goto(server.url);
        await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
        // The page's own clock, from navigation start to ready: no driver round trips in it.
        loads.push(Number(await page.getAttribute('body', 'data-ready-ms')));
        await page.close();
      }
      report.add({ section: SECTION, name: 'page load on localhost (navigation to ready)', value: median(loads), unit: 'ms', target: { text: '< 1000 ms', met: median(loads) < 1000 }, note: `median of ${LOADS}, p90 ${percentile(loads, 0.9).toFixed(0)} ms` });

      // Compile+run in the page: Restart compiles every module, writes its SMF, loads it into a
      // fresh loader and runs main (the click's handler is synchronous; the page is redrawn too).
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
      const examples = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      for (const example of examples) {
        await page.selectOption('#examples', example);
        const times = await page.evaluate((runs) => {
          const button = document.getElementById('restart')!;
          const out: number[] = [];
          for (let i = 0; i < runs + 3; i++) {
            const t0 = performance.now();
            button.click();
            if (i >= 3) out.push(performance.now() - t0);
          }
          return out;
        }, RUNS);
        report.add({
          section: SECTION,
          name: `compile+run in the page: ${example}`,
          value: median(times),
          unit: 'ms',
          target: { text: '< 50 ms', met: median(times) < 50 },
          note: `median of ${RUNS} after 3 warm-up runs, p90 ${percentile(times, 0.9).toFixed(1)} ms; output, graphs and inspector redrawn included`,
        });
      }
    } finally {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  },
};
