/**
 * The linked program's line table (merge-lines.ts): a trap's backtrace names the file and line of
 * every frame — functions of three units whose indices, bodies and file lists all move in the
 * merge, an instance compiled at link time (its unit names a file another unit named first), and
 * a linked program linked again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { LinkOptions } from '../../src/linker/link.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SimpleTrap, TextCapture } from '../../src/runtime/index.js';
import { compileTo, tempDir } from './helpers.js';

const LIB = [
  'fn pick<T>(xs: [T], i: i64) -> T:', // 1
  '    val first = xs[0]', //             2
  '    xs[i]', //                          3
  '',
  'fn divide(a: i64, b: i64) -> i64:', // 5
  '    val q = a / b', //                  6
  '    q', //                              7
].join('\n');

const MID = [
  'use lib.{pick}', //                     1
  '', //                                   2
  'fn route(n: i64) -> i64:', //           3
  '    print("route")', //                 4
  '    pick([1, 2], n)', //                5
].join('\n');

const APP = [
  'use lib.{divide}', //                   1
  'use mid.{route}', //                    2
  '', //                                   3
  'fn walk(n: i64) -> i64:', //            4
  '    if n == 0:', //                     5
  '        return route(7)', //            6
  '    walk(n - 1) + 1', //                7
  '', //                                   8
  'fn main() -> i64:', //                  9
  '    print("start")', //                 10
  '    val d = divide(8, 2)', //           11
  '    walk(2) + d', //                    12
].join('\n');

let src: string;
let files: string[];
beforeAll(() => {
  src = join(tempDir(), 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'lib.spl'), LIB);
  writeFileSync(join(src, 'mid.spl'), MID);
  writeFileSync(join(src, 'app.spl'), APP);
  const smfs = compileTo([join(src, 'app.spl')], join(src, '..', 'out'));
  files = ['app', 'mid', 'lib'].map((m) => smfs.get(m)!);
});

function linkedTo(inputs: readonly string[], options: LinkOptions): string {
  const out = join(tempDir(), 'linked.smf');
  const r = link(inputs, { output: out, ...options });
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  writeFileSync(out, r.bytes);
  return out;
}

function frames(path: string): string[] {
  const loader = new ModuleLoader({ output: new TextCapture(), jit: { updateSmf: false } });
  const l = loader.load(path);
  if (l.kind === 'error') throw l.error;
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found') throw new Error('no main');
  try {
    main.call();
  } catch (e) {
    expect(e).toBeInstanceOf(SimpleTrap);
    return (e as SimpleTrap).backtrace.map((f) => `${f.function} ${(f.file ?? '?').split(`${src}/`).join('')}:${f.line}`);
  }
  throw new Error('expected a trap');
}

const AFTER_PICK = ['route mid.spl:5', 'walk app.spl:6', 'walk app.spl:7', 'walk app.spl:7', 'main app.spl:12'];

describe('a trap in a linked program', () => {
  it.each(['eager', 'hybrid'] as const)('%s: each frame with its own file and line, the instance compiled at link time included', (instantiate) => {
    expect(frames(linkedTo(files, { instantiate }))).toEqual(['pick<i64> lib.spl:3', ...AFTER_PICK]);
  });

  it('lazy: the instance the loader compiles keeps its lines too', () => {
    expect(frames(linkedTo(files, { instantiate: 'lazy' }))).toEqual(['pick lib.spl:3', ...AFTER_PICK]);
  });

  it('in another input order: the same frames', () => {
    expect(frames(linkedTo([files[2], files[0], files[1]], { instantiate: 'eager' }))).toEqual(['pick<i64> lib.spl:3', ...AFTER_PICK]);
  });

  it('linked again, alone or after a module of its own: the lines are carried over once more', () => {
    const once = linkedTo(files, { instantiate: 'lazy' });
    expect(frames(linkedTo([once], { instantiate: 'eager' }))).toEqual(['pick<i64> lib.spl:3', ...AFTER_PICK]);
    const other = join(src, 'other.spl');
    writeFileSync(other, 'fn other_one() -> i64:\n    1\n\nfn other_two() -> i64:\n    other_one() + 1\n');
    const extra = compileTo([other], join(src, '..', 'out-other')).get('other')!;
    expect(frames(linkedTo([extra, once], { instantiate: 'eager' }))).toEqual(['pick<i64> lib.spl:3', ...AFTER_PICK]);
  });
});
