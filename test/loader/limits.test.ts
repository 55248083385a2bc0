/**
 * Bounded execution through the ModuleLoader API (docs/limits.md): fuel, timeouts and interrupts
 * as typed traps naming the function, a loader that stays usable afterwards, JIT instances
 * metered like the rest; and every error raised while module code runs as a typed trap.
 */
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { ModuleLoaderOptions } from '../../src/loader/module-loader.js';
import { HeapHandle } from '../../src/loader/values.js';
import { SimpleTrap } from '../../src/runtime/trap.js';
import { compileToSmf, workspace } from './fixtures.js';

import { SPIN_AND_COUNT } from '../limits-programs.js';

const SOURCE = `extern fn boom(x: i64) -> i64
extern fn corrupt(xs: [i64])
extern fn corrupt_text(xs: [text])

${SPIN_AND_COUNT}
fn depth(n: i64) -> i64:
    if n == 0:
        return 0
    depth(n - 1) + 1

fn spin_generic<T>(x: T) -> T:
    while true:
        assert(true)
    x

fn call_boom(x: i64) -> i64:
    boom(x) + 1

fn read_corrupted() -> i64:
    val xs = [1, 2, 3]
    corrupt(xs)
    xs[1]

fn print_corrupted():
    val xs = ["a", "b"]
    corrupt_text(xs)
    print(xs[0])
`;

const dir = workspace({ 'lim.spl': SOURCE });
compileToSmf(dir, ['lim.spl']);
const SMF = join(dir, 'lim.smf');

function loaderWith(options: ModuleLoaderOptions): ModuleLoader {
  const loader = new ModuleLoader({
    jit: { updateSmf: false },
    host: {
      boom: (x: bigint) => {
        if (x > 5n) throw new RangeError(`too big: ${x}`);
        return x;
      },
      corrupt: (xs: HeapHandle) => {
        // Points the array's data at the end of the address space: the next read is out of bounds.
        new DataView(loader.runtime.memory.buffer).setUint32(xs.ptr + 8, 0xffff_fff0, true);
      },
      corrupt_text: (xs: HeapHandle) => {
        // Points the first element at no text: printing it makes the runtime's host glue throw.
        const view = new DataView(loader.runtime.memory.buffer);
        view.setUint32(view.getUint32(xs.ptr + 8, true), 0xffff_fff0, true);
      },
    },
    ...options,
  });
  const r = loader.load(SMF);
  if (r.kind === 'error') throw r.error;
  return loader;
}

function call(loader: ModuleLoader, name: string, ...args: unknown[]): unknown {
  const s = loader.resolveSymbol(name);
  if (s.kind !== 'found' && s.kind !== 'jit') throw new Error(`${name}: ${JSON.stringify(s)}`);
  return s.call(...args);
}

function trapOf(f: () => unknown): SimpleTrap {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimpleTrap);
    return e as SimpleTrap;
  }
  throw new Error('expected a trap');
}

describe('fuel', () => {
  it('charges one unit per function entry and loop iteration, exactly', () => {
    // count(n): the entry, then n + 1 passes through the loop header.
    const loader = loaderWith({ limits: { fuel: 1000 } });
    expect(call(loader, 'count', 998n)).toBe(497503n);
    const trap = trapOf(() => call(loader, 'count', 999n));
    expect(trap).toMatchObject({ kind: 'OutOfFuel', code: 'TRAP_OUT_OF_FUEL', functionName: 'count', message: "out of fuel (limit 1000) in function 'count'" });
  });

  it('stops an endless loop and a deep recursion, naming the function; the loader stays usable', () => {
    const loader = loaderWith({ limits: { fuel: 3_000 } });
    expect(trapOf(() => call(loader, 'spin'))).toMatchObject({ kind: 'OutOfFuel', functionName: 'spin' });
    expect(trapOf(() => call(loader, 'depth', 5_000n))).toMatchObject({ kind: 'OutOfFuel', functionName: 'depth' });
    // Each call from the host gets the whole budget again.
    expect(call(loader, 'depth', 2_000n)).toBe(2_000n);
    expect(call(loader, 'count', 10n)).toBe(45n);
  });

  it('meters instances the JIT compiles at load time', () => {
    const loader = loaderWith({ limits: { fuel: 50_000 } });
    // Instances whose code comes out the same share it, so the engine names them by their template.
    expect(trapOf(() => call(loader, 'spin_generic<i64>', 1n))).toMatchObject({ kind: 'OutOfFuel', functionName: 'spin_generic' });
  });

  it('accepts bigint fuel and refuses a negative one', () => {
    expect(call(loaderWith({ limits: { fuel: 1n << 40n } }), 'count', 1000n)).toBe(499500n);
    expect(() => new ModuleLoader({ limits: { fuel: -1 } })).toThrow(RangeError);
  });
});

describe('timeout', () => {
  it('stops an endless loop after the limit with a Timeout trap; a later call works', () => {
    const loader = loaderWith({ limits: { timeoutMs: 150 } });
    const started = performance.now();
    const trap = trapOf(() => call(loader, 'spin'));
    const elapsed = performance.now() - started;
    expect(trap).toMatchObject({ kind: 'Timeout', code: 'TRAP_TIMEOUT', functionName: 'spin', message: "timeout: ran longer than 150 ms in function 'spin'" });
    // Never early. How promptly after the limit it stops is not asserted (a busy machine
    // stretches it); a timeout that never fired would leave this test to vitest's own timeout.
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(call(loader, 'count', 100_000n)).toBe(4_999_950_000n);
  });

  it('each call from the host gets its own clock', () => {
    const loader = loaderWith({ limits: { timeoutMs: 200 } });
    for (let i = 0; i < 3; i++) expect(call(loader, 'count', 1_000_000n)).toBe(499_999_500_000n);
  });
});

describe('interrupt', () => {
  it('another thread stops the running call by raising the flag', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const loader = loaderWith({ limits: { interrupt: flag } });
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       setTimeout(() => Atomics.store(new Int32Array(workerData), 0, 1), 100);`,
      { eval: true, workerData: flag.buffer },
    );
    const trap = trapOf(() => call(loader, 'spin'));
    await worker.terminate();
    expect(trap).toMatchObject({ kind: 'Interrupted', code: 'TRAP_INTERRUPTED', functionName: 'spin', message: "interrupted in function 'spin'" });
    // Taken, the flag is cleared: the next call runs.
    expect(Atomics.load(flag, 0)).toBe(0);
    expect(call(loader, 'count', 10n)).toBe(45n);
  });
});

describe('deep recursion for an embedder (docs/limits.md)', () => {
  it('a loader on a thread with a big stack reaches 1,000,000 frames; overflow stays a trap naming the function', async () => {
    const lib = resolve(__dirname, '../../dist/simple-smf.js');
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import(workerData.lib).then(({ ModuleLoader, SimpleTrap }) => {
         const loader = new ModuleLoader({ jit: { updateSmf: false }, host: { boom: (x) => x, corrupt: () => {}, corrupt_text: () => {} } });
         loader.load(workerData.smf);
         const depth = loader.resolveSymbol('depth');
         const reached = String(depth.call(1000000n));
         let trap;
         try { depth.call(100000000n); } catch (e) { trap = e instanceof SimpleTrap ? e.message : String(e); }
         parentPort.postMessage({ reached, trap });
       });`,
      { eval: true, workerData: { lib, smf: SMF }, resourceLimits: { stackSizeMb: 256 } },
    );
    const result = await new Promise((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
    });
    await worker.terminate();
    expect(result).toEqual({ reached: '1000000', trap: "stack overflow in function 'depth'" });
  });
});

describe('errors raised while module code runs are typed traps', () => {
  it("an extern fn that throws: HostError naming it and its caller, the original as cause", () => {
    const loader = loaderWith({});
    expect(call(loader, 'call_boom', 2n)).toBe(3n);
    const trap = trapOf(() => call(loader, 'call_boom', 9n));
    expect(trap).toMatchObject({ kind: 'HostError', code: 'TRAP_HOST_ERROR', functionName: 'call_boom', message: "extern fn 'boom' failed: too big: 9 in function 'call_boom'" });
    expect(trap.cause).toBeInstanceOf(RangeError);
    expect(call(loader, 'call_boom', 1n)).toBe(2n);
  });

  it('memory access out of bounds: MemoryOutOfBounds naming the function', () => {
    const loader = loaderWith({});
    const trap = trapOf(() => call(loader, 'read_corrupted'));
    expect(trap).toMatchObject({ kind: 'MemoryOutOfBounds', code: 'TRAP_MEMORY_OUT_OF_BOUNDS', functionName: 'read_corrupted', message: "memory access out of bounds in function 'read_corrupted'" });
    expect(trap.cause).toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it('the runtime\'s host glue throwing: RuntimeError naming the function, the original as cause', () => {
    const loader = loaderWith({});
    const trap = trapOf(() => call(loader, 'print_corrupted'));
    expect(trap).toMatchObject({ kind: 'RuntimeError', code: 'TRAP_RUNTIME_ERROR', functionName: 'print_corrupted' });
    expect(trap.message).toMatch(/^runtime error: .+ in function 'print_corrupted'$/);
    expect(trap.cause).toBeInstanceOf(Error);
    expect(call(loader, 'count', 3n)).toBe(3n);
  });

  it('the same with metered code', () => {
    const loader = loaderWith({ limits: { fuel: 1_000_000 } });
    expect(trapOf(() => call(loader, 'read_corrupted'))).toMatchObject({ kind: 'MemoryOutOfBounds', functionName: 'read_corrupted' });
    expect(trapOf(() => call(loader, 'call_boom', 9n))).toMatchObject({ kind: 'HostError', functionName: 'call_boom' });
  });
});
