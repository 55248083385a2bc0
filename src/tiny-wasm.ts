/**
 * Bytes of hand-assembled WebAssembly modules of a few hundred bytes, for the two made where the
 * encoder (src/compiler/wasm) is not loaded: the xxh64 hasher (src/platform/xxh64.ts) and the
 * loader's lazy stubs (src/loader/lazy-stub.ts). The binary format is the WebAssembly core spec's.
 */

/** The module header: magic and version 1. */
export const WASM_HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128 of a 32-bit count or index. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: its id, its body's size, its body. */
export const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];

/** A vector: the count, then the items. */
export const vector = (items: readonly (readonly number[])[]): number[] => [...uleb(items.length), ...items.flat()];

/** An ASCII name as the format stores names: length, then bytes. */
export const asciiName = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
