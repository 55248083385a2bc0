/**
 * The one interface between the toolchain and the machine it runs on: how files are read,
 * checked and replaced, plus the few native helpers Node has and a browser has not (the xxh64
 * hash, the zstd/lz4 codecs, V8 flags).
 *
 * The shapes follow Node's `fs` (file descriptors, callbacks), because the SMF cache's fast path
 * is written in those terms (open, one read into a shared slab, close); an implementation that is
 * not Node — the browser build's in-memory files — provides the same calls over its own store.
 * `src/platform/index.ts` names the implementation in use: Node's, swapped for
 * `src/browser/platform.ts` by the browser build (scripts/bundle-browser.mjs).
 */

/** What `stat` tells: the fields the toolchain reads of Node's `fs.Stats`. */
export interface FileStats {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}

type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

export interface FileAccess {
  /** Flags that open a file for reading without waiting for a FIFO's writer. */
  readonly READ_FLAGS: number;
  openSync(path: string, flags: number | string): number;
  readSync(fd: number, into: Uint8Array, offset: number, length: number, position: number): number;
  fstatSync(fd: number): FileStats;
  closeSync(fd: number): void;
  statSync(path: string): FileStats;
  existsSync(path: string): boolean;
  open(path: string, flags: number, done: Callback<number>): void;
  fstat(fd: number, done: Callback<FileStats>): void;
  read(fd: number, into: Uint8Array, offset: number, length: number, position: number, done: Callback<number>): void;
  close(fd: number, done: (error: NodeJS.ErrnoException | null) => void): void;
  /**
   * A buffer for reads to fill, its bytes not set (Node: Buffer.allocUnsafeSlow, which leaves out
   * the zeroing that touches every page — fresh pages are dear on some machines; the browser: a
   * zeroed array). Its reader must expose only the bytes a read wrote.
   */
  readBuffer(size: number): Uint8Array<ArrayBuffer>;
  /** Replaces the file at `path` so that a reader sees the old bytes or the new, never a mix. */
  writeFileAtomicSync(path: string, data: Uint8Array): void;
  writeFileAtomic(path: string, data: Uint8Array): Promise<void>;
}

/** xxh64 as the SMF module hash and the JIT code cache use it. */
export interface Xxh64Hasher {
  update(bytes: Uint8Array): void;
  digest(): bigint;
}

export interface Natives {
  xxh64(bytes: Uint8Array, seed: bigint): bigint;
  newXxh64(seed: bigint): Xxh64Hasher;
  /**
   * A compression codec by package name ('zstd-napi', 'zstd-napi/binding.js', 'lz4-napi'); throws
   * when this platform has none (the reader then reports the section as unreadable).
   */
  codec(name: string): unknown;
  /** Where `needle` first occurs in `haystack`, or -1 (Node: Buffer's native search). */
  indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number;
  /**
   * Runs `job` once the current job and its microtasks are done (Node: setImmediate; one that
   * does not keep the process alive unless `keepAlive`).
   */
  afterJob(job: () => void, keepAlive: boolean): void;
  /** Passes flags to the JavaScript engine (Node: V8's); a no-op where that is not possible. */
  setEngineFlags(flags: string): void;
  /**
   * A monotonic clock in milliseconds, for timings (Node: process.uptime, microseconds, no
   * allocation — the global `performance` costs ~1.6 ms to set up on first use, a tenth of a
   * small program's run, and process.hrtime makes an array per call).
   */
  now(): number;
}
