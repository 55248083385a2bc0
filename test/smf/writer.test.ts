import { describe, expect, it } from 'vitest';
import { SmfWriteError } from '../../src/smf/errors.js';
import { MAX_NOTE_SIZE, NOTE_TERMINATOR, SectionFlags, SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { sampleModule, text } from './fixtures.js';

function expectWriteError(spec: SmfModuleSpec, field: string): void {
  let caught: unknown;
  try {
    writeSmf(spec);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SmfWriteError);
  expect((caught as SmfWriteError).field).toBe(field);
  expect((caught as SmfWriteError).code).toBe('SMF_WRITE_INVALID');
}

describe('writeSmf layout', () => {
  it('lays out [payloads][section table][symbol table][string table][header]', () => {
    const bytes = writeSmf(sampleModule());
    const r = SmfReader.fromBytes(bytes);
    const h = r.header;
    expect(r.headerLocation).toBe('trailer');
    expect(r.headerOffset).toBe(bytes.length - 128);
    expect(Number(h.sectionTableOffset) % 8).toBe(0);
    const lastPayloadEnd = Math.max(...r.sections.map((s) => s.offset + s.size));
    expect(Number(h.sectionTableOffset)).toBeGreaterThanOrEqual(lastPayloadEnd);
    expect(Number(h.symbolTableOffset)).toBe(Number(h.sectionTableOffset) + 64 * h.sectionCount);
    const stringTable = Number(h.symbolTableOffset) + 56 * h.symbolCount;
    // Leading NUL, then names in first-use order, up to the header.
    expect(new TextDecoder().decode(bytes.subarray(stringTable, bytes.length - 128))).toBe(
      '\0main\0identity\0identity$Int\0counter\0',
    );
    expect(h.symbolCount).toBe(4);
    expect(h.exportedCount).toBe(3);
    expect(h.arch).toBe(6);
    expect(h.versionMinor).toBe(1);
  });

  it('puts rela and note.sdn after the given sections, the note last with size 0', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule()));
    const names = r.sections.map((s) => s.name);
    expect(names).toEqual(['code', 'rodata', 'template_code', 'data', 'rela', 'note.sdn']);
    const note = r.sections[5];
    expect([note.type, note.size, note.virtualSize, note.flags, note.alignment]).toEqual([13, 0, 0, SectionFlags.READ, 1]);
    expect(r.sections[4].type).toBe(SectionType.Reloc);
    expect(r.sections[4].size).toBe(48);
  });

  it('deduplicates symbol names', () => {
    const bytes = writeSmf({
      sections: [],
      symbols: [
        { name: 'a', type: 1, binding: 1, value: 0, size: 0 },
        { name: 'b', type: 1, binding: 1, value: 0, size: 0 },
        { name: 'a', type: 1, binding: 0, value: 0, size: 0 },
        { name: '', type: 0, binding: 0, value: 0, size: 0 },
      ],
    });
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 128 - 5, bytes.length - 128))).toBe('\0a\0b\0');
    const view = new DataView(bytes.buffer);
    const symTab = Number(SmfReader.fromBytes(bytes).header.symbolTableOffset);
    expect([0, 1, 2, 3].map((i) => view.getUint32(symTab + i * 56, true))).toEqual([1, 3, 1, 0]);
  });

  it('aligns payloads relative to the SMF data start and pads with zeros', () => {
    const bytes = writeSmf({
      stub: true,
      sections: [
        { type: 2, name: 'a', data: new Uint8Array([1]), alignment: 1 },
        { type: 2, name: 'b', data: new Uint8Array([2]), alignment: 64 },
      ],
    });
    const r = SmfReader.fromBytes(bytes);
    expect(r.sections[1].offset).toBe(64);
    expect(r.sections[1].fileOffset).toBe(19 + 64);
    expect(bytes.subarray(19 + 1, 19 + 64).every((b) => b === 0)).toBe(true);
  });

  it('reserves room after the note: 10% or at least 256 bytes, or what is asked', () => {
    const small = SmfReader.fromBytes(writeSmf({ sections: [], note: 'x' }));
    expect(small.noteCapacity()).toBeGreaterThanOrEqual(13 + 256);
    const big = 'y'.repeat(10000);
    const large = SmfReader.fromBytes(writeSmf({ sections: [], note: big }));
    expect(large.noteCapacity()).toBeGreaterThanOrEqual(10012 + 1002);
    const none = SmfReader.fromBytes(writeSmf({ sections: [], note: 'x', noteReserve: 0 }));
    expect(none.noteCapacity()).toBeLessThan(13 + 8);
  });

  it('sets HAS_STUB from the stub option only', () => {
    expect(SmfReader.fromBytes(writeSmf({ sections: [], flags: 0x10 })).header.flags).toBe(0);
    expect(SmfReader.fromBytes(writeSmf({ sections: [], flags: 0x01, stub: true })).header.flags).toBe(0x11);
  });
});

describe('writeSmf compression', () => {
  const compressible = text('abc'.repeat(200));

  it('never compresses Code, honours compress: false, and skips data that does not shrink', () => {
    for (const compression of ['zstd', 'lz4'] as const) {
      const r = SmfReader.fromBytes(
        writeSmf({
          compression,
          sections: [
            { type: SectionType.Code, name: 'code', data: compressible },
            { type: SectionType.Data, name: 'kept', data: compressible, compress: false },
            { type: SectionType.Data, name: 'tiny', data: new Uint8Array([1, 2, 3]) },
            { type: SectionType.Data, name: 'packed', data: compressible },
            { type: SectionType.Bss, name: 'bss', data: new Uint8Array(0), virtualSize: 4096 },
          ],
        }),
      );
      expect(r.sections.map((s) => s.compressed)).toEqual([false, false, false, true, false]);
      expect(r.sections[3].flags & SectionFlags.COMPRESSED).toBe(SectionFlags.COMPRESSED);
      expect(r.sections[3].virtualSize).toBe(compressible.length);
      expect(r.sections[4].virtualSize).toBe(4096);
      expect(r.header.compression).toBe(compression === 'zstd' ? 1 : 2);
    }
  });

  it('records the zstd level and produces the same bytes every time', () => {
    const spec = sampleModule({ compression: 'zstd', compressionLevel: 19 });
    const a = writeSmf(spec);
    expect(SmfReader.fromBytes(a).header.compressionLevel).toBe(19);
    expect(Buffer.compare(a, writeSmf(spec))).toBe(0);
  });

  it('clears a COMPRESSED bit passed in by the caller', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [{ type: 2, name: 'd', data: compressible, flags: 0x0b }] }));
    expect(r.sections[0].flags).toBe(0x03);
  });
});

describe('writeSmf input validation', () => {
  it('rejects names that do not fit or contain NUL', () => {
    expectWriteError({ sections: [{ type: 1, name: 'x'.repeat(17), data: new Uint8Array() }] }, 'sections[0].name');
    expectWriteError({ sections: [{ type: 1, name: 'a\0b', data: new Uint8Array() }] }, 'sections[0].name');
    expectWriteError({ sections: [], symbols: [{ name: 'a\0', type: 1, binding: 1, value: 0, size: 0 }] }, 'symbols[0].name');
  });

  it('rejects bad alignments, types, ranges and indices', () => {
    expectWriteError({ sections: [{ type: 1, name: 'c', data: new Uint8Array(), alignment: 3 }] }, 'sections[0].alignment');
    expectWriteError({ sections: [{ type: 0, name: 'c', data: new Uint8Array() }] }, 'sections[0].type');
    expectWriteError({ sections: [{ type: 256, name: 'c', data: new Uint8Array() }] }, 'sections[0].type');
    expectWriteError({ sections: [], symbols: [{ name: 'a', type: 1, binding: 1, value: -1, size: 0 }] }, 'symbols[0].value');
    expectWriteError({ sections: [], symbols: [{ name: 'a', type: 1, binding: 1, value: 2 ** 60, size: 0 }] }, 'symbols[0].value');
    expectWriteError({ sections: [], symbols: [{ name: 'a', type: 1, binding: 1, value: 0, size: 0, sectionIndex: 0 }] }, 'symbols[0].sectionIndex');
    expectWriteError({ sections: [], symbols: [{ name: 'a', type: 1, binding: 1, value: 0, size: 0 }], relocations: [{ offset: 0, symbolIndex: 1, type: 1, addend: 0 }] }, 'relocations[0].symbolIndex');
    expectWriteError({ sections: [], symbols: [{ name: 'a', type: 1, binding: 1, value: 0, size: 0 }], relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 1n << 63n }] }, 'relocations[0].addend');
    expectWriteError({ sections: [{ type: 1, name: 'c', data: new Uint8Array(4), virtualSize: 2 }] }, 'sections[0].virtualSize');
  });

  it('rejects a Reloc section given together with relocations, and a hand-made note.sdn section', () => {
    const symbols = [{ name: 'a', type: 1, binding: 1, value: 0, size: 0 }];
    expectWriteError(
      { sections: [{ type: 5, name: 'rela', data: new Uint8Array(24) }], symbols, relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 0 }] },
      'relocations',
    );
    expectWriteError({ sections: [{ type: 13, name: 'note.sdn', data: new Uint8Array() }] }, 'sections[0].name');
  });

  it('appends the note terminator once and refuses it elsewhere or an oversized note', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [], note: `a${NOTE_TERMINATOR}` }));
    expect(r.noteSdnText()).toBe(`a${NOTE_TERMINATOR}`);
    expectWriteError({ sections: [], note: `a${NOTE_TERMINATOR}b` }, 'note');
    expectWriteError({ sections: [], note: 'a\n# END_NOTE' }, 'note');
    expectWriteError({ sections: [], note: 'z'.repeat(MAX_NOTE_SIZE) }, 'note');
    expectWriteError({ sections: [], note: 'a', noteReserve: -1 }, 'noteReserve');
  });

  it('rejects an unknown compression name', () => {
    expectWriteError({ sections: [], compression: 'gzip' as never }, 'compression');
  });
});
