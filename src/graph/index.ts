export * from './model.js';
export { layoutGraph, nodeWidth } from './layout.js';
export type { Layout, PlacedNode } from './layout.js';
export { toDot } from './dot.js';
export { graphToSvg, graphsToSvg, histogramToSvg, bucket, escapeXml } from './svg.js';
export type { HistogramBar } from './svg.js';
export { moduleGraph, instantiationGraph, instantiationGraphOfFiles, moduleImports, jitCacheSymbolsOf, noteOf } from './smf-graph.js';
