import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/program.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/smf.js');

/** Runs the built `smf` binary as a user would (npm test builds dist/ first). */
function smf(args: string[], cwd: string = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('smf command line', () => {
  it("runs the README's first program", () => {
    const r = smf(['run', 'examples/hello.spl']);
    expect(r).toMatchObject({ code: 0, stdout: 'Hello, world!\n', stderr: '' });
  });

  it('prints help and exits 0; usage errors exit 2', async () => {
    expect((await inProcess(['--help'])).code).toBe(0);
    expect((await inProcess(['frobnicate'])).code).toBe(2);
    expect((await inProcess(['compile'])).code).toBe(2);
    const r = await inProcess(['compile', 'a.spl', 'b.spl', '-o', 'x.smf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o/--output takes one input');
  });

  it('compiles, inspects and runs modules; main’s result is the exit code', () => {
    const d = dir({
      'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n',
      'app.spl': 'use lib.{max}\n\nfn main() -> i64:\n    print("max is {max(4, 7)}")\n    max(40, 2)\n',
    });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d)).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(d, 'lib.smf')) && existsSync(join(d, 'app.smf'))).toBe(true);

    const shown = smf(['inspect', 'lib.smf'], d);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Sections \(\d+\):/);
    expect(shown.stdout).toMatch(/max\s+Function\s+Global\s+GENERIC_TEMPLATE/);
    expect(shown.stdout).toMatch(/Load index \(module lib\):\n {2}imports {3}-\n {2}exports {3}-\n[^]* {2}fns {7}max\n/);
    const json = JSON.parse(smf(['inspect', 'app.smf', '--json'], d).stdout);
    expect(json.note.possible.map((r: { mangledName: string }) => r.mangledName)).toEqual(['max$i64']);
    expect(json.loadIndex).toMatchObject({ module: 'app', imports: ['lib'], exports: ['main'], calls: ['max$i64'], fns: ['main'] });
    expect(json.header).toMatchObject({ prefetchHint: 1, prefetchFileCount: 1 });
    expect(shown.stdout).toMatch(/^ {2}prefetchHint {6}0$/m);

    const run = smf(['run', 'app.smf', '--stats'], d);
    expect(run.code).toBe(40);
    expect(run.stdout).toBe('max is 7\n');
    expect(run.stderr).toMatch(/jit compiled\s+1/);
    expect(smf(['run', 'app.spl'], d)).toMatchObject({ code: 40, stdout: 'max is 7\n' });
  });

  it('writes into --out-dir and with a runnable stub', () => {
    const d = dir({ 'a.spl': 'fn main():\n    print("stub ok")\n' });
    expect(smf(['compile', 'a.spl', '--out-dir', 'out', '--stub', '--compression', 'zstd'], d).code).toBe(0);
    const bytes = readFileSync(join(d, 'out', 'a.smf'));
    expect(bytes.subarray(0, 10).toString()).toBe('#!/bin/sh\n');
    expect(smf(['run', 'out/a.smf'], d)).toMatchObject({ code: 0, stdout: 'stub ok\n' });
  });

  it('reports compile errors with location, source line and caret, exit 1', () => {
    const d = dir({ 'bad.spl': 'fn main():\n    val x: i64 = "text"\n    print(y)\n' });
    const r = smf(['compile', 'bad.spl'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bad.spl:2:18: error: `);
    expect(r.stderr).toContain('    val x: i64 = "text"\n                 ^~~~~~');
    expect(r.stderr).toContain(`bad.spl:3:11: error: unknown name 'y'`);
    expect(r.stderr).toMatch(/2 errors\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a runtime trap with the function name, exit 3', () => {
    const d = dir({ 't.spl': 'fn divide(a: i64, b: i64) -> i64:\n    a / b\n\nfn main() -> i64:\n    divide(1, 0)\n' });
    const r = smf(['run', 't.spl'], d);
    expect(r.code).toBe(3);
    // Each Simple frame with its file and line: divide's `a / b`, then main's call.
    expect(r.stderr).toBe("error: division by zero in function 'divide'\n  at divide (t.spl:2)\n  at main (t.spl:5)\n");
  });

  it('reports unreadable and malformed files without a stack trace, exit 1', () => {
    const d = dir({ 'junk.smf': 'this is not an smf file; it is long enough to hold a header, though. '.repeat(3) });
    const missing = smf(['inspect', 'nope.smf'], d);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read '.*nope\.smf': no such file or directory\n$/);
    const junk = smf(['run', 'junk.smf'], d);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^error: .*junk\.smf: not an SMF file \(no SMF header/);
    expect(smf(['run', 'missing.spl'], d).stderr).toMatch(/cannot read '.*missing\.spl'/);
  });

  it('refuses a program without a proper main', () => {
    const d = dir({ 'nomain.spl': 'fn helper() -> i64:\n    1\n', 'badmain.spl': 'fn main(x: i64):\n    print(x)\n' });
    expect(smf(['run', 'nomain.spl'], d)).toMatchObject({ code: 1, stderr: expect.stringContaining("no 'main' function") });
    expect(smf(['run', 'badmain.spl'], d).stderr).toContain("'main' must be 'fn main()' or 'fn main() -> i64'");
  });
});
