import { describe, expect, it } from 'vitest';
import { SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { expectSmfError, sampleModule } from './fixtures.js';

// The careful layout path's reports and the section-name helpers, where mutation testing
// (docs/testing.md) found the suite silent: which table a section overlaps, said exactly, and
// names that are not plain short ASCII.

function damageable() {
  const bytes = writeSmf(sampleModule(), { hash: false });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const sectionAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * 64;
  const open = () => SmfReader.fromBytes(bytes, { file: 'app.smf' });
  const symbolTable = r.header.symbolTableOffset;
  const stringTable = symbolTable + BigInt(r.symbolCount * 56);
  return { view, r, sectionAt, open, symbolTable, stringTable };
}
const hex = (n: bigint | number) => `0x${n.toString(16)}`;

describe('overlaps name the table and both ranges', () => {
  it('a section placed at the section table', () => {
    const d = damageable();
    const table = d.r.header.sectionTableOffset;
    d.view.setBigUint64(d.sectionAt(0) + 8, table, true);
    d.view.setBigUint64(d.sectionAt(0) + 16, 8n, true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'header.section_table_offset');
    expect(err.detail).toBe(`the section table (${hex(table)}..${hex(table + 6n * 64n)}) overlaps section[0] (${hex(table)}..${hex(table + 8n)})`);
  });

  it('a section starting inside the symbol table', () => {
    const d = damageable();
    d.view.setBigUint64(d.sectionAt(0) + 8, d.symbolTable + 4n, true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'section[0].offset');
    expect(err.detail).toBe(`section[0] (${hex(d.symbolTable + 4n)}..${hex(d.symbolTable + 13n)}) overlaps the symbol table (${hex(d.symbolTable)}..${hex(d.stringTable)})`);
  });

  it('a section starting inside the string table', () => {
    const d = damageable();
    d.view.setBigUint64(d.sectionAt(0) + 8, d.stringTable + 1n, true);
    const err = expectSmfError(d.open, 'SMF_OVERLAP', 'section[0].offset');
    expect(err.detail).toMatch(new RegExp(`^section\\[0\\] \\(${hex(d.stringTable + 1n)}\\.\\.${hex(d.stringTable + 10n)}\\) overlaps the string table \\(${hex(d.stringTable)}\\.\\.0x[0-9a-f]+\\)$`));
  });
});

describe('section names', () => {
  it('reads a UTF-8 name and a name of all 16 bytes, on the fast path and in the careful one', () => {
    const bytes = writeSmf(
      {
        sections: [
          { type: SectionType.RoData, name: 'é', data: new Uint8Array([1]) },
          { type: SectionType.RoData, name: 'abcdefghijklmnop', data: new Uint8Array([2]) },
          { type: SectionType.RoData, name: 'code', data: new Uint8Array([3]) },
          { type: SectionType.RoData, name: 'codex', data: new Uint8Array([4]) },
        ],
      },
      { hash: false },
    );
    const r = SmfReader.fromBytes(bytes);
    expect(r.sections.map((s) => s.name)).toEqual(['é', 'abcdefghijklmnop', 'code', 'codex']);
    expect(r.findSectionIndex(SectionType.RoData, 'abcdefghijklmnop')).toBe(1);
    expect(r.findSectionIndex(SectionType.RoData, 'codex')).toBe(3);
    expect(r.findSectionIndex(SectionType.RoData, 'code')).toBe(2);
    expect(r.findSectionIndex(SectionType.RoData, 'abcdefghijklmno')).toBe(-1);
  });
});

describe('what the fast path must not accept', () => {
  it('an alignment that is a power of two above the largest', () => {
    const d = damageable();
    d.view.setUint32(d.sectionAt(0) + 32, 65536 * 2, true);
    const err = expectSmfError(d.open, 'SMF_BAD_FIELD', 'section[0].alignment');
    expect(err.detail).toBe('131072 is not a power of two up to 65536');
    const ok = damageable();
    ok.view.setUint32(ok.sectionAt(0) + 32, 65536, true);
    expect(ok.open().sections[0].alignment).toBe(65536);
  });

  it('a file shorter than a header that starts with the magic', () => {
    const bytes = new Uint8Array(127);
    bytes.set([0x53, 0x4d, 0x46, 0x00]);
    expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_TRUNCATED', 'header');
  });

  it('a section name that is not UTF-8 is said so', () => {
    const d = damageable();
    d.view.setUint8(d.sectionAt(0) + 36, 0xff);
    expect(expectSmfError(d.open, 'SMF_BAD_STRING', 'section[0].name').detail).toBe('section name is not valid UTF-8');
  });
});
