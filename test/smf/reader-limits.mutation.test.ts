import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { MAX_NOTE_SIZE, NOTE_TERMINATOR, SectionFlags, SectionType } from '../../src/smf/format.js';
import { encodeHeader } from '../../src/smf/header.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { expectSmfError } from './fixtures.js';

// The reader's size limits at their exact edges, which mutation testing (docs/testing.md) found
// untested because reaching them takes a 16 MiB section or note: a section's per-kind limit,
// stored and inflated; the note's 16 MiB window; and the codec failures that pass the header
// checks (a zstd frame whose data is corrupt, an lz4 block shorter than its own size prefix).

const MiB = 1024 * 1024;
const TABLE_ENTRY = 64;

/** An unhashed module (so its bytes can be edited) and where its first section's entry is. */
function build(spec: SmfModuleSpec) {
  const bytes = writeSmf(spec, { hash: false });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const entryAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * TABLE_ENTRY;
  return { bytes, view, r, entryAt, open: () => SmfReader.fromBytes(bytes, { file: 'big.smf' }) };
}

/**
 * A file of one section of `size` zero bytes, built by hand (writing it with the writer is the
 * slow step at these sizes): [payload][section table][header].
 */
function oneSection(type: number, name: string, size: number) {
  const bytes = new Uint8Array(size + TABLE_ENTRY + 128);
  const view = new DataView(bytes.buffer);
  const nameBytes = new Uint8Array(16);
  nameBytes.set(new TextEncoder().encode(name));
  encodeSectionEntry(view, size, { type, flags: SectionFlags.READ, offset: 0n, size: BigInt(size), virtualSize: BigInt(size), alignment: 1, name: nameBytes });
  bytes.set(encodeHeader({
    versionMajor: 1, versionMinor: 1, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
    sectionCount: 1, sectionTableOffset: BigInt(size), symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0, entryPoint: 0n,
    stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0, prefetchHint: 0, prefetchFileCount: 0,
  }), size + TABLE_ENTRY);
  return { entryAt: size, open: () => SmfReader.fromBytes(bytes, { file: 'big.smf' }) };
}

describe('a stored section against its kind limit', () => {
  it('a TemplateMeta section of 16 MiB is read; one byte more is refused at its size field', () => {
    expect(oneSection(SectionType.TemplateMeta, 'template_meta', 16 * MiB).open().sectionData(0).length).toBe(16 * MiB);

    const over = oneSection(SectionType.TemplateMeta, 'template_meta', 16 * MiB + 1);
    const err = expectSmfError(() => over.open().sectionData(0), 'SMF_BAD_FIELD', 'section[0].size');
    expect(err.offset).toBe(over.entryAt + 16);
    expect(err.detail).toBe('16777217 bytes exceed the limit of 16777216 bytes for a TemplateMeta section');
    expect(err.file).toBe('big.smf');
  });

  it('a Data section has no kind limit: 16 MiB + 1 bytes are read', () => {
    expect(oneSection(SectionType.Data, 'data', 16 * MiB + 1).open().sectionData(0).length).toBe(16 * MiB + 1);
  });

  it('a kind whose limit is above the smallest: TypeInfo of 16 MiB + 1 and of exactly 64 MiB is read; load_index is held to 16 MiB', () => {
    expect(oneSection(SectionType.TypeInfo, 'type_info', 16 * MiB + 1).open().sectionData(0).length).toBe(16 * MiB + 1);
    expect(oneSection(SectionType.TypeInfo, 'type_info', 64 * MiB).open().sectionData(0).length).toBe(64 * MiB);
    expect(expectSmfError(() => oneSection(SectionType.TypeInfo, 'load_index', 16 * MiB + 1).open().sectionData(0), 'SMF_BAD_FIELD', 'section[0].size').detail)
      .toBe('16777217 bytes exceed the limit of 16777216 bytes for a load_index section');
  });
});

describe('a compressed section against its kind limit', () => {
  const data = new TextEncoder().encode('abcd'.repeat(100));
  const packed = (type: number) => {
    const d = build({ compression: 'lz4', sections: [{ type, name: 'm', data }] });
    expect(d.r.sections[0].compressed).toBe(true);
    return d;
  };

  it('an inflated size one past 16 MiB is refused before inflating; 16 MiB goes on to the ratio check', () => {
    const over = packed(SectionType.TemplateMeta);
    over.view.setBigUint64(over.entryAt(0) + 24, BigInt(16 * MiB + 1), true);
    const err = expectSmfError(() => over.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]');
    expect(err.offset).toBe(over.r.sections[0].fileOffset);
    expect(err.detail).toBe('inflated size 16777217 exceeds the limit of 16777216 bytes for a TemplateMeta section');

    const exact = packed(SectionType.TemplateMeta);
    exact.view.setBigUint64(exact.entryAt(0) + 24, BigInt(16 * MiB), true);
    const size = exact.r.sections[0].size;
    expect(expectSmfError(() => exact.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]').detail)
      .toBe(`${size} compressed bytes cannot inflate to the stated 16777216`);
  });

  it('a kind without a limit is held only to the ratio', () => {
    const d = packed(SectionType.Data);
    d.view.setBigUint64(d.entryAt(0) + 24, BigInt(16 * MiB + 1), true);
    expect(expectSmfError(() => d.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]').detail)
      .toBe(`${d.r.sections[0].size} compressed bytes cannot inflate to the stated 16777217`);
  });
});

describe('codec failures past the header checks', () => {
  const data = new TextEncoder().encode('abcdefgh'.repeat(50) + 'xyz'.repeat(40));

  it('a zstd frame whose header reads but whose data is corrupt', () => {
    const d = build({ compression: 'zstd', sections: [{ type: SectionType.Data, name: 'd', data }] });
    const s = d.r.sections[0];
    // The frame's last byte belongs to its last block's data.
    d.bytes[s.fileOffset + s.size - 1] ^= 0xff;
    const err = expectSmfError(() => d.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]');
    expect(err.offset).toBe(s.fileOffset);
    expect(err.detail).toMatch(/^zstd: \S/);
  });

  it('an lz4 block shorter than its size prefix and the stated size', () => {
    const d = build({ compression: 'lz4', sections: [{ type: SectionType.Data, name: 'd', data }] });
    const s = d.r.sections[0];
    // The prefix and the table agree on one byte more than the block holds.
    d.view.setUint32(s.fileOffset, data.length + 1, true);
    d.view.setBigUint64(d.entryAt(0) + 24, BigInt(data.length + 1), true);
    const err = expectSmfError(() => d.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]');
    expect([err.offset, err.detail]).toEqual([s.fileOffset, `inflates to ${data.length} bytes, section states ${data.length + 1}`]);
  });
});

describe("the note's 16 MiB window", () => {
  // A note alone: it starts at 0 and its room runs to the section table, at a multiple of 8.
  const unterminated = (room: number) => {
    const note = 'n';
    const stored = note.length + NOTE_TERMINATOR.length;
    const d = build({ sections: [], note, noteReserve: room - stored });
    expect(d.r.noteCapacity()).toBe(room);
    d.bytes.fill(0x78, 0, stored);
    return d;
  };

  it('with exactly 16 MiB of room and no terminator: unterminated, saying the room', () => {
    const d = unterminated(MAX_NOTE_SIZE);
    const err = expectSmfError(() => d.open().noteSdnText(), 'SMF_NOTE_UNTERMINATED', 'note.sdn');
    expect([err.offset, err.detail]).toEqual([0, `no ${JSON.stringify(NOTE_TERMINATOR)} in the 16777216 bytes before the next section`]);
  });

  it('with more room and no terminator in the first 16 MiB: too large', () => {
    const d = unterminated(MAX_NOTE_SIZE + 8);
    const err = expectSmfError(() => d.open().noteSdnText(), 'SMF_NOTE_TOO_LARGE', 'note.sdn');
    expect([err.offset, err.detail]).toEqual([0, 'no terminator within the first 16777216 bytes']);
  });
});

describe('compressed sections at index 0 and at the size prefix', () => {
  const data = new TextEncoder().encode('abcd'.repeat(100));

  it("sectionDataSize of a compressed first section is its inflated size, read from the table", () => {
    const d = build({ compression: 'lz4', sections: [{ type: SectionType.Data, name: 'd', data }] });
    expect(d.r.sections[0].size).toBeLessThan(400);
    expect(d.open().sectionDataSize(0)).toBe(400);
  });

  it('an lz4 payload of exactly its 4-byte prefix goes to the codec, which refuses the empty block', () => {
    const d = build({ compression: 'lz4', sections: [{ type: SectionType.Data, name: 'd', data }] });
    d.view.setBigUint64(d.entryAt(0) + 16, 4n, true);
    expect(expectSmfError(() => d.open().sectionData(0), 'SMF_DECOMPRESS', 'section[0]').detail).toMatch(/^lz4: \S/);
  });
});
