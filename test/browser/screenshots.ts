/**
 * Takes the screenshots docs/playground.md shows: `npx tsx test/browser/screenshots.ts` after
 * `npm run build`. Not a test: it only writes the pictures into docs/img/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSession } from './chromium.js';

const OUT = fileURLToPath(new URL('../../docs/img/', import.meta.url));
const session = await startSession();
try {
  const page = await session.open();
  await page.selectOption('#examples', 'generics.spl');
  await page.waitForSelector('#output .stdout');
  await page.screenshot({ path: join(OUT, 'playground.png') });

  await page.selectOption('#examples', 'modules/main.spl');
  await page.waitForSelector('#instance-graph g.node[data-origin=jit]');
  await page.click('#restart');
  await page.waitForSelector('#instance-graph g.node[data-origin=kept]');
  await page.locator('#module-graph').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(OUT, 'playground-graphs.png') });

  await page.locator('#inspector').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(OUT, 'playground-inspector.png') });

  await page.selectOption('#examples', 'hello.spl');
  await page.uncheck('#autorun');
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('fn main():\n    val n: i64 = "three"\n    print(n)\n');
  await page.click('#run');
  await page.waitForSelector('#output .diagnostics');
  await page.locator('#side').evaluate((e) => (e.scrollTop = 0));
  await page.screenshot({ path: join(OUT, 'playground-diagnostics.png'), clip: { x: 0, y: 0, width: 1400, height: 420 } });
  if (session.errors.length) throw new Error(`console errors: ${session.errors.join('\n')}`);
} finally {
  await session.close();
}
