/**
 * A growable little-endian byte writer with the LEB128 and IEEE encodings WebAssembly needs.
 *
 * The whole encoder is hand-written rather than built on binaryen.js because the loader
 * instantiates generic templates at load time with a budget of under 30 µs per instantiation
 * including V8 compilation; binaryen.js costs ~400 ms to import and ~350 µs per tiny module.
 * So this is a plain byte pusher: fields are public so hot loops can be inlined by V8, growth
 * doubles, and a writer is meant to be `reset()` and reused so steady-state encoding allocates
 * nothing but the final output.
 */
import { WasmEncodeError } from './errors.js';

// DataView rather than Float32Array so the output is little-endian on any host.
const scratchBuffer = new ArrayBuffer(8);
const scratchView = new DataView(scratchBuffer);
const scratchBytes = new Uint8Array(scratchBuffer);

const textEncoder = new TextEncoder();

const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);
// Typed arrays up to 64 bytes live on V8's heap and are ~10x cheaper to allocate than larger ones.
const MIN_GROWTH = 64;

const MIN_I64 = -(1n << 63n);
const MAX_U64 = (1n << 64n) - 1n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Bytes `u32leb(v)` would take; `v` must already be a valid u32. */
export function u32lebSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Bytes of the UTF-8 that `ByteWriter.name` writes for `s` (lone surrogates become U+FFFD). */
export function utf8Length(s: string): number {
  const units = s.length;
  let n = units;
  for (let i = 0; i < units; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // two UTF-16 units, four bytes
        i++;
        continue;
      }
    }
    n += 2;
  }
  return n;
}

/** Bytes `name(s)` would take: the length prefix plus the UTF-8. */
export function nameSize(s: string): number {
  const n = utf8Length(s);
  return u32lebSize(n) + n;
}

export class ByteWriter {
  /** Backing store; only `buf[0, len)` is meaningful. Replaced on growth, so do not cache it. */
  buf: Uint8Array<ArrayBuffer>;
  /** Number of bytes written. */
  len = 0;

  /** A capacity of 0 defers allocation to the first write, so unused writers cost nothing. */
  constructor(initialCapacity = 64) {
    this.buf = initialCapacity > 0 ? new Uint8Array(initialCapacity) : EMPTY;
  }

  /** Forget the contents but keep the capacity, so the next use does not allocate. */
  reset(): this {
    this.len = 0;
    return this;
  }

  get length(): number {
    return this.len;
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    if (cap < need) cap = need;
    if (cap < MIN_GROWTH) cap = MIN_GROWTH;
    const next = new Uint8Array(cap);
    const len = this.len;
    // subarray + set cost more than a plain loop until the copy is a few hundred bytes.
    if (len < 256) {
      const buf = this.buf;
      for (let i = 0; i < len; i++) next[i] = buf[i];
    } else {
      next.set(this.buf.subarray(0, len));
    }
    this.buf = next;
  }

  u8(b: number): this {
    if (this.len === this.buf.length) this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  bytes(src: ArrayLike<number>): this {
    const n = src.length;
    this.reserve(n);
    // A native `set` has a fixed call cost that dominates for the short runs typical here.
    if (n < 32 || !(src instanceof Uint8Array)) {
      const buf = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) buf[p++] = src[i];
      this.len = p;
    } else {
      this.buf.set(src, this.len);
      this.len += n;
    }
    return this;
  }

  /** Unsigned LEB128 of a value in [0, 2^32). */
  u32leb(v: number): this {
    if (v >>> 0 !== v) throw new WasmEncodeError('WASM_RANGE', `not a u32: ${v}`);
    if (this.len + 5 > this.buf.length) this.reserve(5);
    const buf = this.buf;
    let p = this.len;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.len = p;
    return this;
  }

  /** Signed LEB128 of a value in [-2^31, 2^31). */
  s32leb(v: number): this {
    if ((v | 0) !== v) throw new WasmEncodeError('WASM_RANGE', `not an s32: ${v}`);
    this.s32lebUnchecked(v);
    return this;
  }

  /**
   * Signed LEB128 of a 64-bit integer. Bigints in [2^63, 2^64) are taken as the unsigned spelling
   * of a negative i64 so callers can write `0xffff_ffff_ffff_ffffn`. Numbers must be safe
   * integers; anything wider has to arrive as a bigint to be exact.
   */
  s64leb(v: bigint | number): this {
    if (typeof v === 'number') {
      if ((v | 0) === v) this.s32lebUnchecked(v);
      else if (Number.isSafeInteger(v)) this.s53leb(v);
      else throw new WasmEncodeError('WASM_RANGE', `not a safe integer for an i64: ${v}`);
      return this;
    }
    if (v < MIN_I64 || v > MAX_U64) throw new WasmEncodeError('WASM_RANGE', `not an i64: ${v}`);
    v = BigInt.asIntN(64, v);
    if (v >= MIN_SAFE && v <= MAX_SAFE) {
      const n = Number(v);
      if ((n | 0) === n) this.s32lebUnchecked(n);
      else this.s53leb(n);
      return this;
    }
    this.reserve(10);
    const buf = this.buf;
    let p = this.len;
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        buf[p++] = b;
        break;
      }
      buf[p++] = b | 0x80;
    }
    this.len = p;
    return this;
  }

  private s32lebUnchecked(v: number): void {
    if (this.len + 5 > this.buf.length) this.reserve(5);
    const buf = this.buf;
    let p = this.len;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        buf[p++] = b;
        break;
      }
      buf[p++] = b | 0x80;
    }
    this.len = p;
  }

  // Bitwise operators truncate to 32 bits, so wider safe integers are split with floor division,
  // which is exact for powers of two and rounds toward -inf like an arithmetic shift.
  private s53leb(v: number): void {
    this.reserve(8);
    const buf = this.buf;
    let p = this.len;
    for (;;) {
      const q = Math.floor(v / 128);
      const b = v - q * 128;
      v = q;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        buf[p++] = b;
        break;
      }
      buf[p++] = b | 0x80;
    }
    this.len = p;
  }

  /** Four bytes little-endian; used for raw f32 bit patterns. */
  u32le(v: number): this {
    this.reserve(4);
    const buf = this.buf;
    const p = this.len;
    buf[p] = v & 0xff;
    buf[p + 1] = (v >>> 8) & 0xff;
    buf[p + 2] = (v >>> 16) & 0xff;
    buf[p + 3] = (v >>> 24) & 0xff;
    this.len = p + 4;
    return this;
  }

  /** Eight bytes little-endian of the low 64 bits; used for raw f64 bit patterns. */
  u64le(v: bigint): this {
    scratchView.setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.scratch(8);
  }

  f32(v: number): this {
    scratchView.setFloat32(0, v, true);
    return this.scratch(4);
  }

  f64(v: number): this {
    scratchView.setFloat64(0, v, true);
    return this.scratch(8);
  }

  private scratch(n: number): this {
    this.reserve(n);
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) buf[p++] = scratchBytes[i];
    this.len = p;
    return this;
  }

  /**
   * A length-prefixed UTF-8 string. Lone surrogates become U+FFFD (TextEncoder's behaviour), so
   * the output is always the valid UTF-8 a WebAssembly name requires.
   */
  name(s: string): this {
    const n = s.length;
    // Most names are short ASCII: write them directly and fall back only if a wide char shows up.
    if (n < 0x80) {
      this.reserve(n + 1);
      const buf = this.buf;
      const start = this.len;
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.len = p;
        return this;
      }
    }
    const utf8 = textEncoder.encode(s);
    this.u32leb(utf8.length);
    return this.bytes(utf8);
  }

  /**
   * Start a u32-size-prefixed body; pass the result to `endSized` once the body is written.
   *
   * One byte is reserved and the body is shifted right in the rare case it reaches 128 bytes, so
   * the size LEB is always minimal (canonical) and small bodies are never moved. Reserving five
   * bytes and shifting left would move every body. Nesting is fine.
   */
  beginSized(): number {
    this.u8(0);
    return this.len;
  }

  endSized(start: number): void {
    const size = this.len - start;
    if (size < 0x80) {
      this.buf[start - 1] = size;
      return;
    }
    const extra = u32lebSize(size) - 1;
    this.reserve(extra);
    this.buf.copyWithin(start + extra, start, this.len);
    this.len += extra;
    let p = start - 1;
    let v = size;
    const buf = this.buf;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
  }

  /** Append another writer's contents. */
  append(other: ByteWriter): this {
    const n = other.len;
    this.reserve(n);
    // Copy short runs by hand: a subarray view for `set` would be garbage on every call.
    if (n < 64) {
      const src = other.buf;
      const dst = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) dst[p++] = src[i];
      this.len = p;
    } else {
      this.buf.set(other.buf.subarray(0, n), this.len);
      this.len += n;
    }
    return this;
  }

  /** An exact-length copy, independent of this writer (safe to keep after `reset()`). */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }

  /**
   * The written bytes without copying; only valid until the next write or `reset()`. Enough for
   * `new WebAssembly.Module(...)`, which copies its input synchronously.
   */
  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.len);
  }
}
