/**
 * Assembles lowered functions into one WebAssembly module — a "unit": a whole compiled SMF
 * module, or the one instance the loader JIT-compiles.
 *
 * Import layout (docs/code-model.md): env.memory, env.table, env.__memory_base (global 0), then
 * one `GOT.func.<symbol>` global per function called through its table slot, then the runtime
 * functions and host functions used. Defined functions follow the imported ones and are
 * exported under their symbols. Index spaces are only final once every body is lowered, so call
 * sites are patched at the end.
 */
import { withLineTable } from './line-table.js';
import type { LineMarks } from './line-table.js';
import type { LineFunction } from '../wasm/line-section.js';
import { ByteWriter, ConstExpr, FunctionBuilder, ModuleBuilder, u32lebSize, ValType } from '../wasm/index.js';
import type { IrFunction } from '../ir.js';
import type { StructTable } from '../program.js';
import { CODE_ABI_SECTION, CODE_ABI_VERSION, RUNTIME_ABI } from '../runtime-abi.js';
import type { RuntimeFunctionName } from '../runtime-abi.js';
import { substituteParams, typeKey } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import { FunctionLowering } from './function.js';
import { collectingFunctions } from './gc-facts.js';
import { scalarReplace } from './scalar-replace.js';
import { appendInPlace } from './text-append.js';
import { INSTANCE_EXPORT, RELOC_SECTION, RelocKind } from './unit-abi.js';
// Kept importable from here, where they were first defined.
export { INSTANCE_EXPORT, RELOC_SECTION, RelocKind } from './unit-abi.js';
import type { UnitServices } from './function.js';
import { StaticData } from './static-data.js';
import { valType, wasmType } from './values.js';

/** An `extern fn`: a host function the unit wraps so it has a symbol (and a table slot) like any other. */
export interface ExternFunction {
  readonly symbol: string;
  /** The field name under the `host` import namespace. */
  readonly hostName: string;
  readonly params: readonly Type[];
  readonly ret: Type;
}

export interface LowerUnitInput {
  /** The module name, for the name section. */
  readonly name: string;
  readonly functions: readonly IrFunction[];
  readonly externs: readonly ExternFunction[];
  readonly structs: StructTable;
  /**
   * Write the `reloc.CODE` section (default true). Code that is only ever loaded, never linked —
   * a load-time instance — can skip it.
   */
  readonly relocatable?: boolean;
  /** A builder to reuse (it is reset): saves allocations on the load-time JIT's path. */
  readonly builder?: ModuleBuilder;
  /**
   * Name the single function of the unit `INSTANCE_EXPORT`, after its template rather than its
   * type arguments. Instances whose code comes out the same are then byte-identical modules,
   * which V8 compiles once (its module cache is keyed by the bytes): code sharing between
   * instantiations with the same representation, as .NET shares code for reference types.
   */
  readonly canonicalNames?: { readonly template: string };
}


export interface LoweredUnit {
  readonly wasm: Uint8Array;
  /** The symbols this unit defines and exports, in function order. */
  readonly exports: readonly string[];
  readonly imports: {
    readonly got: readonly string[];
    readonly runtime: readonly RuntimeFunctionName[];
    readonly host: readonly string[];
  };
  /** Bytes of static data the loader must place and pass as `__memory_base`. */
  readonly dataSize: number;
}

type PatchTarget =
  | { kind: 'runtime'; name: RuntimeFunctionName }
  | { kind: 'host'; name: string }
  | { kind: 'defined'; index: number }
  | { kind: 'global'; index: number }
  | { kind: 'type'; index: number }
  | { kind: 'data'; offset: number };

interface Patch {
  readonly builder: FunctionBuilder;
  readonly offset: number;
  readonly target: PatchTarget;
}

/** The payload of the CODE_ABI_SECTION every unit carries. */
export const CODE_ABI_BYTES = new Uint8Array([CODE_ABI_VERSION]);

export function lowerUnit(input: LowerUnitInput): LoweredUnit {
  const module = input.builder ? input.builder.reset() : new ModuleBuilder();
  const functions = input.functions.map((fn) => appendInPlace(scalarReplace(fn)));
  const defined = new Map<string, number>();
  functions.forEach((fn, i) => defined.set(fn.symbol, i));
  input.externs.forEach((ex, i) => defined.set(ex.symbol, functions.length + i));

  const data = new StaticData();
  const got = new Map<string, number>();
  const runtime = new Map<RuntimeFunctionName, number>();
  const host = new Map<string, number>();
  const patches: Patch[] = [];
  const structFields = fieldTable(input.structs);

  const services: UnitServices = {
    callCollects: collectingFunctions(functions),
    pushText(f, s) {
      patches.push({ builder: f, offset: f.globalGetPatchable(), target: { kind: 'global', index: 0 } });
      patches.push({ builder: f, offset: f.i32ConstPatchable(), target: { kind: 'data', offset: data.text(s) } });
      f.i32Add();
    },
    callRuntime(f, name) {
      if (!runtime.has(name)) runtime.set(name, runtime.size);
      patches.push({ builder: f, offset: f.callPatchable(), target: { kind: 'runtime', name } });
    },
    callSymbol(f, symbol, params, ret) {
      const local = defined.get(symbol);
      if (local !== undefined) {
        patches.push({ builder: f, offset: f.callPatchable(), target: { kind: 'defined', index: local } });
        return;
      }
      let global = got.get(symbol);
      if (global === undefined) got.set(symbol, (global = 1 + got.size));
      const type = module.addType(
        params.map(wasmType).filter((v): v is ValType => v !== null),
        wasmType(ret) === null ? [] : [wasmType(ret)!],
      );
      patches.push({ builder: f, offset: f.globalGetPatchable(), target: { kind: 'global', index: global } });
      patches.push({ builder: f, offset: f.callIndirectPatchable(0), target: { kind: 'type', index: type } });
    },
  };

  const bodies: Array<{ type: number; builder: FunctionBuilder; name: string; lines?: LineMarks }> = [];
  for (const fn of functions) {
    const lowering = new FunctionLowering(fn, services);
    lowering.structFields = structFields;
    const sig = FunctionLowering.signature(fn);
    bodies.push({ type: module.addType(sig.params, sig.results), builder: lowering.lower(), name: input.canonicalNames?.template ?? fn.displayName, lines: lowering.lines });
  }
  for (const ex of input.externs) {
    const params = ex.params.map(wasmType).filter((v): v is ValType => v !== null);
    const results = wasmType(ex.ret) === null ? [] : [wasmType(ex.ret)!];
    const f = new FunctionBuilder(params);
    params.forEach((_, i) => f.localGet(i));
    if (!host.has(ex.hostName)) host.set(ex.hostName, host.size);
    patches.push({ builder: f, offset: f.callPatchable(), target: { kind: 'host', name: ex.hostName } });
    bodies.push({ type: module.addType(params, results), builder: f, name: ex.symbol });
  }

  // Imports, in their final order.
  module.importMemory('env', 'memory', { min: 0 });
  // Only units that call through slots import the table: V8 updates the dispatch tables of every
  // instance importing a table on each table.set, so needless importers make installs slower.
  if (got.size > 0) module.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
  module.importGlobal('env', '__memory_base', ValType.i32, false);
  for (const symbol of got.keys()) module.importGlobal('GOT.func', symbol, ValType.i32, false);
  for (const name of runtime.keys()) {
    const sig = RUNTIME_ABI[name];
    module.importFunction('rt', name, module.addType(sig.params.map(valType), sig.results.map(valType)), name);
  }
  const hostTypes = new Map<string, number>();
  for (const ex of input.externs) {
    if (hostTypes.has(ex.hostName)) continue;
    const params = ex.params.map(wasmType).filter((v): v is ValType => v !== null);
    const results = wasmType(ex.ret) === null ? [] : [wasmType(ex.ret)!];
    hostTypes.set(ex.hostName, module.addType(params, results));
  }
  for (const name of host.keys()) module.importFunction('host', name, hostTypes.get(name)!, name);

  const importedFunctions = runtime.size + host.size;
  const relocs: Array<{ builder: FunctionBuilder; offset: number; kind: RelocKind; value: number }> = [];
  for (const p of patches) {
    const t = p.target;
    let kind: RelocKind;
    let value: number;
    switch (t.kind) {
      case 'runtime':
        [kind, value] = [RelocKind.function, runtime.get(t.name)!];
        break;
      case 'host':
        [kind, value] = [RelocKind.function, runtime.size + host.get(t.name)!];
        break;
      case 'defined':
        [kind, value] = [RelocKind.function, importedFunctions + t.index];
        break;
      case 'global':
        [kind, value] = [RelocKind.global, t.index];
        break;
      case 'type':
        [kind, value] = [RelocKind.type, t.index];
        break;
      case 'data':
        [kind, value] = [RelocKind.data, t.offset];
        break;
    }
    if (kind === RelocKind.data) p.builder.patchS32(p.offset, value);
    else p.builder.patchU32(p.offset, value);
    relocs.push({ builder: p.builder, offset: p.offset, kind, value });
  }

  const exports = [...functions.map((f) => f.symbol), ...input.externs.map((e) => e.symbol)];
  // Code-section offsets of each body's first instruction, for the relocation section.
  const finished = bodies.map((b) => b.builder.finishBody());
  const codeStart = new Map<FunctionBuilder, number>();
  let at = u32lebSize(finished.length);
  bodies.forEach((b, i) => {
    at += u32lebSize(finished[i].length);
    codeStart.set(b.builder, at + finished[i].length - b.builder.codeLength - 1);
    at += finished[i].length;
  });
  const lines: Array<LineFunction | undefined> = [];
  bodies.forEach((b, i) => {
    const index = module.addRawFunction(b.type, finished[i]);
    module.exportFunction(input.canonicalNames ? INSTANCE_EXPORT : exports[i], index);
    module.setFunctionName(index, b.name);
    const code = codeStart.get(b.builder)!;
    if (b.lines) lines.push(b.lines.entry(index, code + b.builder.codeLength + 1 - finished[i].length, finished[i].length, code));
  });
  if (input.relocatable ?? true) {
    module.addCustomSection(RELOC_SECTION, encodeRelocs(relocs.map((r) => ({ offset: codeStart.get(r.builder)! + r.offset, kind: r.kind, value: r.value }))));
  }
  module.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  const bytes = data.finish();
  if (bytes.length > 0) module.addActiveData(ConstExpr.globalGet(0), bytes);
  return {
    wasm: withLineTable(module.finish(), lines),
    exports,
    imports: { got: [...got.keys()], runtime: [...runtime.keys()], host: [...host.keys()] },
    dataSize: bytes.length,
  };
}

function fieldTable(structs: StructTable): (name: string, args: readonly Type[]) => readonly Type[] {
  const cache = new Map<string, readonly Type[]>();
  return (name, args) => {
    const key = args.length === 0 ? name : `${name}<${args.map(typeKey).join(',')}>`;
    let fields = cache.get(key);
    if (!fields) {
      const def = structs.struct(name);
      if (!def) throw new Error(`internal: unknown struct ${name}`);
      const map = new Map(def.typeParams.map((p, i) => [p, args[i]]));
      fields = def.fields.map((f) => substituteParams(f.type, map));
      cache.set(key, fields);
    }
    return fields;
  };
}

/** `reloc.CODE`: u32 count, then per entry u8 kind, u32 code-section offset, u32 value (all LEB). */
function encodeRelocs(relocs: ReadonlyArray<{ offset: number; kind: RelocKind; value: number }>): Uint8Array {
  const w = new ByteWriter(8 + relocs.length * 6);
  w.u32leb(relocs.length);
  for (const r of relocs) w.u8(r.kind).u32leb(r.offset).u32leb(r.value >>> 0);
  return w.finish();
}
