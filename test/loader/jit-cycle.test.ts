// Issue #10, point 4: an instantiation cycle met at load time is reported as the linker reports
// it (one short line at the call that goes round), carries the code E0420, and is written back
// as a `circular_errors` row.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { InstantiationCycleError } from '../../src/loader/errors.js';
import { SmfReader } from '../../src/smf/index.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { PROGRAMS, tempDir } from '../linker/helpers.js';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');
const GROW =
  "grow.spl:9:9: instantiation cycle (E0420) grow->grow: 'grow<T>' instantiates itself with ever larger type arguments, without end: " +
  'grow<i64> -> grow<Pair<i64, i64>> -> grow<Pair<Pair<i64, i64>, Pair<i64, i64>>> -> … (its type arguments grew past 2000 type nodes at depth 11)';

/** main.smf compiled against the harmless grow.spl, then grow.smf replaced by the cycling one. */
function program(): { dir: string; smf: (...args: string[]) => { status: number | null; stdout: string; stderr: string } } {
  const dir = tempDir('smf-cycle-');
  const smf = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  copyFileSync(join(PROGRAMS, 'cycle/app/main.spl'), join(dir, 'main.spl'));
  copyFileSync(join(PROGRAMS, 'cycle/app/grow.spl'), join(dir, 'grow.spl'));
  expect(smf('compile', 'grow.spl', 'main.spl').status).toBe(0);
  copyFileSync(join(PROGRAMS, 'cycle/v2/grow.spl'), join(dir, 'grow.spl'));
  expect(smf('compile', 'grow.spl').status).toBe(0);
  return { dir, smf };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected it to throw');
}

function circularErrors(path: string): unknown[] {
  return parseNoteSdn(SmfReader.fromBytes(readFileSync(path)).noteSdnText()!).circularErrors;
}

describe('an instantiation cycle at load time (E0420)', () => {
  it('smf run of a lazily linked program: one short line, exit 1, and the row written back once', () => {
    const { dir, smf } = program();
    expect(smf('link', 'main.smf', 'grow.smf', '-o', 'app.smf', '--instantiate', 'lazy').status).toBe(0);
    for (let run = 0; run < 2; run++) {
      const r = smf('run', 'app.smf');
      // Word for word what `smf link` prints for the same cycle.
      expect(r.stderr).toBe(`${GROW.replace(': instantiation cycle', ': error: instantiation cycle')}\n`);
      expect(r.status).toBe(1);
      expect(circularErrors(join(dir, 'app.smf'))).toEqual([{ cyclePath: 'grow->grow', errorCode: 'E0420' }]);
    }
    const eager = smf('link', 'main.smf', 'grow.smf', '-o', 'eager.smf', '--instantiate', 'eager');
    expect(eager.status).toBe(1);
    expect(eager.stderr.split('\n')[0]).toBe(smf('run', 'app.smf').stderr.trimEnd());
  });

  it('the loader API: the error carries the code, the path and the instance', () => {
    const { dir } = program();
    // Compiled on the first call of grow<i64> (per call), or when main's module is installed.
    for (const perCall of [true, false]) {
      const loader = new ModuleLoader({ jit: { perCall }, output: { write: () => {} } });
      expect(loader.load(join(dir, 'main.smf')).kind).toBe('loaded');
      const main = loader.resolveSymbol('main');
      // Per call, main's module installs and the cycle is met when main calls grow<i64>.
      expect(main.kind).toBe(perCall ? 'found' : 'error');
      const error = main.kind === 'error' ? main.error : thrown(() => main.kind === 'found' && main.call());
      expect(error).toBeInstanceOf(InstantiationCycleError);
      expect((error as Error).message).toBe(GROW);
      expect(error).toMatchObject({ code: 'E0420', cyclePath: 'grow->grow', at: 'grow.spl:9:9', symbol: 'grow$i64' });
      loader.flushWrites();
      expect(circularErrors(join(dir, 'main.smf'))).toEqual([{ cyclePath: 'grow->grow', errorCode: 'E0420' }]);
    }
  });

  it('a cycle stopped by the depth limit names the templates it goes round', () => {
    const { dir } = program();
    const loader = new ModuleLoader({ jit: { maxDepth: 20 } });
    expect(loader.load(join(dir, 'grow.smf')).kind).toBe('loaded');
    const nest = loader.resolveSymbol('nest<text>');
    expect(nest).toMatchObject({
      kind: 'error',
      message:
        "grow.spl:14:9: instantiation cycle (E0420) nest->nest: 'nest<T>' instantiates itself with ever larger type arguments, without end: " +
        'nest<text> -> nest<[text]> -> nest<[[text]]> -> … (Maximum JIT depth (20) exceeded)',
      error: { code: 'E0420', cyclePath: 'nest->nest' },
    });
    const ping = loader.resolveSymbol('ping<bool>');
    expect(ping).toMatchObject({ kind: 'error', error: { code: 'E0420', cyclePath: 'ping->pong->ping', at: 'grow.spl:22:5' } });
  });
});
