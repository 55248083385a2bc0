import { describe, expect, it } from 'vitest';
import { SmfFormatError } from '../../src/smf/errors.js';
import { MAX_NOTE_SIZE, SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { expectSmfError, sampleModule } from './fixtures.js';

/** A valid file plus the absolute positions needed to damage it precisely. */
function damageable(spec: SmfModuleSpec = sampleModule(), hash = false) {
  const bytes = writeSmf(spec, { hash });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const headerAt = r.headerOffset;
  const sectionAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * 64;
  const symbolAt = (i: number) => r.dataOffset + Number(r.header.symbolTableOffset) + i * 56;
  const open = (opts = {}) => SmfReader.fromBytes(bytes, { file: 'app.smf', ...opts });
  return { bytes, view, r, headerAt, sectionAt, symbolAt, open };
}

describe('bad input is rejected with a typed error naming file, field and offset', () => {
  it('a file shorter than a header', () => {
    const { bytes } = damageable();
    const err = expectSmfError(() => SmfReader.fromBytes(bytes.subarray(0, 100), { file: 'app.smf' }), 'SMF_TRUNCATED', 'header');
    expect(err.file).toBe('app.smf');
    expectSmfError(() => SmfReader.fromBytes(new Uint8Array(0)), 'SMF_TRUNCATED', 'header');
  });

  it('a cut trailer file (the header is gone, so the magic is missing)', () => {
    const { bytes } = damageable();
    expectSmfError(() => SmfReader.fromBytes(bytes.subarray(0, bytes.length - 10)), 'SMF_BAD_MAGIC', 'header.magic');
  });

  it('wrong magic', () => {
    const { bytes, headerAt, open } = damageable();
    bytes[headerAt + 1] = 0x4e;
    const err = expectSmfError(open, 'SMF_BAD_MAGIC', 'header.magic');
    expect(err.offset).toBe(headerAt);
  });

  it('unknown versions', () => {
    const major = damageable();
    major.bytes[major.headerAt + 4] = 2;
    const e1 = expectSmfError(major.open, 'SMF_BAD_VERSION', 'header.version_major');
    expect(e1.offset).toBe(major.headerAt + 4);
    const minor = damageable();
    minor.bytes[minor.headerAt + 5] = 7;
    expectSmfError(minor.open, 'SMF_BAD_VERSION', 'header.version_minor');
  });

  it('an unknown compression algorithm', () => {
    const d = damageable();
    d.bytes[d.headerAt + 12] = 9;
    expectSmfError(d.open, 'SMF_BAD_FIELD', 'header.compression');
  });

  it('stub fields that contradict HAS_STUB', () => {
    const d = damageable(sampleModule({ stub: true }));
    d.view.setUint32(d.headerAt + 56, 5, true);
    expectSmfError(d.open, 'SMF_BAD_FIELD', 'header.smf_data_offset');
    const e = damageable();
    e.view.setUint32(e.headerAt + 52, 19, true);
    expectSmfError(e.open, 'SMF_BAD_FIELD', 'header.smf_data_offset');
  });

  it('a section offset past the end, with the message format of the spec', () => {
    const d = damageable();
    d.view.setBigUint64(d.sectionAt(2) + 8, 0x1f40n, true);
    const err = expectSmfError(d.open, 'SMF_OUT_OF_BOUNDS', 'section[2].offset');
    expect(err.offset).toBe(d.sectionAt(2) + 8);
    expect(err.message).toMatch(/^app\.smf: section\[2\]\.offset: 0x1f40 is past the end of the data area \(0x[0-9a-f]+; file size 0x[0-9a-f]+\) at byte 0x[0-9a-f]+$/);
  });

  it('a section that runs past the end, even with a 64-bit size', () => {
    const d = damageable();
    d.view.setBigUint64(d.sectionAt(1) + 16, 0xffffffffffffff00n, true);
    expectSmfError(d.open, 'SMF_OUT_OF_BOUNDS', 'section[1].size');
  });

  it('a section ending exactly at the end of the data area is accepted, one byte further is refused', () => {
    // No symbols, so no string table runs to the end of the data area; N spare bytes are put
    // between the data and the trailer header, and section 0 is moved onto them.
    const spec: SmfModuleSpec = { sections: [{ type: SectionType.RoData, name: 'rodata', data: new Uint8Array([9, 9, 9]) }, { type: SectionType.Data, name: 'data', data: new Uint8Array([7]) }], symbols: [] };
    const original = writeSmf(spec, { hash: false });
    const r0 = SmfReader.fromBytes(original);
    expect(r0.header.symbolCount).toBe(0);
    const headerAt = r0.headerOffset;
    const oldEnd = headerAt - r0.dataOffset;
    const spare = Uint8Array.from([1, 2, 3, 4, 5]);
    const withSize = (size: number) => {
      const bytes = new Uint8Array(original.length + spare.length);
      bytes.set(original.subarray(0, headerAt), 0);
      bytes.set(spare, headerAt);
      bytes.set(original.subarray(headerAt), headerAt + spare.length);
      const view = new DataView(bytes.buffer);
      const entry = r0.dataOffset + Number(r0.header.sectionTableOffset);
      view.setBigUint64(entry + 8, BigInt(oldEnd), true);
      view.setBigUint64(entry + 16, BigInt(size), true);
      view.setBigUint64(entry + 24, BigInt(size), true);
      return bytes;
    };
    const exact = SmfReader.fromBytes(withSize(spare.length), { file: 'app.smf' });
    const dataEnd = exact.headerOffset - exact.dataOffset;
    expect(dataEnd).toBe(oldEnd + spare.length);
    expect(exact.sections[0].offset + exact.sections[0].size).toBe(dataEnd);
    expect([...exact.sectionData(0)]).toEqual([...spare]);
    expect([...exact.sectionData(1)]).toEqual([7]);
    // Both ways in: the lazy lookup and the decoded sections.
    expect(exact.findSectionIndex(SectionType.RoData, 'rodata')).toBe(0);

    const over = withSize(spare.length + 1);
    const err = expectSmfError(() => SmfReader.fromBytes(over, { file: 'app.smf' }), 'SMF_OUT_OF_BOUNDS', 'section[0].size');
    expect(err.detail).toContain(`past the end of the data area (0x${dataEnd.toString(16)}`);
    // One byte shorter is of course fine too.
    expect(SmfReader.fromBytes(withSize(spare.length - 1)).sections[0].size).toBe(spare.length - 1);
  });

  it('overlapping sections', () => {
    const d = damageable();
    const s0 = d.r.sections[1];
    d.view.setBigUint64(d.sectionAt(3) + 8, BigInt(s0.offset + 1), true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'section[3].offset');
    expect(err.detail).toMatch(/overlaps section\[1\]/);
  });

  it('a section over the section table', () => {
    const d = damageable();
    d.view.setBigUint64(d.sectionAt(0) + 8, d.r.header.sectionTableOffset, true);
    d.view.setBigUint64(d.sectionAt(0) + 16, 8n, true);
    expectSmfError(d.open, 'SMF_OVERLAP');
  });

  it('an empty section inside another one', () => {
    const d = damageable();
    const note = d.r.noteSection()!;
    d.view.setBigUint64(d.sectionAt(note.index) + 8, BigInt(d.r.sections[1].offset + 2), true);
    expectSmfError(d.open, 'SMF_OVERLAP', `section[${note.index}].offset`);
  });

  it('a bad alignment and section type 0', () => {
    const a = damageable();
    a.view.setUint32(a.sectionAt(0) + 32, 12, true);
    expectSmfError(a.open, 'SMF_BAD_FIELD', 'section[0].alignment');
    const t = damageable();
    t.bytes[t.sectionAt(1)] = 0;
    expectSmfError(t.open, 'SMF_BAD_FIELD', 'section[1].section_type');
  });

  it('a section name that is not UTF-8', () => {
    const d = damageable();
    d.bytes[d.sectionAt(0) + 36] = 0xff;
    expectSmfError(d.open, 'SMF_BAD_STRING', 'section[0].name');
  });

  it('table offsets past the end', () => {
    const a = damageable();
    a.view.setBigUint64(a.headerAt + 20, 0xffffffffffffn, true);
    expectSmfError(a.open, 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
    const b = damageable();
    b.view.setBigUint64(b.headerAt + 28, 0xffffffffffffffffn, true);
    expectSmfError(b.open, 'SMF_OUT_OF_BOUNDS', 'header.symbol_table_offset');
  });

  it('huge counts fail before any allocation', () => {
    const a = damageable();
    a.view.setUint32(a.headerAt + 16, 0xffffffff, true);
    const err = expectSmfError(a.open, 'SMF_TOO_MANY', 'header.section_count');
    expect(err.offset).toBe(a.headerAt + 16);
    const b = damageable();
    b.view.setUint32(b.headerAt + 36, 0xffffffff, true);
    expectSmfError(b.open, 'SMF_TOO_MANY', 'header.symbol_count');
    const c = damageable();
    expectSmfError(() => c.open({ limits: { maxSectionCount: 2 } }), 'SMF_TOO_MANY', 'header.section_count');
  });

  it('a symbol name offset past the string table', () => {
    const d = damageable();
    d.view.setUint32(d.symbolAt(2), 0x7fffffff, true);
    const r = d.open();
    const err = expectSmfError(() => r.symbol(2), 'SMF_OUT_OF_BOUNDS', 'symbol[2].name_offset');
    expect(err.offset).toBe(d.symbolAt(2));
    // Other symbols still read: the damage is found lazily, where it is.
    expect(r.symbol(0).name).toBe('main');
  });

  it('a name without NUL', () => {
    const d = damageable();
    // The last name in the string table ends with the byte just before the header.
    d.bytes[d.headerAt - 1] = 0x41;
    const r = d.open();
    expectSmfError(() => r.symbol(3), 'SMF_BAD_STRING', 'symbol[3].name_offset');
    expectSmfError(() => [...r.symbols()], 'SMF_BAD_STRING');
  });

  it('a symbol whose stored name hash is wrong, and a symbol section index out of range', () => {
    const d = damageable();
    d.view.setUint32(d.symbolAt(0) + 4, 1234, true);
    d.view.setUint16(d.symbolAt(1) + 41, 77, true);
    const r = d.open();
    expectSmfError(() => r.symbol(0), 'SMF_BAD_FIELD', 'symbol[0].name_hash');
    expectSmfError(() => r.symbol(1), 'SMF_OUT_OF_BOUNDS', 'symbol[1].section_index');
  });

  it('relocations: symbol index out of range and a size that is not a multiple of 24', () => {
    const d = damageable();
    const rela = d.r.findSection(SectionType.Reloc)!;
    d.view.setUint32(rela.fileOffset + 24 + 8, 99, true);
    expectSmfError(() => d.open().relocations(), 'SMF_OUT_OF_BOUNDS', `section[${rela.index}].reloc[1].symbol_index`);
    const e = damageable();
    e.view.setBigUint64(e.sectionAt(rela.index) + 16, 47n, true);
    expectSmfError(() => e.open().relocations(), 'SMF_BAD_FIELD', `section[${rela.index}].size`);
  });

  it('note.sdn without its terminator', () => {
    const d = damageable();
    const note = d.r.noteSection()!;
    const text = d.r.noteSdnText()!;
    d.bytes[note.fileOffset + text.length - 3] = 0x2e;
    const err = expectSmfError(() => d.open().noteSdnText(), 'SMF_NOTE_UNTERMINATED', 'note.sdn');
    expect(err.offset).toBe(note.fileOffset);
  });

  it('note.sdn over 1 MiB', () => {
    const d = damageable(sampleModule({ note: 'n\n', noteReserve: MAX_NOTE_SIZE + 4096 }));
    const note = d.r.noteSection()!;
    d.bytes.fill(0x61, note.fileOffset, note.fileOffset + MAX_NOTE_SIZE + 100);
    expectSmfError(() => d.open().noteSdnText(), 'SMF_NOTE_TOO_LARGE', 'note.sdn');
  });

  it('note.sdn with a non-zero size', () => {
    const d = damageable();
    const note = d.r.noteSection()!;
    d.view.setBigUint64(d.sectionAt(note.index) + 16, 4n, true);
    expectSmfError(d.open, 'SMF_BAD_FIELD', `section[${note.index}].size`);
  });

  for (const compression of ['zstd', 'lz4'] as const) {
    it(`a ${compression} section that inflates past its stated size`, () => {
      const d = damageable(sampleModule({ compression }));
      const ro = d.r.findSection(SectionType.RoData)!;
      expect(ro.compressed).toBe(true);
      d.view.setBigUint64(d.sectionAt(ro.index) + 24, BigInt(ro.virtualSize - 1), true);
      const err = expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS', `section[${ro.index}]`);
      expect(err.offset).toBe(ro.fileOffset);
    });

    it(`a ${compression} section that inflates short of its stated size`, () => {
      const d = damageable(sampleModule({ compression }));
      const ro = d.r.findSection(SectionType.RoData)!;
      d.view.setBigUint64(d.sectionAt(ro.index) + 24, BigInt(ro.virtualSize + 1), true);
      expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS', `section[${ro.index}]`);
    });

    it(`a corrupt ${compression} stream`, () => {
      const d = damageable(sampleModule({ compression }));
      const ro = d.r.findSection(SectionType.RoData)!;
      d.bytes.fill(0xee, ro.fileOffset + 4, ro.fileOffset + ro.size);
      expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS', `section[${ro.index}]`);
    });
  }

  it('a stated inflated size beyond the limit or beyond what the stream could produce', () => {
    const d = damageable(sampleModule({ compression: 'zstd' }));
    const ro = d.r.findSection(SectionType.RoData)!;
    expectSmfError(() => d.open({ limits: { maxDecompressedSize: 100 } }).sectionData(ro.index), 'SMF_DECOMPRESS');
    d.view.setBigUint64(d.sectionAt(ro.index) + 24, 0x7fffffffffffn, true);
    const err = expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS');
    expect(err.detail).toMatch(/limit/);
    d.view.setBigUint64(d.sectionAt(ro.index) + 24, BigInt(ro.size * 40000), true);
    const err2 = expectSmfError(() => d.open({ limits: { maxDecompressedSize: 2 ** 40 } }).sectionData(ro.index), 'SMF_DECOMPRESS');
    expect(err2.detail).toMatch(/cannot inflate/);
  });

  it('a hash mismatch, and the option that skips the check', () => {
    const d = damageable(sampleModule(), true);
    d.bytes[d.r.sections[0].fileOffset] ^= 1;
    const err = expectSmfError(d.open, 'SMF_HASH_MISMATCH', 'header.module_hash');
    expect(err.offset).toBe(d.headerAt + 60);
    expect(d.open({ verifyHash: false }).sections.length).toBe(d.r.sections.length);
  });

  it('every error is a SmfFormatError with a SimpleError code', () => {
    const err = expectSmfError(() => SmfReader.fromBytes(new Uint8Array(5)), 'SMF_TRUNCATED');
    expect(err).toBeInstanceOf(SmfFormatError);
    expect(err.name).toBe('SmfFormatError');
    expect(err.file).toBe('<memory>');
  });
});
