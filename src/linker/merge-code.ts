/**
 * Pass 3 — merging units into one WebAssembly module, the way wasm-ld merges relocatable
 * objects: every index an instruction holds is listed in the unit's `reloc.CODE` section as a
 * 5-byte padded immediate, so each body is copied once and its immediates are rewritten in
 * place, with no instruction decoding.
 *
 *   function indices  imports (rt.*, host.*) are deduplicated by name; defined functions are
 *                     numbered after all imports, unit after unit
 *   type indices      function types are deduplicated by signature
 *   global indices    0 stays `__memory_base`; `GOT.func.<symbol>` imports are deduplicated by
 *                     symbol. A GOT import whose symbol the merged module itself defines is kept:
 *                     the loader points it at that function's own table slot, so calls between
 *                     modules keep going through slots and hot reload keeps working
 *   data offsets      each unit's static data is placed in one merged segment at
 *                     `__memory_base`, 8-aligned, and its offsets are shifted by its place
 *
 * The output carries its own `reloc.CODE` (offsets into the merged code section), so a linked
 * module can be linked again.
 */
import { ByteWriter, ConstExpr, ModuleBuilder, u32lebSize, ValType, writePaddedS32, writePaddedU32 } from '../compiler/wasm/index.js';
import type { WasmModuleInfo, WasmReloc } from '../compiler/wasm/reader.js';
import { CODE_ABI_BYTES, RELOC_SECTION, RelocKind } from '../compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../compiler/runtime-abi.js';
import { LinkInputError } from './errors.js';
import { LineTableMerger } from './merge-lines.js';

export interface MergeUnit {
  /** Names the unit in errors: a file, or an instance. */
  readonly label: string;
  readonly wasm: WasmModuleInfo;
  readonly relocs: readonly WasmReloc[];
  /** Per defined function: the symbol to export it under, or null to keep it unexported. */
  readonly exports: readonly (string | null)[];
  /** Per `GOT.func` import, in order: its (final) symbol. */
  readonly got: readonly string[];
  /** Bytes of static data the unit expects at its base (at least its data segment's length). */
  readonly dataSize: number;
}

export interface MergedCode {
  readonly wasm: Uint8Array;
  /** Exported symbols, in export order (an export's ordinal is its position here). */
  readonly exports: readonly string[];
  /** Symbols still imported through `GOT.func`. */
  readonly got: readonly string[];
  readonly dataSize: number;
  readonly functionCount: number;
  readonly relocCount: number;
}

const DATA_ALIGN = 8;

export function mergeUnits(units: readonly MergeUnit[], name: string): MergedCode {
  const mb = new ModuleBuilder({ name });

  // Imports: collected from every unit first, since they precede all definitions.
  const gotIndex = new Map<string, number>();
  const rt = new Map<string, { type: number; index: number }>();
  const host = new Map<string, { type: number; index: number }>();
  const typeMaps: number[][] = [];
  for (const u of units) {
    const types = u.wasm.types.map((t) => mb.addType(t.params, t.results));
    typeMaps.push(types);
    for (const s of u.got) if (!gotIndex.has(s)) gotIndex.set(s, 1 + gotIndex.size);
    for (const imp of u.wasm.imports) {
      if (imp.kind !== 'func') continue;
      const table = imp.module === 'rt' ? rt : host;
      const known = table.get(imp.field);
      const type = types[imp.type];
      if (!known) table.set(imp.field, { type, index: -1 });
      else if (known.type !== type) throw new LinkInputError(u.label, `imports ${imp.module}.${imp.field} with a signature other units do not use`);
    }
  }
  mb.importMemory('env', 'memory', { min: 0 });
  // Like the compiler's units, import the table only when something calls through a slot.
  if (gotIndex.size > 0) mb.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  mb.importGlobal('env', '__memory_base', ValType.i32, false);
  for (const s of gotIndex.keys()) mb.importGlobal('GOT.func', s, ValType.i32, false);
  for (const [field, f] of rt) f.index = mb.importFunction('rt', field, f.type, field);
  for (const [field, f] of host) f.index = mb.importFunction('host', field, f.type, field);
  const importedFunctions = rt.size + host.size;

  // Where each unit's functions and data land.
  let definedBase = importedFunctions;
  let dataAt = 0;
  const dataParts: Array<{ at: number; bytes: Uint8Array }> = [];
  const relocOut = new ByteWriter(1024);
  const lines = new LineTableMerger();
  let relocCount = 0;
  const exports: string[] = [];
  const exported = new Set<string>();
  const totalBodies = units.reduce((n, u) => n + u.wasm.bodies.length, 0);
  // Offsets in the merged code section payload: the body count, then (size, body) pairs.
  let codeAt = u32lebSize(totalBodies);

  for (let ui = 0; ui < units.length; ui++) {
    const u = units[ui];
    const w = u.wasm;
    const types = typeMaps[ui];
    const functionMap = new Int32Array(w.importedFunctions + w.functions.length);
    let f = 0;
    for (const imp of w.imports) {
      if (imp.kind !== 'func') continue;
      functionMap[f++] = (imp.module === 'rt' ? rt : host).get(imp.field)!.index;
    }
    for (let i = 0; i < w.functions.length; i++) functionMap[w.importedFunctions + i] = definedBase + i;
    const globalMap = new Int32Array(1 + u.got.length);
    for (let i = 0; i < u.got.length; i++) globalMap[1 + i] = gotIndex.get(u.got[i])!;
    if (w.importedGlobals !== 1 + u.got.length) throw new LinkInputError(u.label, 'its globals are not __memory_base followed by GOT.func imports');

    const dataBase = align(dataAt, DATA_ALIGN);
    const unitData = w.data[0]?.bytes;
    if (unitData && unitData.length > 0) dataParts.push({ at: dataBase, bytes: unitData });
    const unitSize = Math.max(u.dataSize, unitData?.length ?? 0);
    if (unitSize > 0) dataAt = dataBase + unitSize;

    // One copy of the unit's code, patched in place; bodies are views into it.
    const code = w.code.slice();
    let body = 0;
    const bodyShift: number[] = [];
    for (const b of w.bodies) {
      const len = b.end - b.start;
      codeAt += u32lebSize(len);
      bodyShift.push(codeAt - b.start);
      codeAt += len;
    }
    for (const r of u.relocs) {
      while (w.bodies[body].end <= r.offset) body++;
      let value: number;
      switch (r.kind) {
        case RelocKind.function:
          value = functionMap[r.value];
          writePaddedU32(code, r.offset, value);
          break;
        case RelocKind.type:
          value = types[r.value];
          writePaddedU32(code, r.offset, value);
          break;
        case RelocKind.global:
          value = globalMap[r.value];
          writePaddedU32(code, r.offset, value);
          break;
        default:
          value = dataBase + r.value;
          writePaddedS32(code, r.offset, value);
      }
      relocOut.u8(r.kind).u32leb(r.offset + bodyShift[body]).u32leb(value >>> 0);
      relocCount++;
    }
    lines.add(w.lines, w.importedFunctions, functionMap, bodyShift);
    for (let i = 0; i < w.functions.length; i++) {
      const b = w.bodies[i];
      const index = mb.addRawFunction(types[w.functions[i]], code.subarray(b.start, b.end));
      const symbol = u.exports[i];
      if (symbol !== null) {
        if (exported.has(symbol)) throw new LinkInputError(u.label, `'${symbol}' would be exported twice`);
        exported.add(symbol);
        exports.push(symbol);
        mb.exportFunction(symbol, index);
      }
      mb.setFunctionName(index, w.names.get(w.importedFunctions + i) ?? symbol ?? `${u.label}#${i}`);
    }
    definedBase += w.functions.length;
  }

  const relocSection = new ByteWriter(relocOut.len + 5);
  relocSection.u32leb(relocCount).append(relocOut);
  mb.addCustomSection(RELOC_SECTION, relocSection.finish());
  mb.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  if (dataAt > 0) {
    const data = new Uint8Array(dataAt);
    for (const p of dataParts) data.set(p.bytes, p.at);
    mb.addActiveData(ConstExpr.globalGet(0), data);
  }
  return {
    wasm: lines.appendTo(mb.finish()),
    exports,
    got: [...gotIndex.keys()],
    dataSize: dataAt,
    functionCount: definedBase - importedFunctions,
    relocCount,
  };
}

function align(n: number, to: number): number {
  return (n + to - 1) & ~(to - 1);
}

