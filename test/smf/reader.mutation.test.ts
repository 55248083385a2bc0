import { describe, expect, it } from 'vitest';
import { SectionFlags, SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { expectSmfError, sampleModule } from './fixtures.js';

// The reader's lazily checked fields, where mutation testing (docs/testing.md) found the suite
// checking only the error code: each error's exact text and byte offset, the index limits at
// their edges, a section's data size read from the table, a non-ASCII section name looked up.

function damageable(spec: SmfModuleSpec = sampleModule()) {
  const bytes = writeSmf(spec, { hash: false });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const sectionAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * 64;
  const symbolAt = (i: number) => r.dataOffset + Number(r.header.symbolTableOffset) + i * 56;
  const open = () => SmfReader.fromBytes(bytes, { file: 'app.smf' });
  return { bytes, view, r, sectionAt, symbolAt, open };
}

describe('indices', () => {
  it('section and symbol indices outside the tables are RangeErrors saying the range', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule()));
    for (const i of [-1, 6, 0.5]) {
      expect(() => r.sectionData(i)).toThrow(new RangeError(`section index ${i} is not in 0..5`));
      expect(() => r.sectionDataSize(i)).toThrow(new RangeError(`section index ${i} is not in 0..5`));
    }
    for (const i of [-1, 4, 0.5]) {
      expect(() => r.symbolName(i)).toThrow(new RangeError(`symbol index ${i} is not in 0..3`));
      expect(() => r.symbol(i)).toThrow(RangeError);
    }
    expect(r.symbolName(3)).toBe('counter');
    expect(r.sectionDataSize(5)).toBe(0);
  });
});

describe('sectionDataSize', () => {
  it('is the stored size unless the section is compressed in a compressed module', () => {
    const data = new TextEncoder().encode('abc'.repeat(100));
    const spec = (compression: 'none' | 'lz4'): SmfModuleSpec => ({
      compression,
      sections: [
        { type: SectionType.Bss, name: 'bss', data: new Uint8Array(4), virtualSize: 4096 },
        { type: SectionType.Data, name: 'd', data },
      ],
    });
    const packed = SmfReader.fromBytes(writeSmf(spec('lz4')));
    expect([packed.sectionDataSize(0), packed.sectionDataSize(1)]).toEqual([4, 300]);
    expect(packed.sections[1].size).toBeLessThan(300);
    // The COMPRESSED bit in a module without compression is ignored.
    const d = damageable(spec('none'));
    d.view.setUint32(d.sectionAt(0) + 4, SectionFlags.READ | SectionFlags.COMPRESSED, true);
    const r = d.open();
    expect(r.sectionDataSize(0)).toBe(4);
    expect(r.sectionData(0)).toEqual(new Uint8Array(4));
  });
});

describe('lookups', () => {
  it('finds a section by a name that is not ASCII', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [{ type: SectionType.RoData, name: 'a', data: new Uint8Array(1) }, { type: SectionType.RoData, name: 'é', data: new Uint8Array(1) }] }));
    expect(r.findSectionIndex(SectionType.RoData, 'é')).toBe(1);
    expect(r.findSectionIndex(SectionType.Data, 'é')).toBe(-1);
    expect(r.findSectionIndex(SectionType.RoData, 'e')).toBe(-1);
  });
});

describe('symbols', () => {
  it('a wrong name hash: the field, its byte and the text', () => {
    const d = damageable();
    d.view.setUint32(d.symbolAt(0) + 4, 1234, true);
    const err = expectSmfError(() => d.open().symbol(0), 'SMF_BAD_FIELD', 'symbol[0].name_hash');
    expect(err.offset).toBe(d.symbolAt(0) + 4);
    expect(err.detail).toBe('0x4d2 is not the FNV-1a hash of "main"');
  });

  it('a section index: the last section is taken, the count refused at its byte', () => {
    const d = damageable();
    d.view.setUint16(d.symbolAt(1) + 41, 5, true);
    expect(d.open().symbol(1).sectionIndex).toBe(5);
    d.view.setUint16(d.symbolAt(1) + 41, 6, true);
    const err = expectSmfError(() => d.open().symbol(1), 'SMF_OUT_OF_BOUNDS', 'symbol[1].section_index');
    expect(err.offset).toBe(d.symbolAt(1) + 41);
    expect(err.detail).toBe('6 is not below the section count 6');
  });

  it('a name that is not UTF-8, at the name', () => {
    const d = damageable();
    const nameAt = d.r.dataOffset + Number(d.r.header.symbolTableOffset) + 4 * 56 + 1;
    d.bytes[nameAt] = 0xff;
    const err = expectSmfError(() => d.open().symbolName(0), 'SMF_BAD_STRING', 'symbol[0].name_offset');
    expect([err.offset, err.detail]).toEqual([nameAt, 'name is not valid UTF-8']);
  });
});

describe('relocations', () => {
  it('a symbol index: the last symbol is taken, the count refused at its byte', () => {
    const d = damageable();
    const rela = d.r.findSection(SectionType.Reloc)!;
    d.view.setUint32(rela.fileOffset + 24 + 8, 3, true);
    expect(d.open().relocations()[1].symbolIndex).toBe(3);
    d.view.setUint32(rela.fileOffset + 24 + 8, 4, true);
    const err = expectSmfError(() => d.open().relocations(), 'SMF_OUT_OF_BOUNDS', `section[${rela.index}].reloc[1].symbol_index`);
    expect(err.offset).toBe(rela.fileOffset + 24 + 8);
    expect(err.detail).toBe('4 is not below the symbol count 4');
  });

  it('a size that is not a multiple of 24', () => {
    const d = damageable();
    const rela = d.r.findSection(SectionType.Reloc)!;
    d.view.setBigUint64(d.sectionAt(rela.index) + 16, 47n, true);
    const err = expectSmfError(() => d.open().relocations(), 'SMF_BAD_FIELD', `section[${rela.index}].size`);
    expect([err.offset, err.detail]).toEqual([rela.fileOffset, 'relocation data of 47 bytes is not a multiple of 24']);
  });
});

describe('templateBytes', () => {
  it("from the symbol's own TemplateCode section, else the first one", () => {
    const r = SmfReader.fromBytes(writeSmf({
      sections: [
        { type: SectionType.TemplateCode, name: 't1', data: Uint8Array.from([1, 2, 3]) },
        { type: SectionType.TemplateCode, name: 't2', data: Uint8Array.from([4, 5, 6]) },
        { type: SectionType.Code, name: 'code', data: Uint8Array.from([7, 8, 9]) },
      ],
      symbols: [
        { name: 'own', type: 1, binding: 1, value: 0, size: 0, sectionIndex: 1, templateOffset: 1 },
        { name: 'code', type: 1, binding: 1, value: 0, size: 0, sectionIndex: 2, templateOffset: 1 },
        { name: 'none', type: 1, binding: 1, value: 0, size: 0, templateOffset: 3 },
      ],
    }));
    expect([...r.templateBytes(0)]).toEqual([5, 6]);
    expect([...r.templateBytes(1)]).toEqual([2, 3]);
    expect([...r.templateBytes(r.symbol(2))]).toEqual([]);
  });

  it('an offset one past the section end, and no TemplateCode section: the field, its byte and the text', () => {
    const d = damageable();
    const tpl = d.r.findSection(SectionType.TemplateCode)!;
    d.view.setBigUint64(d.symbolAt(1) + 48, BigInt(tpl.size + 1), true);
    const err = expectSmfError(() => d.open().templateBytes(1), 'SMF_OUT_OF_BOUNDS', 'symbol[1].template_offset');
    expect(err.offset).toBe(d.symbolAt(1) + 48);
    expect(err.detail).toBe(`0x${(tpl.size + 1).toString(16)} is past the end of section[2] (0x${tpl.size.toString(16)} bytes)`);
    const none = SmfReader.fromBytes(writeSmf({ sections: [], symbols: [{ name: 'f', type: 1, binding: 1, value: 0, size: 0 }] }), { file: 'x.smf' });
    const missing = expectSmfError(() => none.templateBytes(0), 'SMF_MISSING_SECTION', 'symbol[0].template_offset');
    expect([missing.offset, missing.detail]).toEqual([none.symbolTableAt + 48, 'the module has no TemplateCode section']);
  });
});

describe('the note and compressed sections', () => {
  it('a note that is not UTF-8', () => {
    const d = damageable(sampleModule({ note: 'ab' }));
    const note = d.r.noteSection()!;
    d.bytes[note.fileOffset] = 0xff;
    const err = expectSmfError(() => d.open().noteSdnText(), 'SMF_BAD_STRING', 'note.sdn');
    expect([err.offset, err.detail]).toEqual([note.fileOffset, 'note is not valid UTF-8']);
  });

  it('lz4: the stated size against the prefix, a payload shorter than its prefix, a corrupt block', () => {
    const d = damageable(sampleModule({ compression: 'lz4' }));
    const ro = d.r.findSection(SectionType.RoData)!;
    d.view.setBigUint64(d.sectionAt(ro.index) + 24, BigInt(ro.virtualSize + 1), true);
    expect(expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS').detail)
      .toBe(`lz4 block announces ${ro.virtualSize} bytes, section states ${ro.virtualSize + 1}`);
    const s = damageable(sampleModule({ compression: 'lz4' }));
    s.view.setBigUint64(s.sectionAt(ro.index) + 16, 3n, true);
    expect(expectSmfError(() => s.open().sectionData(ro.index), 'SMF_DECOMPRESS').detail).toBe('lz4 payload shorter than its size prefix');
    const c = damageable(sampleModule({ compression: 'lz4' }));
    c.bytes.fill(0xee, ro.fileOffset + 4, ro.fileOffset + ro.size);
    expect(expectSmfError(() => c.open().sectionData(ro.index), 'SMF_DECOMPRESS').detail).toMatch(/^lz4: ./);
  });

  it('zstd: not a frame, and a frame inflating short of the stated size', () => {
    const d = damageable(sampleModule({ compression: 'zstd' }));
    const ro = d.r.findSection(SectionType.RoData)!;
    d.bytes.fill(0, ro.fileOffset, ro.fileOffset + 4);
    expect(expectSmfError(() => d.open().sectionData(ro.index), 'SMF_DECOMPRESS').detail).toMatch(/^not a zstd frame \(./);
    const s = damageable(sampleModule({ compression: 'zstd' }));
    s.view.setBigUint64(s.sectionAt(ro.index) + 24, BigInt(ro.virtualSize + 1), true);
    expect(expectSmfError(() => s.open().sectionData(ro.index), 'SMF_DECOMPRESS').detail)
      .toBe(`inflates to ${ro.virtualSize} bytes, section states ${ro.virtualSize + 1}`);
  });
});
