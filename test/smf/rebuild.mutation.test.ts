import { describe, expect, it } from 'vitest';
import { HeaderField } from '../../src/smf/header.js';
import { NOTE_SECTION_TYPE, SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { moduleSpecFromReader } from '../../src/smf/rebuild.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { sampleModule } from './fixtures.js';

// `moduleSpecFromReader` (the note rewrite's rebuild), which only note-rewrite tests reached
// through a whole rewrite: each header field carried over, the stub, compression and its level,
// virtual sizes, and symbol section indices remapped around a note that is not the last section.

const everyField: Partial<SmfModuleSpec> = {
  platform: 3, arch: 6, flags: 0x30, entryPoint: 0x1234n, appType: 2, windowWidth: 640, windowHeight: 480,
  prefetchHint: 1, prefetchFileCount: 7, sourceHash: 0xfeedn,
};

describe('moduleSpecFromReader', () => {
  it('rewrites a module to the same bytes, stub, compression and note included', () => {
    for (const compression of ['none', 'zstd', 'lz4'] as const) {
      const spec = sampleModule({ ...everyField, compression, compressionLevel: compression === 'zstd' ? 5 : undefined, stub: Uint8Array.from([0x23, 0x21, 0x0a]) });
      const bytes = writeSmf(spec);
      const r = SmfReader.fromBytes(bytes);
      const rebuilt = moduleSpecFromReader(r);
      expect(rebuilt).toMatchObject({ ...everyField, compression, compressionLevel: compression === 'zstd' ? 5 : undefined });
      expect([...rebuilt.stub as Uint8Array]).toEqual([0x23, 0x21, 0x0a]);
      expect(rebuilt.note).toBeUndefined();
      expect(rebuilt.sections.map((s) => s.name)).toEqual(['code', 'rodata', 'template_code', 'data', 'rela']);
      expect(Buffer.compare(writeSmf({ ...rebuilt, note: r.noteSdnText(), noteReserve: r.noteCapacity()! - r.noteSdnText()!.length }), bytes)).toBe(0);
    }
  });

  it('no stub gives no stub; a section keeps its alignment, flags and virtual size; compressed ones are given inflated', () => {
    const data = new TextEncoder().encode('x'.repeat(300));
    const r = SmfReader.fromBytes(writeSmf({
      compression: 'lz4',
      sections: [
        { type: SectionType.Bss, name: 'bss', data: new Uint8Array(4), virtualSize: 4096, alignment: 64, flags: 0x43 },
        { type: SectionType.Data, name: 'd', data },
        { type: SectionType.Data, name: 'k', data, compress: false },
      ],
    }));
    const spec = moduleSpecFromReader(r);
    expect(spec.stub).toBeUndefined();
    expect(spec.compressionLevel).toBeUndefined();
    expect(spec.sections[0]).toMatchObject({ type: SectionType.Bss, name: 'bss', alignment: 64, flags: 0x43, virtualSize: 4096, compress: false });
    expect(spec.sections[0].data).toEqual(new Uint8Array(4));
    expect(spec.sections[1]).toMatchObject({ compress: true, virtualSize: undefined });
    expect(spec.sections[1].data).toEqual(data);
    expect(spec.sections[2]).toMatchObject({ compress: false, virtualSize: undefined });
  });

  it('a zstd level above 22 in the header is given as 22', () => {
    const bytes = writeSmf({ sections: [], compression: 'zstd', compressionLevel: 3 }, { hash: false });
    bytes[bytes.length - 128 + HeaderField.compression_level] = 30;
    expect(moduleSpecFromReader(SmfReader.fromBytes(bytes)).compressionLevel).toBe(22);
  });

  it("remaps symbols' section indices around a note that is not the last section", () => {
    // A hand-placed note: section 1, an empty TemplateMeta section renamed note.sdn, between two others.
    const bytes = writeSmf(
      {
        sections: [
          { type: SectionType.Data, name: 'a', data: new Uint8Array(8) },
          { type: NOTE_SECTION_TYPE, name: 'note.sdx', data: new Uint8Array(0) },
          { type: SectionType.Data, name: 'c', data: new Uint8Array(8) },
        ],
        symbols: [0, 1, 2, undefined].map((sectionIndex, i) => ({ name: `s${i}`, type: 1, binding: 1, value: 0, size: 0, sectionIndex })),
      },
      { hash: false },
    );
    const r0 = SmfReader.fromBytes(bytes);
    bytes[r0.dataOffset + Number(r0.header.sectionTableOffset) + 64 + 36 + 7] = 'n'.charCodeAt(0);
    const r = SmfReader.fromBytes(bytes);
    expect(r.noteSection()?.index).toBe(1);
    const spec = moduleSpecFromReader(r);
    expect(spec.sections.map((s) => s.name)).toEqual(['a', 'c']);
    expect(spec.symbols!.map((s) => s.sectionIndex)).toEqual([0, 2, 1, undefined]);
    const again = SmfReader.fromBytes(writeSmf({ ...spec, note: 'n' }));
    expect([...again.symbols()].map((s) => again.sections[s.sectionIndex ?? 0].name)).toEqual(['a', 'note.sdn', 'c', 'a']);
  });

  it('carries every symbol field', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule()));
    const spec = moduleSpecFromReader(r);
    expect(spec.symbols).toEqual([...r.symbols()].map((s) => ({
      name: s.name, type: s.type, binding: s.binding, visibility: s.visibility, flags: s.flags, value: s.value, size: s.size,
      typeId: s.typeId, version: s.version, templateParamCount: s.templateParamCount, templateOffset: s.templateOffset, sectionIndex: s.sectionIndex,
    })));
    expect(spec.symbols![1]).toMatchObject({ name: 'identity', templateParamCount: 1, templateOffset: 2n, sectionIndex: 2 });
  });
});
