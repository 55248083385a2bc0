/**
 * First-call stubs: what a table slot holds for an instance that is named but not compiled yet,
 * in the manner of LLVM ORC's lazy re-exports. The stub has the instance's WebAssembly
 * signature (calls through slots are typed), so callers call it as they would the instance; on
 * its first call it has the instance compiled into the same slot and forwards the call, and from
 * then on callers reach the compiled code directly.
 *
 * A stub is a WebAssembly module of four sections that imports one JavaScript function and
 * exports it again — an exported function fits a funcref table, a plain JavaScript function
 * does not. One module is compiled per signature and instantiated per stub.
 */
import { reprOf } from '../compiler/layout.js';
import type { WasmValType } from '../compiler/layout.js';
import { allTypeParams } from '../compiler/program.js';
import type { FnDef } from '../compiler/program.js';
import { substituteParams } from '../types/index.js';
import type { Type } from '../types/index.js';
import { WASM_HEADER, asciiName, section, uleb, vector } from '../tiny-wasm.js';

const VALTYPE: Record<Exclude<WasmValType, 'v128'>, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

export interface StubSignature {
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** `i64,f64>i32`: the key modules are shared by. */
  readonly key: string;
}

/**
 * The WebAssembly signature of `fn` instantiated at `args`, as the compiler lowers it: the
 * receiver first for `fn` and `me` methods, then the parameters; no result for unit. Undefined
 * when a value cannot cross into JavaScript (SIMD vectors): such an instance is compiled at once.
 */
export function stubSignature(fn: FnDef, args: readonly Type[]): StubSignature | undefined {
  const params = allTypeParams(fn);
  // A wrong count is for the compiler to report, when the instance is compiled at once.
  if (params.length !== args.length) return undefined;
  const map = new Map(params.map((p, i) => [p, args[i]]));
  const types: Type[] = [];
  if (fn.receiver === 'fn' || fn.receiver === 'me') types.push({ kind: 'named', name: fn.owner!.name, args: args.slice(0, fn.owner!.typeParams.length) });
  for (const p of fn.params) types.push(substituteParams(p.type, map));
  const codes: number[] = [];
  for (const t of types) {
    const w = reprOf(t).wasm;
    if (w === null) continue;
    if (w === 'v128') return undefined;
    codes.push(VALTYPE[w]);
  }
  const ret = reprOf(substituteParams(fn.ret, map)).wasm;
  if (ret === 'v128') return undefined;
  const results = ret === null ? [] : [VALTYPE[ret]];
  return { params: codes, results, key: `${codes.join(',')}>${results.join(',')}` };
}

const modules = new Map<string, WebAssembly.Module>();

/** A function for a table slot, of signature `sig`, that runs `body` with the call's arguments. */
export function makeStub(sig: StubSignature, body: (...args: unknown[]) => unknown): unknown {
  let module = modules.get(sig.key);
  if (!module) modules.set(sig.key, (module = new WebAssembly.Module(stubModuleBytes(sig))));
  return new WebAssembly.Instance(module, { stub: { f: body } }).exports.f;
}

/** `(module (type (func sig)) (import "stub" "f" (func (type 0))) (export "f" (func 0)))`. */
function stubModuleBytes(sig: StubSignature): Uint8Array<ArrayBuffer> {
  const type = vector([[0x60, ...uleb(sig.params.length), ...sig.params, ...uleb(sig.results.length), ...sig.results]]);
  const imports = vector([[...asciiName('stub'), ...asciiName('f'), 0x00, 0x00]]);
  const exports = vector([[...asciiName('f'), 0x00, 0x00]]);
  return new Uint8Array([...WASM_HEADER, ...section(1, type), ...section(2, imports), ...section(7, exports)]);
}
