import { describe, expect, it } from 'vitest';
import { SmfWriteError } from '../../src/smf/errors.js';
import { DEFAULT_STUB, HeaderFlags, MAX_NOTE_SIZE, NOTE_SECTION_TYPE, SectionFlags, SectionType } from '../../src/smf/format.js';
import { encodeNote, defaultNoteReserve } from '../../src/smf/note.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec, type SmfSymbolSpec } from '../../src/smf/writer.js';

// The writer's refusals with their exact text and at the exact edge of each range (the last
// value written, the first refused), its defaults, and the bytes it lays out — where the
// writer's own tests checked only which field was refused (docs/testing.md, mutation testing).

function refusal(spec: SmfModuleSpec): string {
  let caught: unknown;
  try {
    writeSmf(spec);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SmfWriteError);
  const err = caught as SmfWriteError;
  expect(err.message).toBe(`${err.field}: ${(err.message as string).slice(err.field.length + 2)}`);
  return err.message;
}

const sym = (over: Partial<SmfSymbolSpec> = {}): SmfSymbolSpec => ({ name: 'a', type: 1, binding: 1, value: 0, size: 0, ...over });
const read = (spec: SmfModuleSpec) => SmfReader.fromBytes(writeSmf(spec));

describe('integer fields at the edges of their ranges', () => {
  it('u8, u16 and u32 fields: the largest is written, one more, a negative or a fraction is refused', () => {
    const r = read({
      platform: 255, arch: 255, appType: 255, windowWidth: 0xffff, windowHeight: 0xffff, prefetchHint: 255, prefetchFileCount: 255,
      flags: (0xffffffff & ~HeaderFlags.HAS_STUB) >>> 0, sections: [],
      symbols: [sym({ type: 255, binding: 255, visibility: 255, flags: 255, typeId: 0xffffffff, version: 0xffffffff, templateParamCount: 255 })],
    });
    expect(r.header).toMatchObject({ platform: 255, arch: 255, appType: 255, windowWidth: 0xffff, windowHeight: 0xffff, prefetchHint: 255, prefetchFileCount: 255 });
    expect(r.header.flags).toBe((0xffffffff & ~HeaderFlags.HAS_STUB) >>> 0);
    expect(r.symbol(0)).toMatchObject({ type: 255, binding: 255, visibility: 255, flags: 255, typeId: 0xffffffff, version: 0xffffffff, templateParamCount: 255 });

    expect(refusal({ sections: [], platform: 256 })).toBe('platform: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], arch: -1 })).toBe('arch: -1 is not an integer in 0..255');
    expect(refusal({ sections: [], windowWidth: 0x10000 })).toBe('windowWidth: 65536 is not an integer in 0..65535');
    expect(refusal({ sections: [], windowHeight: 1.5 })).toBe('windowHeight: 1.5 is not an integer in 0..65535');
    expect(refusal({ sections: [], flags: 2 ** 32 })).toBe('flags: 4294967296 is not an integer in 0..4294967295');
    expect(refusal({ sections: [], appType: 256 })).toBe('appType: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], prefetchHint: 256 })).toBe('prefetchHint: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], prefetchFileCount: 256 })).toBe('prefetchFileCount: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], symbols: [sym({ typeId: 2 ** 32 })] })).toBe('symbols[0].typeId: 4294967296 is not an integer in 0..4294967295');
    expect(refusal({ sections: [], symbols: [sym({ version: -1 })] })).toBe('symbols[0].version: -1 is not an integer in 0..4294967295');
    expect(refusal({ sections: [], symbols: [sym({ visibility: 256 })] })).toBe('symbols[0].visibility: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], symbols: [sym({ flags: 256 })] })).toBe('symbols[0].flags: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], symbols: [sym({ binding: 256 })] })).toBe('symbols[0].binding: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], symbols: [sym(), sym({ type: 256 })] })).toBe('symbols[1].type: 256 is not an integer in 0..255');
    expect(refusal({ sections: [], symbols: [sym({ templateParamCount: 256 })] })).toBe('symbols[0].templateParamCount: 256 is not an integer in 0..255');
    expect(refusal({ sections: [{ type: 2, name: 'd', data: new Uint8Array(), flags: -1 }] })).toBe('sections[0].flags: -1 is not an integer in 0..4294967295');
  });

  it('the defaults of the header fields', () => {
    const h = read({ sections: [] }).header;
    expect(h).toMatchObject({ platform: 0, arch: 6, flags: 0, appType: 0, windowWidth: 1280, windowHeight: 720, prefetchHint: 0, prefetchFileCount: 0,
      entryPoint: 0n, sourceHash: 0n, compression: 0, compressionLevel: 0, stubSize: 0, smfDataOffset: 0 });
  });

  it('a symbol section index up to the last section, counting rela and the note', () => {
    const spec = (sectionIndex: number): SmfModuleSpec => ({
      sections: [{ type: 2, name: 'd', data: new Uint8Array(8) }],
      symbols: [sym({ sectionIndex })],
      relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 0 }],
      note: 'n',
    });
    expect(read(spec(2)).symbol(0).sectionIndex).toBe(2);
    expect(refusal(spec(3))).toBe('symbols[0].sectionIndex: 3 is not an integer in 0..2');
  });

  it('u64 fields: 2^64 - 1 is written; 2^64, a negative and an inexact number are refused', () => {
    const max = (1n << 64n) - 1n;
    const r = read({ entryPoint: max, sourceHash: max, sections: [], symbols: [sym({ value: max, size: max, templateOffset: max })] });
    expect([r.header.entryPoint, r.header.sourceHash, r.symbol(0).value, r.symbol(0).size, r.symbol(0).templateOffset]).toEqual([max, max, max, max, max]);
    expect(read({ sections: [], symbols: [sym({ value: Number.MAX_SAFE_INTEGER })] }).symbol(0).value).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(refusal({ sections: [], entryPoint: 1n << 64n })).toBe('entryPoint: 18446744073709551616 does not fit in a u64');
    expect(refusal({ sections: [], sourceHash: -1n })).toBe('sourceHash: -1 does not fit in a u64');
    expect(refusal({ sections: [], symbols: [sym({ size: 2 ** 53 })] })).toBe('symbols[0].size: 9007199254740992 is not an exact integer; pass a bigint');
    expect(refusal({ sections: [], symbols: [sym({ templateOffset: 0.5 })] })).toBe('symbols[0].templateOffset: 0.5 is not an exact integer; pass a bigint');
    expect(refusal({ sections: [{ type: 8, name: 'b', data: new Uint8Array(), virtualSize: 1n << 64n }] })).toBe('sections[0].virtualSize: 18446744073709551616 does not fit in a u64');
  });

  it('relocation fields: i64 addends from -2^63 to 2^63 - 1, and the other fields', () => {
    const relocs = (r: Partial<{ offset: bigint | number; symbolIndex: number; type: number; addend: bigint | number }>): SmfModuleSpec => ({
      sections: [], symbols: [sym(), sym({ name: 'b' })], relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 0 }, { offset: 0, symbolIndex: 1, type: 1, addend: 0, ...r }],
    });
    const lo = -(1n << 63n);
    const hi = (1n << 63n) - 1n;
    expect(read(relocs({ addend: lo })).relocations()[1].addend).toBe(lo);
    expect(read(relocs({ addend: hi, offset: (1n << 64n) - 1n, type: 255 })).relocations()[1]).toEqual({ offset: (1n << 64n) - 1n, symbolIndex: 1, type: 255, addend: hi });
    expect(refusal(relocs({ addend: lo - 1n }))).toBe('relocations[1].addend: -9223372036854775809 does not fit in an i64');
    expect(refusal(relocs({ addend: hi + 1n }))).toBe('relocations[1].addend: 9223372036854775808 does not fit in an i64');
    expect(refusal(relocs({ addend: -(2 ** 53) }))).toBe('relocations[1].addend: -9007199254740992 is not an exact integer; pass a bigint');
    expect(read(relocs({ addend: -(2 ** 53 - 1) })).relocations()[1].addend).toBe(-(2n ** 53n - 1n));
    expect(refusal(relocs({ symbolIndex: 2 }))).toBe('relocations[1].symbolIndex: 2 is not an integer in 0..1');
    expect(refusal(relocs({ type: 256 }))).toBe('relocations[1].type: 256 is not an integer in 0..255');
    expect(refusal(relocs({ offset: -1 }))).toBe('relocations[1].offset: -1 does not fit in a u64');
    expect(refusal({ sections: [], relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 0 }] })).toBe('relocations[0].symbolIndex: the module has no symbols');
  });

  it('an empty relocation list writes no rela section', () => {
    expect(read({ sections: [], symbols: [sym()], relocations: [] }).sectionCount).toBe(0);
  });

  it('the zstd level 0..22; lz4 and none record level 0 whatever is passed', () => {
    expect(read({ sections: [], compression: 'zstd', compressionLevel: 22 }).header.compressionLevel).toBe(22);
    expect(read({ sections: [], compression: 'zstd' }).header.compressionLevel).toBe(0);
    expect(refusal({ sections: [], compression: 'zstd', compressionLevel: 23 })).toBe('compressionLevel: 23 is not an integer in 0..22');
    expect(read({ sections: [], compression: 'lz4', compressionLevel: 99 }).header.compressionLevel).toBe(0);
    expect(read({ sections: [], compressionLevel: 99 }).header).toMatchObject({ compression: 0, compressionLevel: 0 });
    expect(refusal({ sections: [], compression: 'brotli' as never })).toBe('compression: unknown algorithm brotli');
  });
});

describe('sections', () => {
  it('alignments: powers of two from 1 to 65536, by default 16 for Code and 8 otherwise', () => {
    const r = read({
      sections: [
        { type: SectionType.Code, name: 'c', data: new Uint8Array(1) },
        { type: SectionType.Data, name: 'd', data: new Uint8Array(1) },
        { type: SectionType.Data, name: 'one', data: new Uint8Array(1), alignment: 1 },
        { type: SectionType.Data, name: 'big', data: new Uint8Array(1), alignment: 65536 },
      ],
    });
    expect(r.sections.map((s) => [s.alignment, s.offset])).toEqual([[16, 0], [8, 8], [1, 9], [65536, 65536]]);
    for (const alignment of [0, 131072, 1.5, 6, -2]) {
      expect(refusal({ sections: [{ type: 2, name: 'd', data: new Uint8Array(), alignment }] })).toBe(`sections[0].alignment: ${alignment} is not a power of two in 1..65536`);
    }
  });

  it('default flags by type: Code read+exec, Data and Bss read+write, others read', () => {
    const types = [SectionType.Code, SectionType.Data, SectionType.Bss, SectionType.RoData, SectionType.TemplateCode];
    const r = read({ sections: types.map((type, i) => ({ type, name: `s${i}`, data: new Uint8Array(0) })) });
    const R = SectionFlags.READ;
    expect(r.sections.map((s) => s.flags)).toEqual([R | SectionFlags.EXEC, R | SectionFlags.WRITE, R | SectionFlags.WRITE, R, R]);
  });

  it('refusals of a section: type 0 or 256, a name of 17 bytes, a NUL, note.sdn, a virtual size below the data', () => {
    expect(refusal({ sections: [{ type: 0, name: 'z', data: new Uint8Array() }] })).toBe('sections[0].type: section type 0 is not a section');
    expect(refusal({ sections: [{ type: 256, name: 'z', data: new Uint8Array() }] })).toBe('sections[0].type: 256 is not an integer in 0..255');
    expect(read({ sections: [{ type: 255, name: 'é'.repeat(8), data: new Uint8Array() }] }).sections[0]).toMatchObject({ type: 255, name: 'é'.repeat(8) });
    expect(refusal({ sections: [{ type: 2, name: 'é'.repeat(8) + 'x', data: new Uint8Array() }] })).toBe('sections[0].name: "ééééééééx" is 17 bytes, the limit is 16');
    expect(refusal({ sections: [{ type: 2, name: 'a\0', data: new Uint8Array() }] })).toBe('sections[0].name: must be a string without NUL');
    expect(refusal({ sections: [{ type: NOTE_SECTION_TYPE, name: 'note.sdn', data: new Uint8Array() }] }))
      .toBe('sections[0].name: note.sdn is written from the `note` field, not as a section');
    expect(read({ sections: [{ type: SectionType.Data, name: 'note.sdn', data: new Uint8Array(1) }] }).sections[0].name).toBe('note.sdn');
    expect(refusal({ sections: [{ type: 2, name: 'd', data: new Uint8Array(4), virtualSize: 3 }] })).toBe('sections[0].virtualSize: 3 is smaller than the data (4 bytes)');
    expect(read({ sections: [{ type: 2, name: 'd', data: new Uint8Array(4), virtualSize: 4 }] }).sections[0].virtualSize).toBe(4);
  });

  it('compresses only what has data, is stored whole and shrinks', () => {
    const data = new TextEncoder().encode('abcd'.repeat(100));
    for (const compression of ['zstd', 'lz4'] as const) {
      const r = read({
        compression,
        sections: [
          { type: SectionType.Data, name: 'packed', data },
          { type: SectionType.Data, name: 'virtual', data, virtualSize: data.length + 1 },
          { type: SectionType.Data, name: 'empty', data: new Uint8Array(0) },
          { type: SectionType.Data, name: 'asked', data, compress: true },
        ],
      });
      expect(r.sections.map((s) => s.compressed)).toEqual([true, false, false, true]);
      expect(r.sections[0].size).toBeLessThan(data.length);
      expect(r.sections[1]).toMatchObject({ size: data.length, virtualSize: data.length + 1, flags: SectionFlags.READ | SectionFlags.WRITE });
      expect(r.sections[0].flags).toBe(SectionFlags.READ | SectionFlags.WRITE | SectionFlags.COMPRESSED);
      expect(r.sectionData(0)).toEqual(data);
    }
    const none = read({ sections: [{ type: SectionType.Data, name: 'd', data, compress: true }] });
    expect(none.sections[0]).toMatchObject({ compressed: false, size: data.length });
  });

  it('payloads are laid out in order, aligned, then the tables at a multiple of 8', () => {
    const bytes = writeSmf({
      sections: [
        { type: 2, name: 'a', data: Uint8Array.from([1, 2, 3]), alignment: 1 },
        { type: 2, name: 'b', data: Uint8Array.from([4]), alignment: 4 },
        { type: 2, name: 'c', data: Uint8Array.from([5]), alignment: 1 },
      ],
      symbols: [sym()],
    });
    expect([...bytes.subarray(0, 6)]).toEqual([1, 2, 3, 0, 4, 5]);
    const r = SmfReader.fromBytes(bytes);
    expect(r.sections.map((s) => s.offset)).toEqual([0, 4, 5]);
    expect(r.header.sectionTableOffset).toBe(8n);
    expect(r.header.symbolTableOffset).toBe(8n + 3n * 64n);
    expect(bytes.length).toBe(8 + 3 * 64 + 56 + 3 + 128);
    expect([...bytes.subarray(8 + 3 * 64 + 56, 8 + 3 * 64 + 56 + 3)]).toEqual([0, 0x61, 0]);
  });
});

describe('symbols, stub and note', () => {
  it('counts global and weak symbols as exported, not local or others', () => {
    const r = read({ sections: [], symbols: [sym({ binding: 0 }), sym({ binding: 1 }), sym({ binding: 2 }), sym({ binding: 3 }), sym({ binding: 1, name: 'b' })] });
    expect(r.header.exportedCount).toBe(3);
    expect(read({ sections: [] }).header.exportedCount).toBe(0);
  });

  it('string table: a NUL first, each distinct name once, UTF-8', () => {
    const bytes = writeSmf({ sections: [], symbols: [sym({ name: 'é' }), sym({ name: '' }), sym({ name: 'é' }), sym({ name: 'b' })] });
    expect([...bytes.subarray(bytes.length - 128 - 6, bytes.length - 128)]).toEqual([0, 0xc3, 0xa9, 0, 0x62, 0]);
    const r = SmfReader.fromBytes(bytes);
    expect([0, 1, 2, 3].map((i) => r.symbol(i).name)).toEqual(['é', '', 'é', 'b']);
    expect(refusal({ sections: [], symbols: [sym(), sym({ name: 'x\0y' })] })).toBe('symbols[1].name: must be a string without NUL');
  });

  it('stub: none, the default launcher line, or given bytes; HAS_STUB follows it', () => {
    const plain = writeSmf({ sections: [], stub: false, flags: HeaderFlags.HAS_STUB });
    expect(SmfReader.fromBytes(plain).header).toMatchObject({ flags: 0, stubSize: 0, smfDataOffset: 0 });
    const launcher = writeSmf({ sections: [], stub: true });
    expect(new TextDecoder().decode(launcher.subarray(0, DEFAULT_STUB.length))).toBe(DEFAULT_STUB);
    expect(SmfReader.fromBytes(launcher).header).toMatchObject({ flags: HeaderFlags.HAS_STUB, stubSize: DEFAULT_STUB.length, smfDataOffset: DEFAULT_STUB.length });
    const custom = writeSmf({ sections: [], stub: Uint8Array.from([0x4d, 0x5a, 1]) });
    expect([...custom.subarray(0, 3)]).toEqual([0x4d, 0x5a, 1]);
    expect(SmfReader.fromBytes(custom).dataOffset).toBe(3);
  });

  it('the note: reserve after it, refusals with their text', () => {
    const exact = encodeNote('n').length;
    const r = read({ sections: [], note: 'n', noteReserve: 5 });
    const noteAt = r.noteSection()!.offset;
    expect(r.noteCapacity()).toBe(Math.ceil((noteAt + exact + 5) / 8) * 8 - noteAt);
    const d = read({ sections: [], note: 'n' });
    expect(d.noteCapacity()).toBe(Math.ceil((exact + defaultNoteReserve(exact)) / 8) * 8);
    expect(defaultNoteReserve(2560)).toBe(256);
    expect(defaultNoteReserve(2561)).toBe(257);
    expect(defaultNoteReserve(0)).toBe(256);
    expect(refusal({ sections: [], note: 'n', noteReserve: -1 })).toBe('noteReserve: -1 is not a byte count');
    expect(refusal({ sections: [], note: 'n', noteReserve: 0.5 })).toBe('noteReserve: 0.5 is not a byte count');
    expect(read({ sections: [], note: 'n', noteReserve: 0 }).noteCapacity()).toBe(Math.ceil(exact / 8) * 8);
    expect(refusal({ sections: [], note: 'a\n# END_NOTE\nb' })).toBe('note: the terminator "\\n# END_NOTE\\n" may only appear at the end');
  });

  it('a note of exactly the 16 MiB limit is written; one byte more is refused', () => {
    const fill = MAX_NOTE_SIZE - '\n# END_NOTE\n'.length;
    expect(encodeNote('z'.repeat(fill)).length).toBe(MAX_NOTE_SIZE);
    let caught: unknown;
    try {
      encodeNote('z'.repeat(fill + 1), 'x.note');
    } catch (e) {
      caught = e;
    }
    expect((caught as SmfWriteError).message).toBe(`x.note: ${MAX_NOTE_SIZE + 1} bytes exceed the ${MAX_NOTE_SIZE}-byte note limit`);
  });

  it('the hash option: the field is zero when asked not to hash', () => {
    const unhashed = SmfReader.fromBytes(writeSmf({ sections: [] }, { hash: false }));
    expect(unhashed.header.moduleHash).toBe(0n);
    expect(SmfReader.fromBytes(writeSmf({ sections: [] })).header.moduleHash).not.toBe(0n);
  });
});
