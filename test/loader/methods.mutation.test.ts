/**
 * Methods called from the host (src/loader/callable.ts): the receiver is the first argument, a
 * handle of the struct's type — with the instance's type arguments for a generic struct.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { ValueConversionError, HeapHandle } from '../../src/loader/values.js';
import { thrown } from '../thrown.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

const SOURCE = `struct Box<T>:
    v: T

impl Box:
    fn get() -> T:
        self.v
    fn or_first<U>(u: U) -> T:
        self.v

struct P:
    x: i64

impl P:
    fn times(n: i64) -> i64:
        self.x * n

fn make() -> Box<i64>:
    Box(v: 5)

fn mk() -> P:
    P(x: 4)

fn use_it() -> i64:
    make().get() + mk().times(1) + make().or_first(2.5)
`;

describe('methods through resolveSymbol', () => {
  it('take the receiver first, typed by the struct and its type arguments', () => {
    const dir = workspace({ 'm.spl': SOURCE });
    compileToSmf(dir, ['m.spl']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'm.smf'));
    const p = callSymbol(loader, 'mk') as HeapHandle;
    expect(p.type).toBe('P');
    expect(callSymbol(loader, 'P.times', p, 3n)).toBe(12n);
    expect(thrown(() => callSymbol(loader, 'P.times', 3n), Error).message).toBe("'P.times' takes 2 argument(s), given 1");
    const box = callSymbol(loader, 'make') as HeapHandle;
    expect(box.type).toBe('Box<i64>');
    expect(callSymbol(loader, 'Box.get$i64', box)).toBe(5n);
    // A generic method: the receiver takes the struct's type arguments only, not the method's.
    expect(callSymbol(loader, 'Box.or_first$i64$f64', box, 2.5)).toBe(5n);
    // The receiver's type is checked like any argument's, with the instance's type arguments.
    const e = thrown(() => callSymbol(loader, 'Box.get$i64', p), ValueConversionError);
    expect(e.message).toBe("argument 1 of 'Box.get<i64>': expected Box<i64>, got a handle to P");
  });
});
