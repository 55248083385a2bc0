/**
 * The browser build's platform (it replaces src/platform/index.ts there): files in memory
 * (src/browser/memory-files.ts), xxh64 in WebAssembly (src/platform/xxh64.ts), and no compression codecs — a section
 * stored with zstd or lz4 cannot be read in the browser, and the reader says so with a typed
 * SmfFormatError naming the section.
 */
import { DecompressFailure } from '../smf/compression.js';
import type { Natives } from '../platform/file-access.js';
import { MemoryFiles } from './memory-files.js';
import { Xxh64Stream, xxh64 } from '../platform/xxh64.js';

export type { FileAccess, FileStats, Natives, Xxh64Hasher } from '../platform/file-access.js';

export const files = new MemoryFiles();

export const natives: Natives = {
  xxh64: (bytes, seed) => xxh64(bytes, seed),
  newXxh64: (seed) => new Xxh64Stream(seed),
  codec: (name) => {
    throw new DecompressFailure(`${name.replace(/-napi.*$/, '')} sections are not readable in the browser build (no native codec); recompile the module without compression`);
  },
  indexOfBytes: (haystack, needle) => {
    outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
      for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  },
  afterJob: (job) => void setTimeout(job, 0),
  setEngineFlags: () => {},
  now: () => performance.now(),
};
