/**
 * A simple layered layout (after Sugiyama): cycles broken by reversing back edges, layers by
 * longest path from the sources, order within a layer by a few barycenter sweeps, then boxes
 * placed left to right and each layer centred. Enough for the tens of nodes a program has.
 */
import type { Graph } from './model.js';

export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly layer: number;
}

export interface Layout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly width: number;
  readonly height: number;
}

const NODE_HEIGHT = 28;
const LAYER_GAP = 48;
const NODE_GAP = 18;
const MARGIN = 12;
/** An estimate of a character's width at the 12px sans-serif the SVG uses. */
const CHAR_WIDTH = 7;

export function nodeWidth(label: string): number {
  return Math.max(48, label.length * CHAR_WIDTH + 20);
}

/**
 * `down`: layers are rows (the import graph). `right`: layers are columns, each node beside the
 * middle of what it points to — a template and its list of instances read best that way.
 */
export type Direction = 'down' | 'right';

export function layoutGraph(g: Graph, direction: Direction = 'down'): Layout {
  const ids = g.nodes.map((n) => n.id);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  // Depth-first search; an edge to a node on the current path is a back edge and is reversed.
  const state = new Map<string, 'open' | 'done'>();
  const forward: Array<[string, string]> = [];
  const adjacency = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of g.edges) if (adjacency.has(e.from) && adjacency.has(e.to) && e.from !== e.to) adjacency.get(e.from)!.push(e.to);
  const visit = (v: string): void => {
    state.set(v, 'open');
    for (const w of adjacency.get(v)!) {
      if (state.get(w) === 'open') forward.push([w, v]);
      else {
        forward.push([v, w]);
        if (!state.has(w)) visit(w);
      }
    }
    state.set(v, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  for (const [a, b] of forward) out.get(a)!.push(b);

  // Longest path layering, in topological order of the now acyclic graph.
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const [, b] of forward) indegree.set(b, indegree.get(b)! + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of out.get(v)!) {
      layer.set(w, Math.max(layer.get(w)!, layer.get(v)! + 1));
      indegree.set(w, indegree.get(w)! - 1);
      if (indegree.get(w) === 0) queue.push(w);
    }
  }
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);

  // Barycenter sweeps: down (by parents' positions), then up (by children's).
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [a, b] of forward) parents.get(b)!.push(a);
  const position = new Map<string, number>();
  const number = (): void => layers.forEach((l) => l.forEach((id, i) => position.set(id, i)));
  number();
  const sweep = (l: string[], neighbours: (id: string) => string[]): void => {
    const key = new Map(l.map((id) => {
      const ns = neighbours(id);
      return [id, ns.length ? ns.reduce((s, n) => s + position.get(n)!, 0) / ns.length : position.get(id)!] as const;
    }));
    l.sort((a, b) => key.get(a)! - key.get(b)!);
    l.forEach((id, i) => position.set(id, i));
  };
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 1; i < layers.length; i++) sweep(layers[i], (id) => parents.get(id)!);
    for (let i = layers.length - 2; i >= 0; i--) sweep(layers[i], (id) => out.get(id)!);
  }

  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  if (direction === 'right') return placeRight(layers, out, label);
  const widths = layers.map((l) => l.reduce((s, id) => s + nodeWidth(label.get(id)!), 0) + NODE_GAP * Math.max(0, l.length - 1));
  const width = Math.max(0, ...widths) + 2 * MARGIN;
  const placed = new Map<string, PlacedNode>();
  layers.forEach((l, li) => {
    let x = MARGIN + (width - 2 * MARGIN - widths[li]) / 2;
    for (const id of l) {
      const w = nodeWidth(label.get(id)!);
      placed.set(id, { id, x, y: MARGIN + li * (NODE_HEIGHT + LAYER_GAP), width: w, height: NODE_HEIGHT, layer: li });
      x += w + NODE_GAP;
    }
  });
  const height = layers.length ? MARGIN * 2 + layers.length * NODE_HEIGHT + (layers.length - 1) * LAYER_GAP : 2 * MARGIN;
  return { nodes: placed, width, height };
}

const ROW_GAP = 8;
const COLUMN_GAP = 60;

/** Columns from the last: a node sits at the middle of its children, pushed down past its neighbour above. */
function placeRight(layers: string[][], children: Map<string, string[]>, label: Map<string, string>): Layout {
  const columnWidth = layers.map((l) => Math.max(...l.map((id) => nodeWidth(label.get(id)!))));
  const columnX: number[] = [];
  let x = MARGIN;
  for (const w of columnWidth) {
    columnX.push(x);
    x += w + COLUMN_GAP;
  }
  const y = new Map<string, number>();
  for (let li = layers.length - 1; li >= 0; li--) {
    let next = MARGIN;
    for (const id of layers[li]) {
      const placedKids = children.get(id)!.map((c) => y.get(c)).filter((v): v is number => v !== undefined);
      const wanted = placedKids.length ? (Math.min(...placedKids) + Math.max(...placedKids)) / 2 : next;
      const at = Math.max(next, wanted);
      y.set(id, at);
      next = at + NODE_HEIGHT + ROW_GAP;
    }
  }
  const placed = new Map<string, PlacedNode>();
  layers.forEach((l, li) => {
    for (const id of l) placed.set(id, { id, x: columnX[li], y: y.get(id)!, width: nodeWidth(label.get(id)!), height: NODE_HEIGHT, layer: li });
  });
  const height = Math.max(MARGIN, ...[...placed.values()].map((p) => p.y + p.height)) + MARGIN;
  return { nodes: placed, width: Math.max(2 * MARGIN, x - COLUMN_GAP + MARGIN), height };
}
