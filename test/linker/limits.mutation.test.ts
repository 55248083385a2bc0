/**
 * The link-time instantiation limits at their exact edges, with the whole message: the depth
 * limit (a chain of K different templates), the type-node limit, and the instance count (E0422,
 * for a plain chain and for a template that fans out), under each policy that compiles.
 *
 * Each program was compiled against a library whose template needs nothing; the library linked
 * with it now has the chain, which only the linker meets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { LinkResult } from '../../src/linker/link.js';
import { compileTo, tempDir } from './helpers.js';

const K = 6;

function chain(n: number): string {
  return Array.from({ length: n }, (_, i) => (i + 1 < n ? `fn c${i + 1}<T>(x: T) -> i64:\n    c${i + 2}(x) + 1\n` : `fn c${i + 1}<T>(x: T) -> i64:\n    1\n`)).join('\n');
}

const FAN = 'fn fan<T>(x: T, depth: i64) -> i64:\n    if depth == 0:\n        return 1\n    fan((x, 1), depth - 1) + fan((x, 1.5), depth - 1)\n';

/** `app` compiled against `oldLib`, and `newLib` compiled on its own: the link inputs. */
function inputs(app: string, oldLib: string, newLib: string): { dir: string; files: string[] } {
  const dir = tempDir();
  for (const d of ['old', 'new']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'old/app.spl'), app);
  writeFileSync(join(dir, 'old/lib.spl'), oldLib);
  writeFileSync(join(dir, 'new/lib.spl'), newLib);
  const a = compileTo([join(dir, 'old/app.spl')], join(dir, 'out-old'));
  const b = compileTo([join(dir, 'new/lib.spl')], join(dir, 'out-new'));
  return { dir, files: [a.get('app')!, b.get('lib')!] };
}

function errors(r: LinkResult, dir: string): string {
  expect(r.ok).toBe(false);
  return r.ok ? '' : formatDiagnostics(r.errors).split(`${dir}/`).join('');
}

describe('the depth limit', () => {
  let dir: string;
  let files: string[];
  beforeAll(() => {
    ({ dir, files } = inputs('use lib.{c1}\n\nfn main():\n    print(c1(7))\n', 'fn c1<T>(x: T) -> i64:\n    1\n', chain(K)));
  });

  // The error is placed at the call that asks for the instance over the limit (c5's call of c6).
  it(`a chain exactly maxDepth (${K}) deep links under eager and hybrid; maxDepth ${K - 1} stops it there`, () => {
    for (const instantiate of ['eager', 'hybrid'] as const) {
      const ok = link(files, { instantiate, maxDepth: K });
      expect(ok.ok && ok.stats.instantiated, instantiate).toBe(K);
      const over = link(files, { instantiate, maxDepth: K - 1 });
      expect(errors(over, dir)).toBe(
        `new/lib.spl:14:5: error: instantiation too deep (E0420): a chain of ${K} instances of different templates, each required by the one before; none instantiates itself: c1<i64> -> c2<i64> -> c3<i64> -> … -> c${K}<i64> (stopped at depth ${K - 1})`,
      );
      expect(!over.ok && over.circularErrors).toEqual([{ cyclePath: 'c1->c2->c3->c4->c5->c6', errorCode: 'E0420' }]);
    }
  });

  it('lazy compiles nothing, so no limit is met', () => {
    const r = link(files, { instantiate: 'lazy', maxDepth: 1, maxInstances: 0 });
    expect(r.ok && [r.stats.instantiated, r.stats.deferred]).toEqual([0, 1]);
  });
});

describe('the instance count (E0422)', () => {
  let dir: string;
  let files: string[];
  beforeAll(() => {
    ({ dir, files } = inputs('use lib.{c1}\n\nfn main():\n    print(c1(7))\n', 'fn c1<T>(x: T) -> i64:\n    1\n', chain(K)));
  });

  it(`maxInstances ${K} compiles the chain of ${K}; ${K - 1} refuses the last one, naming how it was reached`, () => {
    const ok = link(files, { instantiate: 'eager', maxInstances: K });
    expect(ok.ok && ok.stats.instantiated).toBe(K);
    const over = link(files, { instantiate: 'eager', maxInstances: K - 1 });
    expect(errors(over, dir)).toBe(
      `new/lib.spl:14:5: error: too many instances (E0422): the link needs more than ${K - 1} instances of templates; 'c1' has 1 of them. The one over the limit is required through c1<i64> -> c2<i64> -> c3<i64> -> … -> c${K}<i64> (depth ${K})`,
    );
    expect(!over.ok && over.errors.map((e) => e.code)).toEqual(['E0422']);
  });

  it('maxInstances 0 refuses the first instance, naming no template (none has an instance yet)', () => {
    const over = link(files, { instantiate: 'eager', maxInstances: 0 });
    expect(errors(over, dir)).toBe(
      'old/app.spl:4:11: error: too many instances (E0422): the link needs more than 0 instances of templates. The one over the limit is required through c1<i64> (depth 1)',
    );
  });

  it('a template that fans out: the count stops it once, and the message says why it doubles', () => {
    const fan = inputs('use lib.{fan}\n\nfn main():\n    print(fan(1, 3))\n', 'fn fan<T>(x: T, depth: i64) -> i64:\n    1\n', FAN);
    const over = link(fan.files, { instantiate: 'eager', maxInstances: 3 });
    expect(errors(over, fan.dir)).toBe(
      "new/lib.spl:4:5: error: too many instances (E0422): the link needs more than 3 instances of templates; 'fan' has 3 of them. The one over the limit is required through fan<i64> -> fan<(i64, i64)> -> fan<((i64, i64), i64)> (depth 3): a template that instantiates itself with more than one new type argument list per level doubles its instances at every level",
    );
  });
});

describe('the type-node limit', () => {
  // `(i64, i64)` is three type nodes: the tuple and its two elements.
  let dir: string;
  let files: string[];
  beforeAll(() => {
    ({ dir, files } = inputs('use lib.{c1}\n\nfn main():\n    print(c1((1, 2)))\n', 'fn c1<T>(x: T) -> i64:\n    1\n', chain(2)));
  });

  it('arguments of exactly maxTypeNodes nodes are compiled; one node fewer allowed stops the first instance', () => {
    const ok = link(files, { instantiate: 'eager', maxTypeNodes: 3 });
    expect(ok.ok && ok.stats.instantiated).toBe(2);
    const over = link(files, { instantiate: 'eager', maxTypeNodes: 2 });
    // One instance over the limit is no cycle and no chain (it was once called a cycle of `c1`
    // that instantiates itself: lastIndexOf(x, -1) looked at the chain's only entry).
    expect(errors(over, dir)).toBe('old/app.spl:4:11: error: instantiation too large (E0420): c1<(i64, i64)> (its type arguments grew past 2 type nodes at depth 1)');
    expect(!over.ok && over.circularErrors).toEqual([{ cyclePath: 'c1', errorCode: 'E0420' }]);
  });
});
