import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

/** Resolves when `pattern` has appeared in `text()`, or rejects after `ms`. */
function waitFor(text: () => string, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const tick = (): void => {
      if (pattern.test(text())) return res();
      if (Date.now() - started > ms) return rej(new Error(`timed out waiting for ${pattern}; got:\n${text()}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('smf run --watch', () => {
  it('recompiles on save, hot-reloads the changed module and runs main again', async () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-watch-'));
    writeFileSync(join(d, 'lib.spl'), 'fn greeting() -> text:\n    "v1"\n');
    writeFileSync(join(d, 'app.spl'), 'use lib.{greeting}\n\nfn main():\n    print(greeting())\n');
    const child = spawn(process.execPath, [BIN, 'run', '--watch', 'app.spl'], { cwd: d });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    try {
      await waitFor(() => err, /watching 2 file/, 10_000);
      expect(out).toBe('v1\n');
      writeFileSync(join(d, 'lib.spl'), 'fn greeting() -> text:\n    "v2"\n');
      await waitFor(() => out, /v2\n/, 10_000);
      expect(err).toContain('[smf] reloaded lib (version 2)');
      writeFileSync(join(d, 'lib.spl'), 'fn greeting() -> i64:\n    3\n');
      await waitFor(() => err, /reload refused/, 10_000);
      expect(err).toContain("the signature of 'greeting' changed from () -> text to () -> i64");
      expect(out).toBe('v1\nv2\n');
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(0);
  });
});
