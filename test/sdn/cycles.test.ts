// Issue #10, point 5: the cycle detector over note.sdn's dependencies table.
import { describe, expect, it } from 'vitest';
import { DependencyGraph, addDependency, emptyNote, recordCycles, typeGraph } from '../../src/sdn/index.js';
import type { DependencyRow, DepKind } from '../../src/sdn/index.js';

const e = (fromInst: string, toInst: string, depKind: DepKind = 'field_type'): DependencyRow => ({ fromInst, toInst, depKind });

describe('DependencyGraph', () => {
  it('finds a hard cycle (fields alone) and a soft one (through an array), each once, from its smallest node', () => {
    const g = new DependencyGraph([
      e('Node', 'i64'),
      e('Node', 'Node'),
      e('Tree', '[Tree]'),
      e('[Tree]', 'Tree', 'inner_type'),
      e('Wrap', 'Tree'),
      e('b', 'c'),
      e('c', 'a'),
      e('a', 'b'),
    ]);
    const cycles = g.findCycles();
    expect(cycles.map((c) => [c.path, c.hard])).toEqual([
      ['Node->Node', true],
      ['Tree->[Tree]->Tree', false],
      ['a->b->c->a', true],
    ]);
    expect(cycles[1].kinds).toEqual(['field_type', 'inner_type']);
  });

  it('wouldCreateCycle: an edge closes a cycle when its target already reaches its source', () => {
    const g = new DependencyGraph([e('A', 'B'), e('B', 'C')]);
    expect(g.wouldCreateCycle('C', 'A')).toBe(true);
    expect(g.wouldCreateCycle('A', 'C')).toBe(false);
    expect(g.wouldCreateCycle('X', 'X')).toBe(true);
    expect(g.wouldCreateCycle('C', 'D')).toBe(false);
    expect(g.path('A', 'C')).toEqual([
      { from: 'A', to: 'B', kind: 'field_type' },
      { from: 'B', to: 'C', kind: 'field_type' },
    ]);
  });

  it('topologicalOrder puts every node after what it depends on, or names the nodes a cycle leaves out', () => {
    const g = new DependencyGraph([e('app', 'Pair<i64, text>'), e('Pair<i64, text>', 'i64'), e('Pair<i64, text>', 'text'), e('max$i64', 'i64', 'type_param')]);
    const topo = g.topologicalOrder();
    expect(topo.ok).toBe(true);
    const at = (n: string): number => topo.order.indexOf(n);
    expect(topo.order).toHaveLength(5);
    expect(at('i64')).toBeLessThan(at('Pair<i64, text>'));
    expect(at('text')).toBeLessThan(at('Pair<i64, text>'));
    expect(at('Pair<i64, text>')).toBeLessThan(at('app'));
    expect(at('i64')).toBeLessThan(at('max$i64'));

    const cyclic = new DependencyGraph([e('top', 'A'), e('A', 'B'), e('B', 'A'), e('B', 'leaf')]).topologicalOrder();
    expect(cyclic.ok).toBe(false);
    expect(cyclic.order).toEqual(['leaf']);
    expect(!cyclic.ok && [...cyclic.cyclic].sort()).toEqual(['A', 'B', 'top']);
  });

  it('keeps only the kinds it is given: typeGraph leaves out method_dep (recursion is no finding)', () => {
    const note = emptyNote();
    note.dependencies.push(e('even$i64', 'odd$i64', 'method_dep'), e('odd$i64', 'even$i64', 'method_dep'));
    expect(typeGraph(note).findCycles()).toEqual([]);
    expect(new DependencyGraph(note.dependencies).findCycles().map((c) => c.path)).toEqual(['even$i64->odd$i64->even$i64']);
  });

  it('handles a long chain and a long cycle without deep recursion', () => {
    const rows: DependencyRow[] = [];
    for (let i = 0; i < 50_000; i++) rows.push(e(`T${i}`, `T${i + 1}`));
    const g = new DependencyGraph(rows);
    expect(g.findCycles()).toEqual([]);
    expect(g.topologicalOrder().order[0]).toBe('T50000');
    g.addEdge(e('T50000', 'T0', 'inner_type'));
    const [cycle] = g.findCycles();
    expect(cycle.nodes).toHaveLength(50_002);
    expect(cycle.hard).toBe(false);
  });
});

describe('recordCycles and addDependency on a note', () => {
  it('adds circular_errors (E0420) and circular_warnings rows once', () => {
    const note = emptyNote();
    note.dependencies.push(e('Node', 'Node'), e('Tree', '[Tree]'), e('[Tree]', 'Tree', 'inner_type'));
    const first = recordCycles(note);
    expect(first.errors).toEqual([{ cyclePath: 'Node->Node', errorCode: 'E0420' }]);
    expect(first.warnings).toEqual([{ cyclePath: 'Tree->[Tree]->Tree', severity: 'warning' }]);
    expect(recordCycles(note)).toEqual({ errors: [], warnings: [] });
    expect(note.circularErrors).toHaveLength(1);
    expect(note.circularWarnings).toHaveLength(1);
  });

  it('addDependency records a cycle when the new row closes one, and nothing otherwise', () => {
    const note = emptyNote();
    const graph = typeGraph(note);
    expect(addDependency(note, e('List', '[List]'), graph)).toEqual({ errors: [], warnings: [] });
    expect(addDependency(note, e('List', '[List]'), graph)).toEqual({ errors: [], warnings: [] });
    expect(note.dependencies).toHaveLength(1);
    expect(addDependency(note, e('[List]', 'List', 'inner_type'), graph).warnings).toEqual([{ cyclePath: 'List->[List]->List', severity: 'warning' }]);
    expect(addDependency(note, e('f$i64', 'f$i64', 'method_dep'), graph)).toEqual({ errors: [], warnings: [] });
    expect(note.dependencies).toHaveLength(3);
  });
});
