/**
 * The code cache `smf run` loads its fast path through (src/node/cached-bundle.ts): the one the
 * build writes is taken by a fresh process, and a missing or refused one is written again at the
 * exit of a run, so that the next run takes it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '../../dist');

/** In a fresh process: loads `bundle` and prints whether its cache was taken and what `answer()` gives. */
function load(bundle: string, refreshAtExit = true): { accepted: boolean; answer: unknown } {
  const script = `import { loadCachedBundle } from ${JSON.stringify(join(DIST, 'node/cached-bundle.js'))};
const b = loadCachedBundle(${JSON.stringify(bundle)}, { refreshAtExit: ${refreshAtExit} });
console.log(JSON.stringify({ accepted: b.cacheAccepted, answer: typeof b.exports.answer === 'function' ? b.exports.answer() : typeof b.exports.runFast }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { accepted: boolean; answer: unknown };
}

describe('a CommonJS bundle loaded through its code cache', () => {
  it("the build's cache for smf run's fast path is taken by a fresh process", () => {
    expect(load(join(DIST, 'cli/smf-run.cjs'), false)).toEqual({ accepted: true, answer: 'function' });
  });

  it('is written at exit when missing or refused, and taken by the next process', () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-code-cache-'));
    const bundle = join(d, 'b.cjs');
    writeFileSync(bundle, "(function (exports, require, module) {'use strict';\nconst table = [1, 2, 3].map((x) => x * 7);\nexports.answer = () => table.reduce((a, b) => a + b, 0);\n})");
    expect(load(bundle)).toEqual({ accepted: false, answer: 42 });
    expect(existsSync(`${bundle}.cache`)).toBe(true);
    expect(load(bundle)).toEqual({ accepted: true, answer: 42 });
    writeFileSync(`${bundle}.cache`, 'not a code cache');
    expect(load(bundle)).toEqual({ accepted: false, answer: 42 });
    expect(load(bundle)).toEqual({ accepted: true, answer: 42 });
    rmSync(d, { recursive: true, force: true });
  });
});
