import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FileError } from '../../src/errors.js';
import { atomicWriteFileSync } from '../../src/smf/atomic-write.js';

// Failures are injected into the synchronous filesystem calls the writer makes, to simulate a
// full disk or a failed rename; the file being replaced must stay intact and no temporary remain.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync), fsyncSync: vi.fn(real.fsyncSync), renameSync: vi.fn(real.renameSync) };
});

const dir = mkdtempSync(join(tmpdir(), 'smf-atomic-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.mocked(fs.writeSync).mockReset();
  vi.mocked(fs.fsyncSync).mockReset();
  vi.mocked(fs.renameSync).mockReset();
  // Back to the real calls.
  vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as typeof fs.writeSync);
  vi.mocked(fs.fsyncSync).mockImplementation(realFs.fsyncSync);
  vi.mocked(fs.renameSync).mockImplementation(realFs.renameSync);
});

const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
const OLD = new Uint8Array(4096).fill(0x4f);
const NEW = new Uint8Array(8192).fill(0x4e);

function setup(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, OLD);
  return path;
}

/** The file still holds the old bytes, and nothing else in the directory mentions it. */
function expectUntouched(path: string, name: string): void {
  expect(Buffer.compare(readFileSync(path), OLD)).toBe(0);
  expect(readdirSync(dir).filter((f) => f.includes(name) && f !== name)).toEqual([]);
}

describe('atomicWriteFileSync', () => {
  it('replaces the file by a new one (the inode changes), with the new bytes and the old mode', () => {
    const path = setup('replace.smf');
    fs.chmodSync(path, 0o640);
    const before = statSync(path);
    atomicWriteFileSync(path, NEW);
    const after = statSync(path);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o640);
    expect(Buffer.compare(readFileSync(path), NEW)).toBe(0);
    // It went through a temporary in the same directory, renamed over the file.
    expect(vi.mocked(fs.renameSync)).toHaveBeenCalledTimes(1);
    const [from, to] = vi.mocked(fs.renameSync).mock.calls[0];
    expect(String(to)).toBe(path);
    expect(String(from)).toMatch(/\/\.replace\.smf\.\d+\.[0-9a-f]{12}\.tmp$/);
    expect(readdirSync(dir).filter((f) => f.includes('replace.smf'))).toEqual(['replace.smf']);
  });

  it('a failure halfway through writing leaves the old file intact and no temporary file', () => {
    const path = setup('write-fails.smf');
    const before = statSync(path);
    vi.mocked(fs.writeSync).mockImplementationOnce(((fd: number, data: Uint8Array) => {
      // Write half, then fail like a full disk would.
      realFs.writeSync(fd, data.subarray(0, data.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => atomicWriteFileSync(path, NEW)).toThrow(FileError);
    expect(vi.mocked(fs.writeSync)).toHaveBeenCalledTimes(1);
    expectUntouched(path, 'write-fails.smf');
    expect(statSync(path).ino).toBe(before.ino);
  });

  it('a failure at the flush or at the rename leaves the old file intact and removes the temporary file', () => {
    const a = setup('fsync-fails.smf');
    vi.mocked(fs.fsyncSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    expect(() => atomicWriteFileSync(a, NEW)).toThrow(/an input\/output error/);
    expectUntouched(a, 'fsync-fails.smf');

    const b = setup('rename-fails.smf');
    vi.mocked(fs.renameSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
    });
    expect(() => atomicWriteFileSync(b, NEW)).toThrow(/EXDEV/);
    expectUntouched(b, 'rename-fails.smf');
    // And the next write succeeds.
    atomicWriteFileSync(b, NEW);
    expect(Buffer.compare(readFileSync(b), NEW)).toBe(0);
  });
});
