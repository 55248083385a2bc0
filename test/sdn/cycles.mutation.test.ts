import { describe, expect, it } from 'vitest';
import { DependencyGraph, addDependency, emptyNote, recordCycles } from '../../src/sdn/index.js';
import type { DependencyRow, DepKind } from '../../src/sdn/index.js';

// Exact answers of the dependency graph (orders, paths, rotations, kinds), written where
// mutation testing (docs/testing.md) found the suite silent.

const e = (fromInst: string, toInst: string, depKind: DepKind = 'field_type'): DependencyRow => ({ fromInst, toInst, depKind });

describe('DependencyGraph', () => {
  it('keeps an edge once per from, to and kind, and lists nodes in first-seen order', () => {
    const g = new DependencyGraph([e('a', 'b'), e('a', 'b'), e('a', 'b', 'type_param'), e('c', 'a')]);
    expect(g.nodes).toEqual(['b', 'a', 'c']);
    expect(g.path('c', 'b')).toEqual([
      { from: 'c', to: 'a', kind: 'field_type' },
      { from: 'a', to: 'b', kind: 'field_type' },
    ]);
    const cyc = new DependencyGraph([e('x', 'y'), e('y', 'x'), e('y', 'x', 'inner_type')]).findCycles();
    expect(cyc.map((c) => [c.path, c.kinds, c.hard])).toEqual([['x->y->x', ['field_type', 'field_type'], true]]);
  });

  it('finds a shortest path, breadth first, and none against the edges', () => {
    const g = new DependencyGraph([e('a', 'b'), e('b', 'c'), e('c', 'd'), e('a', 'x'), e('x', 'd', 'inner_type')]);
    expect(g.path('a', 'd')).toEqual([
      { from: 'a', to: 'x', kind: 'field_type' },
      { from: 'x', to: 'd', kind: 'inner_type' },
    ]);
    expect(g.path('d', 'a')).toBeNull();
    expect(g.path('a', 'a')).toEqual([]);
    expect(g.path('nowhere', 'a')).toBeNull();
    const loop = new DependencyGraph([e('a', 'b'), e('b', 'a'), e('b', 'c')]);
    expect(loop.path('a', 'c')).toEqual([
      { from: 'a', to: 'b', kind: 'field_type' },
      { from: 'b', to: 'c', kind: 'field_type' },
    ]);
    expect(loop.wouldCreateCycle('c', 'a')).toBe(true);
    expect(loop.wouldCreateCycle('a', 'c')).toBe(false);
  });

  it('orders nodes after their dependencies, ties in first-seen order', () => {
    const g = new DependencyGraph([e('app', 'b'), e('app', 'a'), e('b', 'leaf'), e('a', 'leaf'), e('solo', 'leaf2')]);
    expect(g.topologicalOrder()).toEqual({ ok: true, order: ['leaf', 'leaf2', 'b', 'a', 'solo', 'app'] });
    const twice = new DependencyGraph([e('u', 'v'), e('u', 'v', 'type_param')]);
    expect(twice.topologicalOrder()).toEqual({ ok: true, order: ['v', 'u'] });
    expect(new DependencyGraph().topologicalOrder()).toEqual({ ok: true, order: [] });
  });

  it('names exactly the nodes a cycle leaves without a place, in first-seen order', () => {
    const g = new DependencyGraph([e('top', 'A'), e('A', 'B'), e('B', 'A'), e('ok', 'leaf')]);
    expect(g.topologicalOrder()).toEqual({ ok: false, order: ['leaf', 'ok'], cyclic: ['A', 'top', 'B'] });
  });

  it('rotates a cycle to start at its smallest node, with its kinds', () => {
    const g = new DependencyGraph([e('m', 'z'), e('z', 'b', 'inner_type'), e('b', 'm', 'type_param')]);
    const [c] = g.findCycles();
    expect(c).toEqual({
      nodes: ['b', 'm', 'z', 'b'],
      kinds: ['type_param', 'field_type', 'inner_type'],
      hard: false,
      path: 'b->m->z->b',
    });
  });

  it('finds a cycle in a knot once, and nothing in the acyclic part beside it', () => {
    const g = new DependencyGraph([e('a', 'b'), e('b', 'a'), e('b', 'c'), e('c', 'a'), e('d', 'a'), e('q', 'r')]);
    expect(g.findCycles().map((c) => c.path)).toEqual(['a->b->a']);
  });

  it('does not let a soft cycle hide a hard one through the same nodes', () => {
    // a -> b -> c -> a is fields alone: no value of it can be built. The search meets the soft
    // a -> b -> [a] first, and used to report only that one.
    const rows = [e('a', 'b'), e('b', 'a', 'inner_type'), e('b', 'c'), e('c', 'a')];
    expect(new DependencyGraph(rows).findCycles().map((c) => [c.path, c.hard])).toEqual([
      ['a->b->a', false],
      ['a->b->c->a', true],
    ]);
    const note = emptyNote();
    note.dependencies.push(...rows);
    expect(recordCycles(note)).toEqual({
      errors: [{ cyclePath: 'a->b->c->a', errorCode: 'E0420' }],
      warnings: [{ cyclePath: 'a->b->a', severity: 'warning' }],
    });
  });
});

describe('recordCycles and addDependency', () => {
  it('leaves a warning the note already lists alone, and returns copies of the rows it adds', () => {
    const note = emptyNote();
    note.dependencies.push(e('T', '[T]'), e('[T]', 'T', 'inner_type'), e('U', '[U]'), e('[U]', 'U', 'inner_type'));
    note.circularWarnings.push({ cyclePath: 'T->[T]->T', severity: 'warning' });
    const got = recordCycles(note);
    expect(got).toEqual({ errors: [], warnings: [{ cyclePath: 'U->[U]->U', severity: 'warning' }] });
    expect(note.circularWarnings.map((w) => w.cyclePath)).toEqual(['T->[T]->T', 'U->[U]->U']);
    expect(got.warnings[0]).not.toBe(note.circularWarnings[1]);
  });

  it('adds a dependency against the note\'s own type graph when none is given', () => {
    const note = emptyNote();
    expect(addDependency(note, e('N', 'N'))).toEqual({ errors: [{ cyclePath: 'N->N', errorCode: 'E0420' }], warnings: [] });
    expect(note.circularErrors).toEqual([{ cyclePath: 'N->N', errorCode: 'E0420' }]);
    expect(addDependency(note, e('a', 'b'))).toEqual({ errors: [], warnings: [] });
    expect(addDependency(note, e('a', 'b', 'type_param'))).toEqual({ errors: [], warnings: [] });
    expect(note.dependencies).toHaveLength(3);
    const row = e('b', 'a');
    expect(addDependency(note, row).errors).toEqual([{ cyclePath: 'a->b->a', errorCode: 'E0420' }]);
    expect(note.dependencies[3]).not.toBe(row);
  });
});
