import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { rewriteNote, rewriteNoteInPlace } from '../../src/smf/note-rewrite.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { sampleModule } from './fixtures.js';

// Failures are injected into the filesystem calls the rewrite makes, to simulate a crash or
// a full disk at each step; the original must stay intact and no temporary file may remain.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open), rename: vi.fn(real.rename) };
});

const dir = mkdtempSync(join(tmpdir(), 'smf-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.mocked(fsp.open).mockClear();
  vi.mocked(fsp.rename).mockClear();
});

function setup(name: string): { path: string; original: Uint8Array } {
  const original = writeSmf(sampleModule({ noteReserve: 0 }));
  const path = join(dir, name);
  writeFileSync(path, original);
  return { path, original };
}

function expectUntouched(path: string, original: Uint8Array): void {
  expect(Buffer.compare(readFileSync(path), original)).toBe(0);
  expect(readdirSync(dir).filter((f) => f.includes(name(path)) && f !== name(path))).toEqual([]);
  expect(SmfReader.openSync(path).noteSdnText()).toContain('instantiations');
}

const name = (p: string) => p.slice(dir.length + 1);

describe('note rewrites are atomic', () => {
  it('a failure while writing the temporary file leaves the original intact and no partial file', async () => {
    const { path, original } = setup('write-fails.smf');
    vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open(...args);
      // Write half, then fail like a full disk would.
      handle.writeFile = async (data: unknown) => {
        const bytes = data as Uint8Array;
        await handle.write(bytes.subarray(0, bytes.length >> 1));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      return handle;
    });
    await expect(rewriteNoteInPlace(path, 'x')).rejects.toThrow(/no space left on the device/);
    expect(vi.mocked(fsp.open)).toHaveBeenCalledTimes(1);
    expectUntouched(path, original);
  });

  it('a failure at the rename leaves the original intact and removes the temporary file', async () => {
    const { path, original } = setup('rename-fails.smf');
    vi.mocked(fsp.rename).mockRejectedValueOnce(Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' }));
    await expect(rewriteNoteInPlace(path, 'x')).rejects.toThrow(/EXDEV/);
    expectUntouched(path, original);
  });

  it('the same holds for a rebuild', async () => {
    const { path, original } = setup('rebuild-fails.smf');
    vi.mocked(fsp.rename).mockRejectedValueOnce(new Error('simulated crash'));
    await expect(rewriteNote(path, 'y'.repeat(4000))).rejects.toThrow(/simulated crash/);
    expectUntouched(path, original);
  });

  it('the new file only appears through one rename of a complete temporary file', async () => {
    const { path } = setup('ok.smf');
    let seenAtRename: Uint8Array | undefined;
    vi.mocked(fsp.rename).mockImplementationOnce(async (from, to) => {
      seenAtRename = readFileSync(from as string);
      const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
      return real.rename(from, to);
    });
    expect(await rewriteNoteInPlace(path, 'x')).toEqual({ kind: 'rewritten' });
    expect(Buffer.compare(seenAtRename!, readFileSync(path))).toBe(0);
    expect(SmfReader.fromBytes(seenAtRename!).noteSdnText()).toBe('x\n# END_NOTE\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
