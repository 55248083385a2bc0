/**
 * First-call stubs (src/loader/lazy-stub.ts): the WebAssembly signature of an instance as the
 * compiler lowers it, the cases with no stub, and a stub forwarding its call.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { makeStub, stubSignature } from '../../src/loader/lazy-stub.js';
import { parseType } from '../../src/types/index.js';
import { workspace } from './fixtures.js';

const SOURCE = `struct Box<T>:
    v: T

impl Box:
    fn get() -> T:
        self.v
    me put(x: T):
        self.v = x

fn pick<T>(a: T, b: T) -> T:
    a

fn two<A, B>(a: A, b: B) -> i64:
    1

fn drop<T>(a: T):
    return
`;

function env() {
  const dir = workspace({ 'g.spl': SOURCE });
  const session = new CompileSession();
  const [c] = session.compileFiles([join(dir, 'g.spl')]);
  return { fn: (name: string) => session.env.fn(name), fns: () => c.declared.fns };
}

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;

describe('stubSignature', () => {
  it('lowers parameters and results by their types', () => {
    const e = env();
    const pick = e.fn('pick')!;
    expect(stubSignature(pick, [parseType('i64')])).toEqual({ params: [I64, I64], results: [I64], key: `${I64},${I64}>${I64}` });
    expect(stubSignature(pick, [parseType('f64')])?.key).toBe(`${F64},${F64}>${F64}`);
    expect(stubSignature(pick, [parseType('f32')])?.params).toEqual([F32, F32]);
    expect(stubSignature(pick, [parseType('bool')])?.results).toEqual([I32]);
    expect(stubSignature(pick, [parseType('[i64]')])?.params).toEqual([I32, I32]);
    expect(stubSignature(e.fn('two')!, [parseType('i32'), parseType('f64')])).toEqual({ params: [I32, F64], results: [I64], key: `${I32},${F64}>${I64}` });
    expect(stubSignature(e.fn('drop')!, [parseType('i64')])).toEqual({ params: [I64], results: [], key: `${I64}>` });
  });

  it('puts the receiver of a method first', () => {
    const e = env();
    const methods = [...e.fns()].filter((f) => f.owner?.name === 'Box');
    const get = methods.find((f) => f.name === 'get')!;
    const put = methods.find((f) => f.name === 'put')!;
    expect(stubSignature(get, [parseType('f64')])).toEqual({ params: [I32], results: [F64], key: `${I32}>${F64}` });
    expect(stubSignature(put, [parseType('i64')])).toEqual({ params: [I32, I64], results: [], key: `${I32},${I64}>` });
  });

  it('has none for SIMD values either way, or a wrong count of type arguments', () => {
    const e = env();
    expect(stubSignature(e.fn('pick')!, [parseType('i64x2')])).toBeUndefined();
    expect(stubSignature(e.fn('two')!, [parseType('i64'), parseType('f32x4')])).toBeUndefined();
    expect(stubSignature(e.fn('pick')!, [])).toBeUndefined();
    expect(stubSignature(e.fn('pick')!, [parseType('i64'), parseType('i64')])).toBeUndefined();
  });
});

describe('makeStub', () => {
  it('makes a table-ready function that runs its body with the call\'s arguments', () => {
    const seen: unknown[][] = [];
    const sig = { params: [I64, F64], results: [I64], key: `${I64},${F64}>${I64}` };
    const stub = makeStub(sig, (...args) => (seen.push(args), 42n)) as (...a: unknown[]) => unknown;
    expect(stub(3n, 1.5)).toBe(42n);
    expect(seen).toEqual([[3n, 1.5]]);
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1 });
    table.set(0, stub as never);
    expect((table.get(0) as (...a: unknown[]) => unknown)(4n, 0)).toBe(42n);
    // A second stub of one signature has its own body.
    const other = makeStub(sig, () => 7n) as (...a: unknown[]) => unknown;
    expect(other(1n, 2)).toBe(7n);
    const none = makeStub({ params: [], results: [], key: '>' }, () => 5) as () => unknown;
    expect(none()).toBeUndefined();
  });
});
