/** `smf link`: writes a runnable program, reports link errors in the compiler's format, exit codes. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { compileFolder, compileTo, PROGRAMS, runMain, tempDir } from './helpers.js';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('smf link', () => {
  let smfs: Map<string, string>;
  let inputs: string[];
  beforeAll(() => {
    smfs = compileFolder(join(PROGRAMS, 'shapes'));
    inputs = ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);
  });

  it('links into an executable file that starts with the launcher', async () => {
    const out = join(tempDir(), 'bin', 'app.smf');
    const r = await cli(['link', ...inputs, '-o', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 10).toString()).toBe('#!/bin/sh\n');
    expect(statSync(out).mode & 0o111).not.toBe(0);
    expect(runMain(out).output).toBe('9\nbanana\n6.75\n1003\n2\n2\n7\n1\nx\n');
  });

  it('takes a policy, a depth limit, --no-stub and --stats', async () => {
    const out = join(tempDir(), 'app.smf');
    const r = await cli(['link', ...inputs, '-o', out, '--instantiate', 'lazy', '--max-depth', '10', '--no-stub', '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/instances +0 compiled at link time, \d+ deferred to the loader/);
    expect(readFileSync(out).subarray(0, 2).toString()).not.toBe('#!');
    expect(statSync(out).mode & 0o111).toBe(0);
  });

  it('link errors: file:line:col: error: …, a count, exit code 1, no output', async () => {
    const dir = tempDir();
    const u = compileTo([join(PROGRAMS, 'undefined/app.spl')], dir);
    const out = join(dir, 'out.smf');
    const r = await cli(['link', u.get('app')!, u.get('other')!, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.split(`${PROGRAMS}/`).join('')).toBe(
      [
        "undefined/app.spl:5:11: error: undefined symbol 'helper', used by modules 'app' and 'other'",
        "undefined/other.spl:4:5: note: 'helper' is also used here, by module 'other'",
        "undefined/app.spl:6:11: error: undefined symbol 'twice', used by module 'app'",
        '2 errors',
        '',
      ].join('\n'),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors exit with 2', async () => {
    expect((await cli(['link', ...inputs, '--instantiate', 'sometimes'])).code).toBe(2);
    expect((await cli(['link', ...inputs, '--max-depth', '0'])).code).toBe(2);
    expect((await cli(['link'])).code).toBe(2);
  });
});
