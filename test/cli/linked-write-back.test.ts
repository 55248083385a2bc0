// Issue #10, point 1: a linked program with the executable stub gets its load-time instances
// written back, so the second run compiles nothing — under every link policy.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SectionType, SmfReader } from '../../src/smf/index.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

const FILES = {
  'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n',
  // `never` is not reached from main: a hybrid link leaves max<text> to the loader.
  'app.spl': 'use lib.{max}\n\nfn main() -> i64:\n    print(max(2.5, 1.5))\n    max(3, 11)\n\nfn never() -> text:\n    max("pear", "apple")\n',
};

function workspace(): { dir: string; smf: (...args: string[]) => ReturnType<typeof spawnSync> & { stdout: string; stderr: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-wb-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const smf = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { dir, smf };
}

function noteOf(path: string): { note: NoteSdn; hasJitCache: boolean; stub: string } {
  const reader = SmfReader.fromBytes(readFileSync(path), { file: path });
  return {
    note: parseNoteSdn(reader.noteSdnText()!),
    hasJitCache: reader.findSectionIndex(SectionType.Code, 'jit_cache') >= 0,
    stub: new TextDecoder().decode(reader.bytes.subarray(0, reader.dataOffset)),
  };
}

/** `jit compiled N (… loaded from earlier runs M …)` from `smf run --stats`. */
function jitCounts(stderr: string): { compiled: number; persisted: number } {
  const m = /jit compiled\s+(\d+) \(cache hits \d+, loaded from earlier runs (\d+)/.exec(stderr);
  if (!m) throw new Error(`no jit line in: ${stderr}`);
  return { compiled: Number(m[1]), persisted: Number(m[2]) };
}

describe('write-back into a linked program with the executable stub', () => {
  const deferredByPolicy = { lazy: ['max$f64', 'max$i64', 'max$text'], hybrid: ['max$text'] } as const;

  for (const policy of ['lazy', 'hybrid'] as const) {
    it(`--instantiate ${policy}: the first run writes jit_compiled rows and jit_cache; the second compiles nothing`, () => {
      const { dir, smf } = workspace();
      expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
      expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf', '--instantiate', policy).status).toBe(0);
      const out = join(dir, 'app.out.smf');
      const launcher = noteOf(out).stub;
      expect(launcher).toMatch(/^#!\/bin\/sh\n/);
      const expected = deferredByPolicy[policy];
      expect(noteOf(out).note.instantiations.filter((r) => r.status === 'deferred').map((r) => r.mangledName).sort()).toEqual(expected);

      const first = smf('run', 'app.out.smf', '--stats');
      expect(first.stdout).toBe('2.5\n');
      expect(first.status).toBe(11);
      expect(jitCounts(first.stderr)).toEqual({ compiled: expected.length, persisted: 0 });

      const { note, hasJitCache, stub } = noteOf(out);
      expect(stub).toBe(launcher);
      expect(hasJitCache).toBe(true);
      expect(note.instantiations.filter((r) => r.status === 'jit_compiled').map((r) => r.mangledName).sort()).toEqual(expected);
      expect(note.instantiations.some((r) => r.status === 'deferred')).toBe(false);
      expect(note.possible).toEqual([]);
      expect(statSync(out).mode & 0o777).toBe(0o755);

      const second = smf('run', 'app.out.smf', '--stats');
      expect(second.stdout).toBe('2.5\n');
      expect(second.status).toBe(11);
      expect(jitCounts(second.stderr)).toEqual({ compiled: 0, persisted: expected.length });
    });
  }

  it('--instantiate eager: nothing is left to the loader, so no run compiles or rewrites anything', () => {
    const { dir, smf } = workspace();
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf', '--instantiate', 'eager').status).toBe(0);
    const out = join(dir, 'app.out.smf');
    const bytes = readFileSync(out);
    expect(noteOf(out).note.instantiations.every((r) => r.status === 'compiled')).toBe(true);
    for (let run = 0; run < 2; run++) {
      const r = smf('run', 'app.out.smf', '--stats');
      expect(r.status).toBe(11);
      expect(jitCounts(r.stderr)).toEqual({ compiled: 0, persisted: 0 });
    }
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });
});
