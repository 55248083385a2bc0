/** Graphviz DOT for the graphs (`smf graph --format dot`). */
import { ORIGIN_COLOURS, ORIGIN_LABELS } from './model.js';
import type { Graph, GraphNode } from './model.js';

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function nodeAttrs(n: GraphNode): string {
  if (n.kind === 'instance' && n.origin) return `label=${quote(n.label)}, style=filled, fillcolor=${quote(ORIGIN_COLOURS[n.origin])}, tooltip=${quote(ORIGIN_LABELS[n.origin])}`;
  if (n.kind === 'template') return `label=${quote(n.label)}, shape=box, style=rounded`;
  if (n.kind === 'missing') return `label=${quote(n.label)}, style=dashed`;
  return `label=${quote(n.label)}, shape=box`;
}

/** One digraph; several graphs become its clusters. */
export function toDot(graphs: readonly Graph[]): string {
  const out = ['digraph smf {', '  rankdir=TB;', '  node [fontname="sans-serif"];'];
  graphs.forEach((g, i) => {
    const indent = graphs.length > 1 ? '    ' : '  ';
    // Node ids are prefixed per graph: a module and a template may share a name.
    const id = (s: string): string => quote(graphs.length > 1 ? `${g.title}:${s}` : s);
    if (graphs.length > 1) out.push(`  subgraph cluster_${i} {`, `    label=${quote(g.title)};`);
    for (const n of g.nodes) out.push(`${indent}${id(n.id)} [${nodeAttrs(n)}];`);
    for (const e of g.edges) out.push(`${indent}${id(e.from)} -> ${id(e.to)}${e.kind === 'uses' ? ' [style=dashed]' : ''};`);
    if (graphs.length > 1) out.push('  }');
  });
  out.push('}');
  return out.join('\n') + '\n';
}
