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
import { ConstExpr, FunctionBuilder, ModuleBuilder, ValType } from '../wasm/index.js';
import type { IrFunction } from '../ir.js';
import type { StructTable } from '../program.js';
import { RUNTIME_ABI } from '../../runtime/abi.js';
import type { RuntimeFunctionName } from '../../runtime/abi.js';
import { substituteParams } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import { FunctionLowering } from './function.js';
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

type CallTarget = { kind: 'runtime'; name: RuntimeFunctionName } | { kind: 'host'; name: string } | { kind: 'defined'; index: number };

interface Patch {
  readonly builder: FunctionBuilder;
  readonly offset: number;
  readonly target: CallTarget;
}

export function lowerUnit(input: LowerUnitInput): LoweredUnit {
  const module = new ModuleBuilder();
  const defined = new Map<string, number>();
  input.functions.forEach((fn, i) => defined.set(fn.symbol, i));
  input.externs.forEach((ex, i) => defined.set(ex.symbol, input.functions.length + i));

  const data = new StaticData();
  const got = new Map<string, number>();
  const runtime = new Map<RuntimeFunctionName, number>();
  const host = new Map<string, number>();
  const patches: Patch[] = [];
  const structFields = fieldTable(input.structs);

  const services: UnitServices = {
    memoryBase: 0,
    text: (s) => data.text(s),
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
      f.globalGet(global).callIndirect(type, 0);
    },
  };

  const bodies: Array<{ type: number; builder: FunctionBuilder; name: string }> = [];
  for (const fn of input.functions) {
    const lowering = new FunctionLowering(fn, services);
    lowering.structFields = structFields;
    const sig = FunctionLowering.signature(fn);
    bodies.push({ type: module.addType(sig.params, sig.results), builder: lowering.lower(), name: fn.displayName });
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
  module.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
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
  for (const p of patches) {
    const index =
      p.target.kind === 'runtime'
        ? runtime.get(p.target.name)!
        : p.target.kind === 'host'
          ? runtime.size + host.get(p.target.name)!
          : importedFunctions + p.target.index;
    p.builder.patchCall(p.offset, index);
  }

  const exports = [...input.functions.map((f) => f.symbol), ...input.externs.map((e) => e.symbol)];
  bodies.forEach((b, i) => {
    const index = module.addRawFunction(b.type, b.builder.finishBody());
    module.exportFunction(exports[i], index);
    module.setFunctionName(index, b.name);
  });
  const bytes = data.finish();
  if (bytes.length > 0) module.addActiveData(ConstExpr.globalGet(0), bytes);
  return {
    wasm: module.finish(),
    exports,
    imports: { got: [...got.keys()], runtime: [...runtime.keys()], host: [...host.keys()] },
    dataSize: bytes.length,
  };
}

function fieldTable(structs: StructTable): (name: string, args: readonly Type[]) => readonly Type[] {
  const cache = new Map<string, readonly Type[]>();
  return (name, args) => {
    const key = args.length === 0 ? name : `${name}<${args.map((a) => JSON.stringify(a)).join(',')}>`;
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
