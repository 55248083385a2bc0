/**
 * Cycle detection over note.sdn's `dependencies` table (the report's `cycle_detector`).
 *
 * The table is a graph: an edge `from_inst -> to_inst` says that `from` needs `to` — an instance
 * its type arguments (`type_param`), a struct type the types of its fields (`field_type`), an
 * array type its element type (`inner_type`: an indirection, the array may be empty), an
 * instance the instances it calls (`method_dep`).
 *
 * A cycle of the type edges is
 *   - soft when it passes an `inner_type` edge: `Tree -> [Tree] -> Tree`, a tree whose children
 *     are in an array. It can be built (the array may be empty): a `circular_warnings` row with
 *     severity `warning`;
 *   - hard otherwise: `Node -> Node`, a struct that holds itself through fields alone. There is
 *     no null, so no value of it can ever be built: a `circular_errors` row with code `E0420`.
 * A cycle of `method_dep` edges is recursion between instances, which terminates (each instance
 * is compiled once) and is no finding; instantiation cycles that grow (`f<T>` calling `f<[T]>`)
 * are never in the table, the linker and the loader stop them by their depth limit (E0420 with
 * a template-level path). So `findCycles` looks at the type edges only, while `wouldCreateCycle`
 * and `topologicalOrder` answer for whatever graph they are given (all kinds, by default).
 *
 * `cycle_path` is the node names joined by `->`, the first repeated at the end, starting at the
 * smallest name so the same cycle found again gives the same row.
 */
import type { CircularErrorRow, CircularWarningRow, DependencyRow, DepKind, NoteSdn } from './note-model.js';
import { DEP_KINDS } from './note-model.js';
import { addCircularError } from './note-ops.js';

/** The edge kinds whose cycles are findings. */
export const TYPE_DEP_KINDS: readonly DepKind[] = ['type_param', 'field_type', 'inner_type'];

export interface DependencyCycle {
  /** The nodes in order, the first repeated at the end. */
  readonly nodes: readonly string[];
  /** `kinds[i]` is the kind of the edge `nodes[i] -> nodes[i + 1]`. */
  readonly kinds: readonly DepKind[];
  readonly hard: boolean;
  /** `cycle_path`: the nodes joined by `->`. */
  readonly path: string;
}

export type TopologicalOrder =
  | { readonly ok: true; readonly order: readonly string[] }
  /** `cyclic`: the nodes on a cycle or depending on one, which have no place in an order. */
  | { readonly ok: false; readonly order: readonly string[]; readonly cyclic: readonly string[] };

interface Edge {
  readonly to: string;
  readonly kind: DepKind;
}

export class DependencyGraph {
  private readonly out = new Map<string, Edge[]>();
  private readonly kinds: ReadonlySet<DepKind>;

  /** A graph of `rows`, keeping only edges of `kinds` (default: all). */
  constructor(rows: readonly DependencyRow[] = [], kinds: readonly DepKind[] = DEP_KINDS) {
    this.kinds = new Set(kinds);
    for (const r of rows) this.addEdge(r);
  }

  /** Adds an edge (once per from, to and kind); an edge of a kind left out is ignored. */
  addEdge(row: DependencyRow): void {
    if (!this.kinds.has(row.depKind)) return;
    this.node(row.toInst);
    const edges = this.node(row.fromInst);
    if (!edges.some((e) => e.to === row.toInst && e.kind === row.depKind)) edges.push({ to: row.toInst, kind: row.depKind });
  }

  /** The edges out of `name`, made empty when it is new. */
  private node(name: string): Edge[] {
    let edges = this.out.get(name);
    if (!edges) this.out.set(name, (edges = []));
    return edges;
  }

  get nodes(): string[] {
    return [...this.out.keys()];
  }

  /** Whether an edge `from -> to` would close a cycle: `to` already reaches `from` (or is it). */
  wouldCreateCycle(from: string, to: string): boolean {
    return this.path(to, from) !== null;
  }

  /**
   * The edges of a shortest path from `from` to `to` (breadth first), or null. From a node to
   * itself the path is empty.
   */
  path(from: string, to: string): Array<{ from: string; to: string; kind: DepKind }> | null {
    if (from === to) return [];
    const via = new Map<string, { from: string; kind: DepKind }>();
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      for (const e of this.out.get(n) ?? []) {
        if (e.to === from || via.has(e.to)) continue;
        via.set(e.to, { from: n, kind: e.kind });
        if (e.to === to) {
          const edges: Array<{ from: string; to: string; kind: DepKind }> = [];
          for (let at = to; at !== from; ) {
            const step = via.get(at)!;
            edges.unshift({ from: step.from, to: at, kind: step.kind });
            at = step.from;
          }
          return edges;
        }
        queue.push(e.to);
      }
    }
    return null;
  }

  /**
   * Every node after the nodes it depends on (Kahn's algorithm, ties in first-seen order): the
   * order to build them in. With a cycle, `ok` is false and the nodes that have no place are
   * listed in `cyclic`.
   */
  topologicalOrder(): TopologicalOrder {
    const waiting = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    for (const [n, edges] of this.out) {
      const targets = new Set(edges.map((e) => e.to));
      waiting.set(n, targets.size);
      for (const t of targets) (dependents.get(t) ?? dependents.set(t, []).get(t)!).push(n);
    }
    const order = [...waiting.keys()].filter((n) => waiting.get(n) === 0);
    for (let i = 0; i < order.length; i++) {
      for (const d of dependents.get(order[i]) ?? []) {
        const left = waiting.get(d)! - 1;
        waiting.set(d, left);
        if (left === 0) order.push(d);
      }
    }
    if (order.length === waiting.size) return { ok: true, order };
    const placed = new Set(order);
    return { ok: false, order, cyclic: [...waiting.keys()].filter((n) => !placed.has(n)) };
  }

  /**
   * The cycles, one per back edge of a depth-first search, each once. An acyclic graph (the
   * usual case) is told by its topological order without a search; otherwise only the nodes
   * without a place in that order are searched.
   */
  findCycles(): DependencyCycle[] {
    const topo = this.topologicalOrder();
    if (topo.ok) return [];
    const found = new Map<string, DependencyCycle>();
    this.searchCycles(topo.cyclic, () => true, found);
    // One back edge per cycle found is not every cycle: a soft cycle met first can hide a hard
    // one through the same nodes. Every hard cycle lies in the graph without `inner_type` edges,
    // so searching that too reports a hard cycle whenever there is one.
    this.searchCycles(topo.cyclic, (e) => e.kind !== 'inner_type', found);
    return [...found.values()];
  }

  /** Depth-first search over the edges `follow` accepts between `scope` nodes, adding each cycle to `found`. */
  private searchCycles(scope: readonly string[], follow: (e: Edge) => boolean, found: Map<string, DependencyCycle>): void {
    const inScope = new Set(scope);
    const state = new Map<string, 'open' | 'done'>();
    for (const root of scope) {
      if (state.has(root)) continue;
      // Iterative DFS: the stack holds each open node and the index of its next edge.
      const stack: Array<{ node: string; next: number; kind?: DepKind }> = [{ node: root, next: 0 }];
      state.set(root, 'open');
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const edges = this.out.get(top.node) ?? [];
        if (top.next >= edges.length) {
          state.set(top.node, 'done');
          stack.pop();
          continue;
        }
        const e = edges[top.next++];
        if (!inScope.has(e.to) || !follow(e)) continue;
        const s = state.get(e.to);
        if (s === undefined) {
          state.set(e.to, 'open');
          stack.push({ node: e.to, next: 0, kind: e.kind });
        } else if (s === 'open') {
          const start = stack.findIndex((f) => f.node === e.to);
          const nodes = stack.slice(start).map((f) => f.node);
          const kinds = [...stack.slice(start + 1).map((f) => f.kind!), e.kind];
          const cycle = makeCycle(nodes, kinds);
          // The same nodes can close a soft and a hard cycle (`a` holds `b` and `[b]`): the hard
          // one is the finding, whichever search met its path first.
          const had = found.get(cycle.path);
          if (had === undefined || (cycle.hard && !had.hard)) found.set(cycle.path, cycle);
        }
      }
    }
  }
}

/** A cycle from its nodes (without the repeat) and edge kinds, rotated to start at the smallest name. */
function makeCycle(nodes: readonly string[], kinds: readonly DepKind[]): DependencyCycle {
  let start = 0;
  for (let i = 1; i < nodes.length; i++) if (nodes[i] < nodes[start]) start = i;
  const rotated = [...nodes.slice(start), ...nodes.slice(0, start)];
  const rotatedKinds = [...kinds.slice(start), ...kinds.slice(0, start)];
  const all = [...rotated, rotated[0]];
  return { nodes: all, kinds: rotatedKinds, hard: !rotatedKinds.includes('inner_type'), path: all.join('->') };
}

/** The note's type graph: its `dependencies` rows of the kinds whose cycles are findings. */
export function typeGraph(note: NoteSdn): DependencyGraph {
  return new DependencyGraph(note.dependencies, TYPE_DEP_KINDS);
}

export interface RecordedCycles {
  /** Rows added to `circular_errors` (hard cycles, E0420). */
  readonly errors: readonly CircularErrorRow[];
  /** Rows added to `circular_warnings` (soft cycles). */
  readonly warnings: readonly CircularWarningRow[];
}

/**
 * Finds the cycles of the note's `dependencies` and adds a row for each one the note does not
 * list yet: a hard cycle to `circular_errors` (E0420), a soft one to `circular_warnings`.
 */
export function recordCycles(note: NoteSdn, graph: DependencyGraph = typeGraph(note)): RecordedCycles {
  const errors: CircularErrorRow[] = [];
  const warnings: CircularWarningRow[] = [];
  for (const c of graph.findCycles()) {
    if (c.hard) {
      const row: CircularErrorRow = { cyclePath: c.path, errorCode: 'E0420' };
      if (addCircularError(note, row)) errors.push(row);
    } else if (!note.circularWarnings.some((w) => w.cyclePath === c.path)) {
      const row: CircularWarningRow = { cyclePath: c.path, severity: 'warning' };
      note.circularWarnings.push(row);
      warnings.push({ ...row });
    }
  }
  return { errors, warnings };
}

/**
 * Adds a dependency row unless the note has it; when the new edge closes a cycle of the type
 * graph (`wouldCreateCycle`), records it as `recordCycles` does. For writers that add rows one
 * at a time (the loader's write-back): no search unless the edge closes a cycle.
 */
export function addDependency(note: NoteSdn, row: DependencyRow, graph: DependencyGraph = typeGraph(note)): RecordedCycles {
  const none: RecordedCycles = { errors: [], warnings: [] };
  if (note.dependencies.some((d) => d.fromInst === row.fromInst && d.toInst === row.toInst && d.depKind === row.depKind)) return none;
  const closes = TYPE_DEP_KINDS.includes(row.depKind) && graph.wouldCreateCycle(row.fromInst, row.toInst);
  note.dependencies.push({ ...row });
  graph.addEdge(row);
  return closes ? recordCycles(note, graph) : none;
}
