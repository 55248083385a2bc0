import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Playground } from '../../src/playground/engine.js';

const EXAMPLES = join(__dirname, '../../examples/modules');

function modulesExample(): { dir: string; pg: Playground; src: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-engine-'));
  const src = new Map(['main.spl', 'geometry.spl'].map((f) => [join(dir, f), readFileSync(join(EXAMPLES, f), 'utf8')]));
  return { dir, pg: new Playground({ dir }), src };
}

describe('the playground engine (in Node, over real files)', () => {
  it('runs, hot-reloads only what changed, and a fresh loader loads the kept instances', () => {
    const { dir, pg, src } = modulesExample();
    const main = join(dir, 'main.spl');
    const first = pg.run(main, src);
    expect(first).toMatchObject({ stdout: '(2.0, 1.0)\n17\npear\n9\n', exitCode: 0, fresh: true, reloaded: [] });
    expect(first.stats?.jit.compiled).toBe(2);
    expect(first.modules.map((m) => m.name)).toEqual(['geometry', 'main']);

    src.set(join(dir, 'geometry.spl'), src.get(join(dir, 'geometry.spl'))!.replace('if x > best:', 'if x < best:'));
    const edited = pg.run(main, src);
    expect(edited).toMatchObject({ stdout: '(2.0, 1.0)\n3\napple\n3\n', fresh: false, reloaded: ['geometry'] });
    expect(pg.running?.getModule('geometry')?.version).toBe(2);
    expect(pg.running?.getModule('main')?.version).toBe(1);

    pg.restart();
    const again = pg.run(main, src);
    expect(again.fresh).toBe(true);
    expect(again.stdout).toBe('(2.0, 1.0)\n3\napple\n3\n');
  });

  it('a module whose source did not change keeps its file, and its kept instances are loaded, not compiled', () => {
    const { dir, pg, src } = modulesExample();
    const main = join(dir, 'main.spl');
    pg.run(main, src);
    pg.restart();
    const again = pg.run(main, src);
    expect([...again.keptBefore].sort()).toEqual(['largest$i64', 'largest$text']);
    expect(again.stats?.jit).toMatchObject({ compiled: 0, persistedLoads: 2 });
  });

  it('a refused reload keeps the old code running and says why; compile errors come with carets', () => {
    const { dir, pg, src } = modulesExample();
    const main = join(dir, 'main.spl');
    pg.run(main, src);
    const geometry = join(dir, 'geometry.spl');
    const original = src.get(geometry)!;
    src.set(geometry, original.replace('fn centroid(ps: [Point]) -> Point:', 'fn centroid(ps: [Point], k: i64) -> Point:'));
    const refused = pg.run(main, src);
    expect(refused.exitCode).toBe(1);
    expect(refused.diagnostics).toMatch(/centroid/);
    src.set(geometry, original);
    const broken = new Map(src);
    broken.set(main, 'fn main():\n    print(nope)\n');
    const bad = pg.run(main, broken);
    expect(bad.exitCode).toBe(1);
    expect(bad.diagnostics).toMatch(/main\.spl:2:11: error: .*nope[\s\S]*\n\s+\^/);
    // The running loader still has the old program.
    expect(pg.run(main, src).stdout).toBe('(2.0, 1.0)\n17\npear\n9\n');
  });

  it('an endless main stops with a timeout trap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smf-engine-loop-'));
    const pg = new Playground({ dir, timeoutMs: 200 });
    const o = pg.run(join(dir, 'spin.spl'), new Map([[join(dir, 'spin.spl'), 'fn main():\n    var i = 0\n    while true:\n        i += 1\n']]));
    expect(o.exitCode).toBe(3);
    expect(o.trap).toMatch(/time/i);
  });
});
