// Issue #10, point 6: `smf run --stats` prints the report's metrics as its report() does, the
// histogram as bucket lines; `--stats=json` gives the same to tools. Real child processes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = join(resolve(__dirname, '../..'), 'dist/cli/smf.js');

function workspace(): { dir: string; smf: (...args: string[]) => { code: number; stdout: string; stderr: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-stats-'));
  writeFileSync(join(dir, 'lib.spl'), 'fn twice(x: i64) -> i64:\n    x * 2\n');
  writeFileSync(join(dir, 'app.spl'), 'use lib.{twice}\n\nfn main() -> i64:\n    print("hi")\n    twice(21)\n');
  const smf = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  expect(smf('compile', 'lib.spl', 'app.spl').code).toBe(0);
  return { dir, smf };
}

describe('smf run --stats', () => {
  it("prints the report's Cache Statistics block with one line per histogram bucket", () => {
    const { dir, smf } = workspace();
    const r = smf('run', '--stats', 'app.smf'); // --stats before the file: it takes no value
    expect(r.code).toBe(42);
    expect(r.stdout).toBe('hi\n');
    const sizes = ['app.smf', 'lib.smf'].map((f) => statSync(join(dir, f)).size);
    const block = r.stderr.slice(r.stderr.indexOf('Cache Statistics:'));
    expect(block).toMatch(/^ {2}Hit rate: \d+\.\d\d% \(\d+ hits, 2 misses\)$/m);
    expect(block).toMatch(/^ {2}Avg load time: \d+\.\d\d ms \(2 loads\)$/m);
    expect(block).toContain(`  Total memory: 0.00 MB (${sizes[0] + sizes[1]} bytes in 2 files)`);
    expect(block).toMatch(/^ {2}Memory over time: 3 samples, peak \d+ bytes$/m);
    expect(block).toMatch(/^ {2}Evictions: 0$/m);
    expect(block).toContain(`  Avg file size: ${Math.round((sizes[0] + sizes[1]) / 2)} bytes`);
    const buckets = block.split('  Latency histogram:\n')[1].trimEnd().split('\n');
    expect(buckets.length).toBe(10);
    for (const line of buckets) expect(line).toMatch(/^ {4}(<|>=) [\d.]+ ms: \d+$/);
    expect(buckets.reduce((n, l) => n + Number(l.split(': ')[1]), 0)).toBe(2);
    // The loader's own lines stay.
    expect(r.stderr).toMatch(/jit compiled\s+0 \(cache hits 0/);
  });

  it('--stats=json: one JSON object with the metrics', () => {
    const { smf } = workspace();
    const r = smf('run', 'app.smf', '--stats=json');
    expect(r.code).toBe(42);
    expect(r.stdout).toBe('hi\n');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0]);
    expect(s.modules).toBe(2);
    expect(s.cache).toMatchObject({ files: 2, misses: 2, loads: 2, evictions: 0 });
    expect(s.cache.avgLoadTimeMs).toBeGreaterThan(0);
    expect(s.cache.avgFileSize).toBeGreaterThan(0);
    expect(s.cache.loadTimeHistogram).toHaveLength(10);
    expect(s.cache.loadTimeHistogram.at(-1)).toEqual({ upToMs: null, count: expect.any(Number) });
    expect(s.cache.memoryUsageOverTime.map((x: { bytes: number }) => x.bytes).at(-1)).toBe(s.cache.bytes);
    // The shorthand `smf app.smf` takes it too, and `--stats-json` is the same option.
    expect(JSON.parse(smf('app.smf', '--stats=json').stderr).cache.loads).toBe(2);
    expect(JSON.parse(smf('run', 'app.smf', '--stats-json').stderr).cache.loads).toBe(2);
  });

  it('--prefetch: the imports read ahead, the same output and exit code, the count in the statistics', () => {
    const { smf } = workspace();
    const r = smf('run', '--prefetch', 'app.smf', '--stats=json');
    expect(r.code).toBe(42);
    expect(r.stdout).toBe('hi\n');
    expect(JSON.parse(r.stderr).cache).toMatchObject({ files: 2, misses: 2, prefetched: 2 });
    expect(JSON.parse(smf('run', 'app.smf', '--stats=json').stderr).cache.prefetched).toBe(0);
    expect(smf('run', '--prefetch', 'app.smf', '--stats').stderr).toMatch(/evictions 0, prefetched 2/);
  });

  it('any other --stats value is a usage error', () => {
    const { smf } = workspace();
    const r = smf('run', 'app.smf', '--stats=xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--stats=xml'/);
  });
});
