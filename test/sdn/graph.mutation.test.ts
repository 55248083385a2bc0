import { describe, expect, it } from 'vitest';
import { addDependency, DependencyGraph, emptyNote, recordCycles } from '../../src/sdn/index.js';
import type { DependencyRow, DepKind } from '../../src/sdn/index.js';

// The dependency graph where mutation testing (docs/testing.md) found the suite silent: edges of
// two kinds between the same nodes, cycles that do not pass the search's root, and the rows
// `addDependency` must tell apart.

const e = (fromInst: string, toInst: string, depKind: DepKind = 'field_type'): DependencyRow => ({ fromInst, toInst, depKind });

describe('a soft and a hard cycle through the same nodes', () => {
  // `a` holds a `b` and a `[b]`, `b` holds an `a`: no value of either can be built.
  const rows = [e('a', 'b', 'inner_type'), e('a', 'b'), e('b', 'a')];

  it('is reported as the hard cycle, whichever edge comes first', () => {
    for (const order of [rows, [rows[1], rows[0], rows[2]]]) {
      const cycles = new DependencyGraph(order).findCycles();
      expect(cycles.map((c) => [c.path, c.kinds, c.hard])).toEqual([['a->b->a', ['field_type', 'field_type'], true]]);
    }
  });

  it('gives a circular_errors row, not a warning', () => {
    const note = emptyNote();
    note.dependencies = rows.map((r) => ({ ...r }));
    expect(recordCycles(note)).toEqual({ errors: [{ cyclePath: 'a->b->a', errorCode: 'E0420' }], warnings: [] });
  });
});

describe('DependencyGraph', () => {
  it('reports a cycle that does not pass the node the search started from', () => {
    // `out` is the first node the graph knows, so the search starts there.
    const g = new DependencyGraph([e('x', 'out'), e('out', 'b'), e('b', 'c', 'type_param'), e('c', 'b')]);
    expect(g.nodes[0]).toBe('out');
    expect(g.findCycles().map((c) => [c.path, c.kinds])).toEqual([['b->c->b', ['type_param', 'field_type']]]);
  });

  it('keeps the first of two soft cycles through the same nodes', () => {
    // `a` is the first node the graph knows: the search from it meets both edges back to it.
    const g = new DependencyGraph([e('b', 'a', 'inner_type'), e('b', 'a'), e('a', 'b', 'inner_type')]);
    expect(g.nodes[0]).toBe('a');
    const cycles = g.findCycles();
    expect(cycles.map((c) => [c.path, c.kinds, c.hard])).toEqual([['a->b->a', ['inner_type', 'inner_type'], false]]);
  });

  it('finds no path out of a cycle to a node it does not reach', () => {
    const g = new DependencyGraph([e('a', 'b'), e('b', 'a'), e('c', 'a')]);
    expect(g.path('a', 'c')).toBeNull();
    expect(g.wouldCreateCycle('c', 'a')).toBe(false);
    expect(g.wouldCreateCycle('a', 'c')).toBe(true);
    // A cycle the search passes through without leading back to where it started.
    expect(new DependencyGraph([e('a', 'b'), e('b', 'c'), e('c', 'b')]).path('a', 'z')).toBeNull();
  });
});

describe('addDependency', () => {
  it('adds rows that share only their from, only their to, or only their kind with one it has', () => {
    const note = emptyNote();
    addDependency(note, e('a', 'b'));
    addDependency(note, e('a', 'c'));
    addDependency(note, e('d', 'b'));
    addDependency(note, e('a', 'b', 'type_param'));
    addDependency(note, e('a', 'b'));
    expect(note.dependencies).toEqual([e('a', 'b'), e('a', 'c'), e('d', 'b'), e('a', 'b', 'type_param')]);
  });

  it('records no cycle the new edge does not close, even one the note has not recorded yet', () => {
    const note = emptyNote();
    note.dependencies = [e('x', 'y'), e('y', 'x')];
    expect(addDependency(note, e('p', 'q'))).toEqual({ errors: [], warnings: [] });
    expect(note.circularErrors).toEqual([]);
    expect(addDependency(note, e('q', 'p', 'method_dep'))).toEqual({ errors: [], warnings: [] });
    expect(note.circularErrors).toEqual([]);
    expect(addDependency(note, e('q', 'p'))).toEqual({
      errors: [
        { cyclePath: 'x->y->x', errorCode: 'E0420' },
        { cyclePath: 'p->q->p', errorCode: 'E0420' },
      ],
      warnings: [],
    });
  });
});
