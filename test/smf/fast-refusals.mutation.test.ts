import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { SmfFormatError } from '../../src/smf/errors.js';
import { DEFAULT_STUB, HeaderFlags, SectionType } from '../../src/smf/format.js';
import { HeaderField, encodeHeader, type SmfHeader } from '../../src/smf/header.js';
import { DEFAULT_LIMITS } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { thrown } from '../thrown.js';

// The fast path (`acceptLayout`, `layout.ts` lines 112-185) may refuse more than it must — the
// careful path then reads the file — but it must never accept a file the careful path refuses.
// Mutation testing (docs/testing.md) found header fields whose every refusal the suite only
// reached through files the fast path refused for some other reason: each file here is wrong
// in one field only, and the rest of it is well formed, so only that field's check stands
// between it and a layout.

const H = HeaderField;
const OPTS = { file: 'f.smf', verifyHash: true, limits: DEFAULT_LIMITS };
const STUB = DEFAULT_STUB.length;

/** The fast path refuses `bytes` and the reader says why: the error it throws. */
function refused(bytes: Uint8Array): SmfFormatError {
  expect(acceptLayout(bytes, OPTS), 'the fast path refuses the file').toBeNull();
  return thrown(() => SmfReader.fromBytes(bytes, { file: 'f.smf' }), SmfFormatError);
}

const fields = (e: SmfFormatError) => [e.code, e.field, e.offset, e.detail];

const HEADER: SmfHeader = {
  versionMajor: 1, versionMinor: 1, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
  sectionCount: 0, sectionTableOffset: 0n, symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0,
  entryPoint: 0n, stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0,
  prefetchHint: 0, prefetchFileCount: 0,
};

/** A v1.1 file: `data` (stub included), then the header. */
function trailerFile(h: Partial<SmfHeader>, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(data.length + 128);
  bytes.set(data, 0);
  bytes.set(encodeHeader({ ...HEADER, ...h }), data.length);
  return bytes;
}

/** A v1.0 file: the header at 0, then `size - 128` zero bytes of data. */
function startFile(h: Partial<SmfHeader>, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(encodeHeader({ ...HEADER, versionMinor: 0, ...h }), 0);
  return bytes;
}

/** A module with the default stub, written without a hash so its header can be patched. */
function stubbed() {
  const bytes = writeSmf({ sections: [{ type: SectionType.RoData, name: 'a', data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }], stub: true }, { hash: false });
  const headerAt = bytes.length - 128;
  expect(acceptLayout(bytes, OPTS), 'the unpatched module passes the fast path').not.toBeNull();
  return { bytes, headerAt, view: new DataView(bytes.buffer) };
}

describe('a file shorter than a header', () => {
  it('whose fourth byte is 1 (a version_major one byte early) is still not an SMF file', () => {
    // With no header found, the fields one byte before offset 0 would read as version 1.0,
    // compression 0, and then a stub_size past the end of 12 bytes.
    const bytes = new Uint8Array(12);
    bytes[3] = 1;
    const e = refused(bytes);
    expect(fields(e)).toEqual(['SMF_TRUNCATED', 'header', 0, 'file is 12 bytes, shorter than the 128-byte header']);
  });

  it('a v1.0 header of an empty module cut by its last byte', () => {
    // Magic, version 1.0, no sections or symbols: every field read is there, only the size says it is cut.
    const bytes = startFile({}, 128).subarray(0, 127);
    expect(fields(refused(bytes))).toEqual(['SMF_TRUNCATED', 'header', 0, 'file is 127 bytes, shorter than the 128-byte header']);
    expect(acceptLayout(startFile({}, 128), OPTS)).toMatchObject({ headerLocation: 'trailer', headerAt: 0 });
  });
});

describe('HAS_STUB, stub_size and smf_data_offset', () => {
  it('a stub module with HAS_STUB cleared (another flag bit set in its fourth byte)', () => {
    const m = stubbed();
    const flags = m.view.getUint32(m.headerAt + H.flags, true);
    expect(flags & HeaderFlags.HAS_STUB).toBe(HeaderFlags.HAS_STUB);
    // 0x10 in the field's last byte: HAS_STUB's bit if the field were read big-endian.
    m.view.setUint32(m.headerAt + H.flags, (flags & ~HeaderFlags.HAS_STUB) | 0x1000_0000, true);
    expect(fields(refused(m.bytes))).toEqual(['SMF_BAD_FIELD', 'header.smf_data_offset', m.headerAt + 56,
      `stub_size ${STUB} and smf_data_offset ${STUB} disagree with HAS_STUB clear`]);
  });

  it('stub_size stored big-endian: the stub length only if read the wrong way round', () => {
    const m = stubbed();
    m.view.setUint32(m.headerAt + H.stub_size, STUB, false);
    expect(fields(refused(m.bytes))).toEqual(['SMF_BAD_FIELD', 'header.smf_data_offset', m.headerAt + 56,
      `stub_size ${STUB * 2 ** 24} and smf_data_offset ${STUB} disagree with HAS_STUB set`]);
  });

  it('smf_data_offset stored big-endian', () => {
    const m = stubbed();
    m.view.setUint32(m.headerAt + H.smf_data_offset, STUB, false);
    expect(fields(refused(m.bytes))).toEqual(['SMF_BAD_FIELD', 'header.smf_data_offset', m.headerAt + 56,
      `stub_size ${STUB} and smf_data_offset ${STUB * 2 ** 24} disagree with HAS_STUB set`]);
  });

  it('smf_data_offset without a stub, in a module of no sections that would read the same from there', () => {
    const bytes = trailerFile({ smfDataOffset: 4 }, new Uint8Array(8));
    expect(fields(refused(bytes))).toEqual(['SMF_BAD_FIELD', 'header.smf_data_offset', 8 + 56,
      'stub_size 0 and smf_data_offset 4 disagree with HAS_STUB clear']);
    // The same file with the offset 0 is a module of nothing.
    const plain = SmfReader.fromBytes(trailerFile({}, new Uint8Array(8)));
    expect([plain.sectionCount, plain.symbolCount]).toEqual([0, 0]);
  });
});

describe('tables starting inside a header at offset 0', () => {
  it('a section table at 127 whose entry is well formed from there', () => {
    const bytes = startFile({ sectionCount: 1, sectionTableOffset: 127n }, 192);
    const name = new Uint8Array(16);
    name[0] = 0x65;
    encodeSectionEntry(new DataView(bytes.buffer), 127, { type: SectionType.RoData, flags: 1, offset: 191n, size: 0n, virtualSize: 0n, alignment: 1, name });
    expect(fields(refused(bytes))).toEqual(['SMF_OUT_OF_BOUNDS', 'header.section_table_offset', 20,
      'section table at 0x7f starts before the data area (0x80)']);
    // At 128 the same entry is read (by the careful path: the fast one reads a section only before the tables).
    const ok = startFile({ sectionCount: 1, sectionTableOffset: 128n }, 192);
    encodeSectionEntry(new DataView(ok.buffer), 128, { type: SectionType.RoData, flags: 1, offset: 192n, size: 0n, virtualSize: 0n, alignment: 1, name });
    expect(SmfReader.fromBytes(ok).sections[0].name).toBe('e');
    encodeSectionEntry(new DataView(ok.buffer), 128, { type: SectionType.RoData, flags: 1, offset: 128n, size: 0n, virtualSize: 0n, alignment: 1, name });
    expect(acceptLayout(ok, OPTS)).not.toBeNull();
  });

  it('a symbol table at 127', () => {
    const bytes = startFile({ symbolCount: 1, symbolTableOffset: 127n }, 128 + 56);
    expect(fields(refused(bytes))).toEqual(['SMF_OUT_OF_BOUNDS', 'header.symbol_table_offset', 28,
      'symbol table at 0x7f starts before the data area (0x80)']);
    const ok = startFile({ symbolCount: 1, symbolTableOffset: 128n }, 128 + 56);
    expect(acceptLayout(ok, OPTS)).toMatchObject({ symbolTableAt: 128, stringTableAt: 184, stringTableSize: 0 });
  });
});
