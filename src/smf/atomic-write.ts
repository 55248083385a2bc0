import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError } from '../errors.js';

/**
 * Replaces `path` with `data` so that a concurrent reader sees the old file or the new one,
 * never a mix: the bytes go to a temporary file in the same directory (same filesystem, so
 * the rename is atomic), are flushed, then renamed over the original. On any failure the
 * temporary file is removed and the original is untouched. The original's mode is kept
 * (an executable SMF must stay executable); a new file gets `options.mode` (default 0644).
 */
export async function atomicWriteFile(path: string, data: Uint8Array, options: { mode?: number } = {}): Promise<void> {
  let mode = options.mode ?? 0o644;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw FileError.from(path, 'write', e);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(tmp, 'wx', mode);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask may have stripped bits from the mode given to open.
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    if (created) await rm(tmp, { force: true });
    throw FileError.from(path, 'write', e);
  }
}

/** The synchronous twin of atomicWriteFile, for callers that must finish before they return. */
export function atomicWriteFileSync(path: string, data: Uint8Array, options: { mode?: number } = {}): void {
  let mode = options.mode ?? 0o644;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw FileError.from(path, 'write', e);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw FileError.from(path, 'write', e);
  }
}
