import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceNote, rewriteNote, rewriteNoteInPlace } from '../../src/smf/note-rewrite.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { bytesOf, sampleModule, touchEverything } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'smf-note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function fileWith(bytes: Uint8Array, mode = 0o644): string {
  const path = join(dir, `m${n++}.smf`);
  writeFileSync(path, bytes);
  chmodSync(path, mode);
  return path;
}

/** Everything but the note must survive a note rewrite. */
function expectSameModule(a: SmfReader, b: SmfReader): void {
  const rest = (r: SmfReader) => r.sections.filter((s) => s.name !== 'note.sdn');
  expect(rest(b).map((s) => [s.type, s.name, s.flags & ~8, s.alignment])).toEqual(rest(a).map((s) => [s.type, s.name, s.flags & ~8, s.alignment]));
  rest(a).forEach((s, i) => expect(bytesOf(b.sectionData(rest(b)[i].index))).toEqual(bytesOf(a.sectionData(s.index))));
  const syms = (r: SmfReader) => [...r.symbols()].map((s) => ({ ...s, sectionIndex: s.sectionIndex === undefined ? undefined : r.sections[s.sectionIndex].name }));
  expect(syms(b)).toEqual(syms(a));
  expect(b.relocations()).toEqual(a.relocations());
  const { moduleHash: _a, ...ha } = a.header;
  const { moduleHash: _b, ...hb } = b.header;
  expect({ ...hb, sectionTableOffset: 0n, symbolTableOffset: 0n }).toEqual({ ...ha, sectionTableOffset: 0n, symbolTableOffset: 0n });
}

describe('rewriteNoteInPlace', () => {
  it('rewrites a note that fits, atomically, keeping the mode and a valid hash', async () => {
    const original = writeSmf(sampleModule({ stub: true, flags: 1, compression: 'zstd' }));
    const path = fileWith(original, 0o755);
    const result = await rewriteNoteInPlace(path, 'possible |id|\n    0\n');
    expect(result).toEqual({ kind: 'rewritten' });
    const after = readFileSync(path);
    expect(after.length).toBe(original.length);
    expect(statSync(path).mode & 0o777).toBe(0o755);
    const r = SmfReader.fromBytes(after);
    expect(r.noteSdnText()).toBe('possible |id|\n    0\n\n# END_NOTE\n');
    expect(r.header.moduleHash).not.toBe(0n);
    expectSameModule(SmfReader.fromBytes(original), r);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('shrinking the note leaves no stale text behind', async () => {
    const path = fileWith(writeSmf(sampleModule({ note: 'long '.repeat(40) })));
    await rewriteNoteInPlace(path, 'short');
    const r = SmfReader.openSync(path);
    expect(r.noteSdnText()).toBe('short\n# END_NOTE\n');
    const note = r.noteSection()!;
    const tail = r.bytes.subarray(note.fileOffset + 17, note.fileOffset + r.noteCapacity()!);
    expect(tail.every((b) => b === 0)).toBe(true);
  });

  it('keeps a zero hash at zero', async () => {
    const path = fileWith(writeSmf(sampleModule(), { hash: false }));
    await rewriteNoteInPlace(path, 'x');
    expect(SmfReader.openSync(path).header.moduleHash).toBe(0n);
  });

  it('reports needs_rebuild and leaves the file alone when the note does not fit', async () => {
    const original = writeSmf(sampleModule({ noteReserve: 0 }));
    const path = fileWith(original);
    const capacity = SmfReader.fromBytes(original).noteCapacity()!;
    const result = await rewriteNoteInPlace(path, 'z'.repeat(capacity));
    expect(result).toEqual({ kind: 'needs_rebuild', required: capacity + 12, available: capacity });
    expect(Buffer.compare(readFileSync(path), original)).toBe(0);
  });

  it('reports needs_rebuild for a module without a note', async () => {
    const path = fileWith(writeSmf({ sections: [] }));
    expect(await rewriteNoteInPlace(path, 'a')).toEqual({ kind: 'needs_rebuild', required: 13, available: 0 });
  });

  it('refuses to touch a damaged file', async () => {
    const bytes = writeSmf(sampleModule());
    bytes[0] ^= 1;
    const path = fileWith(bytes);
    await expect(rewriteNoteInPlace(path, 'a')).rejects.toMatchObject({ code: 'SMF_HASH_MISMATCH', file: path });
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
  });
});

describe('rebuilding when the note does not fit', () => {
  it('rewriteNote rebuilds the module with everything else preserved', async () => {
    const original = writeSmf(sampleModule({ noteReserve: 0, compression: 'lz4', stub: true }));
    const path = fileWith(original, 0o700);
    const big = 'instantiations |id|\n' + '    0, "x"\n'.repeat(500);
    expect(await rewriteNote(path, big)).toEqual({ kind: 'rebuilt' });
    const r = SmfReader.openSync(path);
    expect(r.noteSdnText()).toBe(`${big}\n# END_NOTE\n`);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expectSameModule(SmfReader.fromBytes(original), r);
    touchEverything(r);
    expect(await rewriteNote(path, 'small')).toEqual({ kind: 'rewritten' });
  });

  it('replaceNote is pure and remaps section indices when the note was not last', () => {
    // Swap the rela and note.sdn entries so the note is no longer last, and point a symbol at rela.
    const spec = sampleModule();
    spec.symbols![3].sectionIndex = 4;
    const bytes = writeSmf(spec, { hash: false });
    const r = SmfReader.fromBytes(bytes);
    const table = r.dataOffset + Number(r.header.sectionTableOffset);
    const rela = bytes.slice(table + 4 * 64, table + 5 * 64);
    bytes.copyWithin(table + 4 * 64, table + 5 * 64, table + 6 * 64);
    bytes.set(rela, table + 5 * 64);
    new DataView(bytes.buffer).setUint16(r.dataOffset + Number(r.header.symbolTableOffset) + 3 * 56 + 41, 5, true);
    const r0 = SmfReader.fromBytes(bytes);
    expect(r0.sections.map((s) => s.name).slice(4)).toEqual(['note.sdn', 'rela']);
    expect(r0.symbol(3).sectionIndex).toBe(5);

    const copy = bytes.slice();
    const moved = replaceNote(bytes, 'q'.repeat(5000));
    expect(Buffer.compare(bytes, copy)).toBe(0);
    const r1 = SmfReader.fromBytes(moved);
    expect(r1.sections.map((s) => s.name).slice(4)).toEqual(['rela', 'note.sdn']);
    expect(r1.symbol(3).sectionIndex).toBe(4);
    expectSameModule(r0, r1);
  });

  it('replaceNote in place gives the same bytes as writing the module with the new note', () => {
    const spec = sampleModule({ noteReserve: 400 });
    const replaced = replaceNote(writeSmf(spec), 'other note');
    expect(SmfReader.fromBytes(replaced).noteSdnText()).toBe('other note\n# END_NOTE\n');
    expect(Buffer.compare(replaced, writeSmf({ ...spec, note: 'other note', noteReserve: 400 + (spec.note!.length - 10) }))).toBe(0);
  });
});
