import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { startSession } from './chromium.js';
import type { Session } from './chromium.js';

/**
 * Replaces the editor's text as a user would: select all, then type over the selection — one
 * change of the document, so "run on edit" sees a single edit.
 */
async function setSource(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

describe('the playground in Chromium', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await startSession();
    page = await session.open();
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('loads with no console error and offers the examples', async () => {
    expect(session.errors).toEqual([]);
    const options = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options[0]).toBe('hello.spl');
    expect(options).toContain('generics.spl');
    expect(options).toContain('modules/main.spl');
  });

  it('runs hello and shows its output and exit code', async () => {
    await page.selectOption('#examples', 'hello.spl');
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('Hello, world!\n');
    expect(await page.textContent('#exit-code')).toBe('exit code 0');
    expect(session.errors).toEqual([]);
  });

  it('an edit hot-reloads into the same loader, which keeps its state', async () => {
    await page.selectOption('#examples', 'hello.spl');
    await page.click('#restart');
    await expect.poll(() => page.textContent('#loader-status')).toContain('loader: started; runs in this loader: 1');
    await page.uncheck('#autorun');
    await setSource(page, 'fn main():\n    print("edited")\n');
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('edited\n');
    expect(await page.textContent('#exit-code')).toBe('exit code 0');
    expect(await page.textContent('#output .reloaded')).toBe('[reloaded hello (version 2)]');
    expect(await page.textContent('#loader-status')).toContain('runs in this loader: 2');
    expect(await page.textContent('#loader-status')).toContain('hello v2');
    // An edit that changes main's signature is refused: the old code keeps running.
    await setSource(page, 'fn main() -> i64:\n    7\n');
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .diagnostics')).toContain("the signature of 'main' changed");
    await setSource(page, 'fn main():\n    print("edited again")\n');
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('edited again\n');
    expect(await page.textContent('#loader-status')).toContain('hello v3');
    await page.check('#autorun');
  });

  it('with "run on edit", an edit alone hot-reloads and reruns (no click)', async () => {
    await page.selectOption('#examples', 'hello.spl');
    await page.click('#restart');
    await expect.poll(() => page.textContent('#loader-status')).toContain('runs in this loader: 1');
    expect(await page.isChecked('#autorun')).toBe(true);
    await setSource(page, 'fn main():\n    print("typed")\n');
    await expect.poll(() => page.textContent('#output .stdout'), { timeout: 10_000 }).toBe('typed\n');
    expect(await page.textContent('#output .reloaded')).toBe('[reloaded hello (version 2)]');
    expect(await page.textContent('#loader-status')).toContain('runs in this loader: 2');
  });

  it('shows compile errors with their carets, and traps', async () => {
    await page.selectOption('#examples', 'hello.spl');
    await page.uncheck('#autorun');
    await setSource(page, 'fn main():\n    print(undefined_name)\n');
    await page.click('#run');
    const diagnostics = await page.textContent('#output .diagnostics');
    expect(diagnostics).toContain('undefined_name');
    expect(diagnostics).toMatch(/\^/);
    expect(await page.textContent('#exit-code')).toBe('exit code 1');
    await setSource(page, 'fn main():\n    val xs: [i64] = []\n    print(xs[3])\n');
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .trap')).toMatch(/trap: .*index/i);
    expect(await page.textContent('#exit-code')).toBe('exit code 3');
    await page.check('#autorun');
  });

  it('the inspector shows the header, sections, symbols and note rows of the module', async () => {
    await page.selectOption('#examples', 'generics.spl');
    await expect.poll(() => page.textContent('#output .stdout')).toContain('3.14159');
    expect(await page.$$eval('#inspector-sections tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent))).toContain('note.sdn');
    expect(await page.textContent('#inspector-header')).toContain('moduleHash');
    expect(await page.textContent('#inspector-symbols')).toContain('main');
    const rows = await page.$$eval('#note-instantiations tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(rows.map((r) => r[2])).toEqual(expect.arrayContaining(['max$i64', 'max$f64', 'max$text', 'max$u8']));
    expect(rows.every((r) => r[6] === 'compiled')).toBe(true);
    expect(await page.getAttribute('#download', 'download')).toBe('generics.smf');
    const size = await page.evaluate(async () => (await (await fetch((document.getElementById('download') as HTMLAnchorElement).href)).arrayBuffer()).byteLength);
    expect(await page.textContent('#inspector p')).toContain(`(${size} bytes)`);
  });

  it('draws the module graph and the instantiation graph, JIT and kept instances coloured', async () => {
    await page.selectOption('#examples', 'modules/main.spl');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('(2.0, 1.0)\n17\npear\n9\n');
    const modules = await page.$$eval('#module-graph g.node', (gs) => gs.map((g) => g.getAttribute('data-id')));
    expect(modules.sort()).toEqual(['geometry', 'main']);
    expect(await page.$$eval('#module-graph g.edge', (gs) => gs.map((g) => `${g.getAttribute('data-from')}->${g.getAttribute('data-to')}`))).toEqual(['main->geometry']);
    const origins = async (): Promise<Record<string, string | null>> =>
      Object.fromEntries(await page.$$eval('#instance-graph g.node[data-kind=instance]', (gs) => gs.map((g) => [g.getAttribute('data-id'), g.getAttribute('data-origin')])));
    expect(await origins()).toEqual({ largest$i64: 'jit', largest$text: 'jit' });
    expect(await page.$$eval('#instance-graph g.node[data-kind=template]', (gs) => gs.map((g) => g.getAttribute('data-id')))).toEqual(['template:largest']);
    expect(Number(await page.getAttribute('#jit-histogram svg', 'data-title').then((t) => /(\d+) compiled/.exec(t ?? '')?.[1]))).toBe(2);
    // A fresh loader over the same files loads the instances the last run kept in main.smf.
    await page.click('#restart');
    await expect.poll(origins).toEqual({ largest$i64: 'kept', largest$text: 'kept' });
    expect(await page.getAttribute('#jit-histogram svg', 'data-title')).toContain('2 kept');
    expect(session.errors).toEqual([]);
  });

  it("an edit of a template re-instantiates the live instances other modules use (main is not reloaded)", async () => {
    await page.selectOption('#examples', 'modules/main.spl');
    await page.click('#restart');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('(2.0, 1.0)\n17\npear\n9\n');
    await page.uncheck('#autorun');
    await page.selectOption('#file', 'geometry.spl');
    const source = await page.evaluate(() => document.querySelector('.cm-content')!.textContent);
    expect(source).toContain('if x > best:');
    await setSourceOfGeometry(page);
    await page.click('#run');
    await expect.poll(() => page.textContent('#output .stdout')).toBe('(2.0, 1.0)\n3\napple\n3\n');
    expect(await page.textContent('#output .reloaded')).toBe('[reloaded geometry (version 2)]');
    expect(await page.textContent('#loader-status')).toMatch(/runs in this loader: 2;.*geometry v2.*main v1|runs in this loader: 2;.*main v1.*geometry v2/);
    await page.check('#autorun');
    expect(session.errors).toEqual([]);
  });

  it('opens an .smf from disk into the inspector and the graphs; a malformed one is a typed error', async () => {
    const compiled = new CompileSession().compileFiles([join(__dirname, '../../examples/modules/main.spl')]);
    const main = compiled.find((c) => c.declared.name === 'main')!;
    await page.setInputFiles('#open-smf', { name: 'main.smf', mimeType: 'application/octet-stream', buffer: Buffer.from(emitSmf(main)) });
    await expect.poll(() => page.textContent('#output .status')).toMatch(/^opened main\.smf \(\d+ bytes\)/);
    expect(await page.getAttribute('#inspector .inspector-body', 'data-module')).toBe('main');
    expect(await page.$$eval('#inspect-module option', (os) => os.map((o) => o.textContent))).toEqual(['main.smf']);
    expect(await page.$$eval('#module-graph g.node', (gs) => gs.map((g) => `${g.getAttribute('data-id')}:${g.getAttribute('data-kind')}`))).toEqual(['main:module', 'geometry:missing']);
    expect(await page.$$eval('#instance-graph g.node[data-kind=instance]', (gs) => gs.map((g) => g.getAttribute('data-origin')))).toEqual(['deferred', 'deferred']);
    await page.setInputFiles('#open-smf', { name: 'bad.smf', mimeType: 'application/octet-stream', buffer: Buffer.from('not an smf file') });
    await expect.poll(() => page.textContent('#output .diagnostics')).toMatch(/^error: \/opened\/bad\.smf/);
    expect(session.errors).toEqual([]);
  });
});

/** geometry.spl with `largest` turned into "smallest" (the comparison reversed). */
async function setSourceOfGeometry(page: Page): Promise<void> {
  const text = await page.evaluate(async () => ((await (await fetch('examples.json')).json()) as Record<string, string>)['modules/geometry.spl']);
  await setSource(page, text.replace('if x > best:', 'if x < best:'));
}
