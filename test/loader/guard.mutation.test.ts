/**
 * ExecutionGuard (src/loader/limits.ts) driven as metered code drives it: `enter`/`exit` around
 * each call from the host, and `limits.out_of_fuel` when the counter went below zero. The
 * counter's value after each step is the guard's whole contract with the code.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { thrown } from '../thrown.js';
import { ExecutionGuard, SLICE } from '../../src/loader/limits.js';
import { natives } from '../../src/platform/index.js';
import { SimpleTrap } from '../../src/runtime/trap.js';

/** What metered code does when the counter goes below zero: it is -1, then it calls out. */
function runOut(guard: ExecutionGuard): void {
  guard.fuel.value = -1n;
  (guard.imports.out_of_fuel as () => void)();
}

const trapOf = (f: () => void): SimpleTrap => thrown(f, SimpleTrap);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ExecutionGuard: its settings', () => {
  it('accepts zero fuel and a zero timeout, the smallest allowed', () => {
    expect(() => new ExecutionGuard({ fuel: 0 })).not.toThrow();
    expect(() => new ExecutionGuard({ fuel: 0n })).not.toThrow();
    expect(() => new ExecutionGuard({ timeoutMs: 0 })).not.toThrow();
  });

  it('refuses negative fuel, a negative or NaN timeout and a flag of the wrong type, saying which', () => {
    expect(() => new ExecutionGuard({ fuel: -1 })).toThrow(new RangeError('fuel must be a non-negative integer, not -1'));
    expect(() => new ExecutionGuard({ timeoutMs: -1 })).toThrow(new RangeError('timeoutMs must be a non-negative number, not -1'));
    expect(() => new ExecutionGuard({ timeoutMs: NaN })).toThrow(new RangeError('timeoutMs must be a non-negative number, not NaN'));
    expect(() => new ExecutionGuard({ interrupt: new Uint8Array(4) as unknown as Int32Array })).toThrow(
      new TypeError('interrupt must be an Int32Array over a SharedArrayBuffer'),
    );
  });
});

describe('ExecutionGuard: the counter', () => {
  it('with fuel only, gives the whole budget at once (no slices: nothing to look at)', () => {
    const guard = new ExecutionGuard({ fuel: 50_000 });
    guard.enter();
    expect(guard.fuel.value).toBe(50_000n);
  });

  it('with a timeout, gives the budget in slices of SLICE, and a budget below a slice whole', () => {
    const big = new ExecutionGuard({ fuel: SLICE * 3n, timeoutMs: 60_000 });
    big.enter();
    expect(big.fuel.value).toBe(SLICE);
    const small = new ExecutionGuard({ fuel: 100, timeoutMs: 60_000 });
    small.enter();
    expect(small.fuel.value).toBe(100n);
  });

  it('starts the budget only on the outermost call: a nested call from the host keeps the counter', () => {
    const guard = new ExecutionGuard({ fuel: 1000 });
    guard.enter();
    guard.fuel.value = 5n;
    guard.enter();
    expect(guard.fuel.value).toBe(5n);
    guard.exit();
    guard.exit();
    guard.enter();
    expect(guard.fuel.value).toBe(1000n);
  });

  it('lets the unit that spends the last reserved fuel run, and traps on the next one', () => {
    // A slice, then one unit in reserve: running the slice out leaves exactly 0 units, which is not yet out.
    const guard = new ExecutionGuard({ fuel: SLICE + 1n, timeoutMs: 60_000 });
    guard.enter();
    expect(guard.fuel.value).toBe(SLICE);
    runOut(guard);
    expect(guard.fuel.value).toBe(0n);
    const trap = trapOf(() => runOut(guard));
    expect(trap).toMatchObject({ kind: 'OutOfFuel', details: { fuel: SLICE + 1n } });
    expect(guard.fuel.value).toBe(0n);
  });

  it('goes on past a slice while the interrupt flag is down; a raised flag traps once and is cleared', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const slices: number[] = [];
    const guard = new ExecutionGuard({ interrupt: flag, timeoutMs: 60_000 }, () => slices.push(1));
    guard.enter();
    runOut(guard);
    expect(slices).toHaveLength(1);
    expect(guard.fuel.value).toBe(SLICE);
    Atomics.store(flag, 0, 1);
    const trap = trapOf(() => runOut(guard));
    // An interrupt carries no details, even with a timeout set.
    expect(trap.kind).toBe('Interrupted');
    expect(trap.details).toEqual({});
    expect(Atomics.load(flag, 0)).toBe(0);
    expect(slices).toHaveLength(1);
  });

  it('times out only once the clock is past the deadline, not at it', () => {
    let now = 1000;
    vi.spyOn(natives, 'now').mockImplementation(() => now);
    const guard = new ExecutionGuard({ timeoutMs: 50 });
    guard.enter();
    now = 1050;
    runOut(guard);
    expect(guard.fuel.value).toBe(SLICE);
    now = 1050.001;
    const trap = trapOf(() => runOut(guard));
    expect(trap).toMatchObject({ kind: 'Timeout', details: { timeoutMs: 50 } });
  });
});
