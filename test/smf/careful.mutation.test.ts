import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { SmfFormatError } from '../../src/smf/errors.js';
import { DEFAULT_STUB, HeaderFlags, NOTE_SECTION_TYPE, SectionFlags, SectionType } from '../../src/smf/format.js';
import { computeModuleHash } from '../../src/smf/hash.js';
import { HeaderField, encodeHeader, type SmfHeader } from '../../src/smf/header.js';
import { DEFAULT_LIMITS, carefulLayout } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { eight, expectSmfError, patchable, sampleModule } from './fixtures.js';

// The careful layout path's refusals (`layout.ts` lines 186-385), each with its exact text,
// field and byte, and at its edge: the last value accepted and the first refused. The suite
// checked most of them by code and field only (docs/testing.md, mutation testing).

const H = HeaderField;
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

const two = (): SmfModuleSpec => ({ sections: [eight('a'), eight('b')] });

/** A v1.0 file, its header at offset 0 and the data after it to EOF; one section entry at 128 unless `entry` is null. */
function startFile(h: Partial<SmfHeader>, entry: { offset: bigint; size: bigint } | null, extra = 0): Uint8Array {
  const bytes = new Uint8Array(128 + (entry ? 64 : 0) + extra);
  bytes.set(encodeHeader({
    versionMajor: 1, versionMinor: 0, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
    sectionCount: entry ? 1 : 0, sectionTableOffset: entry ? 128n : 0n, symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0,
    entryPoint: 0n, stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0,
    prefetchHint: 0, prefetchFileCount: 0, ...h,
  }), 0);
  if (entry) {
    const name = new Uint8Array(16);
    name.set([0x65]);
    encodeSectionEntry(new DataView(bytes.buffer), 128, { type: SectionType.RoData, flags: 1, offset: entry.offset, size: entry.size, virtualSize: entry.size, alignment: 1, name });
  }
  return bytes;
}
const openStart = (bytes: Uint8Array) => SmfReader.fromBytes(bytes, { file: 'v10.smf' });

describe('not an SMF file', () => {
  it('shorter than a header: said plainly, with the size', () => {
    const err = expectSmfError(() => SmfReader.fromBytes(new Uint8Array(127), { file: 'x.bin' }), 'SMF_TRUNCATED', 'header');
    expect([err.offset, err.detail]).toEqual([0, 'file is 127 bytes, shorter than the 128-byte header']);
    expect(err.message).toBe('x.bin: not an SMF file (it is 127 bytes, shorter than an SMF header, 128 bytes)');
  });

  it('128 bytes or more without the magic: no header, said plainly', () => {
    for (const size of [128, 300]) {
      const err = expectSmfError(() => SmfReader.fromBytes(new Uint8Array(size), { file: 'x.bin' }), 'SMF_BAD_MAGIC', 'header.magic');
      expect([err.offset, err.detail]).toEqual([size - 128, 'no SMF\\0 magic at EOF-128 or at 0 (not an SMF file, or truncated)']);
      expect(err.message).toBe('x.bin: not an SMF file (no SMF header at its end or start; a module cut short looks the same)');
    }
  });
});

describe('header fields', () => {
  it('version 1.0 and 1.1 are read; 2.1 and 1.2 are refused at their bytes', () => {
    const old = patchable(two());
    old.bytes[old.headerAt + H.version_minor] = 0;
    expect(old.open().header.versionMinor).toBe(0);

    const major = patchable(two());
    major.bytes[major.headerAt + H.version_major] = 2;
    const e1 = expectSmfError(major.open, 'SMF_BAD_VERSION', 'header.version_major');
    expect([e1.offset, e1.detail]).toEqual([major.headerAt + 4, 'version 2.1 is not supported (1.0 and 1.1 are)']);
    expect(e1.message).toBe(`app.smf: header.version_major: version 2.1 is not supported (1.0 and 1.1 are) at byte ${hex(major.headerAt + 4)}`);

    const minor = patchable(two());
    minor.bytes[minor.headerAt + H.version_minor] = 2;
    const e2 = expectSmfError(minor.open, 'SMF_BAD_VERSION', 'header.version_minor');
    expect([e2.offset, e2.detail]).toEqual([minor.headerAt + 5, 'version 1.2 is not supported (1.0 and 1.1 are)']);
  });

  it('compression 2 (lz4) is the last algorithm; 3 is refused', () => {
    const lz4 = patchable(two());
    lz4.bytes[lz4.headerAt + H.compression] = 2;
    expect(lz4.open().header.compression).toBe(2);
    const bad = patchable(two());
    bad.bytes[bad.headerAt + H.compression] = 3;
    const err = expectSmfError(bad.open, 'SMF_BAD_FIELD', 'header.compression');
    expect([err.offset, err.detail]).toEqual([bad.headerAt + 12, 'unknown compression algorithm 3']);
  });

  it('stub_size and smf_data_offset must agree with HAS_STUB', () => {
    const stub = DEFAULT_STUB.length;
    const set = patchable({ ...two(), stub: true });
    set.view.setUint32(set.headerAt + H.smf_data_offset, 5, true);
    const e1 = expectSmfError(set.open, 'SMF_BAD_FIELD', 'header.smf_data_offset');
    expect([e1.offset, e1.detail]).toEqual([set.headerAt + 56, `stub_size ${stub} and smf_data_offset 5 disagree with HAS_STUB set`]);

    const size = patchable(two());
    size.view.setUint32(size.headerAt + H.stub_size, 4, true);
    expect(expectSmfError(size.open, 'SMF_BAD_FIELD', 'header.smf_data_offset').detail).toBe('stub_size 4 and smf_data_offset 0 disagree with HAS_STUB clear');

    const offset = patchable(two());
    offset.view.setUint32(offset.headerAt + H.smf_data_offset, 4, true);
    expect(expectSmfError(offset.open, 'SMF_BAD_FIELD', 'header.smf_data_offset').detail).toBe('stub_size 0 and smf_data_offset 4 disagree with HAS_STUB clear');
  });

  it('a header at offset 0 with a stub', () => {
    const bytes = startFile({ flags: HeaderFlags.HAS_STUB, stubSize: 4, smfDataOffset: 4 }, null, 8);
    const err = expectSmfError(() => openStart(bytes), 'SMF_BAD_FIELD', 'header.smf_data_offset');
    expect([err.offset, err.detail]).toEqual([56, 'a header at offset 0 leaves no room for a stub']);
  });

  it('smf_data_offset at the header is read (an empty data area); one past it is refused', () => {
    const stub = Uint8Array.from([0x4d, 0x5a, 1, 2]);
    const at = (base: number) => {
      const d = patchable({ sections: [], stub });
      d.view.setUint32(d.headerAt + H.stub_size, base, true);
      d.view.setUint32(d.headerAt + H.smf_data_offset, base, true);
      return d;
    };
    const d = at(5);
    expect(d.headerAt).toBe(5);
    expect(d.open().dataOffset).toBe(5);

    const past = at(6);
    const err = expectSmfError(past.open, 'SMF_OUT_OF_BOUNDS', 'header.smf_data_offset');
    expect([err.offset, err.detail]).toEqual([5 + 56, '0x6 is past the header at 0x5']);
  });

  it('a stored hash that does not match: both hashes said; a zero hash or verifyHash false skips it', () => {
    const bytes = writeSmf(two());
    const r = SmfReader.fromBytes(bytes);
    const stored = r.header.moduleHash;
    bytes[0] ^= 1;
    const err = expectSmfError(() => SmfReader.fromBytes(bytes, { file: 'app.smf' }), 'SMF_HASH_MISMATCH', 'header.module_hash');
    const computed = computeModuleHash(bytes, 0, r.headerOffset + H.module_hash);
    expect([err.offset, err.detail]).toEqual([r.headerOffset + 60, `stored ${hex(stored)} but the contents hash to ${hex(computed)}`]);
    expect(SmfReader.fromBytes(bytes, { verifyHash: false }).sectionData(0)[0]).toBe(0);
    new DataView(bytes.buffer).setBigUint64(r.headerOffset + H.module_hash, 0n, true);
    expect(SmfReader.fromBytes(bytes).header.moduleHash).toBe(0n);
  });
});

describe('table ranges and counts', () => {
  it('a section table running past the data area: both ends and the file size', () => {
    const d = patchable(two());
    const start = BigInt(d.dataEnd - 64);
    d.view.setBigUint64(d.headerAt + H.section_table_offset, start, true);
    const err = expectSmfError(d.open, 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
    expect(err.offset).toBe(d.headerAt + 20);
    expect(err.detail).toBe(`section table ${hex(start)}..${hex(start + 128n)} is past the end of the data area (${hex(d.dataEnd)}; file size ${hex(d.bytes.length)})`);
  });

  it('with the header at 0: a table at 128 is read, at 127 it starts inside the header', () => {
    expect(openStart(startFile({}, { offset: 128n, size: 0n })).sections.length).toBe(1);
    const err = expectSmfError(() => openStart(startFile({ sectionTableOffset: 127n }, { offset: 128n, size: 0n })), 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
    expect([err.offset, err.detail]).toEqual([20, 'section table at 0x7f starts before the data area (0x80)']);
  });

  it('with the header at 0, data running past EOF is a cut file while it starts within the file', () => {
    // 128 + 64 + 8 bytes: a section starting at EOF or before it and running past it is
    // truncated; a table starting past EOF is out of bounds.
    for (const [offset, size] of [[200n, 1n], [196n, 8n]] as const) {
      const err = expectSmfError(() => openStart(startFile({}, { offset, size }, 8)), 'SMF_TRUNCATED', 'section[0].size');
      expect(err.detail).toBe(`section "e" ${hex(offset)}..${hex(offset + size)} is past the end of the data area (0xc8; file size 0xc8)`);
      expect(err.offset).toBe(128 + 16);
    }
    const table = expectSmfError(() => openStart(startFile({ sectionTableOffset: 193n }, { offset: 128n, size: 0n })), 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
    expect(table.detail).toBe('section table 0xc1..0x101 is past the end of the data area (0xc0; file size 0xc0)');
    const atEnd = expectSmfError(() => openStart(startFile({ sectionTableOffset: 192n }, { offset: 128n, size: 0n })), 'SMF_TRUNCATED', 'header.section_table_offset');
    expect(atEnd.detail).toBe('section table 0xc0..0x100 is past the end of the data area (0xc0; file size 0xc0)');
  });

  it('counts: the text names the count, the entry size, the room and the limit', () => {
    const d = patchable(two());
    const limit = { maxSectionCount: 1 };
    const e1 = expectSmfError(() => SmfReader.fromBytes(d.bytes, { file: 'app.smf', limits: limit }), 'SMF_TOO_MANY', 'header.section_count');
    expect([e1.offset, e1.detail]).toEqual([d.headerAt + 16, `2 sections of 64 bytes cannot fit in ${d.dataEnd} bytes of data (limit 1)`]);

    const bytes = startFile({ sectionCount: 2 }, { offset: 128n, size: 0n });
    expect(expectSmfError(() => openStart(bytes), 'SMF_TOO_MANY', 'header.section_count').detail)
      .toBe('2 sections of 64 bytes cannot fit in 64 bytes of data (limit 1048576)');
    const symbols = startFile({ symbolCount: 2, symbolTableOffset: 128n }, { offset: 128n, size: 0n });
    const e2 = expectSmfError(() => openStart(symbols), 'SMF_TOO_MANY', 'header.symbol_count');
    expect([e2.offset, e2.detail]).toEqual([36, '2 symbols of 56 bytes cannot fit in 64 bytes of data (limit 16777216)']);
  });
});

describe('section entries', () => {
  it('type 0, and a bad alignment; alignment 0 is read as 1', () => {
    const t = patchable(two());
    t.bytes[t.entryAt(1)] = 0;
    const e1 = expectSmfError(t.open, 'SMF_BAD_FIELD', 'section[1].section_type');
    expect([e1.offset, e1.detail]).toEqual([t.entryAt(1), 'section type 0 is not a section']);

    const a = patchable(two());
    a.view.setUint32(a.entryAt(1) + 32, 24, true);
    const e2 = expectSmfError(a.open, 'SMF_BAD_FIELD', 'section[1].alignment');
    expect([e2.offset, e2.detail]).toEqual([a.entryAt(1) + 32, '24 is not a power of two up to 65536']);

    const z = patchable(two());
    z.view.setUint32(z.entryAt(1) + 32, 0, true);
    expect(z.open().sections[1].alignment).toBe(1);
  });

  it('with the header at 0: a section at 128 is read, at 127 it is inside the header', () => {
    expect(openStart(startFile({}, { offset: 192n, size: 8n }, 8)).sectionData(0).length).toBe(8);
    const err = expectSmfError(() => openStart(startFile({}, { offset: 127n, size: 0n })), 'SMF_OUT_OF_BOUNDS', 'section[0].offset');
    expect([err.offset, err.detail]).toEqual([128 + 8, '0x7f is inside the header']);
  });

  it('an offset past the data area, and a size running past it', () => {
    const o = patchable(two());
    o.view.setBigUint64(o.entryAt(0) + 8, BigInt(o.dataEnd + 1), true);
    o.view.setBigUint64(o.entryAt(0) + 16, 0n, true);
    const e1 = expectSmfError(o.open, 'SMF_OUT_OF_BOUNDS', 'section[0].offset');
    expect([e1.offset, e1.detail]).toEqual([o.entryAt(0) + 8, `${hex(o.dataEnd + 1)} is past the end of the data area (${hex(o.dataEnd)}; file size ${hex(o.bytes.length)})`]);

    const s = patchable(two());
    const at = s.r.sections[1].offset;
    s.view.setBigUint64(s.entryAt(1) + 16, BigInt(s.dataEnd - at + 1), true);
    const e2 = expectSmfError(s.open, 'SMF_OUT_OF_BOUNDS', 'section[1].size');
    expect([e2.offset, e2.detail]).toEqual([s.entryAt(1) + 16, `section "b" ${hex(at)}..${hex(s.dataEnd + 1)} is past the end of the data area (${hex(s.dataEnd)}; file size ${hex(s.bytes.length)})`]);
  });

  it('a virtual size up to 2^53 - 1 is read; 2^53 is beyond any addressable size', () => {
    const ok = patchable(two());
    ok.view.setBigUint64(ok.entryAt(0) + 24, 2n ** 53n - 1n, true);
    expect(ok.open().sections[0].virtualSize).toBe(2 ** 53 - 1);
    const d = patchable(two());
    d.view.setBigUint64(d.entryAt(0) + 24, 2n ** 53n, true);
    const err = expectSmfError(d.open, 'SMF_BAD_FIELD', 'section[0].virtual_size');
    expect([err.offset, err.detail]).toEqual([d.entryAt(0) + 24, '0x20000000000000 is beyond any addressable size']);
  });
});

describe('the note entry', () => {
  it('a note with a size', () => {
    const d = patchable({ sections: [eight('a')], note: 'n' });
    d.view.setBigUint64(d.entryAt(1) + 16, 1n, true);
    const err = expectSmfError(d.open, 'SMF_BAD_FIELD', 'section[1].size');
    expect([err.offset, err.detail]).toEqual([d.entryAt(1) + 16, 'note.sdn must have size 0 (its text ends at the terminator)']);
  });

  it('a compressed note is refused in a compressed module; the bit alone is ignored', () => {
    const d = patchable({ sections: [eight('a')], note: 'n', compression: 'lz4' });
    d.view.setUint32(d.entryAt(1) + 4, SectionFlags.READ | SectionFlags.COMPRESSED, true);
    const err = expectSmfError(d.open, 'SMF_BAD_FIELD', 'section[1].flags');
    expect([err.offset, err.detail]).toEqual([d.entryAt(1) + 4, 'note.sdn cannot be compressed']);

    const plain = patchable({ sections: [eight('a')], note: 'n' });
    plain.view.setUint32(plain.entryAt(1) + 4, SectionFlags.READ | SectionFlags.COMPRESSED, true);
    expect(plain.open().noteSdnText()).toBe('n\n# END_NOTE\n');
  });

  it('only a TemplateMeta section named note.sdn is the note', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [eight('note.sdn', SectionType.Data)], note: 'n' }));
    expect(r.noteSection()?.index).toBe(1);
    expect(r.sections[0].type).not.toBe(NOTE_SECTION_TYPE);
  });
});

describe('empty sections', () => {
  it('inside another section: where, and which', () => {
    const d = patchable({ sections: [eight('a'), eight('b'), { type: SectionType.RoData, name: 'e', data: new Uint8Array(0) }] });
    const b = d.r.sections[1];
    d.view.setBigUint64(d.entryAt(2) + 8, BigInt(b.offset + 3), true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'section[2].offset');
    expect(err.offset).toBe(d.entryAt(2) + 8);
    expect(err.detail).toBe(`empty section at ${hex(b.offset + 3)} lies inside section[1] (${hex(b.offset)}..${hex(b.offset + 8)})`);
  });

  it('at the start or the end of another section it is read', () => {
    for (const where of [0, 8]) {
      const d = patchable({ sections: [eight('a'), eight('b'), { type: SectionType.RoData, name: 'e', data: new Uint8Array(0) }] });
      const b = d.r.sections[1];
      d.view.setBigUint64(d.entryAt(2) + 8, BigInt(b.offset + where), true);
      expect(d.open().sections[2].offset).toBe(b.offset + where);
    }
  });
});

describe('what the careful path returns', () => {
  it('matches what the file holds when the fast path refuses it (a non-ASCII name)', () => {
    const d = patchable({ sections: [eight('é'), eight('b')], symbols: [{ name: 'f', type: 1, binding: 1, value: 0, size: 0 }], note: 'n', stub: true });
    const r = d.open();
    expect(r.sections.map((s) => [s.name, s.offset, s.fileOffset, s.size])).toEqual([
      ['é', 0, DEFAULT_STUB.length, 8], ['b', 8, DEFAULT_STUB.length + 8, 8], ['note.sdn', 16, DEFAULT_STUB.length + 16, 0],
    ]);
    expect(r.symbol(0).name).toBe('f');
    expect(r.noteSdnText()).toBe('n\n# END_NOTE\n');
    expect(r.noteCapacity()).toBe(Number(r.header.sectionTableOffset) - 16);
    expect(r.findSectionIndex(SectionType.RoData, 'b')).toBe(1);
    expect(r.sectionData(1)).toEqual(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('every error is an SmfFormatError naming the file', () => {
    const d = patchable(two());
    d.bytes[d.entryAt(0)] = 0;
    expect(() => d.open()).toThrow(SmfFormatError);
    expect(() => d.open()).toThrow(/^app\.smf: section\[0\]\.section_type: /);
  });
});

describe('a v1.0 file (the header at offset 0)', () => {
  /** The sample module moved to the v1.0 layout: the header first, every offset 128 further on. */
  function asVersion10(spec: SmfModuleSpec): Uint8Array {
    const d = patchable(spec);
    const out = new Uint8Array(d.bytes.length);
    out.set(d.bytes.subarray(d.headerAt), 0);
    out.set(d.bytes.subarray(0, d.headerAt), 128);
    const v = new DataView(out.buffer);
    v.setUint8(H.version_minor, 0);
    for (const f of [H.section_table_offset, H.symbol_table_offset]) v.setBigUint64(f, v.getBigUint64(f, true) + 128n, true);
    for (let i = 0; i < d.r.sectionCount; i++) {
      const at = 128 + Number(d.r.header.sectionTableOffset) + i * 64 + 8;
      v.setBigUint64(at, v.getBigUint64(at, true) + 128n, true);
    }
    return out;
  }

  it('reads the same module on both paths: sections, symbols, relocations, the note and its room', () => {
    const spec = sampleModule();
    const original = SmfReader.fromBytes(writeSmf(spec));
    const bytes = asVersion10(spec);
    const opts = { file: 'v10.smf', verifyHash: true, limits: DEFAULT_LIMITS };
    const fast = acceptLayout(bytes, opts);
    expect(fast).not.toBeNull();
    const { sections: _a, view: _b, ...f } = fast!;
    const { sections: _c, view: _d, ...c } = carefulLayout(bytes, opts);
    expect(f).toEqual(c);
    expect(f).toMatchObject({ headerLocation: 'start', headerAt: 0, base: 0, sectionTableAt: 128 + Number(original.header.sectionTableOffset) });
    expect(f.stringTableSize).toBe(bytes.length - f.stringTableAt);

    const r = SmfReader.fromBytes(bytes);
    expect(r.headerLocation).toBe('start');
    expect(r.sections.map((s) => [s.name, s.offset - 128, s.size])).toEqual(original.sections.map((s) => [s.name, s.offset, s.size]));
    expect([...r.symbols()].map((s) => s.name)).toEqual([...original.symbols()].map((s) => s.name));
    expect(r.relocations()).toEqual(original.relocations());
    expect(r.noteSdnText()).toBe(original.noteSdnText());
    expect(r.noteCapacity()).toBe(original.noteCapacity());
    for (let i = 0; i < r.sectionCount; i++) expect(r.sectionData(i)).toEqual(original.sectionData(i));
  });
});
