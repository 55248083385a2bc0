/**
 * The runtime ABI as JavaScript sees it: the same functions, typed by the JS values WebAssembly
 * passes for each value type (i64 as bigint, everything else as number; i32 results signed).
 */
import type { WasmValType } from '../compiler/layout.js';
import type { RUNTIME_ABI, RuntimeFunctionName } from './abi.js';

type JsValue<T> = T extends 'i64' ? bigint : T extends 'v128' ? never : number;
type JsParams<P extends readonly WasmValType[]> = { -readonly [K in keyof P]: JsValue<P[K]> };
type JsResult<R extends readonly WasmValType[]> = R extends readonly [infer X] ? JsValue<X> : void;

export type RuntimeImport<K extends RuntimeFunctionName> = (
  ...args: JsParams<(typeof RUNTIME_ABI)[K]['params']>
) => JsResult<(typeof RUNTIME_ABI)[K]['results']>;

/** The `rt` import namespace of every compiled module. */
export type RuntimeImports = { readonly [K in RuntimeFunctionName]: RuntimeImport<K> };
