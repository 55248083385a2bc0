/**
 * The WebAssembly half of the runtime: allocator, arrays and text, built with the project's own
 * encoder. It imports the shared memory and `host.panic`, and lays down its static area with an
 * active data segment, so instantiating it is all the initialisation there is.
 *
 * Built and compiled once per process; every runtime instance shares the compiled module.
 */
import { ModuleBuilder, ValType } from '../compiler/wasm/index.js';
import type { FunctionBuilder } from '../compiler/wasm/index.js';
import type { WasmValType } from '../compiler/layout.js';
import { RUNTIME_ABI } from './abi.js';
import type { RuntimeFunctionName } from './abi.js';
import { HEAP_BASE, INITIAL_GC_THRESHOLD, RESERVED_END, staticImage } from './memory-layout.js';
import {
  emitAlloc,
  emitCheckedSize,
  emitFree,
  emitIsBlock,
  emitOom,
  emitRealloc,
} from './wasm/allocator.js';
import { emitAllocShaped, emitArrayNew, emitArrayPopSlot, emitArrayPushSlot } from './wasm/arrays.js';
import { RUNTIME_MODULE_NAME } from './trap.js';
import { emitMinorSweep, emitRemember } from './wasm/generations.js';
import { emitMark, emitMinorMark } from './wasm/mark.js';
import { emitSweep } from './wasm/sweep.js';
import type { BodyEmitter, RuntimeContext, RuntimeFunctions, RuntimeGlobals } from './wasm/context.js';
import {
  emitBytesCmp,
  emitFormatU64,
  emitTextCmp,
  emitTextAppend,
  emitTextConcat,
  emitTextEq,
  emitTextFromBool,
  emitTextFromI64,
  emitTextFromU64,
} from './wasm/text.js';

/** The ABI functions implemented in WebAssembly; the rest are host functions (see host.ts). */
export const WASM_RUNTIME_FUNCTIONS = [
  'alloc',
  'alloc_shaped',
  'free',
  'array_new',
  'gc_remember',
  'array_push_slot',
  'array_pop_slot',
  'text_concat',
  'text_append',
  'text_cmp',
  'text_eq',
  'text_from_i64',
  'text_from_u64',
  'text_from_bool',
] as const satisfies readonly RuntimeFunctionName[];
export type WasmRuntimeFunctionName = (typeof WASM_RUNTIME_FUNCTIONS)[number];

/** A runtime value the host reads and writes: an exported global or a cell of memory. */
export interface RuntimeCell {
  value: number;
}

/** What the runtime module exports beyond the ABI functions (`runtimeExports`). */
export interface RuntimeModuleExports {
  readonly alloc: (size: number, site: number) => number;
  readonly free: (ptr: number) => void;
  readonly realloc: (ptr: number, used: number, size: number, site: number) => number;
  readonly heap_base: WebAssembly.Global;
  readonly heap_top: WebAssembly.Global;
  /** GC_CELLS.inUse, .allocCount, .threshold, .logCursor and .logEnd (in memory: compiled code allocates inline too). */
  readonly bytes_in_use: RuntimeCell;
  readonly peak_bytes: WebAssembly.Global;
  readonly alloc_count: RuntimeCell;
  readonly free_count: WebAssembly.Global;
  readonly gc_threshold: RuntimeCell;
  /** The collector's mark (wasm/mark.ts): `(marks, stackBase, sp, heapTop) -> liveEnd | -1`. */
  readonly gc_mark: (marks: number, base: number, sp: number, heapTop: number) => number;
  /** The collector's sweep (wasm/sweep.ts): `(marks, liveEnd, poison) -> blocks freed`. */
  readonly gc_sweep: (marks: number, liveEnd: number, poison: number) => number;
  /** A minor collection's mark (wasm/mark.ts): `(base, sp, heapTop) -> promoted bytes | -1`. */
  readonly gc_minor_mark: (base: number, sp: number, heapTop: number) => number;
  /** A minor collection's sweep (wasm/generations.ts): `(poison) -> blocks freed`. */
  readonly gc_minor_sweep: (poison: number) => number;
  readonly gc_young_start: WebAssembly.Global;
  readonly gc_log_base: WebAssembly.Global;
  readonly gc_log_cursor: RuntimeCell;
  readonly gc_log_end: RuntimeCell;
  readonly gc_rem_base: WebAssembly.Global;
  readonly gc_rem_cursor: WebAssembly.Global;
  readonly gc_rem_end: WebAssembly.Global;
  readonly gc_rem_overflow: WebAssembly.Global;
  readonly gc_large_young: WebAssembly.Global;
  readonly gc_large_young_limit: WebAssembly.Global;
}

const VAL: Record<WasmValType, ValType> = {
  i32: ValType.i32,
  i64: ValType.i64,
  f32: ValType.f32,
  f64: ValType.f64,
  v128: ValType.v128,
};
const I32 = ValType.i32;
const I64 = ValType.i64;

let cachedBytes: Uint8Array<ArrayBuffer> | undefined;
let cachedModule: WebAssembly.Module | undefined;

/** The runtime module's binary (built on first use). */
export function runtimeModuleBytes(): Uint8Array<ArrayBuffer> {
  return (cachedBytes ??= buildRuntimeModule());
}

/** The compiled runtime module, shared by every runtime instance in the process. */
export function runtimeModule(): WebAssembly.Module {
  return (cachedModule ??= new WebAssembly.Module(runtimeModuleBytes()));
}

function buildRuntimeModule(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder({ name: RUNTIME_MODULE_NAME });
  mb.importMemory('env', 'memory', { min: 1 });
  const abi = RUNTIME_ABI.panic;
  const panic = mb.importFunction('host', 'panic', { params: abi.params.map((t) => VAL[t]), results: [] }, 'panic');

  const mutableI32 = (init: number): number => mb.addGlobal(I32, true, init);
  const g: RuntimeGlobals = {
    heapTop: mutableI32(HEAP_BASE),
    peak: mutableI32(0),
    freeCount: mutableI32(0),
    youngStart: mutableI32(HEAP_BASE),
    // No young log or remembered set until the collector gives them room (Collector).
    logBase: mutableI32(0),
    remBase: mutableI32(0),
    remCursor: mutableI32(0),
    remEnd: mutableI32(0),
    remOverflow: mutableI32(0),
    largeYoung: mutableI32(0),
    largeYoungLimit: mutableI32(INITIAL_GC_THRESHOLD),
  };
  const heapBase = mb.addGlobal(I32, false, HEAP_BASE);

  const bodies: [FunctionBuilder, BodyEmitter][] = [];
  const define = (params: ValType[], results: ValType[], name: string, emit: BodyEmitter): number => {
    const f = mb.addFunction({ params, results }, name);
    bodies.push([f, emit]);
    return f.index;
  };
  const defineAbi = (name: WasmRuntimeFunctionName, emit: BodyEmitter): number => {
    const sig = RUNTIME_ABI[name];
    const index = define(sig.params.map((t) => VAL[t]), sig.results.map((t) => VAL[t]), name, emit);
    mb.exportFunction(name, index);
    return index;
  };

  const fn: RuntimeFunctions = {
    panic,
    oom: define([I32, I64], [], 'oom', emitOom),
    alloc: defineAbi('alloc', emitAlloc),
    free: defineAbi('free', emitFree),
    isBlock: define([I32], [I32], 'is_block', emitIsBlock),
    realloc: define([I32, I32, I32, I32], [I32], 'realloc', emitRealloc),
    checkedSize: define([I64, I32], [I32], 'checked_size', emitCheckedSize),
    bytesCmp: define([I32, I32, I32], [I32], 'bytes_cmp', emitBytesCmp),
    formatU64: define([I64, I32, I32], [I32], 'format_u64', emitFormatU64),
    remember: defineAbi('gc_remember', emitRemember),
  };
  defineAbi('alloc_shaped', emitAllocShaped);
  defineAbi('array_new', emitArrayNew);
  defineAbi('array_push_slot', emitArrayPushSlot);
  defineAbi('array_pop_slot', emitArrayPopSlot);
  defineAbi('text_concat', emitTextConcat);
  defineAbi('text_append', emitTextAppend);
  defineAbi('text_cmp', emitTextCmp);
  defineAbi('text_eq', emitTextEq);
  defineAbi('text_from_i64', emitTextFromI64);
  defineAbi('text_from_u64', emitTextFromU64);
  defineAbi('text_from_bool', emitTextFromBool);
  mb.exportFunction('realloc', fn.realloc);
  mb.exportFunction('gc_mark', define([I32, I32, I32, I32], [I32], 'gc_mark', emitMark));
  mb.exportFunction('gc_sweep', define([I32, I32, I32], [I32], 'gc_sweep', emitSweep));
  mb.exportFunction('gc_minor_mark', define([I32, I32, I32], [I32], 'gc_minor_mark', emitMinorMark));
  mb.exportFunction('gc_minor_sweep', define([I32], [I32], 'gc_minor_sweep', emitMinorSweep));

  const cx: RuntimeContext = { fn, g };
  for (const [f, emit] of bodies) emit(f, cx);

  mb.exportGlobal('heap_base', heapBase);
  mb.exportGlobal('heap_top', g.heapTop);
  mb.exportGlobal('peak_bytes', g.peak);
  mb.exportGlobal('free_count', g.freeCount);
  mb.exportGlobal('gc_young_start', g.youngStart);
  mb.exportGlobal('gc_log_base', g.logBase);
  mb.exportGlobal('gc_rem_base', g.remBase);
  mb.exportGlobal('gc_rem_cursor', g.remCursor);
  mb.exportGlobal('gc_rem_end', g.remEnd);
  mb.exportGlobal('gc_rem_overflow', g.remOverflow);
  mb.exportGlobal('gc_large_young', g.largeYoung);
  mb.exportGlobal('gc_large_young_limit', g.largeYoungLimit);

  mb.addActiveData(RESERVED_END, staticImage());
  // finish() returns a fresh, non-shared array.
  return mb.finish() as Uint8Array<ArrayBuffer>;
}
