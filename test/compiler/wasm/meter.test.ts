// The metering pass (src/compiler/wasm/meter.ts) on modules built with the encoder: the metered
// module computes what the original does, charges exactly one unit per function entry and loop
// iteration, renumbers functions (calls, exports, names) and branch depths, and refills from
// out_of_fuel without losing or double-charging a unit.
import { describe, expect, it } from 'vitest';
import { meterModule, METER_CHECK_FUNCTION, METER_FUEL_GLOBAL, METER_MODULE } from '../../../src/compiler/wasm/meter.js';
import { ModuleBuilder } from '../../../src/compiler/wasm/module.js';
import { BlockType, ValType as T } from '../../../src/compiler/wasm/types.js';

function build(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 1 });
  const double = m.importFunction('rt', 'double', { params: [T.i64], results: [T.i64] });
  const tick = m.importFunction('host', 'tick', { params: [], results: [] });

  // sum(n): a loop with a result type, left by falling through its end.
  const sum = m.addFunction({ params: [T.i64], results: [T.i64] }, 'sum');
  const i = sum.addLocal(T.i64);
  const s = sum.addLocal(T.i64);
  sum.loop(BlockType.i64);
  sum.localGet(i).i64Const(1).i64Add().localSet(i);
  sum.localGet(s).localGet(i).i64Add().localSet(s);
  sum.localGet(i).localGet(0).i64LtS().brIf(0);
  sum.localGet(s);
  sum.end();
  m.exportFunction('sum', sum.index);

  // pairs(n): nested loops; the inner one leaves both through a block outside them (br_if 2 →
  // past two rewritten loops); a br_table continues the outer loop or leaves the block.
  const pairs = m.addFunction({ params: [T.i64], results: [T.i64] }, 'pairs');
  const a = pairs.addLocal(T.i64);
  const b = pairs.addLocal(T.i64);
  const c = pairs.addLocal(T.i64);
  pairs.block();
  pairs.loop();
  pairs.i64Const(0).localSet(b);
  pairs.loop();
  pairs.localGet(c).i64Const(1).i64Add().localSet(c);
  pairs.localGet(c).i64Const(1000).i64Eq().brIf(2);
  pairs.localGet(b).i64Const(1).i64Add().localTee(b).localGet(0).i64LtS().brIf(0);
  pairs.end();
  pairs.localGet(a).i64Const(1).i64Add().localTee(a).localGet(0).i64GeS();
  // br_table [continue the outer loop while a < n] default → leave the block.
  pairs.brTable([0], 1);
  pairs.end();
  pairs.localGet(c).i64Const(-1).i64Mul();
  pairs.return_();
  pairs.end();
  pairs.localGet(c);
  m.exportFunction('pairs', pairs.index);

  // early(n): counts down in a loop it only leaves by a br_if to the function's own label.
  const early = m.addFunction({ params: [T.i64], results: [T.i64] }, 'early');
  early.loop();
  early.i64Const(7).localGet(0).i64Eqz().brIf(1).drop();
  early.localGet(0).i64Const(1).i64Sub().localSet(0).br(0);
  early.end();
  early.i64Const(-1);
  m.exportFunction('early', early.index);

  // rec(n): recursion through a call, a runtime (leaf) call and a host call on the way.
  const rec = m.addFunction({ params: [T.i64], results: [T.i64] }, 'rec');
  rec.localGet(0).i64Eqz().if_(BlockType.i64);
  rec.call(tick).i64Const(0);
  rec.else_();
  rec.localGet(0).i64Const(1).i64Sub().call(rec.index).localGet(0).call(double).i64Add();
  rec.end();
  m.exportFunction('rec', rec.index);
  return m.finish();
}

interface Run {
  readonly exports: Record<string, (n: bigint) => bigint>;
  readonly fuel: WebAssembly.Global;
  readonly checks: number[];
}

function instantiate(bytes: Uint8Array<ArrayBuffer>, metered: boolean, onCheck: (fuel: WebAssembly.Global) => void = () => {}): Run {
  const fuel = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  const checks: number[] = [];
  const imports: WebAssembly.Imports = {
    env: { memory: new WebAssembly.Memory({ initial: 1 }) },
    rt: { double: (x: bigint) => 2n * x },
    host: { tick: () => {} },
  };
  if (metered) {
    imports[METER_MODULE] = {
      [METER_FUEL_GLOBAL]: fuel,
      [METER_CHECK_FUNCTION]: () => {
        checks.push(Number(fuel.value));
        onCheck(fuel);
      },
    };
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(metered ? meterModule(bytes) : bytes), imports);
  return { exports: instance.exports as Run['exports'], fuel, checks };
}

describe('meterModule', () => {
  const bytes = build();
  const plain = instantiate(bytes, false).exports;

  it('computes what the original computes', () => {
    const metered = instantiate(bytes, true);
    metered.fuel.value = 1n << 40n;
    for (const n of [1n, 2n, 10n, 100n]) expect(metered.exports.sum(n)).toBe(plain.sum(n));
    for (const n of [1n, 3n, 20n, 40n]) expect(metered.exports.pairs(n)).toBe(plain.pairs(n));
    for (const n of [0n, 1n, 50n]) expect(metered.exports.rec(n)).toBe(plain.rec(n));
    expect(metered.exports.early(5n)).toBe(7n);
    expect(metered.checks).toEqual([]);
  });

  it('charges one unit per function entry and loop iteration, written back to the global', () => {
    const metered = instantiate(bytes, true);
    const spent = (name: string, n: bigint): bigint => {
      metered.fuel.value = 1_000_000n;
      metered.exports[name](n);
      return 1_000_000n - (metered.fuel.value as bigint);
    };
    expect(spent('sum', 10n)).toBe(1n + 10n);
    // pairs(3): the entry, 3 outer iterations, 3 × 3 inner ones.
    expect(spent('pairs', 3n)).toBe(1n + 3n + 9n);
    expect(spent('rec', 5n)).toBe(6n);
    // Left through a branch to the function's label: the counter is written back first.
    expect(spent('early', 5n)).toBe(1n + 6n);
  });

  it('calls out_of_fuel when the counter goes below zero; a refill goes on without losing a unit', () => {
    // 1 + 100 units with refills of 7: the total is the same as in one go.
    const refilled = instantiate(bytes, true, (fuel) => {
      fuel.value = (fuel.value as bigint) + 8n;
    });
    refilled.fuel.value = 7n;
    expect(refilled.exports.sum(100n)).toBe(5050n);
    const calls = refilled.checks.length;
    expect(calls).toBeGreaterThan(10);
    expect(refilled.fuel.value).toBe(7n + 8n * BigInt(calls) - 101n);
    expect(refilled.checks.every((v) => v === -1)).toBe(true);
  });

  it('a trap thrown by out_of_fuel unwinds, and the functions keep their names', () => {
    const starved = instantiate(bytes, true, () => {
      throw new Error('out of fuel');
    });
    starved.fuel.value = 3n;
    let stack = '';
    try {
      starved.exports.rec(10n);
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toMatch(/out of fuel\n(\s+at .*\n)+?\s+at rec \(wasm:/);
    starved.fuel.value = 1000n;
    expect(starved.exports.rec(10n)).toBe(plain.rec(10n));
  });

  it('refuses what it cannot meter', () => {
    const m = new ModuleBuilder();
    const f = m.addFunction({ params: [], results: [] });
    m.addTable(T.funcref, { min: 1 });
    m.addActiveElements(0, 0, [f.index]);
    expect(() => meterModule(m.finish())).toThrow(/cannot meter/);
    // An instruction it does not know (here a GC prefix) is refused, not misread.
    const g = new ModuleBuilder();
    g.importMemory('env', 'memory', { min: 1 });
    g.addRawFunction({ params: [], results: [] }, new Uint8Array([0x00, 0xfb, 0x00, 0x0b]));
    expect(() => meterModule(g.finish())).toThrow(/unsupported instruction 0xfb/);
  });
});
