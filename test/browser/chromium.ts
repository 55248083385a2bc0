/**
 * Debian's Chromium, driven by playwright-core, for the page tests: headless, no sandbox (tests run
 * as root in CI), nothing reaching the network, a fresh profile each launch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { servePlayground } from '../../src/cli/playground.js';
import type { PlaygroundServer } from '../../src/cli/playground.js';

export const CHROMIUM = '/usr/bin/chromium';
export const PAGE_DIR = fileURLToPath(new URL('../../dist/playground/', import.meta.url));

export interface Session {
  readonly context: BrowserContext;
  readonly server: PlaygroundServer;
  /** Console errors and uncaught exceptions of every page opened so far. */
  readonly errors: string[];
  open(): Promise<Page>;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'smf-chromium-'));
  const server = await servePlayground(PAGE_DIR, 0);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: string[] = [];
  return {
    context,
    server,
    errors,
    async open() {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 30_000 }).catch((e: Error) => {
        throw new Error(`${e.message}\npage errors: ${errors.join('\n') || 'none'}`);
      });
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
