import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { NOTE_SECTION_TYPE, SectionFlags, SectionType } from '../../src/smf/format.js';
import { HeaderField, encodeHeader, type SmfHeader } from '../../src/smf/header.js';
import { DEFAULT_LIMITS, carefulLayout, decodeSections, type Layout, type LayoutOptions } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { eight, expectSmfError, patchable, sampleModule } from './fixtures.js';

// The careful path (`carefulLayout`, `layout.ts` lines 186-385) only runs on files the fast path
// refuses, so a check of its that refuses one value too many went unseen by every test whose
// file is accepted at that edge (docs/testing.md, mutation testing). Here the careful path is
// run straight on files at each edge the fast path accepts, and must read them exactly as the
// fast path does: the same layout and the same sections.

const H = HeaderField;
const OPTS: LayoutOptions = { file: 'f.smf', verifyHash: true, limits: DEFAULT_LIMITS };

/**
 * Both paths read `bytes`, and read it the same. A file not laid out as the writer lays one out
 * (`unusual`) the fast path may leave to the careful one; if it reads it, it reads it the same.
 */
function agree(bytes: Uint8Array, opts: LayoutOptions = OPTS, unusual = false): Layout {
  const fast = acceptLayout(bytes, opts);
  const careful = carefulLayout(bytes, opts);
  if (fast === null && unusual) return careful;
  expect(fast, 'the fast path accepts the file').not.toBeNull();
  const { sections: _a, view: _b, ...f } = fast!;
  const { sections, view: _d, ...c } = careful;
  expect(c).toEqual(f);
  expect(sections).toEqual(decodeSections(fast!, bytes));
  return careful;
}

/** `agree` for a file laid out otherwise than the writer lays one out. */
const agreeUnusual = (bytes: Uint8Array): Layout => agree(bytes, OPTS, true);


const HEADER: SmfHeader = {
  versionMajor: 1, versionMinor: 0, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
  sectionCount: 0, sectionTableOffset: 0n, symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0,
  entryPoint: 0n, stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0,
  prefetchHint: 0, prefetchFileCount: 0,
};

describe('whole modules', () => {
  it('the sample module, plain, with a stub, compressed with zstd and with lz4', () => {
    for (const extra of [{}, { stub: true }, { compression: 'zstd' as const }, { compression: 'lz4' as const, stub: true }]) {
      const spec = sampleModule({ ...extra, sections: [...sampleModule().sections, { type: SectionType.Data, name: 'zeros', data: new Uint8Array(300) }] });
      const careful = agree(writeSmf(spec));
      expect(careful.sections!.some((s) => s.compressed)).toBe('compression' in extra);
      expect(careful.noteIndex).toBe(careful.sectionCount - 1);
    }
  });

  it('a module of nothing but its header, and one whose data area is empty behind a stub', () => {
    const bytes = encodeHeader({ ...HEADER, versionMinor: 1 });
    expect(agree(bytes)).toMatchObject({ headerLocation: 'trailer', headerAt: 0, base: 0, sectionCount: 0, symbolCount: 0, stringTableAt: 0, stringTableSize: 0 });
    const stubbed = writeSmf({ sections: [], stub: Uint8Array.from([1, 2, 3]) });
    const headerAt = stubbed.length - 128;
    expect(agree(stubbed)).toMatchObject({ headerAt, base: 3, stringTableAt: headerAt, stringTableSize: 0 });
  });
});

describe('counts and tables at their edges', () => {
  it('a section count and a symbol count equal to their limits', () => {
    const spec = sampleModule();
    const r = SmfReader.fromBytes(writeSmf(spec));
    const limits = { ...DEFAULT_LIMITS, maxSectionCount: r.sectionCount, maxSymbolCount: r.symbolCount };
    agree(writeSmf(spec), { ...OPTS, limits });
  });

  it('a v1.0 file whose section table fills the data area', () => {
    const bytes = new Uint8Array(128 + 64);
    bytes.set(encodeHeader({ ...HEADER, sectionCount: 1, sectionTableOffset: 128n }), 0);
    const name = new Uint8Array(16);
    name[0] = 0x65;
    encodeSectionEntry(new DataView(bytes.buffer), 128, { type: SectionType.RoData, flags: 1, offset: 192n, size: 0n, virtualSize: 0n, alignment: 1, name });
    expect(agreeUnusual(bytes)).toMatchObject({ sectionTableAt: 128, symbolTableAt: 192, stringTableAt: 192, stringTableSize: 0 });
  });

  it('a v1.0 file whose symbol table fills the data area (no string table)', () => {
    const bytes = new Uint8Array(128 + 56);
    bytes.set(encodeHeader({ ...HEADER, symbolCount: 1, symbolTableOffset: 128n }), 0);
    expect(agree(bytes)).toMatchObject({ symbolTableAt: 128, stringTableAt: 184, stringTableSize: 0 });
  });

  it('a section table at the very start of the data area, after a stub', () => {
    const m = patchable({ sections: [eight('a')], stub: true });
    // Move the table to data offset 0 and the section after it.
    const entry = m.bytes.slice(m.entryAt(0), m.entryAt(0) + 64);
    const payload = m.bytes.slice(19, 27);
    m.bytes.set(entry, 19);
    m.bytes.set(payload, 19 + 64);
    m.view.setBigUint64(m.headerAt + H.section_table_offset, 0n, true);
    m.view.setBigUint64(19 + 8, 64n, true);
    expect(m.dataEnd).toBeGreaterThanOrEqual(72);
    const c = agreeUnusual(m.bytes);
    expect([c.sectionTableAt, c.sections![0].offset, c.sections![0].fileOffset]).toEqual([19, 64, 19 + 64]);
  });
});

describe('section entries at their edges', () => {
  it('v1.0 files: a section at 128 (the start of the data area), and one ending at EOF (its end)', () => {
    const name = new Uint8Array(16);
    name[0] = 0x61;
    for (const [tableAt, sectionAt] of [[136, 128], [128, 192]]) {
      const bytes = new Uint8Array(128 + 64 + 8);
      bytes.set(encodeHeader({ ...HEADER, sectionCount: 1, sectionTableOffset: BigInt(tableAt) }), 0);
      encodeSectionEntry(new DataView(bytes.buffer), tableAt, { type: SectionType.RoData, flags: 1, offset: BigInt(sectionAt), size: 8n, virtualSize: 8n, alignment: 8, name });
      const c = agreeUnusual(bytes);
      expect(c.sections![0]).toMatchObject({ name: 'a', offset: sectionAt, fileOffset: sectionAt, size: 8 });
    }
  });

  it('a section starting right at the data area and running past its end is said to run past the end', () => {
    const hex = (n: number) => `0x${n.toString(16)}`;
    const m = patchable({ sections: [eight('a')] });
    m.view.setBigUint64(m.entryAt(0) + 16, BigInt(m.dataEnd + 1), true);
    const e = expectSmfError(() => SmfReader.fromBytes(m.bytes, { file: 'f.smf' }), 'SMF_OUT_OF_BOUNDS', 'section[0].size');
    expect([e.offset, e.detail]).toEqual([m.entryAt(0) + 16,
      `section "a" 0x0..${hex(m.dataEnd + 1)} is past the end of the data area (${hex(m.dataEnd)}; file size ${hex(m.bytes.length)})`]);

    // The same in a v1.0 file, where the data area runs to EOF: a cut file.
    const bytes = new Uint8Array(128 + 64 + 8);
    bytes.set(encodeHeader({ ...HEADER, sectionCount: 1, sectionTableOffset: 136n }), 0);
    const name = new Uint8Array(16);
    name[0] = 0x61;
    encodeSectionEntry(new DataView(bytes.buffer), 136, { type: SectionType.RoData, flags: 1, offset: 128n, size: 73n, virtualSize: 73n, alignment: 1, name });
    const cut = expectSmfError(() => SmfReader.fromBytes(bytes, { file: 'f.smf' }), 'SMF_TRUNCATED', 'section[0].size');
    expect(cut.detail).toBe('section "a" 0x80..0xc9 is past the end of the data area (0xc8; file size 0xc8)');
  });

  it('a 16-byte name in an entry that ends the file, its reserved bytes not zero', () => {
    // Nothing after the name is zero up to EOF: a scan that did not stop at 16 bytes would run on.
    const bytes = new Uint8Array(128 + 64);
    bytes.set(encodeHeader({ ...HEADER, sectionCount: 1, sectionTableOffset: 128n }), 0);
    const name = Uint8Array.from('abcdefghijklmnop', (c) => c.charCodeAt(0));
    encodeSectionEntry(new DataView(bytes.buffer), 128, { type: SectionType.RoData, flags: 1, offset: 128n, size: 0n, virtualSize: 0n, alignment: 1, name });
    bytes.fill(1, 128 + 52);
    const c = agree(bytes);
    expect(c.sections![0].name).toBe('abcdefghijklmnop');
  });

  it('alignment 65536, alignment 0 (read as 1), a virtual size of 2^53 - 1', () => {
    const m = patchable({ sections: [eight('a'), eight('b'), eight('c')] });
    m.view.setUint32(m.entryAt(0) + 32, 65536, true);
    m.view.setUint32(m.entryAt(1) + 32, 0, true);
    m.view.setBigUint64(m.entryAt(2) + 24, 2n ** 53n - 1n, true);
    const c = agree(m.bytes);
    expect(c.sections!.map((s) => [s.alignment, s.virtualSize])).toEqual([[65536, 8], [1, 8], [8, 2 ** 53 - 1]]);
  });

  it('empty sections at the end of the data area and at the end of a section', () => {
    const m = patchable({ sections: [eight('a'), { type: SectionType.RoData, name: 'e', data: new Uint8Array(0) }, { type: SectionType.RoData, name: 'f', data: new Uint8Array(0) }] });
    m.view.setBigUint64(m.entryAt(1) + 8, BigInt(m.dataEnd), true);
    m.view.setBigUint64(m.entryAt(2) + 8, 8n, true);
    const c = agreeUnusual(m.bytes);
    expect(c.sections!.map((s) => [s.offset, s.size])).toEqual([[0, 8], [m.dataEnd, 0], [8, 0]]);
  });

  it('a COMPRESSED bit in an uncompressed module is kept in the flags, and means nothing', () => {
    const m = patchable({ sections: [eight('a')] });
    m.view.setUint32(m.entryAt(0) + 4, SectionFlags.READ | SectionFlags.COMPRESSED, true);
    const c = agree(m.bytes);
    expect([c.sections![0].flags, c.sections![0].compressed]).toEqual([SectionFlags.READ | SectionFlags.COMPRESSED, false]);
  });
});

describe('the note', () => {
  it('its room runs to the next region: a section, the section table, or the end of the data area', () => {
    const m = patchable({ sections: [eight('a')], note: 'n', noteReserve: 40 });
    const c = agree(m.bytes);
    const noteAt = c.sections![1].offset;
    expect(c.noteCapacity).toBe(Number(m.r.header.sectionTableOffset) - noteAt);
    // Moved to the very end of the data area it has no room.
    m.view.setBigUint64(m.entryAt(1) + 8, BigInt(m.dataEnd), true);
    expect(agreeUnusual(m.bytes)).toMatchObject({ noteIndex: 1, noteCapacity: 0 });
    // Moved to the start of section 0 it has none either.
    m.view.setBigUint64(m.entryAt(1) + 8, 0n, true);
    expect(agreeUnusual(m.bytes)).toMatchObject({ noteIndex: 1, noteCapacity: 0 });
  });

  it('with no sections after it and no symbols, its room ends at the section table', () => {
    const m = patchable({ sections: [], note: 'n' });
    const c = agree(m.bytes);
    expect([c.noteIndex, c.noteCapacity]).toEqual([0, Number(m.r.header.sectionTableOffset)]);
  });

  it('an empty TemplateMeta section of another name before it is not the note, nor one named note.sdo', () => {
    for (const name of ['meta', 'note.sdo']) {
      const c = agree(writeSmf({ sections: [{ type: NOTE_SECTION_TYPE, name, data: new Uint8Array(0) }], note: 'n' }));
      expect([c.noteIndex, c.sections![0].name]).toEqual([1, name]);
    }
  });

  it('a section named note.sdn of another type before it is not the note', () => {
    const c = agree(writeSmf({ sections: [eight('note.sdn', SectionType.Data)], note: 'n' }));
    expect(c.noteIndex).toBe(1);
    expect(c.sections!.map((s) => [s.type, s.name])).toEqual([[SectionType.Data, 'note.sdn'], [NOTE_SECTION_TYPE, 'note.sdn']]);
  });
});
