/** The Node implementation of the platform interface (see file-access.ts). */
import { close, closeSync, constants, existsSync, fstat, fstatSync, open, openSync, read, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { Xxh64, xxh64 } from '@node-rs/xxhash';
import { atomicWriteFile, atomicWriteFileSync } from '../smf/atomic-write.js';
import type { FileAccess, Natives } from './file-access.js';

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
  writeFileAtomicSync: (path, data) => atomicWriteFileSync(path, data),
  writeFileAtomic: (path, data) => atomicWriteFile(path, data),
};

// The codecs are native addons loaded on first use (see src/smf/compression.ts).
const requireCodec = createRequire(import.meta.url);

export const natives: Natives = {
  xxh64: (bytes, seed) => xxh64(bytes, seed),
  newXxh64: (seed) => new Xxh64(seed),
  codec: (name) => requireCodec(name) as unknown,
  indexOfBytes: (haystack, needle) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle),
  afterJob: (job, keepAlive) => {
    const immediate = setImmediate(job);
    if (!keepAlive) immediate.unref();
  },
  setEngineFlags: (flags) => v8.setFlagsFromString(flags),
};
