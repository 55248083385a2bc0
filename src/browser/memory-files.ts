/**
 * Files for the browser build: a store of bytes by absolute path, behind the same calls as Node's
 * `fs` (see src/platform/file-access.ts). The playground puts its sources and compiled modules
 * here; `fetch` fills it from a server (`fetchInto`).
 */
import type { FileAccess, FileStats } from '../platform/file-access.js';
import { resolve } from './posix-path.js';

interface Stored {
  bytes: Uint8Array;
  mtimeMs: number;
  ino: number;
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: ${path}`) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

function statsOf(f: Stored): FileStats {
  return {
    size: f.bytes.length,
    mtimeMs: f.mtimeMs,
    ino: f.ino,
    isFile: () => true,
    isDirectory: () => false,
    isCharacterDevice: () => false,
    isBlockDevice: () => false,
    isFIFO: () => false,
    isSocket: () => false,
  };
}

export class MemoryFiles implements FileAccess {
  readonly READ_FLAGS = 0;
  private readonly store = new Map<string, Stored>();
  private readonly open_ = new Map<number, Stored>();
  private nextFd = 3;
  private nextIno = 1;
  /** Each write is a new modification time, even within one millisecond, so caches see it. */
  private clock = 0;

  writeFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    const abs = resolve(path);
    const was = this.store.get(abs);
    this.clock = Math.max(this.clock + 1, Date.now());
    this.store.set(abs, { bytes, mtimeMs: this.clock, ino: was?.ino ?? this.nextIno++ });
  }

  readFile(path: string): Uint8Array {
    return this.get(resolve(path)).bytes;
  }

  remove(path: string): boolean {
    return this.store.delete(resolve(path));
  }

  paths(): string[] {
    return [...this.store.keys()].sort();
  }

  /** Fetches `url` and stores its bytes at `path`. */
  async fetchInto(url: string, path: string): Promise<void> {
    const response = await fetch(url);
    if (!response.ok) throw errno('ENOENT', `${url} (HTTP ${response.status})`);
    this.writeFile(path, new Uint8Array(await response.arrayBuffer()));
  }

  private get(abs: string): Stored {
    const f = this.store.get(abs);
    if (!f) throw errno('ENOENT', abs);
    return f;
  }

  private fd(fd: number): Stored {
    const f = this.open_.get(fd);
    if (!f) throw errno('EBADF', String(fd));
    return f;
  }

  openSync(path: string): number {
    const f = this.get(resolve(path));
    const fd = this.nextFd++;
    this.open_.set(fd, f);
    return fd;
  }

  readSync(fd: number, into: Uint8Array, offset: number, length: number, position: number): number {
    const src = this.fd(fd).bytes;
    const n = Math.max(0, Math.min(length, src.length - position));
    into.set(src.subarray(position, position + n), offset);
    return n;
  }

  fstatSync(fd: number): FileStats {
    return statsOf(this.fd(fd));
  }

  closeSync(fd: number): void {
    this.open_.delete(fd);
  }

  statSync(path: string): FileStats {
    return statsOf(this.get(resolve(path)));
  }

  existsSync(path: string): boolean {
    return this.store.has(resolve(path));
  }

  open(path: string, _flags: number, done: (e: NodeJS.ErrnoException | null, fd: number) => void): void {
    settle(() => this.openSync(path), done, -1);
  }

  fstat(fd: number, done: (e: NodeJS.ErrnoException | null, st: FileStats) => void): void {
    settle(() => this.fstatSync(fd), done, undefined as unknown as FileStats);
  }

  read(fd: number, into: Uint8Array, offset: number, length: number, position: number, done: (e: NodeJS.ErrnoException | null, n: number) => void): void {
    settle(() => this.readSync(fd, into, offset, length, position), done, 0);
  }

  close(fd: number, done: (e: NodeJS.ErrnoException | null) => void): void {
    this.closeSync(fd);
    queueMicrotask(() => done(null));
  }

  readBuffer(size: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(size);
  }

  /** One assignment of the map entry: a reader sees the old bytes or the new. */
  writeFileAtomicSync(path: string, data: Uint8Array): void {
    this.writeFile(path, data);
  }

  writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
    this.writeFile(path, data);
    return Promise.resolve();
  }
}

/** Runs `f` now and reports its result after the current job, as Node's callbacks do. */
function settle<T>(f: () => T, done: (e: NodeJS.ErrnoException | null, v: T) => void, none: T): void {
  let value: T;
  try {
    value = f();
  } catch (e) {
    queueMicrotask(() => done(e as NodeJS.ErrnoException, none));
    return;
  }
  queueMicrotask(() => done(null, value));
}
