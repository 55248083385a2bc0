import { describe, expect, it } from 'vitest';
import { TrapKind } from '../../src/runtime/abi.js';
import { FileError, SimpleError } from '../../src/errors.js';
import { BufferedOutput, TextCapture } from '../../src/runtime/output.js';
import { SimpleTrap, asTrap } from '../../src/runtime/trap.js';
import { testRuntime, thrown } from './helpers.js';

describe('printing', () => {
  it('prints every kind of value with a newline', () => {
    const { rt, printed } = testRuntime();
    const p = rt.imports;
    p.print_text(rt.writeText('héllo 🌍'));
    p.print_i64(-42n);
    p.print_i64(-(2n ** 63n));
    p.print_u64(-1n);
    p.print_u64(7n);
    p.print_f64(5);
    p.print_f64(0.1 + 0.2);
    p.print_f32(Math.fround(0.1));
    p.print_bool(1);
    p.print_bool(0);
    p.print_text(rt.writeText(''));
    expect(printed()).toBe(
      [
        'héllo 🌍',
        '-42',
        '-9223372036854775808',
        '18446744073709551615',
        '7',
        '5.0',
        '0.30000000000000004',
        '0.1',
        'true',
        'false',
        '',
        '',
      ].join('\n'),
    );
  });

  it('buffers: 100,000 lines take a handful of writes', () => {
    const writes: Uint8Array[] = [];
    const out = new BufferedOutput({ write: (b) => writes.push(b) });
    for (let i = 0; i < 100_000; i++) {
      out.writeAscii(String(i));
      out.writeByte(10);
    }
    out.flush();
    expect(writes.length).toBeLessThan(20);
    const text = Buffer.concat(writes).toString();
    expect(text.split('\n').length).toBe(100_001);
    expect(text.endsWith('99999\n')).toBe(true);
  });

  it('passes through writes larger than the buffer, in order', () => {
    const capture = new TextCapture();
    const out = new BufferedOutput(capture, 16);
    out.writeAscii('ab');
    out.writeBytes(Buffer.from('0123456789abcdefXYZ'));
    out.writeAscii('c'.repeat(20));
    out.writeAscii('d');
    out.flush();
    expect(capture.text).toBe('ab0123456789abcdefXYZ' + 'c'.repeat(20) + 'd');
  });

  it('holds output until flushed, then flushes once the current job is done', async () => {
    const { rt, out } = testRuntime();
    rt.imports.print_i64(1n);
    expect(out.text).toBe('');
    rt.flush();
    expect(out.text).toBe('1\n');
    rt.imports.print_i64(2n);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text).toBe('1\n2\n');
  });

  it('computes the float remainder with the sign of the dividend', () => {
    const { rt } = testRuntime();
    expect(rt.imports.f64_rem(7.5, 2)).toBe(1.5);
    expect(rt.imports.f64_rem(-7.5, 2)).toBe(-1.5);
    expect(rt.imports.f64_rem(5, -3)).toBe(2);
    expect(Object.is(rt.imports.f64_rem(-4, 2), -0)).toBe(true);
    expect(rt.imports.f64_rem(1, 0)).toBeNaN();
    expect(rt.imports.f64_rem(1e300, 3)).toBe(1e300 % 3);
  });
});

describe('traps', () => {
  const cases: [number, string, bigint, bigint, string, string][] = [
    [TrapKind.DivideByZero, 'divide', 0n, 0n, 'TRAP_DIVIDE_BY_ZERO', "division by zero in function 'divide'"],
    [TrapKind.IndexOutOfBounds, 'main', 5n, 3n, 'TRAP_INDEX_OUT_OF_BOUNDS', "index 5 out of bounds for length 3 in function 'main'"],
    [TrapKind.IndexOutOfBounds, 'at', -1n, 0n, 'TRAP_INDEX_OUT_OF_BOUNDS', "index -1 out of bounds for length 0 in function 'at'"],
    [TrapKind.PopEmpty, 'drain<i64>', 0n, 0n, 'TRAP_POP_EMPTY', "pop on an empty array in function 'drain<i64>'"],
    [TrapKind.AssertFailed, 'check', 0n, 0n, 'TRAP_ASSERT', "assertion failed in function 'check'"],
    [TrapKind.OutOfMemory, 'grow', 1_048_576n, 0n, 'TRAP_OUT_OF_MEMORY', "out of memory (requested 1048576 bytes) in function 'grow'"],
    [TrapKind.Unreachable, 'f', 0n, 0n, 'TRAP_UNREACHABLE', "unreachable code reached in function 'f'"],
    [99, 'g', 0n, 0n, 'TRAP_UNKNOWN', "runtime error (trap kind 99) in function 'g'"],
  ];

  it.each(cases)('panic(%i) in %s', (kind, fn, a, b, code, message) => {
    const { rt, site } = testRuntime();
    const e = thrown(() => rt.imports.panic(kind, site(fn), a, b));
    expect(e).toBeInstanceOf(SimpleTrap);
    expect(e).toBeInstanceOf(SimpleError);
    expect(e).toMatchObject({ code, message, functionName: fn, name: 'SimpleTrap' });
  });

  it('carries the details', () => {
    const { rt, site } = testRuntime();
    expect(thrown(() => rt.imports.panic(TrapKind.IndexOutOfBounds, site('m'), 5n, 3n))).toMatchObject({
      kind: 'IndexOutOfBounds',
      details: { index: 5n, length: 3n },
    });
    expect(thrown(() => rt.imports.panic(TrapKind.OutOfMemory, 0, -1n, 0n))).toMatchObject({
      details: { requested: 2n ** 64n - 1n },
    });
  });

  it('leaves the function out when there is no site', () => {
    const { rt } = testRuntime();
    expect(thrown(() => rt.imports.panic(TrapKind.AssertFailed, 0, 0n, 0n))).toMatchObject({
      message: 'assertion failed',
      functionName: undefined,
    });
  });

  it('flushes the output before throwing', () => {
    const { rt, out, site } = testRuntime();
    rt.imports.print_i64(1n);
    thrown(() => rt.imports.panic(TrapKind.AssertFailed, site('check'), 0n, 0n));
    expect(out.text).toBe('1\n');
  });
});

describe('asTrap', () => {
  it('passes traps and the toolchain\'s own errors through, and makes every other error a trap', () => {
    const trap = new SimpleTrap('AssertFailed', 'f');
    expect(asTrap(trap)).toBe(trap);
    expect(asTrap(new FileError('a.smf', 'read', 'gone'))).toBeUndefined();
    const cause = new RangeError('Invalid array length');
    expect(asTrap(cause, 'main')).toMatchObject({ kind: 'RuntimeError', code: 'TRAP_RUNTIME_ERROR', message: "runtime error: Invalid array length in function 'main'", cause });
    expect(asTrap('string')).toMatchObject({ kind: 'RuntimeError', message: 'runtime error: string' });
    expect(asTrap(new WebAssembly.RuntimeError('memory access out of bounds'), 'f')).toMatchObject({
      kind: 'MemoryOutOfBounds',
      code: 'TRAP_MEMORY_OUT_OF_BOUNDS',
      message: "memory access out of bounds in function 'f'",
    });
    expect(asTrap(new WebAssembly.RuntimeError('integer overflow'))).toMatchObject({ code: 'TRAP_INTEGER_OVERFLOW' });
    expect(asTrap(new WebAssembly.RuntimeError('float unrepresentable in integer range'))).toMatchObject({ code: 'TRAP_INVALID_CONVERSION' });
    expect(asTrap(new WebAssembly.RuntimeError('something new'), 'g')).toMatchObject({ kind: 'EngineTrap', code: 'TRAP_ENGINE', message: "something new in function 'g'" });
  });

  it('maps engine traps', () => {
    expect(asTrap(new RangeError('Maximum call stack size exceeded'), 'main')).toMatchObject({
      code: 'TRAP_STACK_OVERFLOW',
      message: "stack overflow in function 'main'",
    });
    expect(asTrap(new WebAssembly.RuntimeError('unreachable'))).toMatchObject({
      code: 'TRAP_UNREACHABLE',
      message: 'unreachable code reached',
    });
    expect(asTrap(new WebAssembly.RuntimeError('divide by zero'), 'div')).toMatchObject({
      code: 'TRAP_DIVIDE_BY_ZERO',
      message: "division by zero in function 'div'",
    });
  });
});
