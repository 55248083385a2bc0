import { describe, expect, it } from 'vitest';
import { encodeSectionEntry } from '../../src/smf/entries.js';
import { DEFAULT_LIMITS, carefulLayout, type Layout } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { NOTE_SECTION_TYPE, SectionType } from '../../src/smf/format.js';
import { HeaderField, encodeHeader, type SmfHeader } from '../../src/smf/header.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { expectSmfError, sampleModule } from './fixtures.js';

// The open-time layout checks where mutation testing (docs/testing.md, `layout.ts` lines
// 392-597) found the suite silent: the fast path's handling of empty sections and a second
// note.sdn, reads at the very ends of the data area and the table, the exact byte an overlap
// report points at, and `findSectionIndex` telling entries apart by type and by whole name.

const OPTS = { file: 'f.smf', verifyHash: true, limits: DEFAULT_LIMITS };

/**
 * Both paths' view of a file: the fast one must accept it, and agree with the careful one — or,
 * for a file laid out otherwise than the writer lays one out (`unusual`), may leave it to the
 * careful one.
 */
function bothPaths(bytes: Uint8Array, unusual = false): Layout {
  const fast = acceptLayout(bytes, OPTS);
  const careful = carefulLayout(bytes, OPTS);
  if (fast === null && unusual) return careful;
  expect(fast, 'the fast path accepts the file').not.toBeNull();
  const { sections: _a, view: _b, ...f } = fast!;
  const { sections: _c, view: _d, ...c } = careful;
  expect(f).toEqual(c);
  return fast!;
}

/** A module written without a hash (so it can be patched), with a view and its section entries' offsets. */
function patchable(spec: SmfModuleSpec) {
  const bytes = writeSmf(spec, { hash: false });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const entryAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * 64;
  const dataEnd = bytes.length - 128 - r.dataOffset;
  return { bytes, r, view, entryAt, dataEnd };
}

const empty = (name: string, type: number = SectionType.RoData) => ({ type, name, data: new Uint8Array(0) });
const eight = (name: string) => ({ type: SectionType.RoData, name, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });

describe('empty sections and the note on the fast path', () => {
  it('a second note.sdn section: the first one is the note', () => {
    // Section 0 is an empty TemplateMeta section renamed to note.sdn by hand, right before an
    // 8-byte section: as the note it has no room at all. The writer's own note comes last.
    const m = patchable({ sections: [empty('note.sdx', NOTE_SECTION_TYPE), eight('r')], note: 'x' });
    m.bytes[m.entryAt(0) + 36 + 7] = 'n'.charCodeAt(0);
    const layout = bothPaths(m.bytes);
    expect([layout.noteIndex, layout.noteCapacity]).toEqual([0, 0]);
    const r = SmfReader.fromBytes(m.bytes);
    expect(r.noteSection()?.index).toBe(0);
    expect(r.sections[2].name).toBe('note.sdn');
  });

  it('an empty section whose name only starts with note.sdn is not the note', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [empty('note.sdnx', NOTE_SECTION_TYPE), eight('r')] }));
    expect(r.noteSection()).toBeUndefined();
    expect(r.noteCapacity()).toBeUndefined();
    expect(r.noteSdnText()).toBeUndefined();
  });

  it("an empty section in the note's reserve does not shorten the note's room", () => {
    const m = patchable({ sections: [eight('a'), empty('e')], note: 'n' });
    const noteAt = Number(m.r.noteSection()!.offset);
    const tableAt = Number(m.r.header.sectionTableOffset);
    m.view.setBigUint64(m.entryAt(1) + 8, BigInt(noteAt + 100), true);
    const layout = bothPaths(m.bytes, true);
    expect(layout.noteCapacity).toBe(tableAt - noteAt);
    expect(SmfReader.fromBytes(m.bytes).sections[1].offset).toBe(noteAt + 100);
  });

  it('a module of nothing but an empty section, its table at offset 0', () => {
    const bytes = writeSmf({ sections: [empty('e')] });
    const layout = bothPaths(bytes);
    expect([layout.sectionTableAt, layout.sectionCount]).toEqual([0, 1]);
    expect(SmfReader.fromBytes(bytes).sectionData(0)).toEqual(new Uint8Array(0));
  });

  it('an empty section at the very end of the data area', () => {
    const m = patchable({ sections: [eight('a'), empty('e')] });
    m.view.setBigUint64(m.entryAt(1) + 8, BigInt(m.dataEnd), true);
    bothPaths(m.bytes, true);
    expect(SmfReader.fromBytes(m.bytes).sections[1].offset).toBe(m.dataEnd);
  });

  it('a note at the very end of the data area has no room, and says so when read', () => {
    const m = patchable({ sections: [eight('a')], note: 'n' });
    m.view.setBigUint64(m.entryAt(1) + 8, BigInt(m.dataEnd), true);
    const layout = bothPaths(m.bytes, true);
    expect([layout.noteIndex, layout.noteCapacity]).toEqual([1, 0]);
    const r = SmfReader.fromBytes(m.bytes, { file: 'f.smf' });
    const err = expectSmfError(() => r.noteSdnText(), 'SMF_NOTE_UNTERMINATED', 'note.sdn');
    expect(err.detail).toBe('no "\\n# END_NOTE\\n" in the 0 bytes before the next section');
    expect(err.offset).toBe(m.dataEnd);
  });
});

/** A header for a hand-built file: no sections, symbols or stub unless given. */
function header(h: Partial<SmfHeader>): Uint8Array {
  return encodeHeader({
    versionMajor: 1, versionMinor: 1, platform: 0, arch: 6, flags: 0, compression: 0, compressionLevel: 0,
    sectionCount: 0, sectionTableOffset: 0n, symbolTableOffset: 0n, symbolCount: 0, exportedCount: 0, entryPoint: 0n,
    stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n, appType: 0, windowWidth: 0, windowHeight: 0,
    prefetchHint: 0, prefetchFileCount: 0, ...h,
  });
}

describe('the ends of the file and of the table', () => {
  it('a file that is nothing but its 128-byte header is an empty module', () => {
    const bytes = header({});
    const layout = bothPaths(bytes);
    expect(layout.headerLocation).toBe('trailer');
    const r = SmfReader.fromBytes(bytes);
    expect([r.size, r.sectionCount, r.symbolCount, r.sections.length]).toEqual([128, 0, 0, 0]);
  });

  it('a v1.0 file whose section table ends the file, holding an empty section', () => {
    const bytes = new Uint8Array(128 + 64);
    bytes.set(header({ versionMinor: 0, sectionCount: 1, sectionTableOffset: 128n }), 0);
    const name = new Uint8Array(16);
    name.set([0x65]);
    encodeSectionEntry(new DataView(bytes.buffer), 128, { type: SectionType.RoData, flags: 1, offset: 128n, size: 0n, virtualSize: 0n, alignment: 1, name });
    const layout = bothPaths(bytes);
    expect(layout.headerLocation).toBe('start');
    const r = SmfReader.fromBytes(bytes);
    expect(r.sections.map((s) => [s.name, s.offset, s.size])).toEqual([['e', 128, 0]]);
  });
});

describe('findSectionIndex', () => {
  it('matches the type as well as the name', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [eight('x'), { type: SectionType.Data, name: 'x', data: new Uint8Array(1) }] }));
    expect(r.findSectionIndex(SectionType.Data, 'x')).toBe(1);
    expect(r.findSectionIndex(SectionType.RoData, 'x')).toBe(0);
    expect(r.findSectionIndex(SectionType.Code, 'x')).toBe(-1);
  });

  it('finds a 16-byte name whatever the reserved byte after it holds', () => {
    const m = patchable({ sections: [eight('abcdefghijklmnop')] });
    m.bytes[m.entryAt(0) + 52] = 1;
    const r = SmfReader.fromBytes(m.bytes);
    expect(r.findSectionIndex(SectionType.RoData, 'abcdefghijklmnop')).toBe(0);
    expect(r.sections[0].name).toBe('abcdefghijklmnop');
  });

  it('finds nothing past the table, even where the bytes after it look like an entry', () => {
    // With no symbols, the table is followed by the string table's NUL and the header, so an
    // entry read one past the table has type 0 and an empty name.
    const bytes = writeSmf({ sections: [eight('a')] });
    const r = SmfReader.fromBytes(bytes);
    const after = Number(r.header.sectionTableOffset) + 64;
    expect([bytes[after], bytes[after + 36]]).toEqual([0, 0]);
    expect(r.findSectionIndex(0, '')).toBe(-1);
  });
});

describe('section names at their edges', () => {
  it('a name of 16 bytes that is not ASCII, with no NUL after it', () => {
    const name = 'é'.repeat(7) + 'ab';
    const r = SmfReader.fromBytes(writeSmf({ sections: [eight(name)] }));
    expect(r.sections[0].name).toBe(name);
    expect(r.findSectionIndex(SectionType.RoData, name)).toBe(0);
  });

  it('a name holding the byte 0x80 is refused when the file is opened', () => {
    const m = patchable({ sections: [eight('ab')] });
    m.bytes[m.entryAt(0) + 36 + 1] = 0x80;
    const err = expectSmfError(() => SmfReader.fromBytes(m.bytes, { file: 'f.smf' }), 'SMF_BAD_STRING', 'section[0].name');
    expect([err.offset, err.detail]).toEqual([m.entryAt(0) + 36, 'section name is not valid UTF-8']);
  });
});

describe('overlap reports point at the field that placed the region', () => {
  function sample() {
    const bytes = writeSmf(sampleModule(), { hash: false });
    const r = SmfReader.fromBytes(bytes);
    const view = new DataView(bytes.buffer);
    const tableAt = r.dataOffset + Number(r.header.sectionTableOffset);
    const open = () => SmfReader.fromBytes(bytes, { file: 'app.smf' });
    return { r, view, tableAt, open };
  }

  it('a section starting inside an earlier one: its own offset field', () => {
    const d = sample();
    const rodata = d.r.sections[1];
    d.view.setBigUint64(d.tableAt + 3 * 64 + 8, BigInt(rodata.offset + 1), true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'section[3].offset');
    expect(err.offset).toBe(d.tableAt + 3 * 64 + 8);
  });

  it('the symbol table starting inside a section: the header field', () => {
    const d = sample();
    const rodata = d.r.sections[1];
    d.view.setBigUint64(d.r.headerOffset + HeaderField.symbol_table_offset, BigInt(rodata.offset + 8), true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'header.symbol_table_offset');
    expect(err.offset).toBe(d.r.headerOffset + HeaderField.symbol_table_offset);
    expect(err.detail).toMatch(/^the symbol table \(0x[0-9a-f]+\.\.0x[0-9a-f]+\) overlaps section\[1\] /);
  });

  it('the section table over a section that starts with it: the header field', () => {
    const d = sample();
    const table = d.r.header.sectionTableOffset;
    d.view.setBigUint64(d.tableAt + 8, table, true);
    d.view.setBigUint64(d.tableAt + 16, 8n, true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'header.section_table_offset');
    expect(err.offset).toBe(d.r.headerOffset + HeaderField.section_table_offset);
  });
});
