import { Compression } from './format.js';
import { natives } from '../platform/index.js';

/*
 * The native codecs are loaded on first use: most modules are not compressed, and loading the
 * two addons costs more than opening a hundred small modules.
 */
const requireCodec = (name: string): unknown => natives.codec(name);
let lz4: typeof import('lz4-napi') | undefined;
let zstd: typeof import('zstd-napi') | undefined;
let zstdBinding: typeof import('zstd-napi/binding.js') | undefined;
const lz4Codec = (): typeof import('lz4-napi') => (lz4 ??= requireCodec('lz4-napi') as typeof import('lz4-napi'));
const zstdCodec = (): typeof import('zstd-napi') => (zstd ??= requireCodec('zstd-napi') as typeof import('zstd-napi'));
const zstdNative = (): typeof import('zstd-napi/binding.js') =>
  (zstdBinding ??= requireCodec('zstd-napi/binding.js') as typeof import('zstd-napi/binding.js'));

/*
 * Payload encodings:
 *   zstd: one standard zstd frame (with its content size, as the library writes by default).
 *   lz4:  an lz4 block prefixed with its uncompressed size as u32 LE (lz4-napi's block format).
 *
 * Decompression never trusts the compressed stream to size its output: the caller passes the
 * size stated in the section entry, we reject streams that announce a different size, and the
 * output buffer is exactly that size, so a stream that inflates further fails instead of growing.
 */

/** No zstd block turns fewer than 4 input bytes into its maximum of 128 KiB of output. */
const ZSTD_MAX_RATIO = 32768;
/** An lz4 length byte adds at most 255 bytes of output. */
const LZ4_MAX_RATIO = 256;
const LZ4_PREFIX = 4;

export class DecompressFailure extends Error {}

export function compressPayload(algo: Compression, data: Uint8Array, level: number): Uint8Array {
  switch (algo) {
    case Compression.Zstd:
      return zstdCodec().compress(data, { compressionLevel: level });
    case Compression.Lz4:
      return lz4Codec().compressSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    default:
      return data;
  }
}

/** Largest output a well-formed stream of `storedSize` bytes can produce, or 0 if unknown. */
export function maxInflatedSize(algo: number, storedSize: number): number {
  if (algo === Compression.Zstd) return storedSize * ZSTD_MAX_RATIO;
  if (algo === Compression.Lz4) return storedSize * LZ4_MAX_RATIO + 16;
  return 0;
}

let dctx: InstanceType<typeof import('zstd-napi/binding.js').DCtx> | undefined;

/**
 * Inflates `stored` into exactly `expectedSize` bytes. Throws {@link DecompressFailure} with a
 * human-readable reason; the caller wraps it into a typed format error with file and offset.
 */
export function decompressPayload(algo: number, stored: Uint8Array, expectedSize: number): Uint8Array {
  if (algo === Compression.Zstd) return inflateZstd(stored, expectedSize);
  if (algo === Compression.Lz4) return inflateLz4(stored, expectedSize);
  throw new DecompressFailure(`unknown compression algorithm ${algo}`);
}

function inflateZstd(stored: Uint8Array, expectedSize: number): Uint8Array {
  let announced: number | null;
  // Outside the try: a platform without the codec says so in its own words.
  const codec = zstdNative();
  try {
    announced = codec.getFrameContentSize(stored);
  } catch (e) {
    throw new DecompressFailure(`not a zstd frame (${reason(e)})`);
  }
  // A first frame larger than the whole section already proves the stream inflates too far.
  if (announced !== null && announced > expectedSize) {
    throw new DecompressFailure(`zstd frame announces ${announced} bytes, section states ${expectedSize}`);
  }
  const out = new Uint8Array(expectedSize);
  let produced: number;
  try {
    dctx ??= new codec.DCtx();
    produced = dctx.decompress(out, stored);
  } catch (e) {
    throw new DecompressFailure(`zstd: ${reason(e)}`);
  }
  if (produced !== expectedSize) {
    throw new DecompressFailure(`inflates to ${produced} bytes, section states ${expectedSize}`);
  }
  return out;
}

function inflateLz4(stored: Uint8Array, expectedSize: number): Uint8Array {
  if (stored.length < LZ4_PREFIX) throw new DecompressFailure('lz4 payload shorter than its size prefix');
  const announced = new DataView(stored.buffer, stored.byteOffset, LZ4_PREFIX).getUint32(0, true);
  // The library allocates what the prefix says; refuse before it can.
  if (announced !== expectedSize) {
    throw new DecompressFailure(`lz4 block announces ${announced} bytes, section states ${expectedSize}`);
  }
  let out: Uint8Array;
  const codec = lz4Codec();
  try {
    out = codec.uncompressSync(stored);
  } catch (e) {
    throw new DecompressFailure(`lz4: ${reason(e)}`);
  }
  if (out.length !== expectedSize) {
    throw new DecompressFailure(`inflates to ${out.length} bytes, section states ${expectedSize}`);
  }
  // A plain view, so callers get the same type whichever algorithm was used.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
