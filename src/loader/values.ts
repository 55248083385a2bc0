/**
 * Conversions between JavaScript values and Simple values at the host boundary: numbers,
 * bigint (64-bit integers), booleans and strings convert both ways; heap values (arrays,
 * structs, tuples) cross as opaque handles.
 */
import { SimpleError } from '../errors.js';
import type { Runtime } from '../runtime/index.js';
import { typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';

/** Unpins the heap values of handles the host dropped without releasing them. */
const dropped = new FinalizationRegistry<{ runtime: Runtime; ptr: number }>(({ runtime, ptr }) => runtime.unpin(ptr));

/**
 * A heap value held by the host: it can be passed back into Simple code, not looked into.
 *
 * While the handle is held, the value (and everything it reaches) is a root of the collector
 * (docs/memory.md). `release()` — or `using` — lets it go at once; a handle the host drops is
 * let go when JavaScript's own collector finalizes it.
 */
export class HeapHandle {
  private live = true;

  constructor(
    readonly type: string,
    readonly ptr: number,
    private readonly runtime?: Runtime,
  ) {
    if (runtime) {
      runtime.pin(ptr);
      dropped.register(this, { runtime, ptr }, this);
    }
  }

  /** Whether the value lives in `runtime`'s memory: a handle from another loader or trust domain does not. */
  isFrom(runtime: Runtime): boolean {
    return this.runtime === undefined || this.runtime === runtime;
  }

  /** Whether the handle still holds its value (it was not released). */
  get held(): boolean {
    return this.live;
  }

  /** Lets the value go: the handle can no longer be passed to Simple code. */
  release(): void {
    if (!this.live) return;
    this.live = false;
    if (this.runtime) {
      dropped.unregister(this);
      this.runtime.unpin(this.ptr);
    }
  }

  [Symbol.dispose](): void {
    this.release();
  }

  toString(): string {
    return `<${this.type} @${this.ptr}>`;
  }
}

export class ValueConversionError extends SimpleError {
  readonly code = 'VALUE_CONVERSION';
  constructor(
    readonly expected: string,
    readonly position: string,
    detail: string,
  ) {
    super(`${position}: expected ${expected}, ${detail}`);
  }
}

/** JavaScript → the raw WebAssembly value of type `t`. */
export function toWasm(t: Type, v: unknown, runtime: Runtime, position: string | (() => string)): unknown {
  const fail = (detail: string): never => {
    throw new ValueConversionError(typeToString(t), typeof position === 'string' ? position : position(), detail);
  };
  switch (t.kind) {
    case 'int': {
      let n: bigint;
      if (typeof v === 'bigint') n = v;
      else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
      else return fail(`got ${describe(v)}`);
      const min = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
      const max = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
      if (n < min || n > max) fail(`${n} is out of range`);
      if (t.bits === 64) return BigInt.asIntN(64, n);
      return Number(BigInt.asIntN(32, n));
    }
    case 'float':
      return typeof v === 'number' ? v : fail(`got ${describe(v)}`);
    case 'bool':
      return typeof v === 'boolean' ? (v ? 1 : 0) : fail(`got ${describe(v)}`);
    case 'string':
      return typeof v === 'string' ? runtime.writeText(v) : fail(`got ${describe(v)}`);
    case 'unit':
      return undefined;
    case 'simd':
      return fail('SIMD vectors cannot cross the host boundary');
    default:
      if (v instanceof HeapHandle && v.type === typeToString(t)) {
        if (!v.isFrom(runtime)) return fail('got a handle from another loader or trust domain (its pointer means nothing in this memory)');
        return v.held ? v.ptr : fail('got a released handle');
      }
      return fail(v instanceof HeapHandle ? `got a handle to ${v.type}` : `got ${describe(v)} (heap values cross as handles)`);
  }
}

/** The raw WebAssembly value of type `t` → JavaScript. */
export function fromWasm(t: Type, raw: unknown, runtime: Runtime): unknown {
  switch (t.kind) {
    case 'int':
      if (t.bits === 64) return t.signed ? (raw as bigint) : BigInt.asUintN(64, raw as bigint);
      return t.bits === 32 && !t.signed ? (raw as number) >>> 0 : raw;
    case 'float':
      return raw;
    case 'bool':
      return raw !== 0;
    case 'string':
      return runtime.readText(raw as number);
    case 'unit':
      return undefined;
    default:
      return new HeapHandle(typeToString(t), raw as number, runtime);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `a string`;
  return `a ${typeof v}${typeof v === 'number' ? ` (${v})` : ''}`;
}
