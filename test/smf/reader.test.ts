import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xxh64 } from '@node-rs/xxhash';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSectionEntry, encodeSymbolEntry } from '../../src/smf/entries.js';
import { SectionType, SymbolFlags, fnv1a32, NO_SECTION } from '../../src/smf/format.js';
import { encodeHeader } from '../../src/smf/header.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { bytesOf, expectSmfError, sampleModule, text, touchEverything } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'smf-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SmfReader', () => {
  it('serves uncompressed sections as views of the one file buffer', () => {
    const bytes = writeSmf(sampleModule());
    const r = SmfReader.fromBytes(bytes);
    const code = r.sectionData(0);
    expect(code.buffer).toBe(bytes.buffer);
    expect(code.byteOffset).toBe(r.sections[0].fileOffset);
    expect(r.bytes).toBe(bytes);
  });

  it('inflates compressed sections once and caches them', () => {
    for (const compression of ['zstd', 'lz4'] as const) {
      const spec = sampleModule({ compression });
      const r = SmfReader.fromBytes(writeSmf(spec));
      const ro = r.findSection(SectionType.RoData)!;
      expect(ro.compressed).toBe(true);
      expect(ro.size).toBeLessThan(ro.virtualSize);
      const a = r.sectionData(ro.index);
      expect(bytesOf(a)).toEqual(bytesOf(spec.sections[1].data));
      expect(r.sectionData(ro.index)).toBe(a);
      // Code is never compressed.
      expect(r.findSection(SectionType.Code)!.compressed).toBe(false);
    }
  });

  it("reads a section's data size and the note's place from the table as the decoded sections say them", () => {
    for (const compression of ['none', 'zstd', 'lz4'] as const) {
      const r = SmfReader.fromBytes(writeSmf(sampleModule({ compression })));
      for (const s of r.sections) {
        expect(r.sectionDataSize(s.index), `${compression} ${s.name}`).toBe(s.compressed ? s.virtualSize : s.size);
        expect(r.sectionDataSize(s.index)).toBe(r.sectionData(s.index).length);
      }
      expect(r.noteFileOffset()).toBe(r.noteSection()!.fileOffset);
      expect(() => r.sectionDataSize(r.sectionCount)).toThrow(RangeError);
    }
    const noNote = SmfReader.fromBytes(writeSmf({ ...sampleModule(), note: undefined }));
    expect(noNote.noteSection()).toBeUndefined();
    expect(noNote.noteFileOffset()).toBeUndefined();
  });

  it('finds sections by type and name', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule()));
    expect(r.findSection(SectionType.Code)?.name).toBe('code');
    expect(r.findSection(SectionType.TemplateMeta, 'note.sdn')?.size).toBe(0);
    expect(r.findSection(SectionType.Reloc, 'rela')).toBeDefined();
    expect(r.findSection(SectionType.Debug)).toBeUndefined();
  });

  it('findSectionIndex matches whole names, not prefixes', () => {
    const section = (name: string) => ({ type: SectionType.RoData, name, data: text(name) });
    const r = SmfReader.fromBytes(
      writeSmf({
        sections: [section('ab'), section('abc'), section('a'), section('x'.repeat(16)), section('b'), section('xy')],
        symbols: [],
      }),
    );
    const index = (name: string) => r.findSectionIndex(SectionType.RoData, name);
    // Asking for a prefix of an earlier section's name finds the later exact one.
    expect(index('a')).toBe(2);
    expect(index('ab')).toBe(0);
    expect(index('abc')).toBe(1);
    expect(index('b')).toBe(4);
    // A name that has a stored name as its prefix (or is one) is not found.
    expect(index('abcd')).toBe(-1);
    expect(index('x')).toBe(-1);
    expect(index('x'.repeat(15))).toBe(-1);
    expect(index('x'.repeat(16))).toBe(3);
    expect(index('xy')).toBe(5);
    expect(index('')).toBe(-1);
    // The same answers as the decoded sections give.
    for (const name of ['a', 'ab', 'abc', 'abcd', 'b', 'x', 'xy', 'x'.repeat(16)]) {
      expect(index(name)).toBe(r.sections.findIndex((s) => s.type === SectionType.RoData && s.name === name));
    }

    // Only longer names sharing the prefix: nothing is found.
    const only = SmfReader.fromBytes(writeSmf({ sections: [section('ab'), section('abc')], symbols: [] }));
    expect(only.findSectionIndex(SectionType.RoData, 'a')).toBe(-1);
    expect(only.findSectionIndex(SectionType.RoData, 'ab')).toBe(0);
  });

  it('looks symbols up by name, including hash collisions and duplicates', () => {
    // "costarring" and "liquid" collide under FNV-1a 32.
    expect(fnv1a32('costarring')).toBe(fnv1a32('liquid'));
    const r = SmfReader.fromBytes(
      writeSmf({
        sections: [],
        symbols: [
          { name: 'costarring', type: 1, binding: 1, value: 1, size: 0 },
          { name: 'liquid', type: 1, binding: 1, value: 2, size: 0 },
          { name: 'liquid', type: 1, binding: 0, value: 3, size: 0 },
        ],
      }),
    );
    expect(r.lookup('liquid')?.value).toBe(2n);
    expect(r.lookup('costarring')?.value).toBe(1n);
    expect(r.lookup('solid')).toBeUndefined();
    expect([...r.symbols()].map((s) => s.name)).toEqual(['costarring', 'liquid', 'liquid']);
  });

  it('returns template bytes from template_offset to the end of the TemplateCode section', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule()));
    const sym = r.lookup('identity')!;
    expect(sym.flags & SymbolFlags.GENERIC_TEMPLATE).toBeTruthy();
    expect(new TextDecoder().decode(r.templateBytes(sym))).toBe('PL\x01\x00\x01\x00\x00\x00identity<T>');
    expect(r.templateBytes(sym.index).length).toBe(r.sections[2].size - 2);
    expect(r.lookup('identity$Int')!.flags).toBe(SymbolFlags.SPECIALIZED);
  });

  it('rejects a template offset past its section and a missing TemplateCode section', () => {
    const base = sampleModule();
    const far = { ...base, symbols: base.symbols!.map((s, i) => (i === 1 ? { ...s, templateOffset: 999 } : s)) };
    expectSmfError(() => SmfReader.fromBytes(writeSmf(far)).templateBytes(1), 'SMF_OUT_OF_BOUNDS', 'symbol[1].template_offset');
    const none = writeSmf({ sections: [], symbols: [{ name: 't', type: 1, binding: 1, value: 0, size: 0, flags: 0x10 }] });
    expectSmfError(() => SmfReader.fromBytes(none).templateBytes(0), 'SMF_MISSING_SECTION', 'symbol[0].template_offset');
  });

  it('gives the note text with its terminator and the room it has', () => {
    const r = SmfReader.fromBytes(writeSmf(sampleModule({ note: 'a |x|\n', noteReserve: 100 })));
    expect(r.noteSdnText()).toBe('a |x|\n\n# END_NOTE\n');
    expect(r.noteCapacity()).toBeGreaterThanOrEqual(18 + 100);
    expect(r.noteCapacity()).toBeLessThan(18 + 100 + 8);
  });

  it('reads a stub-prefixed executable', () => {
    const bytes = writeSmf(sampleModule({ stub: true, flags: 1 }));
    expect(Buffer.from(bytes.subarray(0, 19)).toString()).toBe('#!/usr/bin/env smf\n');
    const r = SmfReader.fromBytes(bytes);
    expect(r.header.flags).toBe(0x11);
    expect(r.header.stubSize).toBe(19);
    expect(r.header.smfDataOffset).toBe(19);
    expect(r.dataOffset).toBe(19);
    expect(r.sections[0].offset).toBe(0);
    expect(r.sections[0].fileOffset).toBe(19);
    expect(r.symbolTableAt).toBe(19 + Number(r.header.symbolTableOffset));
    touchEverything(r);
  });

  it('opens files asynchronously and synchronously, naming them in errors', async () => {
    const path = join(dir, 'app.smf');
    writeFileSync(path, writeSmf(sampleModule()));
    const a = await SmfReader.open(path);
    const b = SmfReader.openSync(path);
    expect(a.file).toBe(path);
    expect(b.size).toBe(a.size);
    expect(a.lookup('main')?.index).toBe(0);
    const bad = join(dir, 'bad.smf');
    writeFileSync(bad, new Uint8Array(200));
    const err = await SmfReader.open(bad).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/^.*bad\.smf: not an SMF file \(no SMF header/);
    expect(err).toMatchObject({ code: 'SMF_BAD_MAGIC', field: 'header.magic', offset: 0x48 });
  });

  it('skips the hash check on request and ignores a zero hash', () => {
    const bytes = writeSmf(sampleModule());
    const flipped = bytes.slice();
    flipped[3] ^= 0xff;
    expectSmfError(() => SmfReader.fromBytes(flipped), 'SMF_HASH_MISMATCH', 'header.module_hash');
    expect(SmfReader.fromBytes(flipped, { verifyHash: false }).sectionData(0)[3]).toBe(bytes[3] ^ 0xff);
    const unhashed = writeSmf(sampleModule(), { hash: false });
    const flipped2 = unhashed.slice();
    flipped2[3] ^= 0xff;
    expect(SmfReader.fromBytes(flipped2).header.moduleHash).toBe(0n);
  });

  it('hashes the SMF bytes after the stub with the hash field zeroed (xxh64, seed 0)', () => {
    const bytes = writeSmf(sampleModule({ stub: true }));
    const r = SmfReader.fromBytes(bytes);
    const smf = bytes.slice(r.dataOffset);
    smf.fill(0, smf.length - 128 + 60, smf.length - 128 + 68);
    expect(r.header.moduleHash).toBe(xxh64(smf, 0n));
  });
});

describe('v1.0 files (header at offset 0)', () => {
  /** [header][section table][code][data][symbols][strings], as a v1.0 writer lays it out. */
  function buildV10(): Uint8Array {
    const code = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const data = text('v1.0 data');
    const strings = new Uint8Array([0, ...text('main'), 0, ...text('value'), 0]);
    const secTab = 128;
    const codeAt = secTab + 2 * 64;
    const dataAt = codeAt + code.length;
    const symTab = dataAt + data.length;
    const strTab = symTab + 2 * 56;
    const out = new Uint8Array(strTab + strings.length);
    const view = new DataView(out.buffer);
    out.set(
      encodeHeader({
        versionMajor: 1, versionMinor: 0, platform: 1, arch: 0, flags: 1, compression: 0, compressionLevel: 0,
        sectionCount: 2, sectionTableOffset: BigInt(secTab), symbolTableOffset: BigInt(symTab), symbolCount: 2,
        exportedCount: 1, entryPoint: 0n, stubSize: 0, smfDataOffset: 0, moduleHash: 0n, sourceHash: 0n,
        appType: 0, windowWidth: 1280, windowHeight: 720, prefetchHint: 0, prefetchFileCount: 0,
      }),
      0,
    );
    const name = (s: string) => { const n = new Uint8Array(16); n.set(text(s)); return n; };
    encodeSectionEntry(view, secTab, { type: 1, flags: 5, offset: BigInt(codeAt), size: 8n, virtualSize: 8n, alignment: 16, name: name('code') });
    encodeSectionEntry(view, secTab + 64, { type: 2, flags: 3, offset: BigInt(dataAt), size: BigInt(data.length), virtualSize: BigInt(data.length), alignment: 8, name: name('data') });
    out.set(code, codeAt);
    out.set(data, dataAt);
    const sym = (i: number, n: string, nameOffset: number, binding: number) =>
      encodeSymbolEntry(view, symTab + i * 56, {
        nameOffset, nameHash: fnv1a32(n), type: 1, binding, visibility: 0, flags: 0, value: 0n, size: 8n,
        typeId: 0, version: 0, templateParamCount: 0, sectionIndex: NO_SECTION, templateOffset: 0n,
      });
    sym(0, 'main', 1, 1);
    sym(1, 'value', 6, 0);
    out.set(strings, strTab);
    return out;
  }

  it('reads a hand-built v1.0 file when the trailer magic is absent', () => {
    const r = SmfReader.fromBytes(buildV10());
    expect(r.headerLocation).toBe('start');
    expect(r.header.versionMinor).toBe(0);
    expect(r.sections.map((s) => s.name)).toEqual(['code', 'data']);
    expect([...r.sectionData(0)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new TextDecoder().decode(r.sectionData(1))).toBe('v1.0 data');
    expect(r.lookup('value')?.index).toBe(1);
    expect(r.lookup('main')?.sectionIndex).toBeUndefined();
    expect(r.symbolTableAt).toBe(Number(r.header.symbolTableOffset));
    touchEverything(r);
  });

  it('reports a cut v1.0 file as truncated', () => {
    const bytes = buildV10();
    expectSmfError(() => SmfReader.fromBytes(bytes.subarray(0, 300)), 'SMF_TRUNCATED', 'header.symbol_table_offset');
  });

  it('rejects a section placed over the v1.0 header', () => {
    const bytes = buildV10();
    new DataView(bytes.buffer).setBigUint64(128 + 8, 64n, true);
    expectSmfError(() => SmfReader.fromBytes(bytes), 'SMF_OUT_OF_BOUNDS', 'section[0].offset');
  });
});
