import { chmodSync, chownSync, closeSync, fsyncSync, lstatSync, openSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError } from '../errors.js';

/*
 * Replacing a file so that a concurrent reader sees the old file or the new one, never a mix:
 * the bytes go to a temporary file in the same directory as the file they replace (same
 * filesystem, so the rename is atomic), are flushed, then renamed over it. On any failure the
 * temporary file is removed and the original is untouched.
 *
 * What is replaced is the file itself, not a link to it: a symbolic link is followed to its
 * target, which gets the new bytes, and the link stays. The file's mode, owner and group are
 * kept (an executable SMF stays executable; a file in a shared group stays in it); when the group
 * cannot be kept the file is left alone. A read-only file (no write permission bit) is left
 * alone: the writer throws a {@link ReadOnlyFileError}. A new file gets `options.mode`
 * (default 0644).
 *
 * A writer killed between creating and renaming its temporary file leaves it behind; the next
 * write to the same file removes such leftovers whose process is gone.
 */

/** Thrown instead of replacing a read-only file, which is left as it is. */
export class ReadOnlyFileError extends FileError {
  constructor(path: string, mode: number) {
    super(path, 'write', `the file is read-only (mode 0${mode.toString(8)}); left unchanged`);
  }
}

export interface AtomicWriteOptions {
  /** The mode of a new file (default 0644); an existing file keeps its own. */
  mode?: number;
}

/** Where the bytes go, and what must be kept of the file being replaced (undefined for a new file). */
interface Plan {
  target: string;
  tmp: string;
  mode: number;
  existing: Stats | undefined;
}

/**
 * node:fs/promises, loaded by the first asynchronous write: a bundle that imports it loads it at
 * start, and most processes (`smf run`, `smf link`) never write asynchronously.
 */
const fsp = (): Promise<typeof import('node:fs/promises')> => import('node:fs/promises');

/** Symbolic links are followed this many times at most (as the kernel does). */
const MAX_LINKS = 40;

function plan(path: string, options: AtomicWriteOptions): Plan {
  const target = linkTarget(path);
  let existing: Stats | undefined;
  try {
    existing = statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw FileError.from(path, 'write', e);
  }
  if (existing && !existing.isFile()) throw new FileError(path, 'write', 'not a regular file');
  const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o644);
  if (existing && (mode & 0o222) === 0) throw new ReadOnlyFileError(path, mode);
  removeStaleTemporaries(target);
  return { target, tmp: join(dirname(target), `${tmpPrefix(target)}${process.pid}.${randomHex()}.tmp`), mode, existing };
}

/** The file a chain of symbolic links at `path` ends in (which need not exist yet). */
function linkTarget(path: string): string {
  let at = resolve(path);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return at;
      throw FileError.from(path, 'write', e);
    }
    if (!st.isSymbolicLink()) return at;
    at = resolve(dirname(at), readlinkSync(at));
  }
  throw new FileError(path, 'write', `more than ${MAX_LINKS} symbolic links`);
}

function tmpPrefix(target: string): string {
  return `.${basename(target)}.`;
}

const TEMP_SUFFIX = /^(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporary files of earlier writes to `target` whose writing process no longer
 * exists (killed between creating and renaming them). Another live process's, and this
 * process's own, are left alone.
 */
function removeStaleTemporaries(target: string): void {
  const dir = dirname(target);
  const prefix = tmpPrefix(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = TEMP_SUFFIX.exec(name.slice(prefix.length));
    if (!m || processAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The owner and group the temporary file must be given: those of the file it replaces, when they
 * differ from the new file's (a file in a shared group); undefined when they are the same.
 */
function ownerToKeep(p: Plan, tmp: Stats): { uid: number; gid: number } | undefined {
  const was = p.existing;
  return was && (tmp.uid !== was.uid || tmp.gid !== was.gid) ? { uid: was.uid, gid: was.gid } : undefined;
}

/** When the owner and group cannot be kept, the write is abandoned and says why. */
function ownerRefused(p: Plan, owner: { uid: number; gid: number }, e: unknown): FileError {
  return new FileError(p.target, 'write', `cannot keep the file's owner and group (uid ${owner.uid}, gid ${owner.gid}: ${(e as NodeJS.ErrnoException).code ?? e}); left unchanged`);
}

/** Replaces the file at `path` (through symbolic links) with `data`, atomically. */
export async function atomicWriteFile(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const p = plan(path, options);
  const { chmod, chown, open, rename, rm, stat } = await fsp();
  let created = false;
  try {
    const handle = await open(p.tmp, 'wx', p.mode);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask may have stripped bits from the mode given to open.
    await chmod(p.tmp, p.mode);
    const owner = ownerToKeep(p, await stat(p.tmp));
    if (owner) await chown(p.tmp, owner.uid, owner.gid).catch((e: unknown) => Promise.reject(ownerRefused(p, owner, e)));
    await rename(p.tmp, p.target);
  } catch (e) {
    if (created) await rm(p.tmp, { force: true });
    throw FileError.from(path, 'write', e);
  }
}

/** The synchronous twin of atomicWriteFile, for callers that must finish before they return. */
export function atomicWriteFileSync(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): void {
  const p = plan(path, options);
  let fd = -1;
  try {
    fd = openSync(p.tmp, 'wx', p.mode);
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    chmodSync(p.tmp, p.mode);
    const owner = ownerToKeep(p, statSync(p.tmp));
    if (owner) {
      try {
        chownSync(p.tmp, owner.uid, owner.gid);
      } catch (e) {
        throw ownerRefused(p, owner, e);
      }
    }
    renameSync(p.tmp, p.target);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(p.tmp, { force: true });
    throw FileError.from(path, 'write', e);
  }
}

/**
 * Six random bytes in hex: the name only has to differ from another writer's, and the file is
 * created exclusively (`wx`: no existing file or link is ever opened), so it need not be
 * unpredictable — Web Crypto's first use loaded more of Node than writing a linked program took.
 */
function randomHex(): string {
  return Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0');
}
