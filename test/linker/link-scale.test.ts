/**
 * A link of 1,000 generated modules (20 functions each): it links under every policy, the
 * instance all modules share is emitted once, and the linked program runs. Link speed is
 * measured in bench/linker.ts, not here.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { link } from '../../src/linker/link.js';
import { generateProgram } from './generate.js';
import { compileTo, linkTo, runMain, tempDir } from './helpers.js';

const N = 1000;
const FNS = 20;

/** What the generated program prints, computed from its definition (generate.ts). */
function expectedOutput(): string {
  const f0 = (k: number, x: bigint): bigint => {
    const parent = k > 0 ? f0(Math.floor((k - 1) / 2), x % 7n) : 3n;
    const mixed = x * 31n + 7n;
    return (mixed > parent ? mixed : parent) % 1000n;
  };
  const last = (k: number, x: bigint): bigint => f0(k, x) + BigInt((FNS * (FNS - 1)) / 2);
  return `${last(0, 5n)}\n${last(N - 1, 9n)}\n`;
}

describe(`a program of ${N} generated modules`, () => {
  let inputs: string[];
  let dir: string;

  beforeAll(() => {
    dir = tempDir();
    const smfs = compileTo(generateProgram(tempDir(), N, FNS), dir);
    inputs = [...smfs.values()];
    expect(inputs).toHaveLength(N + 2);
    // Compiling 1,000 modules is the setup, not what is tested: on a busy machine it takes a while.
  }, 120_000);

  it('links under every policy; the shared instance is compiled once or deferred once', () => {
    for (const policy of ['eager', 'lazy'] as const) {
      const r = link(inputs, { output: join(dir, `${policy}.smf`), instantiate: policy });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.stats.modules).toBe(N + 2);
      expect(r.stats.functions).toBeGreaterThanOrEqual(N * FNS);
      const rows = policy === 'eager' ? r.note.instantiations.filter((i) => i.status === 'compiled') : r.note.possible;
      expect(rows.filter((i) => i.mangledName === 'pick$i64')).toHaveLength(1);
      expect(rows.filter((i) => i.mangledName === 'pick$f64')).toHaveLength(1);
    }
  });

  it('the hybrid link runs through the loader', () => {
    const out = join(dir, 'app.smf');
    const r = linkTo(inputs, out);
    expect(r.stats.instantiated).toBe(2);
    expect(runMain(out).output).toBe(expectedOutput());
  });
});
