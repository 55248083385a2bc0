/**
 * The code cache `smf run` loads its fast path through (src/node/cached-bundle.ts): the one the
 * build writes is taken by a fresh process, and a missing or refused one is written again at the
 * exit of a run, so that the next run takes it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '../../dist');

/** In a fresh process: loads `bundle` and prints whether its cache was taken and what `answer()` gives. */
function load(bundle: string, refreshAtExit = true, flags: string[] = []): { accepted: boolean; answer: unknown } {
  const script = `import { loadCachedBundle } from ${JSON.stringify(join(DIST, 'node/cached-bundle.js'))};
const b = loadCachedBundle(${JSON.stringify(bundle)}, { refreshAtExit: ${refreshAtExit} });
console.log(JSON.stringify({ accepted: b.cacheAccepted, answer: typeof b.exports.answer === 'function' ? b.exports.answer() : typeof (b.exports.runFast ?? b.exports.linkFast ?? b.exports.ModuleLoader) }));`;
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { accepted: boolean; answer: unknown };
}

describe('a CommonJS bundle loaded through its code cache', () => {
  it("the build's caches — smf run's and smf link's fast paths, the library — are taken by a fresh process", () => {
    for (const bundle of ['cli/smf-run.cjs', 'cli/smf-link.cjs', 'simple-smf.lib.cjs']) expect(load(join(DIST, bundle), false)).toEqual({ accepted: true, answer: 'function' });
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

  it('is kept apart for a process started with V8 flags, which V8 would refuse the plain one to', () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-code-cache-'));
    const bundle = join(d, 'b.cjs');
    writeFileSync(bundle, "(function (exports) {'use strict';\nexports.answer = () => 42;\n})");
    expect(load(bundle)).toEqual({ accepted: false, answer: 42 });
    const plain = readFileSync(`${bundle}.cache`);
    const flagged = ['--stack-trace-limit=25'];
    expect(load(bundle, true, flagged)).toEqual({ accepted: false, answer: 42 });
    expect(load(bundle, true, flagged)).toEqual({ accepted: true, answer: 42 });
    // The plain cache was left as it was, and a plain run still takes it.
    expect(readFileSync(`${bundle}.cache`).equals(plain)).toBe(true);
    expect(readdirSync(d).filter((f) => f.endsWith('.cache'))).toHaveLength(2);
    expect(load(bundle)).toEqual({ accepted: true, answer: 42 });
    rmSync(d, { recursive: true, force: true });
  });
});
