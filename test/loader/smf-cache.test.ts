import { describe, expect, it } from 'vitest';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { FileError } from '../../src/errors.js';
import { HeaderField, SmfFormatError, SmfReader, computeModuleHash, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { compileToSmf, workspace } from './fixtures.js';

function modules(n: number): { dir: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`m${i}.spl`] = `fn f${i}(x: i64) -> i64:\n    x + ${i}\n\nfn g${i}<T>(x: T) -> T:\n    x\n`;
  const dir = workspace(files);
  compileToSmf(dir, Object.keys(files));
  return { dir, paths: Object.keys(files).map((f) => join(dir, f.replace('.spl', '.smf'))) };
}

describe('SmfCache', () => {
  it('reads a file once, then serves it from memory as zero-copy views', () => {
    const { paths } = modules(1);
    const cache = new SmfCache();
    const a = cache.get(paths[0]);
    const b = cache.get(paths[0]);
    expect(b).toBe(a);
    expect(a.parts.code.buffer).toBe(a.reader.bytes.buffer);
    expect(cache.stats()).toMatchObject({ files: 1, hits: 1, misses: 1, hitRate: 0.5, evictions: 0, bytes: a.size });
    expect(cache.readNoteSdn(paths[0])).toContain('# END_NOTE');
    const templateOffset = a.parts.iface.functions.find((f) => f.symbol === 'g0')!.template!;
    const bytes = cache.readTemplateBytes(paths[0], templateOffset);
    expect(bytes.length).toBeGreaterThan(4);
  });

  it('gives each small file exactly its bytes, though files share buffers that are not zeroed', () => {
    // Enough files to fill several of the cache's shared read buffers (files.readBuffer).
    const { paths } = modules(30);
    const cache = new SmfCache();
    const read = paths.map((p) => cache.get(p));
    read.forEach((f, i) => {
      expect(f.reader.bytes).toEqual(new Uint8Array(readFileSync(paths[i])));
      expect(f.reader.bytes).not.toBeInstanceOf(Buffer);
    });
    expect(new Set(read.map((f) => f.reader.bytes.buffer)).size).toBeLessThan(read.length);
  });

  it('evicts the least recently used file when over its file bound', () => {
    const { paths } = modules(4);
    const cache = new SmfCache({ maxFiles: 2 });
    cache.get(paths[0]);
    cache.get(paths[1]);
    cache.get(paths[0]);
    cache.get(paths[2]);
    expect(cache.isCached(paths[0])).toBe(true);
    expect(cache.isCached(paths[1])).toBe(false);
    expect(cache.isCached(paths[2])).toBe(true);
    expect(cache.stats().evictions).toBe(1);
  });

  it('evicts by bytes', () => {
    const { paths } = modules(3);
    const size = new SmfCache().get(paths[0]).size;
    const cache = new SmfCache({ maxBytes: size * 2 + 10 });
    for (const p of paths) cache.get(p);
    expect(cache.stats().files).toBe(2);
    expect(cache.stats().bytes).toBeLessThanOrEqual(size * 2 + 10);
  });

  /** The module at paths[0] compiled again from other source, with a later modification time. */
  function changeOnDisk(dir: string, path: string): void {
    writeFileSync(join(dir, 'm0.spl'), 'fn f0(x: i64) -> i64:\n    x + 100\n');
    compileToSmf(dir, ['m0.spl']);
    const future = new Date(Date.now() + 5000);
    utimesSync(path, future, future);
  }

  it('with revalidateMs 0, never serves a file that changed on disk', () => {
    const { dir, paths } = modules(1);
    const cache = new SmfCache({ revalidateMs: 0 });
    const before = cache.get(paths[0]);
    changeOnDisk(dir, paths[0]);
    const after = cache.get(paths[0]);
    expect(after).not.toBe(before);
    expect(cache.stats().staleReloads).toBe(1);
  });

  it('trusts a file it checked for revalidateMs; a fresh get checks it now', () => {
    const { dir, paths } = modules(1);
    const cache = new SmfCache({ revalidateMs: 60_000 });
    const before = cache.get(paths[0]);
    changeOnDisk(dir, paths[0]);
    // Within the window: the copy held, without asking the file system.
    expect(cache.get(paths[0])).toBe(before);
    expect(cache.stats()).toMatchObject({ hits: 1, staleReloads: 0 });
    const after = cache.get(paths[0], { fresh: true });
    expect(after).not.toBe(before);
    expect(after.parts.iface.functions.map((f) => f.symbol)).toEqual(['f0']);
    expect(cache.stats()).toMatchObject({ misses: 2, staleReloads: 1 });
    // The file read again starts a new window, and a relative path finds the same entry.
    expect(cache.get(relative(process.cwd(), paths[0]))).toBe(after);
  });

  it('checks a file again once revalidateMs has passed since its last check', async () => {
    const { dir, paths } = modules(1);
    const cache = new SmfCache({ revalidateMs: 30 });
    const before = cache.get(paths[0]);
    changeOnDisk(dir, paths[0]);
    await new Promise((done) => setTimeout(done, 60));
    expect(cache.get(paths[0])).not.toBe(before);
    expect(cache.stats().staleReloads).toBe(1);
  });

  it('confirms a small file it read without its identity by the module hash, once', () => {
    const { paths } = modules(1);
    const cache = new SmfCache({ revalidateMs: 0 });
    const first = cache.get(paths[0]);
    // Rewritten with the same bytes: the stored hash matches, and the file is served from memory.
    writeFileSync(paths[0], readFileSync(paths[0]));
    expect(cache.get(paths[0])).toBe(first);
    expect(cache.get(paths[0])).toBe(first);
    expect(cache.stats()).toMatchObject({ hits: 2, staleReloads: 0 });

    // Same size, other content (a parameter renamed, the hash recomputed): read again.
    const fresh = new SmfCache({ revalidateMs: 0 });
    const original = fresh.get(paths[0]);
    const changed = Buffer.from(readFileSync(paths[0]));
    const at = changed.indexOf('"name":"x"') + '"name":"'.length;
    changed[at] = 'y'.charCodeAt(0);
    const hashAt = original.reader.headerOffset + HeaderField.module_hash;
    changed.writeBigUInt64LE(computeModuleHash(changed, original.reader.dataOffset, hashAt), hashAt);
    expect(changed.length).toBe(original.size);
    writeFileSync(paths[0], changed);
    const reread = fresh.get(paths[0]);
    expect(reread).not.toBe(original);
    expect(reread.parts.iface.functions[0].params[0].name).toBe('y');
    expect(fresh.stats()).toMatchObject({ hits: 0, staleReloads: 1 });
  });

  it('confirms a file with an executable stub by its hash and its stub, which the hash leaves out', () => {
    const { paths } = modules(1);
    const spec = moduleSpecFromReader(SmfReader.fromBytes(readFileSync(paths[0])));
    const stubbed = writeSmf({ ...spec, stub: true });
    const relabelled = writeSmf({ ...spec, stub: new TextEncoder().encode('#!/usr/bin/env sm2\n') });
    // The stub moves the data offset; the SMF part (and so its hash) is the same bytes.
    writeFileSync(paths[0], stubbed);
    const cache = new SmfCache({ revalidateMs: 0 });
    const first = cache.get(paths[0]);
    expect(first.reader.dataOffset).toBe(19);
    writeFileSync(paths[0], stubbed);
    expect(cache.get(paths[0])).toBe(first);
    expect(cache.stats()).toMatchObject({ hits: 1, staleReloads: 0 });
    // Another stub of the same length over the same module: not the file that was read.
    const other = new SmfCache({ revalidateMs: 0 });
    const before = other.get(paths[0]);
    writeFileSync(paths[0], relabelled);
    expect(other.get(paths[0])).not.toBe(before);
    expect(other.stats()).toMatchObject({ hits: 0, staleReloads: 1 });
  });

  it('prefetches the files `follow` names, from a file read or one already cached, each once', async () => {
    const { paths } = modules(6);
    const cache = new SmfCache();
    cache.get(paths[0]);
    const asked: string[] = [];
    const r = await cache.prefetch([paths[0]], {
      concurrency: 2,
      follow: (f) => {
        asked.push(f.path);
        const i = paths.indexOf(f.path);
        if (i === 3) throw new Error('ignored');
        return [paths[(i + 1) % 6], paths[(i + 2) % 6], '/no/such.smf'];
      },
    });
    expect(r.loaded).toBe(5);
    expect(r.failed.map((f) => f.path)).toEqual(['/no/such.smf']);
    expect([...asked].sort()).toEqual([...paths].sort());
    expect(cache.stats()).toMatchObject({ files: 6, misses: 6, prefetched: 5 });
  });

  it('prefetches many files, in parallel or one by one', async () => {
    const { paths } = modules(20);
    const parallel = new SmfCache();
    expect(await parallel.prefetch(paths)).toEqual({ loaded: 20, failed: [] });
    expect(parallel.stats().files).toBe(20);
    const serial = new SmfCache();
    expect((await serial.prefetch([...paths, '/no/such.smf'], { parallel: false })).failed).toHaveLength(1);
    expect(serial.get(paths[3])).toBe(serial.get(paths[3]));
    const histogram = parallel.stats().loadTimeHistogram;
    expect(histogram.reduce((n, b) => n + b.count, 0)).toBe(20);
  });

  it('gives typed errors for missing and malformed files', () => {
    const { dir } = modules(1);
    const cache = new SmfCache();
    expect(() => cache.get(join(dir, 'missing.smf'))).toThrow(FileError);
    writeFileSync(join(dir, 'bad.smf'), 'not an smf file at all, just text that is long enough to have a trailer'.repeat(3));
    expect(() => cache.get(join(dir, 'bad.smf'))).toThrow(SmfFormatError);
  });

  it('close and clear drop files but keep the counts', () => {
    const { paths } = modules(2);
    const cache = new SmfCache();
    cache.get(paths[0]);
    cache.get(paths[1]);
    expect(cache.close(paths[0])).toBe(true);
    expect(cache.close(paths[0])).toBe(false);
    cache.clear();
    expect(cache.stats()).toMatchObject({ files: 0, bytes: 0, misses: 2 });
  });
});
