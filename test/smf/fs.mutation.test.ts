/**
 * The atomic writers (sync and async) on a real file system, at the edges their mutants showed
 * untested: symbolic link chains (the 40-link limit, relative links, a dangling link), what is
 * kept of the replaced file (mode bits including setuid, owner and group), the read-only check
 * (any write bit counts), new files' modes, leftovers of dead writers, and the exact messages of
 * each refusal.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.js';
import { atomicWriteFile, atomicWriteFileSync, ReadOnlyFileError } from '../../src/smf/atomic-write.js';
import type { AtomicWriteOptions } from '../../src/smf/atomic-write.js';
import { encodeNote } from '../../src/smf/note.js';
import { replaceNote, rewriteNote, rewriteNoteInPlace } from '../../src/smf/note-rewrite.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { sampleModule } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'smf-fs-mutation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory per case: the stale-temporary scan reads the whole directory. */
function freshDir(): string {
  const d = join(root, `case${n++}`);
  mkdirSync(d);
  return d;
}

const NEW = Uint8Array.from([1, 2, 3, 4, 5]);

const WRITERS: ReadonlyArray<[string, (path: string, data: Uint8Array, options?: AtomicWriteOptions) => Promise<void>]> = [
  ['sync', async (p, d, o) => atomicWriteFileSync(p, d, o)],
  ['async', (p, d, o) => atomicWriteFile(p, d, o)],
];

/** What the writer throws (sync or async), or undefined. */
async function thrown(f: () => Promise<void>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(WRITERS)('%s atomic writer', (_, write) => {
  it('a new file gets 0644, or the mode asked for', async () => {
    const d = freshDir();
    await write(join(d, 'a'), NEW);
    await write(join(d, 'b'), NEW, { mode: 0o751 });
    expect(statSync(join(d, 'a')).mode & 0o7777).toBe(0o644);
    expect(statSync(join(d, 'b')).mode & 0o7777).toBe(0o751);
    expect([...readFileSync(join(d, 'a'))]).toEqual([...NEW]);
    expect(readdirSync(d).sort()).toEqual(['a', 'b']);
  });

  it('an existing file keeps its mode, setuid bit included, and the mode option does not apply to it', async () => {
    const d = freshDir();
    const path = join(d, 'f');
    writeFileSync(path, 'old');
    chmodSync(path, 0o4751);
    await write(path, NEW, { mode: 0o600 });
    expect(statSync(path).mode & 0o7777).toBe(0o4751);
    expect([...readFileSync(path)]).toEqual([...NEW]);
  });

  it('one write bit (the group\'s) is enough; a file with none is refused and left unchanged', async () => {
    const d = freshDir();
    const groupOnly = join(d, 'g');
    writeFileSync(groupOnly, 'old');
    chmodSync(groupOnly, 0o020);
    await write(groupOnly, NEW);
    expect(statSync(groupOnly).mode & 0o7777).toBe(0o020);
    chmodSync(groupOnly, 0o644);
    expect([...readFileSync(groupOnly)]).toEqual([...NEW]);

    const ro = join(d, 'ro');
    writeFileSync(ro, 'old');
    chmodSync(ro, 0o555);
    const e = await thrown(() => write(ro, NEW));
    expect(e).toBeInstanceOf(ReadOnlyFileError);
    expect((e as Error).message).toBe(`cannot write '${ro}': the file is read-only (mode 0555); left unchanged`);
    expect(readFileSync(ro, 'utf8')).toBe('old');
    expect(readdirSync(d).sort()).toEqual(['g', 'ro']);
  });

  it('the owner and group of the replaced file are kept', async () => {
    const d = freshDir();
    const path = join(d, 'owned');
    writeFileSync(path, 'old');
    // Only root can give a file away; another user checks that its own ids stay.
    const uid = process.getuid!() === 0 ? 4321 : process.getuid!();
    const gid = process.getuid!() === 0 ? 4322 : process.getgid!();
    chownSync(path, uid, gid);
    await write(path, NEW);
    const st = statSync(path);
    expect([st.uid, st.gid]).toEqual([uid, gid]);
    expect([...readFileSync(path)]).toEqual([...NEW]);
  });

  it('a group alone, or an owner alone, that differs from a new file\'s is kept too', async () => {
    const d = freshDir();
    const root = process.getuid!() === 0;
    const cases: Array<[number, number]> = root ? [[0, 4322], [4321, 0]] : [[process.getuid!(), process.getgid!()]];
    for (const [i, [uid, gid]] of cases.entries()) {
      const path = join(d, `o${i}`);
      writeFileSync(path, 'old');
      chownSync(path, uid, gid);
      await write(path, NEW);
      const st = statSync(path);
      expect([st.uid, st.gid]).toEqual([uid, gid]);
    }
  });

  it('a chain of symbolic links (relative and absolute) is followed to the file, and the links stay', async () => {
    const d = freshDir();
    mkdirSync(join(d, 'sub'));
    const target = join(d, 'sub', 'target');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    symlinkSync('sub/target', join(d, 'l1')); // relative to the link's folder
    symlinkSync(join(d, 'l1'), join(d, 'l2'));
    await write(join(d, 'l2'), NEW);
    expect(lstatSync(join(d, 'l2')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'l1'))).toBe('sub/target');
    expect([...readFileSync(target)]).toEqual([...NEW]);
    expect(statSync(target).mode & 0o7777).toBe(0o600);
    expect(readdirSync(d).sort()).toEqual(['l1', 'l2', 'sub']);
    expect(readdirSync(join(d, 'sub'))).toEqual(['target']);
  });

  it('a dangling link creates its target; the link stays a link', async () => {
    const d = freshDir();
    symlinkSync('made', join(d, 'link'));
    await write(join(d, 'link'), NEW);
    expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true);
    expect([...readFileSync(join(d, 'made'))]).toEqual([...NEW]);
  });

  it('39 links are followed; 40 are refused with the limit in the message; a loop is refused the same way', async () => {
    const d = freshDir();
    writeFileSync(join(d, 'file'), 'old');
    let prev = 'file';
    for (let i = 1; i <= 40; i++) {
      symlinkSync(prev, join(d, `k${i}`));
      prev = `k${i}`;
    }
    await write(join(d, 'k39'), NEW);
    expect([...readFileSync(join(d, 'file'))]).toEqual([...NEW]);
    const e = await thrown(() => write(join(d, 'k40'), Uint8Array.of(9)));
    expect(e).toBeInstanceOf(FileError);
    expect((e as Error).message).toBe(`cannot write '${join(d, 'k40')}': more than 40 symbolic links`);
    expect([...readFileSync(join(d, 'file'))]).toEqual([...NEW]);

    symlinkSync('loop-b', join(d, 'loop-a'));
    symlinkSync('loop-a', join(d, 'loop-b'));
    expect(((await thrown(() => write(join(d, 'loop-a'), NEW))) as Error).message).toBe(`cannot write '${join(d, 'loop-a')}': more than 40 symbolic links`);
  });

  it('a directory, a path through a file, and a missing folder are refused in words', async () => {
    const d = freshDir();
    mkdirSync(join(d, 'dir'));
    writeFileSync(join(d, 'file'), 'x');
    const msg = async (p: string) => {
      const e = await thrown(() => write(p, NEW));
      expect(e).toBeInstanceOf(FileError);
      return (e as Error).message;
    };
    expect(await msg(join(d, 'dir'))).toBe(`cannot write '${join(d, 'dir')}': not a regular file`);
    expect(await msg(join(d, 'file', 'x'))).toBe(`cannot write '${join(d, 'file', 'x')}': a part of the path is not a directory`);
    expect(await msg(join(d, 'missing', 'x'))).toBe(`cannot write '${join(d, 'missing', 'x')}': no such file or directory`);
    expect(readdirSync(d).sort()).toEqual(['dir', 'file']);
  });

  it('removes the temporaries of dead writers of the same file, and only those', async () => {
    const d = freshDir();
    const path = join(d, 'm.smf');
    writeFileSync(path, 'old');
    // A process that has exited: its pid is free (and, on a busy machine, very unlikely reused at once).
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = [
      `.m.smf.${dead}.0123456789ab.tmp`, // dead writer: removed
      `.m.smf.${process.pid}.0123456789ab.tmp`, // this process: kept
      `.m.smf.1.0123456789ab.tmp`, // a live process (init): kept
      `.m.smf.${dead}.0123456789a.tmp`, // not a writer's name (11 hex digits): kept
      `.m.smf.${dead}.0123456789abc.tmp`, // 13: kept
      `.m.smf.${dead}.0123456789AB.tmp`, // upper case: kept
      `.m.smf.${dead}.0123456789ab.tmpx`, // kept
      `.other.smf.${dead}.0123456789ab.tmp`, // another file's: kept
      `x.m.smf.${dead}.0123456789ab.tmp`, // kept
      `.m.smf.x${dead}.0123456789ab.tmp`, // kept: the pid must follow the prefix
      `.n.smf.${dead}.0123456789ab.tmp`, // another file's, with a prefix as long: kept
    ];
    for (const name of names) writeFileSync(join(d, name), '');
    await write(path, NEW);
    expect(readdirSync(d).sort()).toEqual([...names.slice(1), 'm.smf'].sort());
    expect([...readFileSync(path)]).toEqual([...NEW]);
  });
});

describe('the async writer', () => {
  it('two writes of one file at the same time each use a temporary file of their own', async () => {
    const d = freshDir();
    const path = join(d, 'twice');
    await Promise.all([atomicWriteFile(path, Uint8Array.of(1)), atomicWriteFile(path, Uint8Array.of(2)), atomicWriteFile(path, Uint8Array.of(3))]);
    expect([1, 2, 3]).toContain(readFileSync(path)[0]);
    expect(readdirSync(d)).toEqual(['twice']);
  });
});

describe('note rewrites', () => {
  const file = (bytes: Uint8Array): string => {
    const path = join(freshDir(), 'm.smf');
    writeFileSync(path, bytes);
    return path;
  };

  it('a note exactly as long as its room is written in place; one byte more needs a rebuild', async () => {
    const bytes = writeSmf(sampleModule({ noteReserve: 0 }));
    const capacity = SmfReader.fromBytes(bytes).noteCapacity()!;
    const fill = (n: number) => 'x'.repeat(n - encodeNote('').length);
    const path = file(bytes);
    expect(await rewriteNoteInPlace(path, fill(capacity))).toEqual({ kind: 'rewritten' });
    expect(readFileSync(path).length).toBe(bytes.length);
    expect(await rewriteNoteInPlace(path, fill(capacity + 1))).toEqual({ kind: 'needs_rebuild', required: capacity + 1, available: capacity });
  });

  it('a rebuilt module has a hash when the old one had one, and none when it had none', () => {
    const big = 'y'.repeat(5000);
    const hashed = SmfReader.fromBytes(replaceNote(writeSmf(sampleModule({ noteReserve: 0 })), big));
    expect(hashed.header.moduleHash).not.toBe(0n);
    expect(hashed.noteSdnText()!.startsWith(big)).toBe(true);
    const plain = SmfReader.fromBytes(replaceNote(writeSmf(sampleModule({ noteReserve: 0 }), { hash: false }), big));
    expect(plain.header.moduleHash).toBe(0n);
  });

  it('rewriteNote names the file of a damaged module', async () => {
    const bytes = writeSmf(sampleModule());
    const damaged = Uint8Array.from(bytes.subarray(0, bytes.length - 1));
    const path = file(damaged);
    await expect(rewriteNote(path, 'x')).rejects.toThrow(path);
  });
});
