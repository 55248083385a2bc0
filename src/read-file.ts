/**
 * Reading an input file whole, safely: only a regular file is read (a device such as /dev/zero,
 * a FIFO, a socket or a directory is refused — without reading it, except by the small first read
 * of `readRegularFileSync`'s `firstRead` — and a FIFO is opened without waiting for a writer), and only up to a documented limit, checked before the buffer is
 * allocated. Every command reads its inputs through here.
 */
import { FileError } from './errors.js';
import { files } from './platform/index.js';
import type { FileStats as Stats } from './platform/index.js';

const MiB = 1024 * 1024;

/** The largest SMF file any command reads (the engine's own module limit is 1 GiB). */
export const MAX_SMF_FILE_SIZE = 1024 * MiB;
/** The largest Simple source file the compiler reads. */
export const MAX_SOURCE_FILE_SIZE = 64 * MiB;

/** Flags to open an input with: a FIFO is opened without waiting for a writer; a regular file ignores the flag. */
export const READ_FLAGS = files.READ_FLAGS;

/**
 * Why the file at `path` with status `st` is not to be read whole, as a typed error; null for a
 * regular file within `maxBytes` (for readers that take the status themselves).
 */
export function unreadableFile(path: string, st: Stats, maxBytes: number): FileError | null {
  if (!st.isFile()) return new FileError(path, 'read', `not a regular file (${kindOf(st)})`);
  if (st.size > maxBytes) return new FileError(path, 'read', `the file is ${st.size} bytes, over the limit of ${maxBytes} bytes`);
  return null;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** The first `size` bytes of the open file `fd` (fewer if it shrank while it was read). */
export function readOpenFileSync(fd: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let done = 0;
  while (done < size) {
    const got = files.readSync(fd, bytes, done, size - done, done);
    if (got === 0) break;
    done += got;
  }
  return done === size ? bytes : bytes.subarray(0, done);
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; a typed {@link FileError}
 * (what and where) for anything else. A file that grows while it is read is read up to its size
 * at open. With `firstRead`, a small file costs open, one read into it and close (the bytes are
 * copied out): on this kind of machine a system call costs as much as decoding a small module.
 * A FIFO whose writer already wrote less than the buffer is then read too (bounded, never
 * waiting).
 */
export function readRegularFileSync(path: string, maxBytes: number, firstRead?: Uint8Array): Uint8Array {
  let fd = -1;
  try {
    fd = files.openSync(path, READ_FLAGS);
    if (firstRead) {
      // One read first: a file shorter than the buffer is all there, with no `fstat` asked. A
      // read that returns nothing (a FIFO without data, a device, an empty file) or fills the
      // buffer (a device, a larger file) asks for the status as below.
      const n = files.readSync(fd, firstRead, 0, firstRead.length, 0);
      if (n > 0 && n < firstRead.length && n <= maxBytes) return firstRead.slice(0, n);
    }
    const st = files.fstatSync(fd);
    const refused = unreadableFile(path, st, maxBytes);
    if (refused) throw refused;
    return readOpenFileSync(fd, st.size);
  } catch (e) {
    throw FileError.from(path, 'read', e);
  } finally {
    if (fd >= 0) files.closeSync(fd);
  }
}

/** The asynchronous twin of {@link readRegularFileSync}. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let fd = -1;
  try {
    fd = await call<number>((done) => files.open(path, READ_FLAGS, done));
    const handle = fd;
    const st = await call<Stats>((done) => files.fstat(handle, done));
    const refused = unreadableFile(path, st, maxBytes);
    if (refused) throw refused;
    const bytes = new Uint8Array(st.size);
    let done = 0;
    while (done < st.size) {
      const at = done;
      const bytesRead = await call<number>((cb) => files.read(handle, bytes, at, st.size - at, at, cb));
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === st.size ? bytes : bytes.subarray(0, done);
  } catch (e) {
    throw FileError.from(path, 'read', e);
  } finally {
    if (fd >= 0) {
      const handle = fd;
      await new Promise<void>((resolve) => files.close(handle, () => resolve()));
    }
  }
}

function call<T>(start: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}
