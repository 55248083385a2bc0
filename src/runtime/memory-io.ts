/**
 * Reading and writing runtime objects from the host. Views are taken afresh on every call
 * because growing the memory detaches the previous buffer. Pointers may arrive as negative
 * numbers (WebAssembly i32 results are signed in JS) and are normalised with `>>> 0`.
 */
import { ARRAY_HEADER, TEXT_HEADER } from '../compiler/layout.js';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** The UTF-8 bytes of a text object, as a view into the memory; undefined if it does not fit in it. */
export function textBytes(memory: WebAssembly.Memory, ptr: number): Uint8Array | undefined {
  const buffer = memory.buffer;
  const p = ptr >>> 0;
  if (p === 0 || p + TEXT_HEADER.size > buffer.byteLength) return undefined;
  const len = new DataView(buffer).getUint32(p + TEXT_HEADER.len, true);
  const start = p + TEXT_HEADER.size;
  if (start + len > buffer.byteLength) return undefined;
  return new Uint8Array(buffer, start, len);
}

/** The text object at `ptr` as a string; invalid UTF-8 becomes U+FFFD. */
export function readText(memory: WebAssembly.Memory, ptr: number): string {
  const bytes = textBytes(memory, ptr);
  if (bytes === undefined) throw new RangeError(`no text object at address ${ptr >>> 0}`);
  return decoder.decode(bytes);
}

export function encodeText(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Writes a text object's header and bytes at `ptr`, which must have room for both. */
export function writeTextAt(memory: WebAssembly.Memory, ptr: number, bytes: Uint8Array): void {
  const p = ptr >>> 0;
  new DataView(memory.buffer).setUint32(p + TEXT_HEADER.len, bytes.length, true);
  new Uint8Array(memory.buffer, p + TEXT_HEADER.size, bytes.length).set(bytes);
}

/** Writes a text object whose characters are all below 0x80 (formatted numbers). */
export function writeAsciiTextAt(memory: WebAssembly.Memory, ptr: number, s: string): void {
  const p = ptr >>> 0;
  const buffer = memory.buffer;
  new DataView(buffer).setUint32(p + TEXT_HEADER.len, s.length, true);
  const out = new Uint8Array(buffer, p + TEXT_HEADER.size, s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
}

export interface ArrayHeader {
  readonly length: number;
  readonly capacity: number;
  /** Address of element 0. */
  readonly data: number;
}

export function readArrayHeader(memory: WebAssembly.Memory, ptr: number): ArrayHeader {
  const view = new DataView(memory.buffer);
  const p = ptr >>> 0;
  return {
    length: view.getUint32(p + ARRAY_HEADER.len, true),
    capacity: view.getUint32(p + ARRAY_HEADER.cap, true),
    data: view.getUint32(p + ARRAY_HEADER.data, true),
  };
}

/** A copy of an array's elements as raw bytes (`length * elemSize`). */
export function readArrayBytes(memory: WebAssembly.Memory, ptr: number, elemSize: number): Uint8Array {
  const h = readArrayHeader(memory, ptr);
  return new Uint8Array(memory.buffer, h.data, h.length * elemSize).slice();
}
