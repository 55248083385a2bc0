import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileError } from '../../src/errors.js';
import { MAX_SMF_FILE_SIZE, MAX_SOURCE_FILE_SIZE, readRegularFile, readRegularFileSync } from '../../src/read-file.js';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { compiledSmf, smf, workspace } from './helpers.js';

/** Every command that reads an input, with that input. */
const COMMANDS = (smfFile: string, splFile: string): string[][] => [
  ['inspect', smfFile],
  ['compile', splFile, '-o', 'out.smf'],
  ['link', smfFile, '-o', 'out.smf'],
  ['run', smfFile],
  ['run', splFile],
];

function expectRefused(r: ReturnType<typeof smf>, what: RegExp): void {
  expect(r.signal).toBeNull(); // not killed by the timeout: no hang
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('special files are refused and every read is bounded (issue #11, point 6)', () => {
  it('/dev/zero: refused by inspect, compile, link and run without reading it', () => {
    const d = workspace();
    for (const args of COMMANDS('/dev/zero', '/dev/zero')) {
      expectRefused(smf(args, d, 10_000), /cannot read '\/dev\/zero': not a regular file \(a character device\)/);
    }
    expect(existsSync(join(d, 'out.smf'))).toBe(false);
  });

  it('a FIFO with no writer: refused at once, never waited on', () => {
    const d = workspace();
    execFileSync('mkfifo', [join(d, 'p.smf'), join(d, 'p.spl')]);
    for (const args of COMMANDS('p.smf', 'p.spl')) {
      expectRefused(smf(args, d, 10_000), /cannot read '[^']*p\.(smf|spl)': not a regular file \(a (FIFO|pipe or socket)\)/);
    }
  });

  it('an imported module that is a FIFO is refused too', () => {
    const d = workspace({ 'app.spl': 'use lib.{f}\n\nfn main() -> i64:\n    f()\n' });
    execFileSync('mkfifo', [join(d, 'lib.spl')]);
    expectRefused(smf(['run', 'app.spl'], d, 10_000), /lib\.spl': not a regular file \(a FIFO\)/);
  });

  it("the loader's cache refuses them too, read ahead or on demand", async () => {
    const d = workspace();
    execFileSync('mkfifo', [join(d, 'p.smf')]);
    const cache = new SmfCache();
    const r = await cache.prefetch([join(d, 'p.smf'), '/dev/zero']);
    expect(r.loaded).toBe(0);
    expect(r.failed.map((f) => f.error.message).sort()).toEqual([
      "cannot read '/dev/zero': not a regular file (a character device)",
      `cannot read '${join(d, 'p.smf')}': not a regular file (a FIFO)`,
    ]);
    expect(() => cache.get('/dev/zero')).toThrow(/not a regular file \(a character device\)/);
  });

  it('a directory is refused', () => {
    const d = workspace();
    expectRefused(smf(['inspect', '.'], d), /not a regular file \(a directory\)/);
  });

  it('the size limits: a sparse SMF of 1 GiB + 1 byte and a source of 64 MiB + 1 are refused before any read', () => {
    const d = workspace({ 'big.smf': '', 'big.spl': '' });
    truncateSync(join(d, 'big.smf'), MAX_SMF_FILE_SIZE + 1);
    truncateSync(join(d, 'big.spl'), MAX_SOURCE_FILE_SIZE + 1);
    const smfOver = new RegExp(`big\\.smf': the file is ${MAX_SMF_FILE_SIZE + 1} bytes, over the limit of ${MAX_SMF_FILE_SIZE} bytes`);
    for (const args of [['inspect', 'big.smf'], ['link', 'big.smf', '-o', 'out.smf'], ['run', 'big.smf']]) expectRefused(smf(args, d), smfOver);
    expectRefused(smf(['compile', 'big.spl'], d), new RegExp(`big\\.spl': the file is ${MAX_SOURCE_FILE_SIZE + 1} bytes, over the limit of ${MAX_SOURCE_FILE_SIZE} bytes`));
  });

  it('the reader itself: the limit is the last size accepted, one byte more is refused (sync and async)', async () => {
    const d = workspace({ 'f.bin': new Uint8Array(100).fill(7) });
    const f = join(d, 'f.bin');
    expect(readRegularFileSync(f, 100).length).toBe(100);
    expect((await readRegularFile(f, 100)).length).toBe(100);
    expect(() => readRegularFileSync(f, 99)).toThrow(FileError);
    expect(() => readRegularFileSync(f, 99)).toThrow(/the file is 100 bytes, over the limit of 99 bytes/);
    await expect(readRegularFile(f, 99)).rejects.toThrow(/over the limit of 99 bytes/);
    await expect(readRegularFile('/dev/zero', 99)).rejects.toThrow(/not a regular file \(a character device\)/);
    expect(() => readRegularFileSync(join(d, 'missing'), 99)).toThrow(/cannot read '.*missing': no such file or directory/);
  });

  it('a regular SMF still runs (the refusals do not cost the common case)', () => {
    const d = workspace({ 'app.smf': compiledSmf('fn main() -> i64:\n    5\n', 'app') });
    writeFileSync(join(d, 'x'), '');
    expect(smf(['run', 'app.smf'], d).code).toBe(5);
  });
});
