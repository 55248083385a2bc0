import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { HeaderFlags, NOTE_SECTION_TYPE, SectionFlags, SectionType } from '../../src/smf/format.js';
import { HeaderField, encodeHeader, type SmfHeader } from '../../src/smf/header.js';
import { DEFAULT_LIMITS, carefulLayout, type Layout } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { findSectionIndex, sectionNameWords } from '../../src/smf/section-names.js';
import { moduleHashMatches } from '../../src/smf/hash.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { eight, expectSmfError, moduleSpec, patchable } from './fixtures.js';

// The fast path reads a file laid out as this toolchain's writer lays one out — sections in
// ascending order, each after the one before, then the section table, the symbol table and the
// strings — in one pass with no sort; any other file goes to the careful path. These tests hold
// it to both halves of that: every file the writer writes takes the fast path (else every load
// pays the careful one), and whatever the fast path accepts the careful one reads the same.

const OPTS = { file: 'f.smf', verifyHash: true, limits: DEFAULT_LIMITS };
const HEADER: SmfHeader = {
  versionMajor: 1, versionMinor: 1, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
  sectionCount: 0, sectionTableOffset: 0n, symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0,
  entryPoint: 0n, stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0,
  prefetchHint: 0, prefetchFileCount: 0,
};
const NO_HASH = { ...OPTS, verifyHash: false };
/** The name field of a section named `e`. */
const NAME_E = Uint8Array.from([0x65, ...new Array<number>(15).fill(0)]);

function same(fast: Layout, careful: Layout): void {
  const { sections: _a, view: _b, ...f } = fast;
  const { sections: _c, view: _d, ...c } = careful;
  expect(f).toEqual(c);
}

describe('the fast path and the writer', () => {
  it('takes every file the writer writes, and reads it as the careful path does', () => {
    fc.assert(
      fc.property(moduleSpec, fc.boolean(), (spec, hash) => {
        const bytes = writeSmf(spec, { hash });
        const fast = acceptLayout(bytes, OPTS);
        expect(fast, 'the fast path takes a file the writer wrote').not.toBeNull();
        same(fast!, carefulLayout(bytes, OPTS));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts nothing the careful path refuses or reads otherwise, whatever bytes of the tables and header change', () => {
    const spec = { sections: [eight('a'), { type: SectionType.RoData, name: 'e', data: new Uint8Array(0) }, eight('b')], note: 'n', symbols: [] };
    const base = writeSmf(spec, { hash: false });
    const r = SmfReader.fromBytes(base);
    const tableAt = r.dataOffset + Number(r.header.sectionTableOffset);
    // Bytes of the section table and the header's offsets and counts, set to values near the edges.
    const at = fc.oneof(fc.integer({ min: tableAt, max: tableAt + 4 * 64 - 1 }), fc.constantFrom(...[16, 20, 24, 28, 32, 36].map((f) => r.headerOffset + f)));
    const value = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 7, 8, 0x80, 0xff));
    fc.assert(
      fc.property(fc.array(fc.tuple(at, value), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = base.slice();
        for (const [i, v] of edits) bytes[i] = v;
        const fast = acceptLayout(bytes, NO_HASH);
        if (fast === null) return;
        same(fast, carefulLayout(bytes, NO_HASH));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what the fast path leaves to the careful one', () => {
  it('sections out of order: read by the careful path', () => {
    const m = patchable({ sections: [eight('a'), eight('b')] });
    // Swap the two payloads' offsets: still disjoint, no longer ascending.
    m.view.setBigUint64(m.entryAt(0) + 8, 8n, true);
    m.view.setBigUint64(m.entryAt(1) + 8, 0n, true);
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expect(SmfReader.fromBytes(m.bytes).sections.map((s) => s.offset)).toEqual([8, 0]);
  });

  it('a section starting inside the one before: refused, by its own offset field', () => {
    const m = patchable({ sections: [eight('a'), eight('b')] });
    m.view.setBigUint64(m.entryAt(1) + 8, 7n, true);
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(m.bytes), 'SMF_OVERLAP', 'section[1].offset');
    // Starting where it ends is fine.
    m.view.setBigUint64(m.entryAt(1) + 8, 8n, true);
    expect(acceptLayout(m.bytes, NO_HASH)).not.toBeNull();
  });

  it('a section running into the section table: refused; one ending at it is read', () => {
    const m = patchable({ sections: [eight('a')] });
    const tableAt = Number(m.r.header.sectionTableOffset);
    m.view.setBigUint64(m.entryAt(0) + 8, BigInt(tableAt - 8), true);
    same(acceptLayout(m.bytes, NO_HASH)!, carefulLayout(m.bytes, NO_HASH));
    m.view.setBigUint64(m.entryAt(0) + 8, BigInt(tableAt - 7), true);
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(m.bytes), 'SMF_OVERLAP');
  });

  it('the symbol table before the section table, or over it', () => {
    const m = patchable({ sections: [eight('a')], symbols: [{ name: 's', type: 1, binding: 1, value: 0, size: 0 }] });
    const sectionTable = Number(m.r.header.sectionTableOffset);
    // Over the section table's last byte: refused by both.
    m.view.setBigUint64(m.headerAt + HeaderField.symbol_table_offset, BigInt(sectionTable + 63), true);
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(m.bytes), 'SMF_OVERLAP');
    // Right after it, as the writer puts it: read.
    m.view.setBigUint64(m.headerAt + HeaderField.symbol_table_offset, BigInt(sectionTable + 64), true);
    expect(acceptLayout(m.bytes, NO_HASH)).not.toBeNull();
  });

  it('offsets and sizes past 4 GiB, and a virtual size past 2^53 - 1', () => {
    for (const [field, value, code] of [
      [8, 2n ** 32n, 'SMF_OUT_OF_BOUNDS'],
      [16, 2n ** 32n + 8n, 'SMF_OUT_OF_BOUNDS'],
      [24, 2n ** 53n, 'SMF_BAD_FIELD'],
    ] as const) {
      const m = patchable({ sections: [eight('a')] });
      m.view.setBigUint64(m.entryAt(0) + field, value, true);
      expect(acceptLayout(m.bytes, NO_HASH), `field at ${field}`).toBeNull();
      expectSmfError(() => SmfReader.fromBytes(m.bytes), code);
    }
  });

  it('counts over the reader\'s limits', () => {
    const m = patchable({ sections: [eight('a'), eight('b')], symbols: [{ name: 's', type: 1, binding: 1, value: 0, size: 0 }, { name: 't', type: 1, binding: 1, value: 0, size: 0 }] });
    for (const limits of [{ ...DEFAULT_LIMITS, maxSectionCount: 1 }, { ...DEFAULT_LIMITS, maxSymbolCount: 1 }]) {
      const opts = { ...NO_HASH, limits };
      expect(acceptLayout(m.bytes, opts)).toBeNull();
      expect(() => carefulLayout(m.bytes, opts)).toThrow(/SMF_TOO_MANY|cannot fit|limit/);
    }
    expect(acceptLayout(m.bytes, { ...NO_HASH, limits: { ...DEFAULT_LIMITS, maxSectionCount: 2, maxSymbolCount: 2 } })).not.toBeNull();
    // Symbols alone, over their limit: nothing else in the file to refuse.
    const symbols = writeSmf({ sections: [], symbols: [{ name: 's', type: 1, binding: 1, value: 0, size: 0 }, { name: 't', type: 1, binding: 1, value: 0, size: 0 }] });
    expect(acceptLayout(symbols, { ...OPTS, limits: { ...DEFAULT_LIMITS, maxSymbolCount: 1 } })).toBeNull();
    expect(acceptLayout(symbols, OPTS)).not.toBeNull();
  });

  it('a section table said to run one byte into the header, a well-formed entry where it would start at 0', () => {
    const bytes = new Uint8Array(64 + 128);
    encodeSectionEntry(new DataView(bytes.buffer), 0, { type: SectionType.RoData, flags: 1, offset: 0n, size: 0n, virtualSize: 0n, alignment: 1, name: NAME_E });
    bytes.set(encodeHeader({ ...HEADER, sectionCount: 1, sectionTableOffset: 1n }), 64);
    expect(acceptLayout(bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
  });

  it('a v1.0 section table starting in the header, its entry well formed from there', () => {
    // The header's last (reserved) byte is read as the entry's type.
    const bytes = new Uint8Array(128 + 64);
    bytes.set(encodeHeader({ ...HEADER, versionMinor: 0, sectionCount: 1, sectionTableOffset: 127n }), 0);
    const entry = new Uint8Array(64);
    encodeSectionEntry(new DataView(entry.buffer), 0, { type: SectionType.RoData, flags: 1, offset: 191n, size: 0n, virtualSize: 0n, alignment: 1, name: NAME_E });
    bytes.set(entry, 127);
    expect(acceptLayout(bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_OUT_OF_BOUNDS', 'header.section_table_offset');
  });

  it('a stub longer than the data before the header, in a module with no sections or symbols', () => {
    const bytes = new Uint8Array(16 + 128);
    bytes.set(encodeHeader({ ...HEADER, flags: HeaderFlags.HAS_STUB, stubSize: 24, smfDataOffset: 24 }), 16);
    expect(acceptLayout(bytes, OPTS)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_OUT_OF_BOUNDS', 'header.smf_data_offset');
  });

  it('a bad magic byte, any of the four, in a header at the end or at the start', () => {
    const trailer = writeSmf({ sections: [eight('a')] }, { hash: false });
    const start = new Uint8Array(128 + 8);
    start.set(encodeHeader({ ...HEADER, versionMinor: 0 }), 0);
    expect(acceptLayout(start, NO_HASH)).toMatchObject({ headerLocation: 'start' });
    for (const [file, at] of [[trailer, trailer.length - 128], [start, 0]] as const) {
      for (let i = 0; i < 4; i++) {
        const bytes = file.slice();
        bytes[at + i] ^= 0x20;
        expect(acceptLayout(bytes, NO_HASH), `byte ${i}`).toBeNull();
        expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_BAD_MAGIC');
      }
    }
  });

  it("a name with a byte over 0x7f after its NUL: the careful path reads the name before it", () => {
    const m = patchable({ sections: [eight('a')] });
    m.bytes[m.entryAt(0) + 36 + 15] = 0x80;
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expect(SmfReader.fromBytes(m.bytes).sections[0].name).toBe('a');
  });
});

describe("the note's room on the fast path", () => {
  /** Section `i` of `m` made the note: type TemplateMeta, named note.sdn, no bytes. */
  const makeNote = (m: ReturnType<typeof patchable>, i: number) => {
    m.bytes[m.entryAt(i)] = NOTE_SECTION_TYPE;
    m.bytes.set(Uint8Array.from('note.sdn'.padEnd(16, '\0'), (ch) => ch.charCodeAt(0)), m.entryAt(i) + 36);
    m.view.setBigUint64(m.entryAt(i) + 16, 0n, true);
  };

  it('runs to the first section with bytes after it, not a later one', () => {
    const m = patchable({ sections: [eight('a'), eight('b'), eight('c'), eight('d')] });
    makeNote(m, 1); // at 8; c at 16 and d at 24 follow
    const fast = acceptLayout(m.bytes, NO_HASH)!;
    expect([fast.noteIndex, fast.noteCapacity]).toEqual([1, 8]);
    same(fast, carefulLayout(m.bytes, NO_HASH));
  });

  it('is none for a note at offset 0 with a section starting there too', () => {
    const m = patchable({ sections: [eight('a'), eight('b'), eight('c')] });
    makeNote(m, 0);
    m.view.setBigUint64(m.entryAt(1) + 8, 0n, true); // b at 0, then c at 16
    const fast = acceptLayout(m.bytes, NO_HASH)!;
    expect([fast.noteIndex, fast.noteCapacity]).toEqual([0, 0]);
    same(fast, carefulLayout(m.bytes, NO_HASH));
  });

  it('a COMPRESSED bit on the note means nothing in an uncompressed module, and is refused in a compressed one', () => {
    const m = patchable({ sections: [eight('a')], note: 'n' });
    const noteEntry = m.entryAt(1);
    m.view.setUint32(noteEntry + 4, SectionFlags.READ | SectionFlags.COMPRESSED, true);
    same(acceptLayout(m.bytes, NO_HASH)!, carefulLayout(m.bytes, NO_HASH));
    m.bytes[m.headerAt + HeaderField.compression] = 1;
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(m.bytes), 'SMF_BAD_FIELD', 'section[1].flags');
  });

  it('runs to the next section with bytes, past empty ones', () => {
    // a (8 bytes at 0), b made the note (empty, at 8), c made empty (at 16), d (8 bytes at 24).
    const m = patchable({ sections: [eight('a'), eight('b'), eight('c'), eight('d')] });
    const name = (i: number, text: string) => m.bytes.set(Uint8Array.from(text.padEnd(16, '\0'), (ch) => ch.charCodeAt(0)), m.entryAt(i) + 36);
    m.bytes[m.entryAt(1)] = NOTE_SECTION_TYPE;
    name(1, 'note.sdn');
    m.view.setBigUint64(m.entryAt(1) + 16, 0n, true);
    m.view.setBigUint64(m.entryAt(2) + 16, 0n, true);
    const fast = acceptLayout(m.bytes, NO_HASH)!;
    expect([fast.noteIndex, fast.noteCapacity]).toEqual([1, 16]);
    same(fast, carefulLayout(m.bytes, NO_HASH));
  });
});

describe('section names a word at a time', () => {
  const m = patchable({ sections: [eight('code'), eight('load_index'), eight('abcdefghijklmnop'), eight('é')] });
  const find = (name: string, type: number = SectionType.RoData) => m.r.findSectionIndex(type, name);

  it('finds whole names only, of the type asked for', () => {
    expect([find('code'), find('load_index'), find('abcdefghijklmnop'), find('é')]).toEqual([0, 1, 2, 3]);
    expect([find('cod'), find('codes'), find('load_inde'), find('abcdefghijklmnopq'), find('')]).toEqual([-1, -1, -1, -1, -1]);
    expect(find('code', SectionType.Code)).toBe(-1);
  });

  it('ignores what follows the NUL that ends a name, in the NUL\'s word or after it', () => {
    m.bytes[m.entryAt(0) + 36 + 5] = 0x41;
    m.bytes[m.entryAt(0) + 36 + 9] = 0x41;
    expect(find('code')).toBe(0);
  });

  it('has no words for a name it cannot compare so: not ASCII, holding a NUL, or over 16 bytes', () => {
    expect(sectionNameWords('é')).toBeNull();
    expect(sectionNameWords('a\0b')).toBeNull();
    expect(sectionNameWords('abcdefghijklmnopq')).toBeNull();
    expect(sectionNameWords('abcdefghijklmnop')!.words).toHaveLength(4);
    // (A name that is not ASCII sends the file to the careful path.)
    const layout = carefulLayout(m.bytes, NO_HASH);
    expect(findSectionIndex(layout, m.bytes, SectionType.RoData, sectionNameWords('load_index')!)).toBe(1);
  });
});

describe('the module hash, checked in the hasher', () => {
  it('of a file over 256 KiB too (streamed, not copied)', () => {
    const bytes = writeSmf({ sections: [{ type: SectionType.RoData, name: 'big', data: new Uint8Array(300 * 1024).fill(7) }] });
    const r = SmfReader.fromBytes(bytes);
    const hashAt = r.headerOffset + HeaderField.module_hash;
    expect(moduleHashMatches(bytes, r.dataOffset, hashAt)).toBe(true);
    expect(acceptLayout(bytes, OPTS)).not.toBeNull();
    const changed = bytes.slice();
    changed[1000] ^= 1;
    expect(moduleHashMatches(changed, r.dataOffset, hashAt)).toBe(false);
    expect(acceptLayout(changed, OPTS)).toBeNull();
    expectSmfError(() => SmfReader.fromBytes(changed), 'SMF_HASH_MISMATCH');
  });

  it('matches the hash the writer stored, and nothing else', () => {
    const bytes = writeSmf({ sections: [eight('a')], stub: true });
    const r = SmfReader.fromBytes(bytes);
    const hashAt = r.headerOffset + HeaderField.module_hash;
    expect(moduleHashMatches(bytes, r.dataOffset, hashAt)).toBe(true);
    // The file is not changed by the check.
    expect(moduleHashMatches(bytes, r.dataOffset, hashAt)).toBe(true);
    for (const at of [r.dataOffset, hashAt, hashAt + 7, bytes.length - 1]) {
      const changed = bytes.slice();
      changed[at] ^= 1;
      expect(moduleHashMatches(changed, r.dataOffset, hashAt), `byte ${at}`).toBe(false);
    }
    // The stub is not hashed.
    const stub = bytes.slice();
    stub[0] ^= 1;
    expect(moduleHashMatches(stub, r.dataOffset, hashAt)).toBe(true);
  });
});
