import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-linked-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const FILES = {
  'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn _twice(x: i64) -> i64:\n    x * 2\n\nfn double_max<T>(a: T, b: T) -> T:\n    max(a, b)\n',
  'app.spl': 'use lib.{max}\n\nfn main() -> i64:\n    print(max(2.5, 1.5))\n    print(max("pear", "apple"))\n    max(3, 11)\n',
};

describe('a linked program', () => {
  it('compiles, links and runs through the loader, also as ./app.smf', () => {
    const d = dir(FILES);
    const run = (args: string[], env?: NodeJS.ProcessEnv) => spawnSync(process.execPath, [BIN, ...args], { cwd: d, encoding: 'utf8', env });
    expect(run(['compile', 'lib.spl', 'app.spl']).status).toBe(0);
    for (const policy of ['eager', 'lazy', 'hybrid']) {
      const linked = run(['link', 'lib.smf', 'app.smf', '-o', `app.${policy}.smf`, '--instantiate', policy]);
      expect(linked.stderr).toBe('');
      expect(linked.status).toBe(0);
      const r = run(['run', `app.${policy}.smf`, '--stats']);
      expect(r.stdout).toBe('2.5\npear\n');
      expect(r.status).toBe(11);
      expect(r.stderr).toMatch(policy === 'lazy' ? /jit compiled\s+[1-9]/ : /jit compiled\s+0/);
    }
    // The stub: `./app.smf` runs through `smf` found on the PATH.
    const bin = mkdtempSync(join(tmpdir(), 'smf-bin-'));
    writeFileSync(join(bin, 'smf'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'smf'), 0o755);
    chmodSync(join(d, 'app.hybrid.smf'), 0o755);
    const direct = spawnSync(join(d, 'app.hybrid.smf'), [], { cwd: d, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(direct.stdout).toBe('2.5\npear\n');
    expect(direct.status).toBe(11);
  });
});
