// Issue #10, point 9: the header's entry_point, what the package root exports, require(), and
// `./app.smf` without `smf` on the PATH.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SmfReader } from '../../src/smf/index.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/smf.js');
/** A PATH with the usual system folders and no `smf` on it. */
const BARE_PATH = '/usr/bin:/bin';

function workspace(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'smf-entry-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const smf = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { dir, smf };
}

const FILES = {
  'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n',
  'app.spl': 'use lib.{max}\n\nfn helper() -> i64:\n    2\n\nfn main() -> i64:\n    print(max(2.5, 1.5))\n    max(3, 9) + helper()\n',
};

describe("the header's entry_point", () => {
  it("is 1 + the export ordinal of main (its symbol's value) for executables, 0 for libraries, compiled or linked", () => {
    const { dir, smf } = workspace(FILES);
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'out.smf').status).toBe(0);
    for (const file of ['app.smf', 'out.smf']) {
      const reader = SmfReader.fromBytes(readFileSync(join(dir, file)));
      const main = reader.lookup('main')!;
      expect(reader.header.entryPoint).toBe(main.value + 1n);
      expect(main.value).toBeGreaterThan(0n); // `helper` comes first: the ordinal is not always 0
    }
    expect(SmfReader.fromBytes(readFileSync(join(dir, 'lib.smf'))).header.entryPoint).toBe(0n);
  });
});

describe('./app.smf after the install steps alone', () => {
  it('runs with no smf on the PATH: the launcher names the smf that linked it', () => {
    const { dir, smf } = workspace(FILES);
    expect(spawnSync('/bin/sh', ['-c', 'command -v smf'], { env: { PATH: BARE_PATH } }).status).not.toBe(0);
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf').status).toBe(0);
    expect(statSync(join(dir, 'app.out.smf')).mode & 0o777).toBe(0o755);
    const r = spawnSync(join(dir, 'app.out.smf'), [], { cwd: dir, encoding: 'utf8', env: { PATH: BARE_PATH } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2.5\n');
    expect(r.status).toBe(11);
    // The same for a module compiled with --stub.
    expect(smf('compile', 'app.spl', '--stub', '-o', 'app.run.smf').status).toBe(0);
    const direct = spawnSync(join(dir, 'app.run.smf'), [], { cwd: dir, encoding: 'utf8', env: { PATH: BARE_PATH } });
    expect(direct.stdout).toBe('2.5\n');
    expect(direct.status).toBe(11);
  });

  it('a copy run where the linking smf is gone falls back to the smf on the PATH', () => {
    const { dir, smf } = workspace(FILES);
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf').status).toBe(0);
    // The launcher with the linking CLI's path (the package's "bin", smf.cjs) made to point nowhere (the bytes keep their length).
    const bytes = readFileSync(join(dir, 'app.out.smf'));
    const cli = join(ROOT, 'dist/cli/smf.cjs');
    const at = bytes.indexOf(cli);
    expect(at).toBeGreaterThan(0);
    bytes.set(Buffer.from(cli.replace(/.$/, '_')), at);
    writeFileSync(join(dir, 'moved.smf'), bytes, { mode: 0o755 });
    const missing = spawnSync(join(dir, 'moved.smf'), [], { cwd: dir, encoding: 'utf8', env: { PATH: BARE_PATH } });
    expect(missing.status).toBe(127);
    const bin = mkdtempSync(join(tmpdir(), 'smf-bin-'));
    writeFileSync(join(bin, 'smf'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const viaPath = spawnSync(join(dir, 'moved.smf'), [], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:${BARE_PATH}` } });
    expect(viaPath.stdout).toBe('2.5\n');
    expect(viaPath.status).toBe(11);
  });
});

describe('the package root', () => {
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });

  it('exports SmfCache, JitInstantiator and the note helpers, to import and to require', () => {
    const names = ['SmfCache', 'JitInstantiator', 'ModuleLoader', 'InstantiationCycleError', 'parseNoteSdn', 'markJitCompiled', 'addCircularError', 'rewriteNote'];
    const imported = node(['--input-type=module', '-e', `import * as m from 'simple-smf'; console.log(${JSON.stringify(names)}.map((n) => typeof m[n]).join(' '))`]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe(names.map(() => 'function').join(' '));
    const required = node(['-e', `const m = require('simple-smf'); console.log(${JSON.stringify(names)}.map((n) => typeof m[n]).join(' '))`]);
    expect(required.stderr).toBe('');
    expect(required.stdout.trim()).toBe(names.map(() => 'function').join(' '));
  });

  it('is required as CommonJS, even where require() cannot load an ES module', () => {
    const r = node(['--no-experimental-require-module', '-e', "const m = require('simple-smf'); console.log(typeof m.ModuleLoader, typeof m.compileModule)"]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function function\n');
  });

  it('an error thrown out of it reads as its class, its source line short', () => {
    const r = node(['--input-type=module', '-e', "import { SmfReader } from 'simple-smf'; await SmfReader.open('/no/such/file.smf');"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("FileError: cannot read '/no/such/file.smf': no such file or directory");
    expect(r.stderr).not.toContain('_FileError');
    expect(r.stderr).toMatch(/ at async SmfReader\.open /);
    expect(Math.max(...r.stderr.split('\n').map((l) => l.length))).toBeLessThan(300);
  });

  it('is one instance of the library, however it is reached', () => {
    const script = `import * as root from 'simple-smf'; import * as loader from 'simple-smf/loader'; import { createRequire } from 'node:module';
const required = createRequire(import.meta.url)('simple-smf');
console.log(root.ModuleLoader === loader.ModuleLoader, required.LoadError === loader.LoadError, root.compileModule === required.compileModule);`;
    const r = node(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true true true\n');
  });
});
