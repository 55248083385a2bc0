import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

describe('smf playground', () => {
  it('serves the built page on localhost until interrupted, and nothing outside its folder', async () => {
    const child = spawn(process.execPath, [BIN, 'playground', '--port', '0']);
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    try {
      const url = await new Promise<string>((res, rej) => {
        const t = setTimeout(() => rej(new Error(`no URL printed; got: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /playground at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(t);
            res(m[1]);
          }
        });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<button id="run"');
      expect(html).toContain('id="output"');
      const app = await fetch(new URL('app.js', url));
      expect(app.headers.get('content-type')).toContain('text/javascript');
      const examples = (await (await fetch(new URL('examples.json', url))).json()) as Record<string, string>;
      expect(Object.keys(examples)).toContain('hello.spl');
      expect((await fetch(new URL('/%2e%2e/%2e%2e/package.json', url))).status).toBe(404);
      expect((await fetch(new URL('/%E0%A4%A', url))).status).toBe(400);
    } finally {
      child.kill('SIGINT');
    }
    expect(await new Promise((res) => child.on('exit', (code) => res(code)))).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const child = spawn(process.execPath, [BIN, 'playground', '--port', 'eighty']);
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    expect(await new Promise((res) => child.on('exit', (code) => res(code)))).toBe(2);
    expect(err).toContain("--port takes a whole number from 0 to 65535, not 'eighty'");
  });
});
