/**
 * SmfReader.openSync's read (src/smf/read-input.ts): a small file in one read without asking its
 * status, a larger one whole, and anything but a regular file refused as before.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.js';
import { readSmfFileSync } from '../../src/smf/read-input.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { sampleModule, text } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'smf-read-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module with a payload of `size` bytes, so the file is a little larger. */
function moduleOfAbout(size: number): Uint8Array {
  return writeSmf(sampleModule({ sections: [{ type: 3, name: 'rodata', data: text('x'.repeat(size)) }], symbols: [], relocations: [] }));
}

describe('readSmfFileSync', () => {
  it('reads files below, at and above its one-read size whole, each its own copy', () => {
    for (const size of [100, 64 * 1024 - 400, 64 * 1024, 64 * 1024 + 1, 300_000]) {
      const bytes = moduleOfAbout(size);
      const path = join(dir, `m${size}.smf`);
      writeFileSync(path, bytes);
      const read = readSmfFileSync(path);
      expect(read).toEqual(bytes);
      expect(SmfReader.openSync(path).sectionData(0).length).toBe(size);
    }
    // A later read does not change what an earlier one returned.
    writeFileSync(join(dir, 'a.smf'), moduleOfAbout(10));
    writeFileSync(join(dir, 'b.smf'), moduleOfAbout(20));
    const a = readSmfFileSync(join(dir, 'a.smf'));
    readSmfFileSync(join(dir, 'b.smf'));
    expect(a).toEqual(moduleOfAbout(10));
  });

  it('refuses a directory, a device and an empty file with typed errors naming the file', () => {
    const sub = join(dir, 'sub.smf');
    mkdirSync(sub);
    expect(() => readSmfFileSync(sub)).toThrow(FileError);
    expect(() => readSmfFileSync('/dev/zero')).toThrow("cannot read '/dev/zero': not a regular file (a character device)");
    expect(() => readSmfFileSync('/dev/null')).toThrow("cannot read '/dev/null': not a regular file (a character device)");
    writeFileSync(join(dir, 'empty.smf'), '');
    expect(readSmfFileSync(join(dir, 'empty.smf'))).toEqual(new Uint8Array(0));
    expect(() => SmfReader.openSync(join(dir, 'empty.smf'))).toThrow(/empty\.smf/);
  });
});
