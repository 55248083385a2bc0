/**
 * SMF reader limits at their exact edges: the last value accepted and the first refused, on
 * both layout paths (the fast path that only accepts, and the careful one that explains).
 */
import { describe, expect, it } from 'vitest';
import { SECTION_ENTRY_SIZE, SectionType } from '../../src/smf/format.js';
import { SectionField } from '../../src/smf/entries.js';
import { HeaderField } from '../../src/smf/header.js';
import { carefulLayout, DEFAULT_LIMITS } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { SmfFormatError } from '../../src/smf/errors.js';
import { SmfReader, writeSmf } from '../../src/smf/index.js';
import { ExecMemory } from '../../src/loader/exec-memory.js';
import { LoadError } from '../../src/loader/errors.js';

const HEADER_SIZE = 128;

/**
 * A file whose one section's payload is the last thing in the data area: [section table]
 * [payload][header], the entry's size set to `claimed` (the payload is `payload` bytes).
 * Without symbols there is no string table, so the payload may run right up to the header.
 */
function lastSectionFile(payload: number, claimed: number): Uint8Array {
  const model = writeSmf({ sections: [{ type: SectionType.RoData, name: 'edge', data: new Uint8Array(payload).fill(7) }] }, { hash: false });
  const modelHeader = model.length - HEADER_SIZE;
  const mv = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const tableAt = Number(mv.getBigUint64(modelHeader + HeaderField.section_table_offset, true));
  const out = new Uint8Array(SECTION_ENTRY_SIZE + payload + HEADER_SIZE);
  out.set(model.subarray(tableAt, tableAt + SECTION_ENTRY_SIZE), 0);
  out.fill(7, SECTION_ENTRY_SIZE, SECTION_ENTRY_SIZE + payload);
  out.set(model.subarray(modelHeader), SECTION_ENTRY_SIZE + payload);
  const v = new DataView(out.buffer);
  v.setBigUint64(SectionField.offset, BigInt(SECTION_ENTRY_SIZE), true);
  v.setBigUint64(SectionField.size, BigInt(claimed), true);
  v.setBigUint64(SectionField.virtual_size, BigInt(claimed), true);
  const h = SECTION_ENTRY_SIZE + payload;
  v.setBigUint64(h + HeaderField.section_table_offset, 0n, true);
  v.setUint32(h + HeaderField.section_count, 1, true);
  return out;
}

const opts = { file: 'edge.smf', verifyHash: false, limits: DEFAULT_LIMITS };

describe('a section at the end of the data area', () => {
  it('ending exactly at the header is read', () => {
    // The section table comes first here, which the fast path leaves to the careful one.
    const bytes = lastSectionFile(40, 40);
    const careful = carefulLayout(bytes, opts);
    expect(careful.sections?.[0]).toMatchObject({ name: 'edge', size: 40 });
    const r = SmfReader.fromBytes(bytes, { verifyHash: false });
    expect(r.sectionData(0)).toEqual(new Uint8Array(40).fill(7));
  });

  it('ending one byte past it is refused, by both paths', () => {
    const bytes = lastSectionFile(40, 41);
    expect(acceptLayout(bytes, opts)).toBeNull();
    expect(() => carefulLayout(bytes, opts)).toThrow(SmfFormatError);
    expect(() => SmfReader.fromBytes(bytes, { verifyHash: false })).toThrow(/section\[0\].*past the end of the data area/);
  });
});

describe('section and symbol counts (maxSectionCount, maxSymbolCount)', () => {
  const sections = Array.from({ length: 4 }, (_, i) => ({ type: SectionType.RoData, name: `s${i}`, data: new Uint8Array([i]) }));
  const symbols = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, type: 1, binding: 1, value: 0, size: 0 }));
  const bytes = writeSmf({ sections, symbols });
  const count = SmfReader.fromBytes(bytes).sections.length;

  it('a file with exactly the limit is read; one fewer allowed refuses it', () => {
    expect(SmfReader.fromBytes(bytes, { limits: { maxSectionCount: count } }).sections.length).toBe(count);
    expect(() => SmfReader.fromBytes(bytes, { limits: { maxSectionCount: count - 1 } })).toThrow(SmfFormatError);
    expect(SmfReader.fromBytes(bytes, { limits: { maxSymbolCount: 3 } }).symbolCount).toBe(3);
    expect(() => SmfReader.fromBytes(bytes, { limits: { maxSymbolCount: 2 } })).toThrow(SmfFormatError);
  });
});

describe('inflated size (maxDecompressedSize)', () => {
  const size = 100_000;
  const bytes = writeSmf({ compression: 'zstd', sections: [{ type: SectionType.RoData, name: 'big', data: new Uint8Array(size).fill(1) }] });

  it('a section inflating to exactly the limit is read; one byte less of limit refuses it', () => {
    expect(SmfReader.fromBytes(bytes, { limits: { maxDecompressedSize: size } }).sectionData(0).length).toBe(size);
    const r = SmfReader.fromBytes(bytes, { limits: { maxDecompressedSize: size - 1 } });
    expect(() => r.sectionData(0)).toThrow(new RegExp(`inflated size ${size} exceeds the limit of ${size - 1} bytes`));
  });
});

describe('the function table (maxSlots)', () => {
  it('holds maxSlots - 1 functions (slot 0 is never one); the next is LOAD_TABLE_FULL; a freed slot is taken again', () => {
    const exec = new ExecMemory({ initialSlots: 2, maxSlots: 10 });
    const slots = Array.from({ length: 9 }, () => exec.allocExecMemory());
    expect(slots).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let caught: unknown;
    try {
      exec.allocExecMemory();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LoadError);
    expect((caught as LoadError).message).toContain('the function table is full (10 slots)');
    exec.release(4);
    expect(exec.allocExecMemory()).toBe(4);
  });
});
