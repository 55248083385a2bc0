import { describe, expect, it } from 'vitest';
import {
  Arch,
  HEADER_SIZE,
  RELOC_ENTRY_SIZE,
  RelocType,
  SECTION_ENTRY_SIZE,
  SYMBOL_ENTRY_SIZE,
  SectionType,
  SymbolFlags,
  fnv1a32,
} from '../../src/smf/format.js';
import { decodeHeader, encodeHeader, type SmfHeader } from '../../src/smf/header.js';

describe('format constants', () => {
  it('has the sizes of the v1.1 layout', () => {
    expect([HEADER_SIZE, SECTION_ENTRY_SIZE, SYMBOL_ENTRY_SIZE, RELOC_ENTRY_SIZE]).toEqual([128, 64, 56, 24]);
    expect(Arch.Wasm32).toBe(6);
    expect(SectionType.Code).toBe(1);
    expect(SectionType.Reloc).toBe(5);
    expect(SectionType.TemplateCode).toBe(12);
    expect(SectionType.TemplateMeta).toBe(13);
    expect(SymbolFlags.GENERIC_TEMPLATE).toBe(0x10);
    expect(SymbolFlags.SPECIALIZED).toBe(0x20);
    expect(RelocType.Trampoline).toBe(5);
  });
});

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of a string', () => {
    expect(fnv1a32('é')).toBe(fnv1a32(new Uint8Array([0xc3, 0xa9])));
  });
});

describe('header codec', () => {
  it('places every field at its documented offset', () => {
    const h: SmfHeader = {
      versionMajor: 1,
      versionMinor: 1,
      platform: 2,
      arch: 6,
      flags: 0x11,
      compression: 1,
      compressionLevel: 19,
      sectionCount: 0x01020304,
      sectionTableOffset: 0x1112131415161718n,
      symbolTableOffset: 0x2122232425262728n,
      symbolCount: 0x31323334,
      exportedCount: 0x41424344,
      entryPoint: 0x5152535455565758n,
      stubSize: 19,
      smfDataOffset: 19,
      moduleHash: 0x6162636465666768n,
      sourceHash: 0x7172737475767778n,
      appType: 3,
      windowWidth: 1280,
      windowHeight: 720,
      prefetchHint: 1,
      prefetchFileCount: 7,
    };
    const bytes = encodeHeader(h);
    expect(bytes.length).toBe(128);
    const v = new DataView(bytes.buffer);
    expect([...bytes.subarray(0, 8)]).toEqual([0x53, 0x4d, 0x46, 0x00, 1, 1, 2, 6]);
    expect(v.getUint32(8, true)).toBe(0x11);
    expect([bytes[12], bytes[13], bytes[14], bytes[15]]).toEqual([1, 19, 0, 0]);
    expect(v.getUint32(16, true)).toBe(0x01020304);
    expect(v.getBigUint64(20, true)).toBe(0x1112131415161718n);
    expect(v.getBigUint64(28, true)).toBe(0x2122232425262728n);
    expect(v.getUint32(36, true)).toBe(0x31323334);
    expect(v.getUint32(40, true)).toBe(0x41424344);
    expect(v.getBigUint64(44, true)).toBe(0x5152535455565758n);
    expect(v.getUint32(52, true)).toBe(19);
    expect(v.getUint32(56, true)).toBe(19);
    expect(v.getBigUint64(60, true)).toBe(0x6162636465666768n);
    expect(v.getBigUint64(68, true)).toBe(0x7172737475767778n);
    expect(bytes[76]).toBe(3);
    expect(v.getUint16(77, true)).toBe(1280);
    expect(v.getUint16(79, true)).toBe(720);
    expect([bytes[81], bytes[82]]).toEqual([1, 7]);
    expect(bytes.subarray(83).every((b) => b === 0)).toBe(true);
    expect(decodeHeader(v, 0)).toEqual(h);
  });
});
