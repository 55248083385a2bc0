/**
 * Runtime errors of a running Simple program. The WebAssembly stack unwinds through the thrown
 * SimpleTrap, so the host process is never left in a corrupt state.
 */
import { SimpleError } from '../errors.js';
import { TrapKind } from './abi.js';

/** The TrapKind names, plus the traps the engine raises itself rather than through `panic`. */
export type TrapName = keyof typeof TrapKind | 'StackOverflow' | 'CallUnloaded' | 'Unknown';

export type TrapCode =
  | 'TRAP_DIVIDE_BY_ZERO'
  | 'TRAP_INDEX_OUT_OF_BOUNDS'
  | 'TRAP_POP_EMPTY'
  | 'TRAP_ASSERT'
  | 'TRAP_OUT_OF_MEMORY'
  | 'TRAP_UNREACHABLE'
  | 'TRAP_STACK_OVERFLOW'
  | 'TRAP_CALL_UNLOADED'
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
    case 'Unknown':
      return `runtime error (trap kind ${d.kind ?? '?'})${where}`;
  }
}

/**
 * The trap an error thrown out of a WebAssembly call stands for, or undefined if it is not one
 * (a host function's own error, say). Traps raised through `panic` come back unchanged; the
 * engine's own traps are mapped, naming `functionName` (typically the entry point the loader
 * called, since the engine does not say which function overflowed). Use as
 * `throw asTrap(e, name) ?? e`.
 */
export function asTrap(error: unknown, functionName?: string): SimpleTrap | undefined {
  if (error instanceof SimpleTrap) return error;
  if (error instanceof RangeError && error.message.includes('Maximum call stack size exceeded')) {
    // The innermost WebAssembly frame is the function that recursed; its name comes from the
    // unit's name section. Only when the engine gives no such frame is the entry point named.
    return new SimpleTrap('StackOverflow', innermostWasmFunction(error) ?? functionName, {}, { cause: error });
  }
  if (error instanceof WebAssembly.RuntimeError) {
    const m = error.message;
    if (m.includes('unreachable')) return new SimpleTrap('Unreachable', functionName, {}, { cause: error });
    // An emptied table slot: the callee's module was unloaded (calls through slots are typed, so
    // a signature mismatch cannot happen in code this compiler made).
    if (m.includes('null function')) return new SimpleTrap('CallUnloaded', innermostWasmFunction(error) ?? functionName, {}, { cause: error });
    // Compiled code may leave integer division checks to the engine.
    if (m.includes('divide by zero') || m.includes('remainder by zero')) {
      return new SimpleTrap('DivideByZero', functionName, {}, { cause: error });
    }
  }
  return undefined;
}

/** The name of the innermost WebAssembly frame of an engine error's stack, if any. */
function innermostWasmFunction(error: Error): string | undefined {
  const m = /\n\s+at (.+?) \(wasm:\/\//.exec(error.stack ?? '');
  return m?.[1];
}
