/** SVG drawings of the graphs and of latency histograms, written by hand (no layout engine). */
import { layoutGraph } from './layout.js';
import { ORIGIN_COLOURS, ORIGIN_LABELS } from './model.js';
import type { Graph, GraphNode, InstanceOrigin } from './model.js';

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fill(n: GraphNode): string {
  if (n.kind === 'instance' && n.origin) return ORIGIN_COLOURS[n.origin];
  if (n.kind === 'template') return '#eef1f5';
  if (n.kind === 'missing') return '#ffffff';
  return '#dfe8f2';
}

const LEGEND_ROW = 18;

/** One graph as an SVG element: `g.node` per node (data-id, data-kind, data-origin), `g.edge` per edge. */
export function graphToSvg(g: Graph): string {
  const right = g.title === 'instantiations';
  const lay = layoutGraph(g, right ? 'right' : 'down');
  const origins = [...new Set(g.nodes.map((n) => n.origin).filter((o): o is InstanceOrigin => o !== undefined))];
  const legendHeight = origins.length ? origins.length * LEGEND_ROW + 8 : 0;
  const caption = `${g.title}: ${g.nodes.length} nodes, ${g.edges.length} edges`;
  const width = Math.max(lay.width, origins.length ? 220 : 0, caption.length * 6.5 + 24);
  const height = lay.height + legendHeight + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="smf-graph" data-graph="${escapeXml(g.title)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="sans-serif" font-size="12">`,
    `<defs><marker id="arrow-${escapeXml(g.title)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`,
    `<text x="12" y="${height - 6}" fill="#555">${escapeXml(caption)}</text>`,
  ];
  for (const e of g.edges) {
    const a = lay.nodes.get(e.from);
    const b = lay.nodes.get(e.to);
    if (!a || !b || a === b) continue;
    const ahead = b.layer > a.layer;
    let d: string;
    if (right) {
      // Columns: out of the right side, into the left (or, backwards or within a column, around the right).
      const x1 = a.x + a.width;
      const y1 = a.y + a.height / 2;
      const x2 = ahead ? b.x : b.x + b.width;
      const y2 = b.y + b.height / 2;
      const bend = ahead ? (x2 - x1) / 2 : 40;
      d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 + (ahead ? -bend : bend)},${y2} ${x2},${y2}`;
    } else {
      const x1 = a.x + a.width / 2;
      const y1 = ahead ? a.y + a.height : a.y;
      const x2 = b.x + b.width / 2;
      const y2 = ahead ? b.y : b.y + b.height;
      const bend = (y2 - y1) / 2 || 30;
      d = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
    }
    parts.push(
      `<g class="edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" data-kind="${e.kind}"><path d="${d}" fill="none" stroke="#555"${e.kind === 'uses' ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#arrow-${escapeXml(g.title)})"/></g>`,
    );
  }
  for (const n of g.nodes) {
    const p = lay.nodes.get(n.id)!;
    const title = n.origin ? `${n.label}: ${ORIGIN_LABELS[n.origin]}` : n.label;
    parts.push(
      `<g class="node" data-id="${escapeXml(n.id)}" data-kind="${n.kind}"${n.origin ? ` data-origin="${n.origin}"` : ''}><title>${escapeXml(title)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" rx="${n.kind === 'template' ? 8 : 3}" fill="${fill(n)}" stroke="#333"${n.kind === 'missing' ? ' stroke-dasharray="4 3"' : ''}/>` +
        `<text x="${p.x + p.width / 2}" y="${p.y + p.height / 2 + 4}" text-anchor="middle" fill="${n.kind === 'instance' ? '#fff' : '#111'}">${escapeXml(n.label)}</text></g>`,
    );
  }
  origins.forEach((o, i) => {
    const y = lay.height + 4 + i * LEGEND_ROW;
    parts.push(`<g class="legend" data-origin="${o}"><rect x="12" y="${y}" width="12" height="12" fill="${ORIGIN_COLOURS[o]}"/><text x="30" y="${y + 10}">${escapeXml(ORIGIN_LABELS[o])}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Several graphs in one SVG document, one under the other. */
export function graphsToSvg(graphs: readonly Graph[]): string {
  const drawn = graphs.map(graphToSvg);
  const sizes = drawn.map((s) => {
    const m = /width="(\d+)" height="(\d+)"/.exec(s)!;
    return { w: Number(m[1]), h: Number(m[2]) };
  });
  const width = Math.max(1, ...sizes.map((s) => s.w));
  const height = sizes.reduce((t, s) => t + s.h, 0);
  let y = 0;
  const inner = drawn.map((s, i) => {
    const placed = s.replace('<svg ', `<svg y="${y}" `);
    y += sizes[i].h;
    return placed;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${inner.join('\n')}\n</svg>\n`;
}

export interface HistogramBar {
  readonly label: string;
  readonly count: number;
}

/** A bar chart of counts per bucket (`class="histogram"`, one `rect.bar` per bucket). */
export function histogramToSvg(title: string, bars: readonly HistogramBar[]): string {
  const barWidth = 40;
  const chartHeight = 100;
  const width = Math.max(200, bars.length * (barWidth + 6) + 24);
  const height = chartHeight + 56;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" class="histogram" data-title="${escapeXml(title)}" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`, `<text x="12" y="14" font-weight="bold">${escapeXml(title)}</text>`];
  bars.forEach((b, i) => {
    const h = Math.round((b.count / max) * chartHeight);
    const x = 12 + i * (barWidth + 6);
    const y = 20 + chartHeight - h;
    parts.push(`<g class="bar" data-count="${b.count}"><rect x="${x}" y="${y}" width="${barWidth}" height="${h}" fill="#3a7ca5"/><text x="${x + barWidth / 2}" y="${y - 2}" text-anchor="middle">${b.count}</text><text x="${x + barWidth / 2}" y="${chartHeight + 34}" text-anchor="middle">${escapeXml(b.label)}</text></g>`);
  });
  if (bars.length === 0) parts.push(`<text x="12" y="60" fill="#777">no samples yet</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Counts of `samples` in buckets bounded above by `bounds` (the last bucket is open). */
export function bucket(samples: readonly number[], bounds: readonly number[], unit: string): HistogramBar[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const s of samples) {
    let i = bounds.findIndex((b) => s <= b);
    if (i < 0) i = bounds.length;
    counts[i]++;
  }
  return counts.map((count, i) => ({ label: i < bounds.length ? `≤${bounds[i]}${unit}` : `>${bounds[bounds.length - 1]}${unit}`, count }));
}
