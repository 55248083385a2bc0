import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOTE_SECTION_TYPE, SectionType } from '../../src/smf/format.js';
import { HeaderField } from '../../src/smf/header.js';
import { DEFAULT_LIMITS, acceptLayout, carefulLayout, findSectionIndex, sectionNameWords, type Layout } from '../../src/smf/layout.js';
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
const NO_HASH = { ...OPTS, verifyHash: false };

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

  it("a name with a byte over 0x7f after its NUL: the careful path reads the name before it", () => {
    const m = patchable({ sections: [eight('a')] });
    m.bytes[m.entryAt(0) + 36 + 15] = 0x80;
    expect(acceptLayout(m.bytes, NO_HASH)).toBeNull();
    expect(SmfReader.fromBytes(m.bytes).sections[0].name).toBe('a');
  });
});

describe("the note's room on the fast path", () => {
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

  it('ignores what follows the NUL that ends a name', () => {
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
