/**
 * Graphs from SMF files: the module/import graph (a module and the modules it imports, found
 * next to it as the loader finds them) and the instantiation graph of note.sdn (template →
 * instances, by how each instance was made). Reads the files and their notes only.
 */
import { dirname, join } from 'node:path';
import { parseNoteSdn } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import { SmfReader } from '../smf/index.js';
import type { Graph, GraphEdge, GraphNode, InstanceOrigin } from './model.js';

/** The name and imports of the module in `reader` (its load index, else its interface). */
export function moduleImports(reader: SmfReader): { module: string; imports: string[] } {
  for (const name of ['load_index', 'type_info']) {
    const s = reader.sections.find((x) => x.name === name);
    if (!s) continue;
    const j = JSON.parse(new TextDecoder().decode(reader.sectionData(s.index))) as { module?: unknown; name?: unknown; imports?: unknown };
    const module = typeof j.module === 'string' ? j.module : typeof j.name === 'string' ? j.name : '';
    const imports = Array.isArray(j.imports) ? j.imports.filter((x): x is string => typeof x === 'string') : [];
    return { module, imports };
  }
  return { module: '', imports: [] };
}

/** The symbols whose code the file keeps for the next run (its `jit_cache` section: "JITC", u16 version, u32 count, entries). */
export function jitCacheSymbolsOf(reader: SmfReader): string[] {
  const s = reader.sections.find((x) => x.name === 'jit_cache');
  if (!s) return [];
  const bytes = reader.sectionData(s.index);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  if (bytes.length < 10) return out;
  const count = view.getUint32(6, true);
  let at = 10;
  for (let i = 0; i < count && at + 4 <= bytes.length; i++) {
    const len = view.getUint32(at, true);
    out.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + len)));
    at += 4 + len + 8 + 4;
    if (at + 4 > bytes.length) break;
    at += 4 + view.getUint32(at, true);
  }
  return out;
}

export function noteOf(reader: SmfReader): NoteSdn | null {
  const text = reader.noteSdnText();
  return text === undefined ? null : parseNoteSdn(text);
}

/**
 * The import graph from the module file at `root`: each import looked up as `<name>.smf` in the
 * importing file's folder; one not found is drawn as missing.
 */
export function moduleGraph(root: string, open: (path: string) => SmfReader = (p) => SmfReader.openSync(p)): Graph & { readonly files: readonly string[] } {
  const files: string[] = [];
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const visit = (path: string, fallbackName: string): string => {
    let reader: SmfReader;
    try {
      reader = open(path);
    } catch {
      nodes.set(fallbackName, { id: fallbackName, label: `${fallbackName} (not found)`, kind: 'missing' });
      return fallbackName;
    }
    const { module, imports } = moduleImports(reader);
    const id = module || fallbackName;
    if (nodes.has(id)) return id;
    nodes.set(id, { id, label: id, kind: 'module' });
    files.push(path);
    for (const imp of imports) {
      const target = nodes.has(imp) ? imp : visit(join(dirname(path), `${imp}.smf`), imp);
      edges.push({ from: id, to: target, kind: 'imports' });
    }
    return id;
  };
  visit(root, root.replace(/^.*\//, '').replace(/\.smf$/, ''));
  return { title: 'modules', nodes: [...nodes.values()], edges, files };
}

/**
 * The instantiation graph of one or more notes: each template, its instances coloured by how they
 * were made, and the instances' dependencies on each other. An instance is `kept` when its code is
 * among `kept` (code an earlier run compiled and the file keeps), `jit` when the loader compiled it
 * otherwise, `link_time` when compiled before loading, `deferred` when only possible so far.
 */
export function instantiationGraph(notes: readonly NoteSdn[], kept: ReadonlySet<string> = new Set()): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const seenEdge = new Set<string>();
  const edge = (e: GraphEdge): void => {
    const key = `${e.from}\u0000${e.to}\u0000${e.kind}`;
    if (!seenEdge.has(key)) {
      seenEdge.add(key);
      edges.push(e);
    }
  };
  const rank: Record<InstanceOrigin, number> = { deferred: 0, link_time: 1, jit: 2, kept: 3 };
  const instance = (template: string, typeArgs: string, mangled: string, origin: InstanceOrigin): void => {
    const tid = `template:${template}`;
    if (!nodes.has(tid)) nodes.set(tid, { id: tid, label: template, kind: 'template' });
    const was = nodes.get(mangled);
    if (!was || rank[was.origin!] < rank[origin]) nodes.set(mangled, { id: mangled, label: `${template}<${typeArgs}>`, kind: 'instance', origin });
    edge({ from: tid, to: mangled, kind: 'instance' });
  };
  for (const note of notes) {
    for (const r of note.possible) instance(r.template, r.typeArgs, r.mangledName, 'deferred');
    for (const r of note.instantiations) {
      const origin: InstanceOrigin = r.status === 'compiled' ? 'link_time' : r.status === 'deferred' ? 'deferred' : kept.has(r.mangledName) ? 'kept' : 'jit';
      instance(r.template, r.typeArgs, r.mangledName, origin);
    }
  }
  for (const note of notes) {
    for (const d of note.dependencies) if (nodes.has(d.fromInst) && nodes.has(d.toInst) && d.fromInst !== d.toInst) edge({ from: d.fromInst, to: d.toInst, kind: 'uses' });
  }
  return { title: 'instantiations', nodes: [...nodes.values()], edges };
}

/** The instantiation graph of the module at `root` and the modules it imports. */
export function instantiationGraphOfFiles(paths: readonly string[], open: (path: string) => SmfReader = (p) => SmfReader.openSync(p)): Graph {
  const notes: NoteSdn[] = [];
  const kept = new Set<string>();
  for (const p of paths) {
    const reader = open(p);
    const note = noteOf(reader);
    if (note) notes.push(note);
    for (const s of jitCacheSymbolsOf(reader)) kept.add(s);
  }
  return instantiationGraph(notes, kept);
}
