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

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/smf.js');

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

const deferred = (note: NoteSdn): string[] => note.instantiations.filter((r) => r.status === 'deferred').map((r) => r.mangledName).sort();
const jitCompiled = (note: NoteSdn): string[] => note.instantiations.filter((r) => r.status === 'jit_compiled').map((r) => r.mangledName).sort();

/** `jit compiled N (… loaded from earlier runs M …)` from `smf run --stats`. */
function jitCounts(stderr: string): { compiled: number; persisted: number } {
  const m = /jit compiled\s+(\d+) \(cache hits \d+, loaded from earlier runs (\d+)/.exec(stderr);
  if (!m) throw new Error(`no jit line in: ${stderr}`);
  return { compiled: Number(m[1]), persisted: Number(m[2]) };
}

describe('write-back into a linked program with the executable stub', () => {
  it('--instantiate lazy: the first run writes jit_compiled rows and jit_cache; the second compiles nothing', () => {
    const { dir, smf } = workspace();
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf', '--instantiate', 'lazy').status).toBe(0);
    const out = join(dir, 'app.out.smf');
    const launcher = noteOf(out).stub;
    expect(launcher).toMatch(/^#!\/bin\/sh\n/);
    expect(deferred(noteOf(out).note)).toEqual(['max$f64', 'max$i64', 'max$text']);

    const first = smf('run', 'app.out.smf', '--stats');
    expect(first.stdout).toBe('2.5\n');
    expect(first.status).toBe(11);
    // Per call: main calls max<f64> and max<i64>; max<text> (only `never` calls it) is not compiled.
    expect(jitCounts(first.stderr)).toEqual({ compiled: 2, persisted: 0 });

    const { note, hasJitCache, stub } = noteOf(out);
    expect(stub).toBe(launcher);
    expect(hasJitCache).toBe(true);
    expect(jitCompiled(note)).toEqual(['max$f64', 'max$i64']);
    expect(deferred(note)).toEqual(['max$text']);
    expect(note.possible.map((r) => r.mangledName)).toEqual(['max$text']);
    expect(statSync(out).mode & 0o777).toBe(0o755);

    const second = smf('run', 'app.out.smf', '--stats');
    expect(second.stdout).toBe('2.5\n');
    expect(second.status).toBe(11);
    expect(jitCounts(second.stderr)).toEqual({ compiled: 0, persisted: 2 });
  });

  it('--instantiate hybrid: main reaches only linked code; what an embedder calls later is written back', () => {
    const { dir, smf } = workspace();
    expect(smf('compile', 'lib.spl', 'app.spl').status).toBe(0);
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'app.out.smf', '--instantiate', 'hybrid').status).toBe(0);
    const out = join(dir, 'app.out.smf');
    expect(deferred(noteOf(out).note)).toEqual(['max$text']);
    const bytes = readFileSync(out);
    const run = smf('run', 'app.out.smf', '--stats');
    expect(run.status).toBe(11);
    expect(jitCounts(run.stderr)).toEqual({ compiled: 0, persisted: 0 });
    expect(readFileSync(out).equals(bytes)).toBe(true);

    // An embedder calls `never`, which needs the deferred max<text>: compiled once, then kept.
    const embed = (): { compiled: number; persisted: number; result: string } => {
      const script = `
        import { ModuleLoader } from 'simple-smf';
        const loader = new ModuleLoader();
        const r = loader.load(${JSON.stringify(out)});
        if (r.kind === 'error') throw r.error;
        const never = loader.resolveSymbol('never');
        const result = never.call();
        loader.flushWrites();
        const { compiled, persistedLoads } = loader.stats().jit;
        console.log(JSON.stringify({ compiled, persisted: persistedLoads, result }));
      `;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout);
    };
    expect(embed()).toEqual({ compiled: 1, persisted: 0, result: 'pear' });
    const { note, hasJitCache } = noteOf(out);
    expect(hasJitCache).toBe(true);
    expect(jitCompiled(note)).toEqual(['max$text']);
    expect(deferred(note)).toEqual([]);
    expect(embed()).toEqual({ compiled: 0, persisted: 1, result: 'pear' });
    const again = smf('run', 'app.out.smf');
    expect(again.status).toBe(11);
  });

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
