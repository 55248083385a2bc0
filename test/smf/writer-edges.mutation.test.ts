import { describe, expect, it } from 'vitest';
import { SmfWriteError } from '../../src/smf/errors.js';
import { NOTE_SECTION_TYPE, SectionFlags, SectionType } from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf, type SmfModuleSpec } from '../../src/smf/writer.js';
import { thrown } from '../thrown.js';

// The writer's sections it adds itself (`rela`, `note.sdn`) and its refusals of values that are
// not what the types promise, with their exact text (docs/testing.md, mutation testing).

const sym = { name: 'a', type: 1, binding: 1, value: 0, size: 0 };
const message = (spec: SmfModuleSpec) => thrown(() => writeSmf(spec), SmfWriteError).message;

describe('the sections the writer adds', () => {
  it('rela: after the given sections, type Reloc, aligned to 8, read only; then note.sdn, aligned to 1', () => {
    const r = SmfReader.fromBytes(writeSmf({
      sections: [{ type: SectionType.Data, name: 'd', data: new Uint8Array(3), alignment: 1 }],
      symbols: [sym],
      relocations: [{ offset: 1, symbolIndex: 0, type: 2, addend: -3 }],
      note: 'n',
    }));
    expect(r.sections.map((s) => [s.name, s.type, s.alignment, s.offset, s.flags, s.size])).toEqual([
      ['d', SectionType.Data, 1, 0, SectionFlags.READ | SectionFlags.WRITE, 3],
      ['rela', SectionType.Reloc, 8, 8, SectionFlags.READ, 24],
      ['note.sdn', NOTE_SECTION_TYPE, 1, 32, SectionFlags.READ, 0],
    ]);
    expect(r.sections[2].virtualSize).toBe(0);
    expect(r.relocations()).toEqual([{ offset: 1n, symbolIndex: 0, type: 2, addend: -3n }]);
  });

  it('relocations and a Reloc section of its own: refused together, a Reloc section alone or with none is kept', () => {
    const rela = { type: SectionType.Reloc, name: 'mine', data: new Uint8Array(24) };
    expect(message({ sections: [rela], symbols: [sym], relocations: [{ offset: 0, symbolIndex: 0, type: 1, addend: 0 }] }))
      .toBe('relocations: given together with a section of type Reloc');
    for (const relocations of [undefined, []]) {
      const r = SmfReader.fromBytes(writeSmf({ sections: [rela], symbols: [sym], relocations }));
      expect(r.sections.map((s) => s.name)).toEqual(['mine']);
    }
  });

  it('compressed rela in a compressed module, when it shrinks', () => {
    const relocations = Array.from({ length: 40 }, () => ({ offset: 0, symbolIndex: 0, type: 1, addend: 0 }));
    const r = SmfReader.fromBytes(writeSmf({ sections: [], symbols: [sym], relocations, compression: 'lz4' }));
    expect(r.sections[0]).toMatchObject({ name: 'rela', compressed: true, virtualSize: 40 * 24 });
    expect(r.relocations()).toHaveLength(40);
  });
});

describe('values the types do not allow', () => {
  it('a symbol or section name that is not a string', () => {
    expect(message({ sections: [], symbols: [{ ...sym, name: 7 as never }] })).toBe('symbols[0].name: must be a string without NUL');
    expect(message({ sections: [{ type: 2, name: 7 as never, data: new Uint8Array() }] })).toBe('sections[0].name: must be a string without NUL');
  });

  it('a section name of 16 ASCII bytes is written whole', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [{ type: 2, name: 'abcdefghijklmnop', data: new Uint8Array(1) }] }));
    expect(r.sections[0].name).toBe('abcdefghijklmnop');
    expect(message({ sections: [{ type: 2, name: 'abcdefghijklmnopq', data: new Uint8Array() }] })).toBe('sections[0].name: "abcdefghijklmnopq" is 17 bytes, the limit is 16');
  });

  it('an u64 given as a bigint: 0 is the lowest, -1 is refused', () => {
    expect(SmfReader.fromBytes(writeSmf({ sections: [], entryPoint: 0n })).header.entryPoint).toBe(0n);
    expect(message({ sections: [], entryPoint: -1n })).toBe('entryPoint: -1 does not fit in a u64');
    expect(message({ sections: [], entryPoint: -1 })).toBe('entryPoint: -1 does not fit in a u64');
  });
});
