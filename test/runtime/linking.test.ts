// Modules shaped like compiled code: they import the `rt` namespace and call it from WebAssembly.
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import type { FunctionBuilder } from '../../src/compiler/wasm/index.js';
import { HeapShape, RUNTIME_ABI } from '../../src/runtime/abi.js';
import type { RuntimeFunctionName } from '../../src/runtime/abi.js';
import { runtimeModule, runtimeModuleBytes } from '../../src/runtime/runtime-module.js';
import { SimpleTrap, asTrap } from '../../src/runtime/trap.js';
import type { Runtime } from '../../src/runtime/instance.js';
import { testRuntime, thrown } from './helpers.js';

const T = ValType;
const VAL = { i32: T.i32, i64: T.i64, f32: T.f32, f64: T.f64, v128: T.v128 } as const;

type Fn = (...args: any[]) => any;

/** A module importing all of `rt`, with `__memory_base` pointing at `data` placed by the runtime. */
function compiled(
  rt: Runtime,
  data: Uint8Array,
  define: (m: ModuleBuilder, rtFn: Record<RuntimeFunctionName, number>, base: number) => void,
): Record<string, Fn> {
  const m = new ModuleBuilder({ name: 'user' });
  m.importMemory('env', 'memory', { min: 1 });
  const base = m.importGlobal('env', '__memory_base', T.i32);
  const rtFn = {} as Record<RuntimeFunctionName, number>;
  for (const [name, sig] of Object.entries(RUNTIME_ABI)) {
    rtFn[name as RuntimeFunctionName] = m.importFunction('rt', name, {
      params: sig.params.map((t) => VAL[t]),
      results: sig.results.map((t) => VAL[t]),
    });
  }
  define(m, rtFn, base);
  const memoryBase = new WebAssembly.Global({ value: 'i32', mutable: false }, rt.allocStatic(data, 8));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(m.finish() as Uint8Array<ArrayBuffer>), {
    env: { memory: rt.memory, __memory_base: memoryBase },
    rt: rt.imports,
  });
  return instance.exports as Record<string, Fn>;
}

function exported(m: ModuleBuilder, name: string, params: ValType[], results: ValType[], body: (f: FunctionBuilder) => void): void {
  const f = m.addFunction({ params, results }, name);
  body(f);
  m.exportFunction(name, f.index);
}

/** `[len u32][bytes]` for a site or literal. */
function textImage(s: string): Uint8Array {
  const bytes = Buffer.from(s);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

describe('the rt namespace', () => {
  it('holds exactly the ABI functions and links against their signatures', () => {
    const { rt } = testRuntime();
    expect(Object.keys(rt.imports).sort()).toEqual(Object.keys(RUNTIME_ABI).sort());
    expect(() => compiled(rt, new Uint8Array(0), () => {})).not.toThrow();
  });

  it('caches the runtime module', () => {
    expect(runtimeModule()).toBe(runtimeModule());
    expect(runtimeModuleBytes()).toBe(runtimeModuleBytes());
    expect(WebAssembly.validate(runtimeModuleBytes())).toBe(true);
  });

  it('serves compiled code: arrays, text and printing from WebAssembly', () => {
    const { rt, printed } = testRuntime();
    const x = compiled(rt, textImage('main'), (m, f, base) => {
      // var a = []; for i in 0..n: a.push(i * i); print(a.pop()); print("" + i64 min)
      exported(m, 'run', [T.i32], [T.i32], (b) => {
        const arr = b.addLocal(T.i32);
        const i = b.addLocal(T.i32);
        b.i32Const(8).i32Const(0).i32Const(HeapShape.ArrayOfValues).globalGet(base).call(f.array_new).localSet(arr);
        b.block().loop();
        b.localGet(i).localGet(0).i32GeU().brIf(1);
        b.localGet(arr).i32Const(8).globalGet(base).call(f.array_push_slot);
        b.localGet(i).i64ExtendI32U().localGet(i).i64ExtendI32U().i64Mul().i64Store();
        b.localGet(i).i32Const(1).i32Add().localSet(i);
        b.br(0);
        b.end().end();
        b.localGet(arr).i32Const(8).globalGet(base).call(f.array_pop_slot).i64Load().call(f.print_i64);
        b.i64Const(-(2n ** 63n)).globalGet(base).call(f.text_from_i64).call(f.print_text);
        b.i32Const(1).call(f.text_from_bool).globalGet(base).i32Const(0).call(f.text_from_bool);
        b.globalGet(base).call(f.text_concat).globalGet(base).call(f.text_concat).call(f.print_text);
        b.localGet(arr);
      });
    });
    const arr = x.run(1000) >>> 0;
    expect(rt.readArrayHeader(arr).length).toBe(999);
    expect(printed()).toBe('998001\n-9223372036854775808\ntruemainfalse\n');
  });

  it('names the function from the site in static data when a runtime call traps', () => {
    const { rt } = testRuntime({ initialPages: 1, maximumPages: 2 });
    const x = compiled(rt, textImage('drain<i64>'), (m, f, base) => {
      exported(m, 'drain', [], [], (b) => {
        b.i32Const(8).i32Const(0).i32Const(HeapShape.ArrayOfValues).globalGet(base).call(f.array_new);
        b.i32Const(8).globalGet(base).call(f.array_pop_slot).drop();
      });
      exported(m, 'hog', [], [], (b) => {
        b.loop().i32Const(10_000).globalGet(base).call(f.alloc).drop().br(0).end();
      });
    });
    expect(thrown(() => x.drain())).toMatchObject({
      code: 'TRAP_POP_EMPTY',
      message: "pop on an empty array in function 'drain<i64>'",
    });
    expect(thrown(() => x.hog())).toMatchObject({
      code: 'TRAP_OUT_OF_MEMORY',
      message: "out of memory (requested 10000 bytes) in function 'drain<i64>'",
    });
  });

  it('maps stack overflow, unreachable and engine division traps with asTrap', () => {
    const { rt } = testRuntime();
    const x = compiled(rt, new Uint8Array(0), (m) => {
      const rec = m.addFunction({ params: [T.i64], results: [T.i64] }, 'deep');
      rec.localGet(0).i64Const(1).i64Add().call(rec.index).localGet(0).i64Add();
      m.exportFunction('deep', rec.index);
      exported(m, 'stop', [], [], (b) => b.unreachable());
      exported(m, 'div', [T.i64, T.i64], [T.i64], (b) => b.localGet(0).localGet(1).i64DivS());
    });
    const trapOf = (f: () => unknown, name: string): SimpleTrap | undefined => asTrap(thrown(f), name);
    // The innermost WebAssembly frame names the function that recursed (from the name section).
    expect(trapOf(() => x.deep(0n), 'main')).toMatchObject({
      code: 'TRAP_STACK_OVERFLOW',
      message: "stack overflow in function 'deep'",
    });
    expect(trapOf(() => x.stop(), 'stop')?.code).toBe('TRAP_UNREACHABLE');
    expect(trapOf(() => x.div(1n, 0n), 'div')?.code).toBe('TRAP_DIVIDE_BY_ZERO');
    // The runtime is still usable afterwards.
    expect(rt.readText(rt.writeText('ok'))).toBe('ok');
  });

  it('__memory_base is where allocStatic put the data', () => {
    const { rt } = testRuntime();
    const x = compiled(rt, textImage('lit'), (m, _f, base) => {
      exported(m, 'base', [], [T.i32], (b) => b.globalGet(base));
    });
    expect(rt.readText(x.base())).toBe('lit');
  });
});
