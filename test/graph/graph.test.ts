import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { TextCapture } from '../../src/runtime/index.js';
import { instantiationGraph, instantiationGraphOfFiles, moduleGraph } from '../../src/graph/smf-graph.js';
import { layoutGraph } from '../../src/graph/layout.js';
import { toDot } from '../../src/graph/dot.js';
import { bucket, graphToSvg, graphsToSvg } from '../../src/graph/svg.js';
import type { Graph } from '../../src/graph/model.js';
import { emptyNote } from '../../src/sdn/index.js';
import { runCli } from '../../src/cli/program.js';

const EXAMPLES = join(__dirname, '../../examples/modules');

/** examples/modules compiled to main.smf and geometry.smf in a fresh folder. */
function compiledModules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smf-graph-'));
  for (const f of ['main.spl', 'geometry.spl']) writeFileSync(join(dir, f), readFileSync(join(EXAMPLES, f)));
  for (const c of new CompileSession().compileFiles([join(dir, 'main.spl')])) writeFileSync(join(dir, `${c.declared.name}.smf`), emitSmf(c));
  return dir;
}

/** Runs main.smf once, so that the loader's instances are written back into it. */
function runOnce(dir: string): string {
  const out = new TextCapture();
  const loader = new ModuleLoader({ output: out });
  const r = loader.load(join(dir, 'main.smf'));
  if (r.kind === 'error') throw r.error;
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found') throw new Error(main.kind);
  main.call();
  loader.runtime.flush();
  loader.flushWrites();
  return out.text;
}

const ids = (g: Graph, kind?: string): string[] => g.nodes.filter((n) => !kind || n.kind === kind).map((n) => n.id).sort();

describe('graphs from SMF files', () => {
  it('the module graph follows imports to the files next to the module', () => {
    const dir = compiledModules();
    const g = moduleGraph(join(dir, 'main.smf'));
    expect(ids(g)).toEqual(['geometry', 'main']);
    expect(g.edges).toEqual([{ from: 'main', to: 'geometry', kind: 'imports' }]);
    expect(g.files).toEqual([join(dir, 'main.smf'), join(dir, 'geometry.smf')]);
  });

  it('an import with no file is drawn as missing', () => {
    const dir = compiledModules();
    const lone = mkdtempSync(join(tmpdir(), 'smf-graph-lone-'));
    writeFileSync(join(lone, 'main.smf'), readFileSync(join(dir, 'main.smf')));
    const g = moduleGraph(join(lone, 'main.smf'));
    expect(g.nodes.find((n) => n.id === 'geometry')?.kind).toBe('missing');
  });

  it('instances are coloured by how they were made: deferred, JIT-compiled by a run, kept for the next', () => {
    const dir = compiledModules();
    // Compiled only: the uses of geometry's template from main are left to the loader.
    const before = instantiationGraphOfFiles([join(dir, 'main.smf'), join(dir, 'geometry.smf')]);
    expect(before.nodes.filter((n) => n.kind === 'instance').every((n) => n.origin === 'deferred')).toBe(true);
    expect(ids(before, 'instance')).toEqual(['largest$i64', 'largest$text']);
    expect(runOnce(dir)).toBe('(2.0, 1.0)\n17\npear\n9\n');
    // After the run the file keeps the instances' code: the next run loads it.
    const after = instantiationGraphOfFiles([join(dir, 'main.smf'), join(dir, 'geometry.smf')]);
    expect(after.nodes.filter((n) => n.kind === 'instance').map((n) => n.origin)).toEqual(['kept', 'kept']);
    expect(after.edges.filter((e) => e.kind === 'instance').map((e) => `${e.from}->${e.to}`).sort()).toEqual(['template:largest->largest$i64', 'template:largest->largest$text']);
  });

  it('statuses map to origins; a jit_compiled row without kept code is JIT-compiled', () => {
    const note = emptyNote();
    const row = { typeArgs: 'i64', fromFile: 'a.spl', fromLoc: 'a.spl:1:1', toObj: 'a.smf' };
    note.instantiations.push({ ...row, template: 'f', mangledName: 'f$i64', status: 'compiled' });
    note.instantiations.push({ ...row, template: 'g', mangledName: 'g$i64', status: 'jit_compiled' });
    note.instantiations.push({ ...row, template: 'h', mangledName: 'h$i64', status: 'jit_compiled' });
    note.possible.push({ template: 'k', typeArgs: 'i64', mangledName: 'k$i64', requiredBy: 'main', canDefer: true });
    note.dependencies.push({ fromInst: 'g$i64', toInst: 'f$i64', depKind: 'method_dep' });
    const g = instantiationGraph([note], new Set(['h$i64']));
    expect(Object.fromEntries(g.nodes.filter((n) => n.kind === 'instance').map((n) => [n.id, n.origin]))).toEqual({ f$i64: 'link_time', g$i64: 'jit', h$i64: 'kept', k$i64: 'deferred' });
    expect(g.edges).toContainEqual({ from: 'g$i64', to: 'f$i64', kind: 'uses' });
  });
});

describe('layout, DOT and SVG', () => {
  const cyclic: Graph = {
    title: 'modules',
    nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id, kind: 'module' as const })),
    edges: [
      { from: 'a', to: 'b', kind: 'imports' },
      { from: 'b', to: 'c', kind: 'imports' },
      { from: 'c', to: 'a', kind: 'imports' },
      { from: 'a', to: 'd', kind: 'imports' },
    ],
  };

  it('lays a cyclic graph out in layers, every node placed once, none overlapping', () => {
    for (const direction of ['down', 'right'] as const) {
      const lay = layoutGraph(cyclic, direction);
      expect([...lay.nodes.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
      const boxes = [...lay.nodes.values()];
      for (const p of boxes) {
        expect(p.x + p.width).toBeLessThanOrEqual(lay.width);
        expect(p.y + p.height).toBeLessThanOrEqual(lay.height);
        for (const q of boxes) {
          if (p === q) continue;
          const apart = p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
          expect(apart, `${p.id} and ${q.id} overlap (${direction})`).toBe(true);
        }
      }
      // a comes before what it imports (the back edge c -> a is the one reversed).
      expect(lay.nodes.get('a')!.layer).toBeLessThan(lay.nodes.get('b')!.layer);
      expect(lay.nodes.get('b')!.layer).toBeLessThan(lay.nodes.get('c')!.layer);
    }
  });

  it('the SVG has one g.node per node and one g.edge per edge, with names escaped', () => {
    const g: Graph = { ...cyclic, nodes: [...cyclic.nodes, { id: 'x<&>', label: 'x<&>', kind: 'module' }], edges: [...cyclic.edges, { from: 'd', to: 'x<&>', kind: 'imports' }] };
    const svg = graphToSvg(g);
    expect(svg.match(/<g class="node"/g)).toHaveLength(5);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(5);
    expect(svg).toContain('data-id="x&lt;&amp;&gt;"');
    expect(svg).not.toContain('x<&>');
    const both = graphsToSvg([g, cyclic]);
    expect(both.match(/<g class="node"/g)).toHaveLength(9);
  });

  it('DOT names every node and edge, prefixed per graph when there are several', () => {
    expect(toDot([cyclic])).toContain('"c" -> "a";');
    const dot = toDot([cyclic, { title: 'instantiations', nodes: [{ id: 'f$i64', label: 'f<i64>', kind: 'instance', origin: 'jit' }], edges: [] }]);
    expect(dot).toContain('"modules:c" -> "modules:a";');
    expect(dot).toContain('"instantiations:f$i64" [label="f<i64>", style=filled, fillcolor="#d1495b"');
  });

  it('buckets latencies, the last bucket open', () => {
    expect(bucket([1, 5, 5, 20, 1000], [2, 10, 100], 'µs').map((b) => b.count)).toEqual([1, 2, 1, 1]);
  });
});

describe('smf graph', () => {
  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    return { code, out, err };
  };

  it('prints DOT or SVG of both graphs', async () => {
    const dir = compiledModules();
    const dot = await run(['graph', join(dir, 'main.smf'), '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.out).toContain('"modules:main" -> "modules:geometry";');
    expect(dot.out).toContain('"instantiations:template:largest" -> "instantiations:largest$i64";');
    const svg = await run(['graph', join(dir, 'main.smf'), '--kind', 'modules']);
    expect(svg.out.match(/<g class="node"/g)).toHaveLength(2);
    const out = join(dir, 'g.svg');
    expect((await run(['graph', join(dir, 'main.smf'), '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('data-graph="instantiations"');
  });

  it('a missing or malformed file is a typed error, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smf-graph-bad-'));
    writeFileSync(join(dir, 'bad.smf'), 'not an smf file');
    const missing = await run(['graph', join(dir, 'none.smf')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: cannot read .*none\.smf.*no such file/);
    const bad = await run(['graph', join(dir, 'bad.smf')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: .*bad\.smf/);
    expect(bad.err).not.toContain('    at ');
  });
});
