/** The Node implementation of the platform interface (see file-access.ts). */
import { close, closeSync, constants, existsSync, fstat, fstatSync, open, openSync, read, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { atomicWriteFile, atomicWriteFileSync } from '../smf/atomic-write.js';
import type { FileAccess, Natives } from './file-access.js';
import { xxh64 as xxh64Wasm } from './xxh64.js';

export const files: FileAccess = {
  READ_FLAGS: constants.O_RDONLY | (constants.O_NONBLOCK ?? 0),
  openSync,
  readSync,
  fstatSync,
  closeSync,
  statSync,
  existsSync,
  open,
  fstat,
  read,
  close,
  readBuffer: (size) => {
    const b = Buffer.allocUnsafeSlow(size);
    return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length);
  },
  writeFileAtomicSync: (path, data) => atomicWriteFileSync(path, data),
  writeFileAtomic: (path, data) => atomicWriteFile(path, data),
};

// The codecs and the streaming hasher are native addons loaded on first use (see src/smf/compression.ts).
// Made on first use: createRequire parses the module's URL, ~0.3 ms at every import otherwise.
let requireHere: NodeRequire | undefined;
const requireCodec = (id: string): unknown => (requireHere ??= createRequire(import.meta.url))(id);

let native: typeof import('@node-rs/xxhash') | undefined;
const nativeHasher = (): typeof import('@node-rs/xxhash') => (native ??= requireCodec('@node-rs/xxhash') as typeof import('@node-rs/xxhash'));

export const natives: Natives = {
  // One-shot hashes (module hashes up to 256 KiB, code-cache keys) in WebAssembly: loading the
  // native addon costs more than hashing a thousand small modules (xxh64.ts).
  xxh64: (bytes, seed) => xxh64Wasm(bytes, seed),
  newXxh64: (seed) => new (nativeHasher().Xxh64)(seed),
  codec: (name) => requireCodec(name) as unknown,
  indexOfBytes: (haystack, needle) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle),
  afterJob: (job, keepAlive) => {
    const immediate = setImmediate(job);
    if (!keepAlive) immediate.unref();
  },
  // node:v8 loads node:stream and perf_hooks, a fifth of a small program's start-up: only when a flag is set.
  // Monotonic (libuv's high-resolution clock) to about a microsecond, and ten times cheaper than
  // process.hrtime() in a fresh process: no array per call (the cache times every file it reads).
  now: () => process.uptime() * 1e3,
  setEngineFlags: (flags) => (requireCodec('node:v8') as typeof import('node:v8')).setFlagsFromString(flags),
};
