/**
 * Bounded execution (docs/limits.md): fuel, a wall-clock timeout and an interrupt flag another
 * thread can raise, for each call the host makes into module code.
 *
 * All three ride on one mechanism: code installed by a loader with limits is metered
 * (`src/compiler/wasm/meter.ts`) — one unit of fuel per function entry and per loop iteration,
 * counted down in the shared `limits.fuel` global. When it goes below zero the code calls
 * `limits.out_of_fuel`, which is `ExecutionGuard.check`: the call's own fuel is spent (trap
 * `OutOfFuel`), or the deadline has passed (trap `Timeout`), or the interrupt flag is set (trap
 * `Interrupted`), or else the counter is refilled with the next slice and the code goes on. With a
 * timeout or an interrupt flag the counter is given out in slices, so the clock and the flag are
 * read every SLICE units and never on the hot path; the program's buffered output is written out
 * there too, so a call that runs long shows what it printed.
 */
import { innermostWasmFunction, SimpleTrap } from '../runtime/trap.js';
import { natives } from '../platform/index.js';

export interface ExecutionLimits {
  /**
   * Fuel for each call from the host into module code: one unit per function entry and per loop
   * iteration. Running out throws a SimpleTrap of kind `OutOfFuel`.
   */
  readonly fuel?: number | bigint;
  /** Wall-clock limit of each call from the host, in milliseconds (trap `Timeout`). */
  readonly timeoutMs?: number;
  /**
   * A flag another thread raises to stop the running call: an Int32Array over a
   * SharedArrayBuffer; storing a non-zero value at index 0 (`Atomics.store(flag, 0, 1)`) makes
   * the running call throw a trap of kind `Interrupted` within one slice. The loader clears it
   * when it takes it.
   */
  readonly interrupt?: Int32Array;
}

/** Fuel units between two looks at the clock and the interrupt flag. */
export const SLICE = 20_000n;
const UNLIMITED = 1n << 62n;

/** Enforces a loader's limits; one per loader, present only when the loader has limits. */
export class ExecutionGuard {
  /** The counter metered code decrements (imported as `limits.fuel`). */
  readonly fuel = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  /** The `limits` import namespace of metered units. */
  readonly imports: WebAssembly.ModuleImports;
  private depth = 0;
  /** Fuel left to the current call beyond what the counter holds. */
  private reserve = 0n;
  private deadline = Infinity;
  private readonly budget: bigint;
  private readonly sliced: boolean;

  constructor(
    readonly limits: ExecutionLimits,
    /** Called at the end of each slice that goes on: the loader writes out what was printed. */
    private readonly onSlice: () => void = () => {},
  ) {
    if (limits.fuel !== undefined && !(BigInt(limits.fuel) >= 0n)) throw new RangeError(`fuel must be a non-negative integer, not ${limits.fuel}`);
    if (limits.timeoutMs !== undefined && !(limits.timeoutMs >= 0)) throw new RangeError(`timeoutMs must be a non-negative number, not ${limits.timeoutMs}`);
    if (limits.interrupt !== undefined && !(limits.interrupt instanceof Int32Array)) throw new TypeError('interrupt must be an Int32Array over a SharedArrayBuffer');
    this.budget = limits.fuel === undefined ? UNLIMITED : BigInt(limits.fuel);
    this.sliced = limits.timeoutMs !== undefined || limits.interrupt !== undefined;
    this.imports = { fuel: this.fuel, out_of_fuel: () => this.check() };
  }

  /** Before a call from the host: the outermost call starts the budget and the clock. */
  enter(): void {
    if (this.depth++ > 0) return;
    if (this.limits.timeoutMs !== undefined) this.deadline = natives.now() + this.limits.timeoutMs;
    this.refill(this.budget);
  }

  exit(): void {
    this.depth--;
  }

  /** Gives the counter the next slice of `left` units; the rest stays in reserve. */
  private refill(left: bigint): void {
    const slice = this.sliced && left > SLICE ? SLICE : left;
    this.reserve = left - slice;
    this.fuel.value = slice;
  }

  /** Called by metered code when the counter went below zero. */
  private check(): void {
    // The counter is -1: the unit that made it so is not paid for by the slice.
    const left = this.reserve + (this.fuel.value as bigint);
    if (left < 0n) {
      this.fuel.value = 0n;
      throw this.trap('OutOfFuel');
    }
    if (this.limits.interrupt && Atomics.load(this.limits.interrupt, 0) !== 0) {
      Atomics.store(this.limits.interrupt, 0, 0);
      throw this.trap('Interrupted');
    }
    if (natives.now() > this.deadline) throw this.trap('Timeout');
    this.onSlice();
    this.refill(left);
  }

  private trap(kind: 'OutOfFuel' | 'Timeout' | 'Interrupted'): SimpleTrap {
    const where = innermostWasmFunction(new Error());
    return new SimpleTrap(kind, where, kind === 'OutOfFuel' ? { fuel: this.budget } : kind === 'Timeout' ? { timeoutMs: this.limits.timeoutMs } : {});
  }
}
