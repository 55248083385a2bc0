import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter, nameSize, u32lebSize, utf8Length } from '../../../src/compiler/wasm/bytes.js';
import { WasmEncodeError } from '../../../src/compiler/wasm/errors.js';

// Straightforward bigint reference encoders, written from the LEB128 definition.
function refUleb(v: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

function refSleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (b & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const enc = (f: (w: ByteWriter) => void): number[] => {
  const w = new ByteWriter(8);
  f(w);
  return [...w.finish()];
};

const U32_EDGES = [0, 1, 63, 64, 127, 128, 255, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
const S32_EDGES = [0, 1, -1, 63, 64, -64, -65, 127, 128, -128, 8191, 8192, -8192, -8193, 2 ** 31 - 1, -(2 ** 31)];
const S64_EDGES = [
  0n, 1n, -1n, 63n, 64n, -64n, -65n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n,
  -(2n ** 53n), 2n ** 56n, 2n ** 62n, -(2n ** 62n), 2n ** 63n - 1n, -(2n ** 63n),
];

describe('LEB128', () => {
  it('u32leb matches the reference on edge values and sizes', () => {
    for (const v of U32_EDGES) {
      expect(enc((w) => w.u32leb(v)), `u32 ${v}`).toEqual(refUleb(BigInt(v)));
      expect(u32lebSize(v)).toBe(refUleb(BigInt(v)).length);
    }
  });

  it('u32leb matches the reference (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        expect(enc((w) => w.u32leb(v))).toEqual(refUleb(BigInt(v)));
        expect(u32lebSize(v)).toBe(refUleb(BigInt(v)).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('s32leb matches the reference', () => {
    for (const v of S32_EDGES) expect(enc((w) => w.s32leb(v)), `s32 ${v}`).toEqual(refSleb(BigInt(v)));
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        expect(enc((w) => w.s32leb(v))).toEqual(refSleb(BigInt(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('s64leb matches the reference for bigints, including the unsigned spelling', () => {
    for (const v of S64_EDGES) expect(enc((w) => w.s64leb(v)), `s64 ${v}`).toEqual(refSleb(v));
    expect(enc((w) => w.s64leb(2n ** 64n - 1n))).toEqual(refSleb(-1n));
    expect(enc((w) => w.s64leb(2n ** 63n))).toEqual(refSleb(-(2n ** 63n)));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (v) => {
        expect(enc((w) => w.s64leb(v))).toEqual(refSleb(BigInt.asIntN(64, v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('s64leb on safe-integer numbers equals the bigint encoding', () => {
    for (const v of S64_EDGES) {
      if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(enc((w) => w.s64leb(Number(v))), `s64 number ${v}`).toEqual(refSleb(v));
      }
    }
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        expect(enc((w) => w.s64leb(v))).toEqual(refSleb(BigInt(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects out-of-range values with WASM_RANGE', () => {
    const bad: [string, (w: ByteWriter) => void][] = [
      ['u32 -1', (w) => w.u32leb(-1)],
      ['u32 2^32', (w) => w.u32leb(2 ** 32)],
      ['u32 1.5', (w) => w.u32leb(1.5)],
      ['u32 NaN', (w) => w.u32leb(NaN)],
      ['s32 2^31', (w) => w.s32leb(2 ** 31)],
      ['s32 0.5', (w) => w.s32leb(0.5)],
      ['s64 2^53', (w) => w.s64leb(2 ** 53)],
      ['s64 1.5', (w) => w.s64leb(1.5)],
      ['s64 2^64', (w) => w.s64leb(2n ** 64n)],
      ['s64 -2^63-1', (w) => w.s64leb(-(2n ** 63n) - 1n)],
    ];
    for (const [what, f] of bad) {
      expect(() => f(new ByteWriter()), what).toThrow(WasmEncodeError);
    }
    try {
      new ByteWriter().u32leb(-1);
    } catch (e) {
      expect((e as WasmEncodeError).code).toBe('WASM_RANGE');
    }
  });
});

describe('floats', () => {
  it('f32 and f64 are little-endian IEEE', () => {
    expect(enc((w) => w.f32(1))).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(enc((w) => w.f32(-0))).toEqual([0, 0, 0, 0x80]);
    expect(enc((w) => w.f32(Infinity))).toEqual([0, 0, 0x80, 0x7f]);
    expect(enc((w) => w.f32(NaN))).toEqual([0, 0, 0xc0, 0x7f]);
    expect(enc((w) => w.f64(1))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(enc((w) => w.f64(-2.5))).toEqual([0, 0, 0, 0, 0, 0, 0x04, 0xc0]);
    expect(enc((w) => w.f64(NaN))).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
  });

  it('f32/f64 agree with DataView (property)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const d = new DataView(new ArrayBuffer(12));
        d.setFloat64(0, x, true);
        d.setFloat32(8, x, true);
        const bytes = new Uint8Array(d.buffer);
        expect(enc((w) => w.f64(x))).toEqual([...bytes.subarray(0, 8)]);
        expect(enc((w) => w.f32(x))).toEqual([...bytes.subarray(8, 12)]);
      }),
      { numRuns: 1000 },
    );
  });

  it('raw bit patterns keep NaN payloads', () => {
    expect(enc((w) => w.u32le(0x7fa00001))).toEqual([0x01, 0x00, 0xa0, 0x7f]);
    expect(enc((w) => w.u64le(0x7ff4000000000001n))).toEqual([1, 0, 0, 0, 0, 0, 0xf4, 0x7f]);
  });
});

describe('names', () => {
  it('encodes length-prefixed UTF-8', () => {
    expect(enc((w) => w.name('abc'))).toEqual([3, 0x61, 0x62, 0x63]);
    expect(enc((w) => w.name(''))).toEqual([0]);
    expect(enc((w) => w.name('é'))).toEqual([2, 0xc3, 0xa9]);
    expect(enc((w) => w.name('a😀'))).toEqual([5, 0x61, 0xf0, 0x9f, 0x98, 0x80]);
    // A lone surrogate is not UTF-8-encodable; it becomes U+FFFD so the name stays valid.
    expect(enc((w) => w.name('\ud800'))).toEqual([3, 0xef, 0xbf, 0xbd]);
    const long = 'x'.repeat(200);
    expect(enc((w) => w.name(long))).toEqual([0xc8, 0x01, ...new Array(200).fill(0x78)]);
  });

  it('utf8Length and nameSize predict what name() writes, lone surrogates included (property)', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: anyUnit, maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 })), (s) => {
        const written = enc((w) => w.name(s));
        expect(nameSize(s)).toBe(written.length);
        expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
      }),
      { numRuns: 1000 },
    );
  });

  it('matches TextEncoder (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const utf8 = new TextEncoder().encode(s);
        expect(enc((w) => w.name(s))).toEqual([...refUleb(BigInt(utf8.length)), ...utf8]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ByteWriter', () => {
  it('grows from a tiny capacity', () => {
    const w = new ByteWriter(1);
    for (let i = 0; i < 10000; i++) w.u8(i & 0xff);
    w.bytes(new Uint8Array(5000).fill(7));
    expect(w.length).toBe(15000);
    const out = w.finish();
    expect(out.length).toBe(15000);
    expect(out[9999]).toBe(9999 & 0xff);
    expect(out[14999]).toBe(7);
  });

  it('finish copies, view aliases, reset reuses', () => {
    const w = new ByteWriter();
    w.u8(1).u8(2);
    const copy = w.finish();
    const view = w.view();
    w.reset().u8(9);
    expect([...copy]).toEqual([1, 2]);
    expect(view[0]).toBe(9);
    expect([...w.finish()]).toEqual([9]);
  });

  it('size-prefixed bodies get minimal LEB sizes, nested too (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 300 }), (n, m) => {
        const w = new ByteWriter(4);
        w.u8(0xaa);
        const outer = w.beginSized();
        const inner = w.beginSized();
        for (let i = 0; i < n; i++) w.u8(i & 0xff);
        w.endSized(inner);
        for (let i = 0; i < m; i++) w.u8(0x55);
        w.endSized(outer);
        const innerBytes = [...refUleb(BigInt(n)), ...Array.from({ length: n }, (_, i) => i & 0xff)];
        const outerBody = [...innerBytes, ...new Array(m).fill(0x55)];
        expect([...w.finish()]).toEqual([0xaa, ...refUleb(BigInt(outerBody.length)), ...outerBody]);
      }),
      { numRuns: 200 },
    );
  });
});
