import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECTION_LIMITS } from '../../src/smf/section-limits.js';
import { SectionType, SmfFormatError, SmfReader, writeSmf } from '../../src/smf/index.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { compiledSmf, rewritten, smf, workspace } from './helpers.js';

const MiB = 1024 * 1024;

/** A module whose one compressed section (zstd, a few KB stored) inflates to `size` bytes. */
function bomb(type: number, name: string, size: number): Uint8Array {
  return writeSmf({ compression: 'zstd', sections: [{ type, name, data: new Uint8Array(size).fill(0x20) }] });
}

function limitOf(kind: string): number {
  return SECTION_LIMITS.find((l) => l.kind === kind)!.max;
}

describe('decompressed sizes are bounded per section kind (issue #11, point 2)', () => {
  it('documents the limits it enforces', () => {
    expect(limitOf('load_index')).toBe(16 * MiB);
    expect(limitOf('TypeInfo')).toBe(64 * MiB);
  });

  it('load_index: 16 MiB inflates, one byte more is refused before inflating', () => {
    const edge = SmfReader.fromBytes(bomb(SectionType.TypeInfo, 'load_index', 16 * MiB));
    expect(edge.sectionData(0).length).toBe(16 * MiB);

    const over = bomb(SectionType.TypeInfo, 'load_index', 16 * MiB + 1);
    expect(over.length).toBeLessThan(64 * 1024);
    const r = SmfReader.fromBytes(over, { file: 'bomb.smf' });
    let error: unknown;
    try {
      r.sectionData(0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmfFormatError);
    expect(error).toMatchObject({ code: 'SMF_DECOMPRESS', field: 'section[0]' });
    expect((error as Error).message).toMatch(/bomb\.smf: section\[0\]: inflated size 16777217 exceeds the limit of 16777216 bytes for a load_index section at byte 0x[0-9a-f]+/);
  });

  it('a type_info section over 64 MiB is refused; another kind of section of the same size is not', () => {
    const size = 64 * MiB + 1;
    expect(() => SmfReader.fromBytes(bomb(SectionType.TypeInfo, 'type_info', size)).sectionData(0)).toThrow(/for a TypeInfo section/);
    expect(SmfReader.fromBytes(bomb(SectionType.Data, 'data', size)).sectionData(0).length).toBe(size);
  });

  it('smf inspect of a 24 KB load_index bomb reports the typed error in its load index part, quickly', () => {
    const d = workspace();
    const bytes = bomb(SectionType.TypeInfo, 'load_index', 32 * MiB);
    expect(bytes.length).toBeLessThan(24 * 1024);
    writeFileSync(join(d, 'bomb.smf'), bytes);
    const r = smf(['inspect', 'bomb.smf'], d);
    // inspect shows what it can of a damaged file: the load index part names the problem.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Load index: bomb\.smf: section\[0\]: inflated size 33554432 exceeds the limit of 16777216 bytes for a load_index section/);
    expect(r.stderr).toBe('');
  });

  it('the loader refuses a module whose load_index is a bomb, with the typed error', () => {
    const bytes = rewritten(compiledSmf('fn main() -> i64:\n    7\n', 'app', 'zstd'), (spec) => {
      Object.assign(spec.sections.find((x) => x.name === 'load_index')!, { data: new Uint8Array(16 * MiB + 1).fill(0x20), compress: true });
    });
    const d = workspace({ 'app.smf': bytes });
    const r = new ModuleLoader({ jit: { updateSmf: false } }).load(join(d, 'app.smf'));
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.error).toMatchObject({ code: 'SMF_DECOMPRESS' });
  });

  it('the same limits hold for a section stored uncompressed: 16 MiB of load_index is read, one byte more is refused', () => {
    const plain = (size: number): Uint8Array => writeSmf({ sections: [{ type: SectionType.TypeInfo, name: 'load_index', data: new Uint8Array(size).fill(0x20) }] });
    expect(SmfReader.fromBytes(plain(16 * MiB)).sectionData(0).length).toBe(16 * MiB);
    const r = SmfReader.fromBytes(plain(16 * MiB + 1), { file: 'big.smf' });
    expect(() => r.sectionData(0)).toThrow(SmfFormatError);
    expect(() => r.sectionData(0)).toThrow(/big\.smf: section\[0\]\.size: 16777217 bytes exceed the limit of 16777216 bytes for a load_index section at byte 0x[0-9a-f]+/);
    // Another kind of section of that size is not limited but by the file.
    expect(SmfReader.fromBytes(writeSmf({ sections: [{ type: SectionType.Data, name: 'data', data: new Uint8Array(16 * MiB + 1) }] })).sectionData(0).length).toBe(16 * MiB + 1);
  });
});
