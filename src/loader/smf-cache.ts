/**
 * SmfCache — SMF files read once and kept, for the loader and the JIT.
 *
 * Each file is read into one buffer; sections are zero-copy views into it (SmfReader). The cache
 * is bounded by bytes and by file count with LRU eviction.
 *
 * Freshness: a `get` compares the file's size, modification time and inode with what was read
 * (one `stat`), and reads a changed file again — but a plain `get` does so at most once per
 * `revalidateMs` (default 100 ms) per file: within that time of the last check (or the read) it
 * serves what it holds. A `stat` is a system call, many times the cost of the rest of a hit on a
 * machine where system calls are slow, and a caller that asks for the same file again and again
 * (its templates or its note, say) needs no more than that. `get(path, { fresh: true })`
 * always checks: the loader reads with it, so `load` and `reload` never see a file older than the
 * one on disk, and so does the write-back before and after it writes a file. A small file is read
 * without asking its identity; the first check confirms it is the same file by its module hash
 * (see `sameFile`).
 */
import { files, natives } from '../platform/index.js';
import { MAX_SMF_FILE_SIZE, READ_FLAGS, readOpenFileSync, unreadableFile } from '../read-file.js';
import { resolve } from 'node:path';
import { FileError } from '../errors.js';
import { readSmfModule } from '../compiler/interface/smf-module.js';
import type { SmfModuleParts } from '../compiler/interface/smf-module.js';
import { HeaderField, SectionType, SmfReader } from '../smf/index.js';
import { LoadError } from './errors.js';
import { LoadMetrics } from './metrics.js';
import type { LoadMetricsSnapshot } from './metrics.js';

export interface SmfCacheOptions {
  /** Total bytes of cached files. Default 256 MiB. */
  readonly maxBytes?: number;
  /** Number of cached files. Default 4096. */
  readonly maxFiles?: number;
  /** Check each file's module hash when it is read. Default true. */
  readonly verifyHash?: boolean;
  /**
   * How long (ms) a plain `get` trusts a file it checked or read without asking the file system
   * again. Default 100; 0 checks on every `get`.
   */
  readonly revalidateMs?: number;
}

export interface SmfCacheGetOptions {
  /** Check the file on disk now, whenever it was last checked. */
  readonly fresh?: boolean;
}

export interface CachedSmf {
  readonly path: string;
  readonly reader: SmfReader;
  readonly size: number;
  /** The module's parts (code, interface, templates), decoded on first use. */
  readonly parts: SmfModuleParts;
}

export interface CacheStats {
  readonly files: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly evictions: number;
  /** Reloads because the file changed on disk. */
  readonly staleReloads: number;
  /** Files read by `prefetch` (counted among the misses too). */
  readonly prefetched: number;
}

/** The statistics with the report's metrics (metrics.ts): load times, file sizes, memory over time. */
export type CacheStatsWithMetrics = CacheStats & LoadMetricsSnapshot;

/** A class rather than an object literal with a getter: those are slow to create in V8. */
class Entry implements CachedSmf {
  readonly size: number;
  private decoded: SmfModuleParts | undefined;

  constructor(
    readonly path: string,
    readonly reader: SmfReader,
    /** UNKNOWN (both) until the first hit confirms the file (SmfCache.sameFile). */
    public mtimeMs: number,
    public ino: number,
    /** When (natives.now()) the file on disk was last found to be this one. */
    public checkedAt: number,
  ) {
    this.size = reader.size;
  }

  get parts(): SmfModuleParts {
    return (this.decoded ??= readSmfModule(this.reader));
  }
}

export class SmfCache {
  readonly maxBytes: number;
  readonly maxFiles: number;
  private readonly verifyHash: boolean;
  private readonly revalidateMs: number;
  /** Insertion order is recency order: a hit moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private staleReloads = 0;
  private prefetched = 0;
  private readonly metrics = new LoadMetrics();

  constructor(options: SmfCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 4096;
    this.verifyHash = options.verifyHash ?? true;
    this.revalidateMs = Math.max(0, options.revalidateMs ?? 100);
  }

  /**
   * The file at `path`, read now if it is not cached or found changed on disk (checked at most
   * once per `revalidateMs`, or now with `fresh`).
   */
  get(path: string, options?: SmfCacheGetOptions): CachedSmf {
    // A key is a resolved path, and resolving one gives it back: a path found as it is needs no resolve.
    return this.getAbsolute(this.entries.has(path) ? path : resolve(path), options);
  }

  /** `get` for a path already made absolute (the loader resolves every path once). */
  getAbsolute(abs: string, options?: SmfCacheGetOptions): CachedSmf {
    const cached = this.entries.get(abs);
    if (cached) {
      const now = natives.now();
      if (options?.fresh !== true && now - cached.checkedAt < this.revalidateMs) {
        this.hits++;
        this.entries.delete(abs);
        this.entries.set(abs, cached);
        return cached;
      }
      let st;
      try {
        st = files.statSync(abs);
      } catch (e) {
        this.drop(abs, cached);
        throw FileError.from(abs, 'read', e);
      }
      if (cached.size === st.size && this.sameFile(abs, cached, st.mtimeMs, st.ino)) {
        cached.checkedAt = now;
        this.hits++;
        this.entries.delete(abs);
        this.entries.set(abs, cached);
        return cached;
      }
      this.staleReloads++;
      this.drop(abs, cached);
    }
    this.misses++;
    const started = natives.now();
    const { bytes, mtimeMs, ino } = readWhole(abs);
    return this.insert(abs, bytes, mtimeMs, ino, started);
  }

  /**
   * Whether the file on disk (of the cached size) is the one read. A file read without its
   * identity (see readWhole) is confirmed once by its stored module hash — the 8 bytes of the
   * header, which cover everything after the stub — and by its stub bytes (a linked program's
   * `#!/usr/bin/env smf` line, which the hash leaves out), and is then known by its mtime and
   * inode.
   */
  private sameFile(abs: string, e: Entry, mtimeMs: number, ino: number): boolean {
    if (e.ino !== UNKNOWN) return e.mtimeMs === mtimeMs && e.ino === ino;
    const { reader } = e;
    // Only a verified, non-zero hash vouches for the content.
    if (!this.verifyHash || reader.header.moduleHash === 0n) return false;
    const hashAt = reader.headerOffset + HeaderField.module_hash;
    const stub = reader.dataOffset;
    const onDisk = new Uint8Array(stub + 8);
    let fd = -1;
    try {
      fd = files.openSync(abs, 'r');
      if (files.readSync(fd, onDisk, stub, 8, hashAt) !== 8) return false;
      if (stub > 0 && files.readSync(fd, onDisk, 0, stub, 0) !== stub) return false;
    } catch {
      return false;
    } finally {
      if (fd >= 0) files.closeSync(fd);
    }
    for (let i = 0; i < stub; i++) if (onDisk[i] !== reader.bytes[i]) return false;
    for (let i = 0; i < 8; i++) if (onDisk[stub + i] !== reader.bytes[hashAt + i]) return false;
    e.mtimeMs = mtimeMs;
    e.ino = ino;
    return true;
  }

  /**
   * Reads many files ahead of use, through the thread pool of Node's file system API: with
   * `parallel` (the default) up to `concurrency` files at a time (default 32), else one after
   * another. Each file is opened, its identity taken, read at its size and closed, as callbacks
   * rather than promises (a promise per step costs more than the read of a small file). Files
   * that fail to read are reported, not thrown.
   *
   * With `follow`, each file read (or found already cached) is handed to it, and the paths it
   * returns join the queue — the loader walks a module's imports this way, reading a file's
   * imports as soon as the file is in. An exception from `follow` is ignored (it is a hint).
   *
   * This overlaps waiting on storage. For files already in the operating system's page cache, a
   * plain `get` is cheaper than any asynchronous read here.
   */
  prefetch(
    paths: readonly string[],
    options: { parallel?: boolean; concurrency?: number; follow?: (file: CachedSmf) => readonly string[] } = {},
  ): Promise<{ loaded: number; failed: Array<{ path: string; error: Error }> }> {
    const { follow } = options;
    const seen = new Set<string>();
    const queue: string[] = [];
    /** Queues the paths not seen yet; a cached one is not read again, only followed. */
    const enqueue = (more: readonly string[]): void => {
      const pending = [...more];
      for (let i = 0; i < pending.length; i++) {
        const abs = resolve(pending[i]);
        if (seen.has(abs)) continue;
        seen.add(abs);
        const cached = this.entries.get(abs);
        if (!cached) queue.push(abs);
        else if (follow) pending.push(...followed(follow, cached));
      }
    };
    enqueue(paths);
    const failed: Array<{ path: string; error: Error }> = [];
    let loaded = 0;
    let next = 0;
    let running = 0;
    const lanes = options.parallel ?? true ? Math.max(1, options.concurrency ?? 32) : 1;
    return new Promise((done) => {
      const start = (): void => {
        while (running < lanes && next < queue.length) {
          running++;
          const path = queue[next++];
          readAsync(path, (error, file) => {
            running--;
            if (error) failed.push({ path, error: FileError.from(path, 'read', error) });
            else if (file) {
              const cached = this.entries.get(path);
              if (cached) {
                if (follow) enqueue(followed(follow, cached));
              } else {
                try {
                  this.misses++;
                  const entry = this.insert(path, file.bytes, file.mtimeMs, file.ino, file.started);
                  this.prefetched++;
                  loaded++;
                  if (follow) enqueue(followed(follow, entry));
                } catch (e) {
                  failed.push({ path, error: e instanceof Error ? e : new Error(String(e)) });
                }
              }
            }
            if (next < queue.length) start();
            else if (running === 0) done({ loaded, failed });
          });
        }
        if (queue.length === 0) done({ loaded, failed });
      };
      start();
    });
  }

  private insert(abs: string, bytes: Uint8Array, mtimeMs: number, ino: number, started: number): Entry {
    const reader = SmfReader.fromBytes(bytes, { file: abs, verifyHash: this.verifyHash });
    const entry = new Entry(abs, reader, mtimeMs, ino, started);
    this.metrics.recordLoad(natives.now() - started, entry.size);
    this.entries.set(abs, entry);
    this.bytes += entry.size;
    if (this.bytes > this.maxBytes || this.entries.size > this.maxFiles) this.evict();
    this.metrics.sampleMemory(this.bytes);
    return entry;
  }

  private evict(): void {
    for (const [path, e] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxFiles) break;
      if (this.entries.size === 1) break; // the newest file stays even when alone it is over the bound
      this.drop(path, e);
      this.evictions++;
    }
  }

  private drop(path: string, e: Entry): void {
    this.entries.delete(path);
    this.bytes -= e.size;
  }

  /** The note.sdn text of a file, or undefined when it has none. */
  readNoteSdn(path: string): string | undefined {
    return this.get(path).reader.noteSdnText();
  }

  /** The bytes of the template entry at `offset` in a file's TemplateCode section (a view, length-prefixed). */
  readTemplateBytes(path: string, offset: number): Uint8Array {
    const { reader } = this.get(path);
    const section = reader.findSection(SectionType.TemplateCode);
    if (!section) throw new LoadError('LOAD_INSTANTIATE', 'no TemplateCode section', reader.file);
    const data = reader.sectionData(section.index);
    if (offset < 10 || offset + 4 > data.length) {
      throw new LoadError('LOAD_INSTANTIATE', `template offset ${offset} is outside the TemplateCode section (${data.length} bytes)`, reader.file);
    }
    const length = new DataView(data.buffer, data.byteOffset + offset, 4).getUint32(0, true);
    if (offset + 4 + length > data.length) {
      throw new LoadError('LOAD_INSTANTIATE', `template at ${offset} runs past the TemplateCode section`, reader.file);
    }
    return data.subarray(offset, offset + 4 + length);
  }

  isCached(path: string): boolean {
    return this.entries.has(resolve(path));
  }

  /** Drops one file from the cache. */
  close(path: string): boolean {
    const abs = resolve(path);
    const e = this.entries.get(abs);
    if (!e) return false;
    this.drop(abs, e);
    this.metrics.sampleMemory(this.bytes);
    return true;
  }

  /** Drops every file; the hit and miss counts and the metrics are kept. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.metrics.sampleMemory(0);
  }

  stats(): CacheStatsWithMetrics {
    const total = this.hits + this.misses;
    return {
      files: this.entries.size,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
      hitRate: total === 0 ? 0 : this.hits / total,
      evictions: this.evictions,
      staleReloads: this.staleReloads,
      prefetched: this.prefetched,
      ...this.metrics.snapshot(),
    };
  }
}

/** The paths `follow` gives for a file; none when it throws. */
function followed(follow: (file: CachedSmf) => readonly string[], file: CachedSmf): readonly string[] {
  try {
    return follow(file);
  } catch {
    return [];
  }
}

/** Identity fields of a file read without them. */
const UNKNOWN = -1;

/**
 * Small files are read straight into slices of a shared slab rather than buffers of their own:
 * one allocation per 64 KiB instead of one per file. A slab lives while any file in it is
 * cached, so the memory the cache pins is at most the larger of its byte bound and 64 KiB per
 * cached file (4,096 files by default: 256 MiB, the default byte bound).
 */
const SLAB_SIZE = 64 * 1024;
/** A read that fills this much may have stopped short of the end: the file's size is asked. */
const SLAB_READ = 16 * 1024;
// Not zeroed (files.readBuffer): only the bytes a read wrote are handed out.
let slab = new Uint8Array(0);
let slabUsed = 0;

type ReadDone = (error: Error | null, file?: { bytes: Uint8Array; mtimeMs: number; ino: number; started: number }) => void;

/** open, fstat, read at that size, close — each step a callback on the thread pool. */
function readAsync(path: string, done: ReadDone): void {
  const started = natives.now();
  files.open(path, READ_FLAGS, (openError, fd) => {
    if (openError) return done(openError);
    const finish = (error: Error | null, file?: Parameters<ReadDone>[1]): void => files.close(fd, () => done(error, file));
    files.fstat(fd, (statError, st) => {
      if (statError) return finish(statError);
      const refused = unreadableFile(path, st, MAX_SMF_FILE_SIZE);
      if (refused) return finish(refused);
      const bytes = allocate(st.size);
      const readFrom = (at: number): void => {
        files.read(fd, bytes, at, st.size - at, at, (readError, n) => {
          if (readError) return finish(readError);
          if (n > 0 && at + n < st.size) return readFrom(at + n);
          finish(null, { bytes: at + n === st.size ? bytes : bytes.subarray(0, at + n), mtimeMs: st.mtimeMs, ino: st.ino, started });
        });
      };
      readFrom(0);
    });
  });
}

/** Makes room for `size` bytes at the slab's end, starting a fresh slab when this one is too full. */
function slabRoom(size: number): void {
  if (slab.length - slabUsed < size) {
    slab = files.readBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
}

/** Keeps the next `size` bytes of the slab (there is room: see slabRoom). */
function slabTake(size: number): Uint8Array {
  const bytes = slab.subarray(slabUsed, slabUsed + size);
  // Eight-byte alignment keeps the next file's fields aligned.
  slabUsed += (size + 7) & ~7;
  return bytes;
}

/** A file's bytes: a slice of the slab when it is small, else a buffer of its own. */
function allocate(size: number): Uint8Array {
  if (size > SLAB_READ) return new Uint8Array(size);
  slabRoom(size);
  return slabTake(size);
}

/**
 * Reads a whole file. A small one costs open, one read and close: its size is what the read
 * returned, and its identity (mtime, inode) is left UNKNOWN, to be confirmed on the first cache
 * hit — an fstat per file is a tenth of the cost of loading a small module. A larger one is read
 * at its fstat size, identity included.
 */
function readWhole(path: string): { bytes: Uint8Array; mtimeMs: number; ino: number } {
  let fd = -1;
  try {
    fd = files.openSync(path, READ_FLAGS);
    slabRoom(SLAB_READ);
    const n = files.readSync(fd, slab, slabUsed, SLAB_READ, 0);
    // Nothing read may be a FIFO or a socket rather than an empty file: only then is it worth an fstat.
    const refused = n === 0 ? unreadableFile(path, files.fstatSync(fd), MAX_SMF_FILE_SIZE) : null;
    if (refused) throw refused;
    if (n < SLAB_READ) return { bytes: slabTake(n), mtimeMs: UNKNOWN, ino: UNKNOWN };
    const st = files.fstatSync(fd);
    const tooBig = unreadableFile(path, st, MAX_SMF_FILE_SIZE);
    if (tooBig) throw tooBig;
    return { bytes: readOpenFileSync(fd, st.size), mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (e) {
    throw FileError.from(path, 'read', e);
  } finally {
    if (fd >= 0) files.closeSync(fd);
  }
}
