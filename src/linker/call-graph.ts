/**
 * The call graph of a unit, read off its relocations (the way `--gc-sections` reads section
 * relocations): a function-index immediate inside a body is a direct call to (or a reference to)
 * that function, and a global-index immediate naming a GOT import is a call through that
 * symbol's table slot. Used by the hybrid policy to find what the program's entry can reach.
 */
import { RelocKind } from '../compiler/lower/unit.js';
import type { WasmModuleInfo, WasmReloc } from '../compiler/wasm/reader.js';

export interface BodyEdges {
  /** Defined-function indices of the same unit it calls. */
  readonly calls: readonly number[];
  /** GOT import positions (global index - 1) it calls through. */
  readonly got: readonly number[];
}

export function callGraph(wasm: WasmModuleInfo, relocs: readonly WasmReloc[]): BodyEdges[] {
  const out: BodyEdges[] = wasm.bodies.map(() => ({ calls: [], got: [] }));
  let body = 0;
  for (const r of relocs) {
    while (body < wasm.bodies.length && wasm.bodies[body].end <= r.offset) body++;
    const edges = out[body];
    if (!edges) break;
    if (r.kind === RelocKind.function && r.value >= wasm.importedFunctions) (edges.calls as number[]).push(r.value - wasm.importedFunctions);
    else if (r.kind === RelocKind.global && r.value > 0) (edges.got as number[]).push(r.value - 1);
  }
  return out;
}
