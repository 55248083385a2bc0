/**
 * What a new user meets first: files that are not what the command expects, misspelt commands,
 * a program of two modules compiled by naming only its main file.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wantsColour } from '../../src/cli/colour.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/smf.js');

function smf(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-first-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('files that are not what a command expects', () => {
  const d = dir({ 'hello.smf': 'hello\n', 'notes.smf': 'just some text, long enough to fill an SMF header of 128 bytes. '.repeat(3) });
  mkdirSync(join(d, 'folder.smf'));
  mkdirSync(join(d, 'folder.spl'));

  it('a file that is not SMF says so, for run, inspect and link, without header internals', () => {
    for (const file of ['hello.smf', 'notes.smf']) {
      for (const args of [['run', file], ['inspect', file], ['link', file, '-o', 'out.smf']]) {
        const r = smf(args, d);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}: (error: )?not an SMF file \\(`));
        expect(r.stderr).not.toMatch(/header\.magic|at byte 0x|SMF\\0/);
      }
    }
    expect(smf(['run', 'hello.smf'], d).stderr).toContain('it is 6 bytes, shorter than an SMF header');
  });

  it('a missing file and a directory are said in plain words, for every command', () => {
    const cases = [['run', 'nope.smf'], ['run', 'nope.spl'], ['inspect', 'nope.smf'], ['compile', 'nope.spl'], ['link', 'nope.smf', '-o', 'out.smf']];
    for (const args of cases) {
      const r = smf(args, d);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot read '[^']*nope\.(smf|spl)': no such file or directory/);
      expect(r.stderr).not.toMatch(/ENOENT|EISDIR|errno/);
    }
    for (const args of [['run', 'folder.smf'], ['inspect', 'folder.smf'], ['compile', 'folder.spl'], ['link', 'folder.smf', '-o', 'out.smf']]) {
      const r = smf(args, d);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot read '[^']*folder\.(smf|spl)': not a regular file \(a directory\)/);
    }
    const inFile = smf(['compile', 'hello.smf/x.spl'], d);
    expect(inFile.stderr).toContain('a part of the path is not a directory');
  });
});

describe('did-you-mean on the command line', () => {
  it('a misspelt command or option names the one meant (exit 2)', () => {
    const d = dir({});
    const cmd = smf(['rnu', 'x.spl'], d);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'rnu'");
    expect(cmd.stderr).toMatch(/did you mean run\?/i);
    const opt = smf(['run', '--stak-size', '3', 'x.spl'], d);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/did you mean --stack-size\?/i);
  });
});

describe('smf compile main.spl', () => {
  const lib = 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n';
  const app = 'use lib.{max}\n\nfn main() -> i64:\n    print("max is {max(4, 7)}")\n    max(40, 2)\n';

  it('also writes the modules it imports, so the output runs as it is', () => {
    const d = dir({ 'lib.spl': lib, 'app.spl': app });
    expect(smf(['compile', 'app.spl'], d)).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(d, 'lib.smf'))).toBe(true);
    expect(smf(['run', 'app.smf'], d)).toMatchObject({ code: 40, stdout: 'max is 7\n', stderr: '' });
  });

  it('an import compiled by nobody is named with the file to compile', () => {
    const d = dir({ 'lib.spl': lib, 'app.spl': app });
    expect(smf(['compile', 'app.spl'], d).code).toBe(0);
    rmSync(join(d, 'lib.smf'));
    const r = smf(['run', 'app.smf'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`imported module 'lib' not found (looked for lib.smf); compile its source first: smf compile ${join(d, 'lib.spl')}`);
  });

  it('with -o, the imports go next to the output, where smf run looks for them', () => {
    const d = dir({ 'lib.spl': lib, 'app.spl': app });
    expect(smf(['compile', 'app.spl', '-o', 'build/app.smf'], d)).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(d, 'build/lib.smf'))).toBe(true);
    expect(existsSync(join(d, 'lib.smf'))).toBe(false);
    expect(smf(['run', 'build/app.smf'], d)).toMatchObject({ code: 40, stdout: 'max is 7\n' });
  });
});

describe('colour on a terminal', () => {
  const d = dir({ 'bad.spl': 'struct Point:\n    x: i64\n\nfn main():\n    val p = Pont(x: 1)\n', 'trap.spl': 'fn main() -> i64:\n    val z = 0\n    1 / z\n' });

  it('NO_COLOR and FORCE_COLOR are respected, and a TTY alone asks for colour', () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(false, {})).toBe(false);
    expect(wantsColour(undefined, {})).toBe(false);
    expect(wantsColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour(true, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(true, { TERM: 'dumb' })).toBe(false);
  });

  it('FORCE_COLOR dresses the error, location, message and caret; a pipe gets plain text', () => {
    const coloured = smf(['compile', 'bad.spl'], d, { FORCE_COLOR: '1' });
    expect(coloured.code).toBe(1);
    expect(coloured.stderr).toContain("\x1b[1mbad.spl:5:13:\x1b[0m \x1b[1;31merror:\x1b[0m \x1b[1munknown name 'Pont'; did you mean 'Point'?\x1b[0m\n");
    expect(coloured.stderr).toContain('\x1b[1;32m            ^~~~\x1b[0m\n');
    const plain = smf(['compile', 'bad.spl'], d);
    expect(plain.stderr).toBe("bad.spl:5:13: error: unknown name 'Pont'; did you mean 'Point'?\n    val p = Pont(x: 1)\n            ^~~~\n1 error\n");
    expect(smf(['compile', 'bad.spl'], d, { FORCE_COLOR: '1', NO_COLOR: '1' }).stderr).toBe(plain.stderr);
  });

  it('a trap from the run thread is coloured too, its backtrace left plain', () => {
    const r = smf(['run', 'trap.spl'], d, { FORCE_COLOR: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("\x1b[1;31merror:\x1b[0m division by zero in function 'main'\n  at main (trap.spl:3)\n");
  });
});
