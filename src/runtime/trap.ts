/**
 * Runtime errors of a running Simple program. The WebAssembly stack unwinds through the thrown
 * SimpleTrap, so the host process is never left in a corrupt state.
 */
import { SimpleError } from '../errors.js';
import { TrapKind } from './abi.js';
import { backtraceOf } from './backtrace.js';
import type { BacktraceFrame } from './backtrace.js';

/** The runtime module's name (its name section), as engine stack frames show it. */
export const RUNTIME_MODULE_NAME = 'simple_rt';

/**
 * The TrapKind names, plus the traps the engine raises itself rather than through `panic`, the
 * bounds the loader enforces (docs/limits.md), and errors thrown by functions module code calls.
 */
export type TrapName =
  | keyof typeof TrapKind
  | 'StackOverflow'
  | 'CallUnloaded'
  | 'MemoryOutOfBounds'
  | 'IntegerOverflow'
  | 'InvalidConversion'
  | 'EngineTrap'
  | 'Timeout'
  | 'OutOfFuel'
  | 'Interrupted'
  | 'HostError'
  | 'RuntimeError'
  | 'Unknown';

export type TrapCode =
  | 'TRAP_DIVIDE_BY_ZERO'
  | 'TRAP_INDEX_OUT_OF_BOUNDS'
  | 'TRAP_POP_EMPTY'
  | 'TRAP_ASSERT'
  | 'TRAP_OUT_OF_MEMORY'
  | 'TRAP_UNREACHABLE'
  | 'TRAP_STACK_OVERFLOW'
  | 'TRAP_CALL_UNLOADED'
  | 'TRAP_MEMORY_OUT_OF_BOUNDS'
  | 'TRAP_INTEGER_OVERFLOW'
  | 'TRAP_INVALID_CONVERSION'
  | 'TRAP_ENGINE'
  | 'TRAP_TIMEOUT'
  | 'TRAP_OUT_OF_FUEL'
  | 'TRAP_INTERRUPTED'
  | 'TRAP_HOST_ERROR'
  | 'TRAP_RUNTIME_ERROR'
  | 'TRAP_UNKNOWN';

const CODES: Record<TrapName, TrapCode> = {
  DivideByZero: 'TRAP_DIVIDE_BY_ZERO',
  IndexOutOfBounds: 'TRAP_INDEX_OUT_OF_BOUNDS',
  PopEmpty: 'TRAP_POP_EMPTY',
  AssertFailed: 'TRAP_ASSERT',
  OutOfMemory: 'TRAP_OUT_OF_MEMORY',
  Unreachable: 'TRAP_UNREACHABLE',
  StackOverflow: 'TRAP_STACK_OVERFLOW',
  CallUnloaded: 'TRAP_CALL_UNLOADED',
  MemoryOutOfBounds: 'TRAP_MEMORY_OUT_OF_BOUNDS',
  IntegerOverflow: 'TRAP_INTEGER_OVERFLOW',
  InvalidConversion: 'TRAP_INVALID_CONVERSION',
  EngineTrap: 'TRAP_ENGINE',
  Timeout: 'TRAP_TIMEOUT',
  OutOfFuel: 'TRAP_OUT_OF_FUEL',
  Interrupted: 'TRAP_INTERRUPTED',
  HostError: 'TRAP_HOST_ERROR',
  RuntimeError: 'TRAP_RUNTIME_ERROR',
  Unknown: 'TRAP_UNKNOWN',
};

const NAME_OF_KIND = new Map<number, TrapName>(
  Object.entries(TrapKind).map(([name, kind]) => [kind, name as keyof typeof TrapKind]),
);

export interface TrapDetails {
  /** IndexOutOfBounds: the index used (signed). */
  readonly index?: bigint;
  /** IndexOutOfBounds: the array's length. */
  readonly length?: bigint;
  /** OutOfMemory: bytes requested. */
  readonly requested?: bigint;
  /** Unknown: the `kind` number `panic` received. */
  readonly kind?: number;
  /** Timeout: the limit, in milliseconds. */
  readonly timeoutMs?: number;
  /** OutOfFuel: the fuel the call was given. */
  readonly fuel?: bigint;
  /** HostError: the `extern fn` that threw. */
  readonly hostFunction?: string;
  /** EngineTrap, HostError, RuntimeError: what the engine or the thrown error said. */
  readonly message?: string;
}

export class SimpleTrap extends SimpleError {
  readonly code: TrapCode;

  constructor(
    readonly kind: TrapName,
    /** Display name of the function that trapped (e.g. `drain<i64>`), when known. */
    readonly functionName: string | undefined,
    readonly details: TrapDetails = {},
    options?: { cause?: unknown },
  ) {
    super(trapMessage(kind, functionName, details));
    this.code = CODES[kind];
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  private frames: readonly BacktraceFrame[] | undefined;

  /**
   * The Simple functions on the stack when the trap happened, innermost first, each with its
   * `file.spl:line` when its code carries a line table. Worked out on first use, from the
   * engine's stack of the error the trap stands for (or of the trap itself, raised by `panic`).
   */
  get backtrace(): readonly BacktraceFrame[] {
    if (!this.frames) {
      const fromCause = this.cause instanceof Error ? backtraceOf(this.cause.stack ?? '') : [];
      this.frames = fromCause.length > 0 ? fromCause : backtraceOf(this.stack ?? '');
    }
    return this.frames;
  }
}

/** The trap `panic(kind, site, a, b)` describes; `a` and `b` as the i64s WebAssembly passed. */
export function trapFromPanic(kind: number, functionName: string | undefined, a: bigint, b: bigint): SimpleTrap {
  const name = NAME_OF_KIND.get(kind) ?? 'Unknown';
  switch (name) {
    case 'IndexOutOfBounds':
      return new SimpleTrap(name, functionName, { index: a, length: b });
    case 'OutOfMemory':
      return new SimpleTrap(name, functionName, { requested: BigInt.asUintN(64, a) });
    case 'Unknown':
      return new SimpleTrap(name, functionName, { kind });
    default:
      return new SimpleTrap(name, functionName);
  }
}

function trapMessage(kind: TrapName, functionName: string | undefined, d: TrapDetails): string {
  const where = functionName === undefined ? '' : ` in function '${functionName}'`;
  switch (kind) {
    case 'DivideByZero':
      return `division by zero${where}`;
    case 'IndexOutOfBounds':
      return `index ${d.index ?? '?'} out of bounds for length ${d.length ?? '?'}${where}`;
    case 'PopEmpty':
      return `pop on an empty array${where}`;
    case 'AssertFailed':
      return `assertion failed${where}`;
    case 'OutOfMemory':
      return `out of memory (requested ${d.requested ?? '?'} bytes)${where}`;
    case 'Unreachable':
      return `unreachable code reached${where}`;
    case 'StackOverflow':
      return `stack overflow${where}`;
    case 'CallUnloaded':
      return `call to a function whose module was unloaded${where}`;
    case 'MemoryOutOfBounds':
      return `memory access out of bounds${where}`;
    case 'IntegerOverflow':
      return `integer overflow${where}`;
    case 'InvalidConversion':
      return `float unrepresentable in integer range${where}`;
    case 'EngineTrap':
      return `${d.message ?? 'trap'}${where}`;
    case 'Timeout':
      return `timeout: ran longer than ${d.timeoutMs ?? '?'} ms${where}`;
    case 'OutOfFuel':
      return `out of fuel (limit ${d.fuel ?? '?'})${where}`;
    case 'Interrupted':
      return `interrupted${where}`;
    case 'HostError':
      return `extern fn '${d.hostFunction ?? '?'}' failed: ${d.message ?? 'error'}${where}`;
    case 'RuntimeError':
      return `runtime error: ${d.message ?? 'error'}${where}`;
    case 'Unknown':
      return `runtime error (trap kind ${d.kind ?? '?'})${where}`;
  }
}

/** What the engine's WebAssembly.RuntimeError messages map to (V8's wording). */
const ENGINE_TRAPS: ReadonlyArray<readonly [string, TrapName]> = [
  ['unreachable', 'Unreachable'],
  // An emptied table slot: the callee's module was unloaded (calls through slots are typed, so a
  // signature mismatch cannot happen in code this compiler made).
  ['null function', 'CallUnloaded'],
  ['table index is out of bounds', 'CallUnloaded'],
  // Compiled code may leave integer division checks to the engine.
  ['divide by zero', 'DivideByZero'],
  ['remainder by zero', 'DivideByZero'],
  ['memory access out of bounds', 'MemoryOutOfBounds'],
  ['integer overflow', 'IntegerOverflow'],
  ['float unrepresentable', 'InvalidConversion'],
];

/**
 * The trap an error thrown out of a WebAssembly call stands for. Traps raised through `panic`
 * (and by the loader's limits) come back unchanged; the engine's own traps are mapped; any other
 * error thrown while module code ran (the runtime's host glue failing, say) becomes a
 * `RuntimeError` trap with the original as its `cause`. Each names the innermost function of
 * the module code on the error's stack, else `functionName` (typically the entry point the
 * loader called). The toolchain's own typed errors (SimpleError) are returned as undefined:
 * they are reported as they are. Use as `throw asTrap(e, name) ?? e`.
 */
export function asTrap(error: unknown, functionName?: string): SimpleTrap | undefined {
  if (error instanceof SimpleTrap) return error;
  if (error instanceof SimpleError) return undefined;
  const where = (error instanceof Error ? innermostWasmFunction(error) : undefined) ?? functionName;
  if (error instanceof RangeError && error.message.includes('Maximum call stack size exceeded')) {
    return new SimpleTrap('StackOverflow', where, {}, { cause: error });
  }
  if (error instanceof WebAssembly.RuntimeError) {
    const m = error.message;
    const kind = ENGINE_TRAPS.find(([text]) => m.includes(text))?.[1] ?? 'EngineTrap';
    return new SimpleTrap(kind, where, { message: m }, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SimpleTrap('RuntimeError', where, { message }, { cause: error });
}

/**
 * The name of the innermost WebAssembly function of module code on an error's stack, if any.
 * Frames of the runtime module (`simple_rt`, named in its name section) are passed over: the
 * program's function that called into the runtime is the one to name; so are frames named
 * `except` (an `extern fn`'s own import wrapper).
 */
export function innermostWasmFunction(error: Error, except?: string): string | undefined {
  const stack = error.stack ?? '';
  const frames = /\n\s+at (.+?) \(wasm:\/\/wasm\/([^:)]*)/g;
  for (let m = frames.exec(stack); m; m = frames.exec(stack)) {
    if (!m[2].startsWith(`${RUNTIME_MODULE_NAME}-`) && m[1] !== except) return m[1];
  }
  return undefined;
}

/**
 * What an embedder's `extern fn` throwing becomes: a trap of kind `HostError` naming the function
 * and the module function that called it, with the thrown value as `cause`. A trap (module code
 * the host function called back into trapped) and the toolchain's own typed errors pass
 * unchanged.
 */
export function hostErrorTrap(e: unknown, hostFunction: string): unknown {
  if (e instanceof SimpleError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SimpleTrap('HostError', innermostWasmFunction(new Error(), hostFunction), { hostFunction, message }, { cause: e });
}
