/** The graphs `smf graph` and the playground draw: plain nodes and edges, no layout. */

/** How an instance came to be, the instantiation graph's colours. */
export type InstanceOrigin = 'link_time' | 'deferred' | 'jit' | 'kept';

export const ORIGIN_LABELS: Readonly<Record<InstanceOrigin, string>> = {
  link_time: 'compiled at link time',
  deferred: 'deferred to the loader',
  jit: 'JIT-compiled',
  kept: 'kept from an earlier run',
};

export const ORIGIN_COLOURS: Readonly<Record<InstanceOrigin, string>> = {
  link_time: '#4c9a2a',
  deferred: '#c9a227',
  jit: '#d1495b',
  kept: '#3a7ca5',
};

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: 'module' | 'template' | 'instance' | 'missing';
  readonly origin?: InstanceOrigin;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `uses`: an instance needs another (note.sdn dependencies), drawn dashed. */
  readonly kind: 'imports' | 'instance' | 'uses';
}

export interface Graph {
  readonly title: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}
