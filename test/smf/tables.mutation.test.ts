import { describe, expect, it } from 'vitest';
import { decodeSymbolEntry, encodeSymbolEntry } from '../../src/smf/entries.js';
import { entryPointOf, SectionType, SYMBOL_ENTRY_SIZE } from '../../src/smf/format.js';
import { hasMagicAt } from '../../src/smf/header.js';
import { sectionLimit } from '../../src/smf/section-limits.js';

// The small tables and helpers of the SMF format where mutation testing (docs/testing.md) found
// the suite silent: per-kind section limits, the entry point, a symbol entry's every field, and
// a magic check asked about bytes it does not have.

const MiB = 1024 * 1024;

describe('sectionLimit', () => {
  it('matches the type, and the name only where the limit names one', () => {
    expect(sectionLimit(SectionType.TypeInfo, 'load_index')).toEqual({ kind: 'load_index', type: SectionType.TypeInfo, name: 'load_index', max: 16 * MiB });
    expect(sectionLimit(SectionType.TypeInfo, 'type_info')).toEqual({ kind: 'TypeInfo', type: SectionType.TypeInfo, max: 64 * MiB });
    expect(sectionLimit(SectionType.TemplateMeta, 'load_index')).toEqual({ kind: 'TemplateMeta', type: SectionType.TemplateMeta, max: 16 * MiB });
    expect(sectionLimit(SectionType.Code, 'code')?.max).toBe(1024 * MiB);
    expect(sectionLimit(SectionType.Reloc, 'rela')?.kind).toBe('Reloc');
    expect(sectionLimit(SectionType.RoData, 'load_index')).toBeUndefined();
    expect(sectionLimit(SectionType.Data, 'code')).toBeUndefined();
  });
});

describe('entryPointOf', () => {
  it('is one more than the export ordinal of main, and 0 without one', () => {
    expect(entryPointOf(['f', 'g', 'main'])).toBe(3);
    expect(entryPointOf(['main'])).toBe(1);
    expect(entryPointOf(['f', ''])).toBe(0);
    expect(entryPointOf([])).toBe(0);
  });
});

describe('symbol entries', () => {
  it('decode every field as encoded, little-endian', () => {
    const fields = {
      nameOffset: 0x01020304,
      nameHash: 0x05060708,
      type: 1,
      binding: 2,
      visibility: 3,
      flags: 0x14,
      value: 0x0102030405060708n,
      size: 0x1112131415161718n,
      typeId: 0x21222324,
      version: 0x31323334,
      templateParamCount: 5,
      sectionIndex: 0x0102,
      templateOffset: 0x4142434445464748n,
    };
    const bytes = new Uint8Array(SYMBOL_ENTRY_SIZE + 8);
    const view = new DataView(bytes.buffer);
    encodeSymbolEntry(view, 8, fields);
    expect([...bytes.subarray(8, 12)]).toEqual([4, 3, 2, 1]);
    expect(decodeSymbolEntry(view, 8)).toEqual(fields);
  });
});

describe('hasMagicAt', () => {
  it('is false where the four bytes are not all there', () => {
    const magic = Uint8Array.of(0x53, 0x4d, 0x46, 0x00);
    expect(hasMagicAt(magic, 0)).toBe(true);
    expect(hasMagicAt(magic.subarray(0, 3), 0)).toBe(false);
    expect(hasMagicAt(magic, 1)).toBe(false);
    expect(hasMagicAt(magic, -1)).toBe(false);
  });
});
