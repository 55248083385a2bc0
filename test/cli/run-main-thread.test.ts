/**
 * `smf run app.smf` of a program whose stack is bounded runs on the main thread
 * (src/cli/stack-bound.ts); one that recurses still gets the big-stack thread. Either way the
 * user sees the same: output, exit codes, typed traps, a reader that goes away.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

function smf(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `name.spl` and compiles it to `name.smf` with `smf compile`; returns the folder. */
function compiledProgram(name: string, source: string): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-main-thread-'));
  writeFileSync(join(d, `${name}.spl`), source);
  expect(smf(['compile', `${name}.spl`, '-o', `${name}.smf`], d).code).toBe(0);
  return d;
}

describe('smf run app.smf on the main thread or the run thread', () => {
  it('a precompiled recursive program still reaches 1,000,000 frames', () => {
    const d = compiledProgram('depth', 'fn depth(n: i64) -> i64:\n    if n == 0:\n        return 0\n    depth(n - 1) + 1\n\nfn main():\n    print(depth(1000000))\n');
    expect(smf(['run', 'depth.smf'], d)).toEqual({ code: 0, stdout: '1000000\n', stderr: '' });
    expect(smf(['depth.smf'], d)).toEqual({ code: 0, stdout: '1000000\n', stderr: '' });
  });

  it("main's i64 result is the exit code, and a trap is exit 3 with its backtrace", () => {
    const d = compiledProgram('app', 'fn at(xs: [i64], i: i64) -> i64:\n    xs[i]\n\nfn main() -> i64:\n    print("start")\n    if at([1, 2], 1) == 2:\n        return 7\n    0\n');
    expect(smf(['run', 'app.smf'], d)).toEqual({ code: 7, stdout: 'start\n', stderr: '' });
    const t = compiledProgram('bad', 'fn at(xs: [i64], i: i64) -> i64:\n    xs[i]\n\nfn main():\n    print("start")\n    print(at([1, 2], 5))\n');
    const r = smf(['run', 'bad.smf'], t);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('start\n');
    expect(r.stderr).toMatch(/^error: .*index.* in function 'at'\n  at at \(bad\.spl:2\)\n  at main \(bad\.spl:6\)\n$/);
  });

  it('a reader that goes away ends the program quietly, even one that prints forever', () => {
    const d = compiledProgram('many', 'fn main():\n    for i in 0..1000000:\n        print(i)\n');
    writeFileSync(join(d, 'forever.spl'), 'fn main():\n    while true:\n        print("y")\n');
    expect(smf(['compile', 'forever.spl', '-o', 'forever.smf'], d).code).toBe(0);
    for (const [file, first] of [['many.smf', '0\n1\n'], ['forever.smf', 'y\ny\n']]) {
      const r = spawnSync('sh', ['-c', `{ "${process.execPath}" "${BIN}" run ${file}; echo "smf exited $?" >&2; } | head -n 2`], { cwd: d, encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout).toBe(first);
      expect(r.stderr).toBe('smf exited 0\n');
    }
  });
});
