/**
 * A compact binary encoding for plain JavaScript value trees (the resolved syntax trees stored
 * in templates).
 *
 * Why not JSON: a template is decoded on the loader's hot path (load-time instantiation has a
 * budget of tens of microseconds), and syntax trees repeat the same few object shapes and
 * strings thousands of times. Here every distinct string and every distinct object shape
 * (its ordered key list) is written once; a node is a shape id followed by its values. Decoding
 * builds objects with the same key order per shape, which keeps V8's hidden classes
 * monomorphic for the checker that walks them.
 *
 * Layout (all integers are unsigned LEB128 unless noted):
 *   strings: count, then (byteLength, UTF-8 bytes) each
 *   shapes:  count, then (keyCount, key string indices…) each
 *   value:   one tagged value (see Tag)
 * The decoder treats its input as untrusted: every count and index is bounds-checked, nesting
 * depth is limited, and failures are TemplateCodecError with the byte offset.
 */
import { SimpleError } from '../../errors.js';

const enum Tag {
  Null = 0,
  Undefined = 1,
  False = 2,
  True = 3,
  /** zigzag-encoded safe integer */
  Int = 4,
  /** IEEE-754 f64, little endian */
  Float = 5,
  String = 6,
  Array = 7,
  Object = 8,
  /** zigzag-encoded arbitrary-precision integer */
  BigInt = 9,
}

export class TemplateCodecError extends SimpleError {
  readonly code = 'TEMPLATE_CODEC';
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`template encoding: ${detail} at byte ${offset}`);
  }
}

export const MAX_TEMPLATE_DEPTH = 512;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

class Writer {
  buf = new Uint8Array(256);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  uleb(n: number): void {
    this.ensure(10);
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      this.buf[this.len++] = b;
    } while (n > 0);
  }
  bigUleb(n: bigint): void {
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      this.u8(b);
    } while (n > 0n);
  }
  f64(x: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.len, x, true);
    this.len += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Encodes a tree of null, undefined, booleans, numbers, bigints, strings, arrays and plain objects. */
export function encodeTree(value: unknown): Uint8Array {
  const strings = new Map<string, number>();
  const shapes = new Map<string, number>();
  const shapeKeys: number[][] = [];
  const body = new Writer();

  const stringId = (s: string): number => {
    let id = strings.get(s);
    if (id === undefined) {
      id = strings.size;
      strings.set(s, id);
    }
    return id;
  };

  const visit = (v: unknown, depth: number): void => {
    if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateCodecError('tree nests too deeply', body.len);
    if (v === null) return body.u8(Tag.Null);
    switch (typeof v) {
      case 'undefined':
        return body.u8(Tag.Undefined);
      case 'boolean':
        return body.u8(v ? Tag.True : Tag.False);
      case 'number':
        // Zigzag doubles the magnitude, so only integers below 2^52 stay exact as numbers.
        if (Number.isInteger(v) && Math.abs(v) < 2 ** 52 && !Object.is(v, -0)) {
          body.u8(Tag.Int);
          return body.uleb(v >= 0 ? v * 2 : -v * 2 - 1);
        }
        body.u8(Tag.Float);
        return body.f64(v);
      case 'bigint':
        body.u8(Tag.BigInt);
        return body.bigUleb(v >= 0n ? v * 2n : -v * 2n - 1n);
      case 'string':
        body.u8(Tag.String);
        return body.uleb(stringId(v));
      case 'object': {
        if (Array.isArray(v)) {
          body.u8(Tag.Array);
          body.uleb(v.length);
          for (const item of v) visit(item, depth + 1);
          return;
        }
        const keys = Object.keys(v as object);
        const sig = keys.join('\u0000');
        let shape = shapes.get(sig);
        if (shape === undefined) {
          shape = shapeKeys.length;
          shapes.set(sig, shape);
          shapeKeys.push(keys.map(stringId));
        }
        body.u8(Tag.Object);
        body.uleb(shape);
        for (const k of keys) visit((v as Record<string, unknown>)[k], depth + 1);
        return;
      }
      default:
        throw new TemplateCodecError(`cannot encode a value of type ${typeof v}`, body.len);
    }
  };
  visit(value, 0);

  const out = new Writer();
  out.uleb(strings.size);
  for (const s of strings.keys()) {
    const b = textEncoder.encode(s);
    out.uleb(b.length);
    out.bytes(b);
  }
  out.uleb(shapeKeys.length);
  for (const keys of shapeKeys) {
    out.uleb(keys.length);
    for (const k of keys) out.uleb(k);
  }
  out.bytes(body.buf.subarray(0, body.len));
  return out.result();
}

/** Decodes bytes written by encodeTree. `base` is added to offsets in error messages. */
export function decodeTree(bytes: Uint8Array, base = 0): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new TemplateCodecError(what, base + pos);
  };
  const u8 = (): number => (pos < bytes.length ? bytes[pos++] : fail('unexpected end of data'));
  const uleb = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
      if (scale > 2 ** 49) fail('integer too large');
    }
    return result;
  };
  const count = (what: string): number => {
    const n = uleb();
    // Every counted item takes at least one byte, so a count past the remaining bytes is a lie.
    if (n > bytes.length - pos) fail(`${what} count ${n} exceeds the remaining data`);
    return n;
  };

  const strings: string[] = new Array(count('string'));
  // The names and words of a syntax tree are ASCII as a rule, and so is the whole table then (its
  // lengths too, each under 128): one decode of it, and each string a slice of that, rather than
  // a view and a decoder call per string — this runs cold in a process's first load-time JIT.
  const table = pos;
  const starts: number[] = new Array(strings.length);
  const lengths: number[] = new Array(strings.length);
  for (let i = 0; i < strings.length; i++) {
    const n = uleb();
    if (n > bytes.length - pos) fail('string runs past the end');
    starts[i] = pos;
    lengths[i] = n;
    pos += n;
  }
  const end = pos;
  const ascii = isAscii(bytes, table, end) ? textDecoder.decode(bytes.subarray(table, end)) : undefined;
  for (let i = 0; i < strings.length; i++) {
    if (ascii !== undefined) {
      strings[i] = ascii.slice(starts[i] - table, starts[i] - table + lengths[i]);
      continue;
    }
    pos = starts[i];
    try {
      strings[i] = textDecoder.decode(bytes.subarray(pos, pos + lengths[i]));
    } catch {
      fail('string is not valid UTF-8');
    }
  }
  pos = end;
  const shapes: string[][] = new Array(count('shape'));
  for (let i = 0; i < shapes.length; i++) {
    const keys: string[] = new Array(count('key'));
    for (let k = 0; k < keys.length; k++) {
      const id = uleb();
      if (id >= strings.length) fail(`key string ${id} out of range`);
      keys[k] = strings[id];
      if (keys[k] === '__proto__') fail('forbidden key __proto__');
    }
    shapes[i] = keys;
  }

  const value = (depth: number): unknown => {
    if (depth > MAX_TEMPLATE_DEPTH) fail('tree nests too deeply');
    const tag = u8();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.Undefined:
        return undefined;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int: {
        const z = uleb();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.Float: {
        if (pos + 8 > bytes.length) fail('float runs past the end');
        const x = new DataView(bytes.buffer, bytes.byteOffset + pos, 8).getFloat64(0, true);
        pos += 8;
        return x;
      }
      case Tag.BigInt: {
        let z = 0n;
        let shift = 0n;
        for (;;) {
          const b = u8();
          z |= BigInt(b & 0x7f) << shift;
          shift += 7n;
          if ((b & 0x80) === 0) break;
          if (shift > 1024n) fail('bigint too large');
        }
        return z % 2n === 0n ? z / 2n : -(z + 1n) / 2n;
      }
      case Tag.String: {
        const id = uleb();
        return id < strings.length ? strings[id] : fail(`string ${id} out of range`);
      }
      case Tag.Array: {
        const n = count('array');
        const arr: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) arr[i] = value(depth + 1);
        return arr;
      }
      case Tag.Object: {
        const id = uleb();
        if (id >= shapes.length) fail(`shape ${id} out of range`);
        const keys = shapes[id];
        const obj: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) obj[keys[k]] = value(depth + 1);
        return obj;
      }
      default:
        return fail(`unknown tag ${tag}`);
    }
  };
  const result = value(0);
  if (pos !== bytes.length) fail('trailing bytes after the value');
  return result;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}
