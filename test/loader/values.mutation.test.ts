/**
 * The host boundary's conversions (src/loader/values.ts): each integer type's range at its exact
 * edges, what each refusal says, unsigned values read back, and heap handles.
 */
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/index.js';
import { parseType } from '../../src/types/index.js';
import { HeapHandle, ValueConversionError, fromWasm, toWasm } from '../../src/loader/values.js';
import { thrown } from '../thrown.js';

const t = (s: string) => parseType(s);

describe('toWasm', () => {
  it('takes each integer type from its minimum to its maximum, and refuses one past either edge', () => {
    const rt = createRuntime();
    const edges: Array<[string, bigint, bigint]> = [
      ['i8', -128n, 127n],
      ['u8', 0n, 255n],
      ['i16', -32768n, 32767n],
      ['u16', 0n, 65535n],
      ['i32', -(2n ** 31n), 2n ** 31n - 1n],
      ['u32', 0n, 2n ** 32n - 1n],
      ['i64', -(2n ** 63n), 2n ** 63n - 1n],
      ['u64', 0n, 2n ** 64n - 1n],
    ];
    for (const [name, min, max] of edges) {
      const wide = name.endsWith('64');
      // 32 bits and less are WebAssembly i32 values (numbers, two's complement); 64 bits are bigints.
      const raw = (n: bigint) => (wide ? BigInt.asIntN(64, n) : Number(BigInt.asIntN(32, n)));
      expect(toWasm(t(name), min, rt, 'arg')).toStrictEqual(raw(min));
      expect(toWasm(t(name), max, rt, 'arg')).toStrictEqual(raw(max));
      for (const bad of [min - 1n, max + 1n]) {
        const e = thrown(() => toWasm(t(name), bad, rt, 'argument 1 of f'), ValueConversionError);
        expect(e.message).toBe(`argument 1 of f: expected ${name}, ${bad} is out of range`);
        expect(e).toMatchObject({ code: 'VALUE_CONVERSION', expected: name, position: 'argument 1 of f' });
      }
    }
  });

  it('takes whole numbers for integers, and says what it got otherwise', () => {
    const rt = createRuntime();
    expect(toWasm(t('i64'), 5, rt, 'p')).toBe(5n);
    expect(toWasm(t('i32'), -7, rt, 'p')).toBe(-7);
    expect(toWasm(t('u32'), 4294967295, rt, 'p')).toBe(-1);
    expect(thrown(() => toWasm(t('i64'), 1.5, rt, 'p'), ValueConversionError).message).toBe('p: expected i64, got a number (1.5)');
    expect(thrown(() => toWasm(t('i32'), 'x', rt, 'p'), ValueConversionError).message).toBe('p: expected i32, got a string');
    expect(thrown(() => toWasm(t('i32'), null, rt, 'p'), ValueConversionError).message).toBe('p: expected i32, got null');
    expect(thrown(() => toWasm(t('i32'), undefined, rt, () => 'late'), ValueConversionError).message).toBe('late: expected i32, got a undefined');
    expect(thrown(() => toWasm(t('u8'), true, rt, 'p'), ValueConversionError).message).toBe('p: expected u8, got a boolean');
  });

  it('converts floats, booleans, text and unit, refusing other kinds with their names', () => {
    const rt = createRuntime();
    expect(toWasm(t('f64'), 2.5, rt, 'p')).toBe(2.5);
    expect(thrown(() => toWasm(t('f32'), 2n, rt, 'p'), ValueConversionError).message).toBe('p: expected f32, got a bigint');
    expect(toWasm(t('bool'), true, rt, 'p')).toBe(1);
    expect(toWasm(t('bool'), false, rt, 'p')).toBe(0);
    expect(thrown(() => toWasm(t('bool'), 1, rt, 'p'), ValueConversionError).message).toBe('p: expected bool, got a number (1)');
    const ptr = toWasm(t('text'), 'héllo', rt, 'p');
    expect(rt.readText(ptr as number)).toBe('héllo');
    expect(thrown(() => toWasm(t('text'), 3, rt, 'p'), ValueConversionError).message).toBe('p: expected text, got a number (3)');
    expect(toWasm(t('()'), 'anything', rt, 'p')).toBeUndefined();
    expect(thrown(() => toWasm(t('i64x2'), 0, rt, 'p'), ValueConversionError).message).toBe('p: expected i64x2, SIMD vectors cannot cross the host boundary');
  });

  it('passes a held handle of the same type and memory, and refuses every other', () => {
    const rt = createRuntime();
    const other = createRuntime();
    const h = new HeapHandle('[i64]', 64, rt);
    expect(toWasm(t('[i64]'), h, rt, 'p')).toBe(64);
    expect(new HeapHandle('[i64]', 72).isFrom(rt)).toBe(true);
    expect(h.isFrom(other)).toBe(false);
    expect(thrown(() => toWasm(t('[i64]'), h, other, 'p'), ValueConversionError).message).toBe(
      'p: expected [i64], got a handle from another loader or trust domain (its pointer means nothing in this memory)',
    );
    expect(thrown(() => toWasm(t('[text]'), h, rt, 'p'), ValueConversionError).message).toBe('p: expected [text], got a handle to [i64]');
    expect(thrown(() => toWasm(t('Point'), 8, rt, 'p'), ValueConversionError).message).toBe('p: expected Point, got a number (8) (heap values cross as handles)');
    expect(h.held).toBe(true);
    expect(String(h)).toBe('<[i64] @64>');
    h.release();
    h.release();
    expect(h.held).toBe(false);
    expect(thrown(() => toWasm(t('[i64]'), h, rt, 'p'), ValueConversionError).message).toBe('p: expected [i64], got a released handle');
    const d = new HeapHandle('[i64]', 80, rt);
    d[Symbol.dispose]();
    expect(d.held).toBe(false);
  });
});

describe('fromWasm', () => {
  it('reads unsigned values as unsigned and signed ones as they are', () => {
    const rt = createRuntime();
    expect(fromWasm(t('u64'), -1n, rt)).toBe(2n ** 64n - 1n);
    expect(fromWasm(t('i64'), -1n, rt)).toBe(-1n);
    expect(fromWasm(t('u32'), -1, rt)).toBe(4294967295);
    expect(fromWasm(t('i32'), -1, rt)).toBe(-1);
    expect(fromWasm(t('u8'), 255, rt)).toBe(255);
    expect(fromWasm(t('f64'), 0.5, rt)).toBe(0.5);
    expect(fromWasm(t('bool'), 0, rt)).toBe(false);
    expect(fromWasm(t('bool'), 2, rt)).toBe(true);
    expect(fromWasm(t('()'), 7, rt)).toBeUndefined();
    expect(fromWasm(t('text'), rt.writeText('ok'), rt)).toBe('ok');
    const h = fromWasm(t('[i64]'), 96, rt);
    expect(h).toBeInstanceOf(HeapHandle);
    expect(h).toMatchObject({ type: '[i64]', ptr: 96, held: true });
    expect((h as HeapHandle).isFrom(rt)).toBe(true);
  });
});
