/**
 * Reading an SMF file whole for `SmfReader.openSync`, at the cost of open, one read and close
 * for a small file: its size is what the read returned, so no `fstat` is asked (on this kind of
 * machine a system call costs as much as decoding a small module). The rules of
 * src/read-file.ts hold: only a regular file of at most MAX_SMF_FILE_SIZE is read. A read that
 * returns nothing may be a FIFO or a device rather than an empty file, and one that fills the
 * buffer may be a device or a large file: only then is the file's status asked.
 */
import { FileError } from '../errors.js';
import { files } from '../platform/index.js';
import { MAX_SMF_FILE_SIZE, READ_FLAGS, readOpenFileSync, unreadableFile } from '../read-file.js';

/** Files up to this size are read in one go (a compiled module is a few KiB). */
const SMALL_READ = 64 * 1024;
/** One buffer for the first read of every file; a file's bytes are copied out of it. */
let scratch: Uint8Array | undefined;

export function readSmfFileSync(path: string): Uint8Array {
  let fd = -1;
  try {
    fd = files.openSync(path, READ_FLAGS);
    scratch ??= new Uint8Array(SMALL_READ);
    const n = files.readSync(fd, scratch, 0, SMALL_READ, 0);
    if (n > 0 && n < SMALL_READ) return scratch.slice(0, n);
    const st = files.fstatSync(fd);
    const refused = unreadableFile(path, st, MAX_SMF_FILE_SIZE);
    if (refused) throw refused;
    return readOpenFileSync(fd, st.size);
  } catch (e) {
    throw FileError.from(path, 'read', e);
  } finally {
    if (fd >= 0) files.closeSync(fd);
  }
}
