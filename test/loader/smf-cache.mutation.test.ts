/**
 * SmfCache (src/loader/smf-cache.ts) at its edges: the revalidation window to the millisecond,
 * how a file on disk is known to be the one read (size, mtime, inode, module hash), the byte
 * bound, the template reader's bounds, files that are not SMF files, and the asynchronous
 * prefetch's lanes, short reads and failures. Files are made inside each test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, readFileSync, renameSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { LoadError } from '../../src/loader/errors.js';
import { FileError } from '../../src/errors.js';
import { HeaderField, SectionType, SmfFormatError, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { MAX_SMF_FILE_SIZE } from '../../src/read-file.js';
import { files, natives } from '../../src/platform/index.js';
import { compileToSmf, workspace } from './fixtures.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const GENERIC = 'fn f(x: i64) -> i64:\n    x + 1\n\nfn g<T>(x: T) -> T:\n    x\n';

function module(source = GENERIC): { dir: string; path: string } {
  const dir = workspace({ 'm.spl': source });
  compileToSmf(dir, ['m.spl']);
  return { dir, path: join(dir, 'm.smf') };
}

/** The bytes of the module compiled from `source` (written elsewhere). */
function bytesOf(source: string): Buffer {
  return readFileSync(module(source).path);
}

const T = 1_700_000_000;

describe('SmfCache: knowing the file on disk', () => {
  it('trusts what it holds for less than revalidateMs, and checks the disk at exactly revalidateMs', () => {
    let now = 1000;
    vi.spyOn(natives, 'now').mockImplementation(() => now);
    const { path } = module();
    const cache = new SmfCache({ revalidateMs: 100 });
    const before = cache.get(path);
    writeFileSync(path, bytesOf('fn f(x: i64) -> i64:\n    x + 2\n'));
    now = 1099.5;
    expect(cache.get(path)).toBe(before);
    now = 1100;
    expect(cache.get(path)).not.toBe(before);
    expect(cache.stats()).toMatchObject({ hits: 1, staleReloads: 1 });
  });

  it('reads again a file of another size, even with its inode and mtime unchanged', () => {
    const { path } = module();
    utimesSync(path, T, T);
    const cache = new SmfCache({ revalidateMs: 0 });
    const first = cache.get(path);
    expect(cache.get(path)).toBe(first); // confirmed by its hash: its identity is now known
    const ino = statSync(path).ino;
    writeFileSync(path, bytesOf('fn f(x: i64) -> i64:\n    x + 1\n\nfn h(x: i64) -> i64:\n    x * 3\n'));
    utimesSync(path, T, T);
    expect(statSync(path).ino).toBe(ino);
    const second = cache.get(path);
    expect(second).not.toBe(first);
    expect(second.size).not.toBe(first.size);
    expect(cache.stats().staleReloads).toBe(1);
  });

  it('once it knows a file, takes a new mtime or a new inode (same bytes) for another file', () => {
    const { dir, path } = module();
    utimesSync(path, T, T);
    const cache = new SmfCache({ revalidateMs: 0 });
    const first = cache.get(path);
    expect(cache.get(path)).toBe(first);
    utimesSync(path, T + 10, T + 10);
    const touched = cache.get(path);
    expect(touched).not.toBe(first);
    expect(cache.stats().staleReloads).toBe(1);
    // Known again (confirmed by its hash), then replaced by a copy: same bytes and mtime, new inode.
    expect(cache.get(path)).toBe(touched);
    copyFileSync(path, join(dir, 'copy.smf'));
    renameSync(join(dir, 'copy.smf'), path);
    utimesSync(path, T + 10, T + 10);
    expect(cache.get(path)).not.toBe(touched);
    expect(cache.stats().staleReloads).toBe(2);
  });

  it('without hash checks, or with no hash in the file, cannot confirm a small file and reads it again', () => {
    const { path } = module();
    const unverified = new SmfCache({ revalidateMs: 0, verifyHash: false });
    const a = unverified.get(path);
    expect(unverified.get(path)).not.toBe(a);
    expect(unverified.stats()).toMatchObject({ hits: 0, misses: 2, staleReloads: 1 });

    const bytes = Buffer.from(readFileSync(path));
    const reader = SmfReader.fromBytes(bytes);
    bytes.writeBigUInt64LE(0n, reader.headerOffset + HeaderField.module_hash);
    writeFileSync(path, bytes);
    const hashless = new SmfCache({ revalidateMs: 0 });
    const b = hashless.get(path);
    expect(b.reader.header.moduleHash).toBe(0n);
    expect(hashless.get(path)).not.toBe(b);
    expect(hashless.stats()).toMatchObject({ hits: 0, staleReloads: 1 });
  });

  it('closes the file it opened to confirm one, and closes nothing when the open fails', () => {
    const { path } = module();
    const cache = new SmfCache({ revalidateMs: 0 });
    const first = cache.get(path);
    const closed: number[] = [];
    const realClose = files.closeSync;
    vi.spyOn(files, 'closeSync').mockImplementation((fd: number) => {
      closed.push(fd);
      if (fd > 2) realClose(fd);
    });
    const opened: number[] = [];
    const realOpen = files.openSync;
    const open = vi.spyOn(files, 'openSync').mockImplementation(((p: string, flags: never) => {
      const fd = realOpen(p, flags);
      opened.push(fd);
      return fd;
    }) as typeof files.openSync);
    expect(cache.get(path)).toBe(first);
    expect(opened).toHaveLength(1);
    expect(closed).toEqual(opened);

    const other = new SmfCache({ revalidateMs: 0 });
    const before = other.get(path);
    closed.length = 0;
    opened.length = 0;
    open.mockImplementationOnce(() => {
      throw new Error('EMFILE');
    });
    // The hash cannot be read: not confirmed, so the file is read again (and closed after).
    expect(other.get(path)).not.toBe(before);
    expect(closed).toEqual(opened);
    expect(closed.every((fd) => fd > 2)).toBe(true);
  });
});

describe('SmfCache: bounds and statistics', () => {
  it('keeps files filling exactly maxBytes; a lone file over it stays, the one before goes', () => {
    const a = module();
    const b = module('fn f(x: i64) -> i64:\n    x + 5\n');
    const sizes = [new SmfCache().get(a.path).size, new SmfCache().get(b.path).size];
    const exact = new SmfCache({ maxBytes: sizes[0] + sizes[1] });
    exact.get(a.path);
    exact.get(b.path);
    expect(exact.stats()).toMatchObject({ files: 2, bytes: sizes[0] + sizes[1], evictions: 0 });

    const tiny = new SmfCache({ maxBytes: 1 });
    tiny.get(a.path);
    expect(tiny.stats()).toMatchObject({ files: 1, evictions: 0 });
    tiny.get(b.path);
    expect(tiny.isCached(b.path)).toBe(true);
    expect(tiny.isCached(a.path)).toBe(false);
    expect(tiny.stats()).toMatchObject({ files: 1, evictions: 1 });
  });

  it('stops evicting for the file bound once the bytes are exactly at their bound', () => {
    // Three files of one size: only the third breaks a bound (the file count), and dropping the first meets the byte bound exactly.
    const paths = [4, 5, 6].map((k) => module(`fn f(x: i64) -> i64:\n    x + ${k}\n`).path);
    const sizes = paths.map((p) => new SmfCache().get(p).size);
    expect(sizes[0]).toBe(sizes[2]);
    const cache = new SmfCache({ maxFiles: 2, maxBytes: sizes[1] + sizes[2] });
    for (const p of paths) cache.get(p);
    expect(paths.map((p) => cache.isCached(p))).toEqual([false, true, true]);
    expect(cache.stats()).toMatchObject({ files: 2, bytes: sizes[1] + sizes[2], evictions: 1 });
  });

  it('has a hit rate of 0 before any get, and times each read from its start', () => {
    expect(new SmfCache().stats().hitRate).toBe(0);
    const { path } = module();
    let now = 5000;
    vi.spyOn(natives, 'now').mockImplementation(() => (now += 2));
    const cache = new SmfCache();
    cache.get(path);
    const { avgLoadTimeMs, loads } = cache.stats();
    expect(loads).toBe(1);
    expect(avgLoadTimeMs).toBeGreaterThan(0);
    expect(avgLoadTimeMs).toBeLessThan(100);
  });
});

describe('SmfCache: template bytes', () => {
  /** A module with one template, its TemplateCode section's data and the template's offset in it. */
  function withTemplate() {
    const { path } = module();
    const cache = new SmfCache();
    const file = cache.get(path);
    const section = file.reader.findSection(SectionType.TemplateCode)!;
    const data = file.reader.sectionData(section.index);
    const offset = file.parts.iface.functions.find((f) => f.symbol === 'g')!.template!;
    return { path, cache, file, data, offset };
  }

  it('gives a template as its length prefix and that many bytes', () => {
    const { path, cache, data, offset } = withTemplate();
    const length = new DataView(data.buffer, data.byteOffset + offset, 4).getUint32(0, true);
    const bytes = cache.readTemplateBytes(path, offset);
    expect(bytes.length).toBe(4 + length);
    expect([...bytes]).toEqual([...data.subarray(offset, offset + 4 + length)]);
  });

  it('refuses an offset before the first entry or without room for a length, saying where', () => {
    const { path, cache, data } = withTemplate();
    const n = data.length;
    const refused = (offset: number): unknown => {
      try {
        cache.readTemplateBytes(path, offset);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(refused(9)).toBeInstanceOf(LoadError);
    expect(refused(9)).toMatchObject({ code: 'LOAD_INSTANTIATE', message: expect.stringContaining(`template offset 9 is outside the TemplateCode section (${n} bytes)`) });
    expect(refused(n - 3)).toMatchObject({ message: expect.stringContaining(`template offset ${n - 3} is outside the TemplateCode section (${n} bytes)`) });
    expect(refused(n)).toMatchObject({ message: expect.stringContaining(`template offset ${n} is outside`) });
    // Room for the length exactly: the length is read (and the entry then fits or runs past).
    const last = refused(n - 4) as Error | undefined;
    expect(last === undefined ? 'fits' : last.message).toMatch(/^fits$|runs past the TemplateCode section/);
  });

  it('refuses a length that runs one byte past the section, and takes one that ends at its end', () => {
    const { path, file, data, offset } = withTemplate();
    const bytes = Buffer.from(readFileSync(path));
    const at = data.byteOffset - file.reader.bytes.byteOffset + offset;
    const room = data.length - offset - 4;
    bytes.writeUInt32LE(room + 1, at);
    writeFileSync(path, bytes);
    const past = new SmfCache({ verifyHash: false });
    expect(() => past.readTemplateBytes(path, offset)).toThrow(`template at ${offset} runs past the TemplateCode section`);
    bytes.writeUInt32LE(room, at);
    writeFileSync(path, bytes);
    const fits = new SmfCache({ verifyHash: false });
    expect(fits.readTemplateBytes(path, offset).length).toBe(4 + room);
  });

  it('says a module without templates has no TemplateCode section', () => {
    const { path } = module('fn f(x: i64) -> i64:\n    x\n');
    expect(() => new SmfCache().readTemplateBytes(path, 10)).toThrow(new LoadError('LOAD_INSTANTIATE', 'no TemplateCode section', path));
  });
});

describe('SmfCache: files that are not SMF files', () => {
  it('refuses a character device that reads as empty, as not a regular file', () => {
    const cache = new SmfCache();
    expect(() => cache.get('/dev/null')).toThrow(FileError);
    expect(() => cache.get('/dev/null')).toThrow('not a regular file (a character device)');
  });

  it('refuses a file over the size limit without reading it all, and closes it', () => {
    const { dir } = module();
    const huge = join(dir, 'huge.smf');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_SMF_FILE_SIZE + 1);
    const closed: number[] = [];
    const realClose = files.closeSync;
    vi.spyOn(files, 'closeSync').mockImplementation((fd: number) => {
      closed.push(fd);
      realClose(fd);
    });
    expect(() => new SmfCache().get(huge)).toThrow(`over the limit of ${MAX_SMF_FILE_SIZE} bytes`);
    expect(closed).toHaveLength(1);
  });
});

describe('SmfCache: prefetch', () => {
  function modules(n: number): string[] {
    const sources: Record<string, string> = {};
    for (let i = 0; i < n; i++) sources[`m${i}.spl`] = `fn f${i}(x: i64) -> i64:\n    x + ${i}\n`;
    const dir = workspace(sources);
    compileToSmf(dir, Object.keys(sources));
    return Object.keys(sources).map((s) => join(dir, s.replace('.spl', '.smf')));
  }

  it('opens as many files at once as its lanes allow', async () => {
    const paths = modules(4);
    const open = vi.spyOn(files, 'open');
    const lanes = async (options: { parallel?: boolean; concurrency?: number }): Promise<number> => {
      open.mockClear();
      const done = new SmfCache().prefetch(paths, options);
      const first = open.mock.calls.length;
      expect(await done).toEqual({ loaded: 4, failed: [] });
      return first;
    };
    expect(await lanes({})).toBe(4);
    expect(await lanes({ concurrency: 2 })).toBe(2);
    expect(await lanes({ concurrency: 0 })).toBe(1);
    expect(await lanes({ parallel: false })).toBe(1);
    expect(await lanes({ parallel: true, concurrency: 3 })).toBe(3);
  });

  it('ends at once with nothing to read', async () => {
    expect(await new SmfCache().prefetch([])).toEqual({ loaded: 0, failed: [] });
    const [path] = modules(1);
    const cache = new SmfCache();
    cache.get(path);
    expect(await cache.prefetch([path])).toEqual({ loaded: 0, failed: [] });
  });

  it('follows a file that was cached while it was being read, without inserting it again', async () => {
    const [a, b] = modules(2);
    const cache = new SmfCache();
    const followed: string[] = [];
    const done = cache.prefetch([a], { follow: (f) => (followed.push(f.path), f.path === a ? [b] : []) });
    const held = cache.get(a);
    expect(await done).toEqual({ loaded: 1, failed: [] });
    expect(followed).toEqual([a, b]);
    expect(cache.get(a)).toBe(held);
    expect(cache.stats()).toMatchObject({ prefetched: 1, files: 2 });
  });

  it('reports a file that is not an SMF file, a device, and a failed fstat, and reads the rest', async () => {
    const [good] = modules(1);
    const bad = join(good, '..', 'bad.smf');
    writeFileSync(bad, 'not an smf file, only text long enough to look like one; '.repeat(4));
    const cache = new SmfCache();
    const r = await cache.prefetch([good, bad, '/dev/null']);
    expect(r.loaded).toBe(1);
    const byPath = new Map(r.failed.map((f) => [f.path, f.error]));
    expect(byPath.get(bad)).toBeInstanceOf(SmfFormatError);
    expect(byPath.get('/dev/null')).toBeInstanceOf(FileError);
    expect(byPath.get('/dev/null')?.message).toContain('not a regular file (a character device)');

    vi.spyOn(files, 'fstat').mockImplementation(((_fd: number, done: (e: Error | null) => void) => {
      done(Object.assign(new Error('EIO: i/o error, fstat'), { code: 'EIO' }));
    }) as typeof files.fstat);
    const failing = await new SmfCache().prefetch([good]);
    expect(failing.loaded).toBe(0);
    expect(failing.failed[0].error).toBeInstanceOf(FileError);
    expect(failing.failed[0].error.message).toBe(`cannot read '${good}': an input/output error`);
  });

  it('reads a file in as many reads as the file system needs, and a file that shrank as far as it goes', async () => {
    const [path] = modules(1);
    const whole = readFileSync(path);
    const realRead = files.read;
    // At most 100 bytes per read.
    const read = vi.spyOn(files, 'read').mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number, done: never) =>
      realRead(fd, buf, off, Math.min(len, 100), pos, done)) as typeof files.read);
    const cache = new SmfCache();
    expect(await cache.prefetch([path])).toEqual({ loaded: 1, failed: [] });
    expect(read.mock.calls.length).toBe(Math.ceil(whole.length / 100));
    expect(Buffer.from(cache.get(path).reader.bytes).equals(whole)).toBe(true);

    // The file ends early: what was read is what the file is (here too short to be an SMF file).
    read.mockImplementation(((fd: number, buf: Uint8Array, off: number, len: number, pos: number, done: (e: null, n: number) => void) =>
      pos >= 100 ? done(null, 0) : realRead(fd, buf, off, Math.min(len, 100), pos, done as never)) as typeof files.read);
    const short = await new SmfCache().prefetch([path]);
    expect(short.failed).toHaveLength(1);
    expect(short.failed[0].error).toBeInstanceOf(SmfFormatError);
  });

  it('reports a read that fails, as a file error', async () => {
    const [path] = modules(1);
    vi.spyOn(files, 'read').mockImplementation(((_fd: number, _b: Uint8Array, _o: number, _l: number, _p: number, done: (e: Error) => void) =>
      done(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }))) as typeof files.read);
    const r = await new SmfCache().prefetch([path]);
    expect(r.loaded).toBe(0);
    expect(r.failed[0].error).toBeInstanceOf(FileError);
    expect(r.failed[0].error.message).toBe(`cannot read '${path}': an input/output error`);
  });

  it('reads a file larger than a slab whole', async () => {
    const [path] = modules(1);
    const spec = moduleSpecFromReader(SmfReader.fromBytes(readFileSync(path)));
    const pad = new Uint8Array(70_000).map((_, i) => i % 251);
    writeFileSync(path, writeSmf({ ...spec, sections: [...spec.sections, { type: SectionType.Code, name: 'pad', data: pad }] }));
    const cache = new SmfCache();
    expect(await cache.prefetch([path])).toEqual({ loaded: 1, failed: [] });
    const file = cache.get(path);
    expect(file.size).toBe(statSync(path).size);
    const i = file.reader.findSectionIndex(SectionType.Code, 'pad');
    expect([...file.reader.sectionData(i)]).toEqual([...pad]);
  });
});
