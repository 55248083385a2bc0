import { describe, expect, it } from 'vitest';
import {
  OriginalTemplateError,
  decodeOriginalTemplateMeta,
  decodeOriginalTemplates,
  originalTemplateSignature,
  type OriginalTemplate,
} from '../../src/smf/original-templates.js';

// The original writer's GTPL and META sections, which only the CLI tests read (a per-folder
// mutation run leaves them out): every kind's fields, each refusal with its exact text and section
// offset, and the bounds checks at their edges (the last byte that fits, the first one missing).

/** Bytes in the original serializer's encodings, built by hand. */
class Bytes {
  readonly b: number[] = [];
  u8(...v: number[]): this {
    this.b.push(...v);
    return this;
  }
  u32(v: number): this {
    this.b.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
    return this;
  }
  str(s: string): this {
    const e = new TextEncoder().encode(s);
    return this.u32(e.length).u8(...e);
  }
  list(xs: string[]): this {
    this.u32(xs.length);
    for (const x of xs) this.str(x);
    return this;
  }
  params(xs: string[]): this {
    this.u8(xs.length);
    for (const x of xs) this.str(x);
    return this;
  }
  get length(): number {
    return this.b.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

const gtpl = (count: number) => new Bytes().u8(0x47, 0x54, 0x50, 0x4c, 1, 0).u32(count);
const meta = (f: number, s: number, e: number, t: number) => new Bytes().u8(0x4d, 0x45, 0x54, 0x41, 1, 0).u32(f).u32(s).u32(e).u32(t);

function refusal(fn: () => unknown): OriginalTemplateError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OriginalTemplateError);
  return caught as OriginalTemplateError;
}

/** Expects the exact message, and that its fields agree with it. */
function expectRefusal(fn: () => unknown, section: string, offset: number, detail: string): void {
  const err = refusal(fn);
  expect(err.message).toBe(`${section}: ${detail} at section offset 0x${offset.toString(16)}`);
  expect(err.code).toBe('SMF_BAD_TEMPLATE');
  expect([err.section, err.offset, err.detail]).toEqual([section, offset, detail]);
}

describe('GTPL entries of every kind', () => {
  it('decodes each kind with its own fields, offsets at the kind byte', () => {
    const b = gtpl(5);
    const offsets: number[] = [];
    offsets.push(b.length);
    b.u8(0).str('max').params(['T']).list(['a: T', 'b: T']).u8(1).str('T').list(['if a > b', 'a', 'b']).u8(2).u8(1).str('max0').u32(1).str('T').str('i64');
    offsets.push(b.length);
    b.u8(1).str('Pair').params(['A', 'B']).list(['a: A', 'b: B']).u8(0).u8(0).u32(0);
    offsets.push(b.length);
    b.u8(2).str('Box').params([]).list(['v: i64']).list(['get', 'set']).u8(1).u8(0).u32(2).str('K').str('k').str('V').str('v');
    offsets.push(b.length);
    b.u8(3).str('Opt').params(['T']).list(['None', 'Some(T)']).u8(1).u8(0).u32(0);
    offsets.push(b.length);
    b.u8(4).str('Show').params([]).list(['show']).u8(0);
    const t = decodeOriginalTemplates(b.bytes());
    expect(t.map((x) => x.offset)).toEqual(offsets);
    expect(t[0]).toEqual({
      offset: 10, kind: 'function', name: 'max', genericParams: ['T'], members: ['a: T', 'b: T'], methods: [], returnType: 'T',
      body: ['if a > b', 'a', 'b'], isGenericTemplate: true, specializationOf: 'max0', typeBindings: { T: 'i64' },
    });
    expect(t[1]).toEqual({
      offset: offsets[1], kind: 'struct', name: 'Pair', genericParams: ['A', 'B'], members: ['a: A', 'b: B'], methods: [], returnType: null,
      body: [], isGenericTemplate: false, specializationOf: null, typeBindings: {},
    });
    expect(t[2]).toEqual({
      offset: offsets[2], kind: 'class', name: 'Box', genericParams: [], members: ['v: i64'], methods: ['get', 'set'], returnType: null,
      body: [], isGenericTemplate: true, specializationOf: null, typeBindings: { K: 'k', V: 'v' },
    });
    expect(t[3]).toMatchObject({ kind: 'enum', name: 'Opt', members: ['None', 'Some(T)'], methods: [], isGenericTemplate: true });
    expect(t[4]).toEqual({
      offset: offsets[4], kind: 'trait', name: 'Show', genericParams: [], members: [], methods: ['show'], returnType: null,
      body: [], isGenericTemplate: false, specializationOf: null, typeBindings: {},
    });
  });

  it('a function without a return type, and an empty section', () => {
    const b = gtpl(1).u8(0).str('f').params([]).list([]).u8(0).list([]).u8(0).u8(0).u32(0);
    expect(decodeOriginalTemplates(b.bytes())[0]).toMatchObject({ returnType: null, body: [], members: [] });
    expect(decodeOriginalTemplates(gtpl(0).bytes())).toEqual([]);
  });
});

describe('GTPL refusals', () => {
  it('the header: too short for magic and version, or the wrong magic', () => {
    expectRefusal(() => decodeOriginalTemplates(Uint8Array.from([0x47, 0x54, 0x50, 0x4c, 1])), 'template_code', 0,
      'header runs past the end of the section (5 bytes)');
    expectRefusal(() => decodeOriginalTemplates(Uint8Array.from([0x47, 0x54, 0x50, 0x4d, 1, 0, 0, 0, 0, 0])), 'template_code', 0, 'no GTPL magic');
    // Magic and version alone: the count is what is missing.
    expectRefusal(() => decodeOriginalTemplates(Uint8Array.from([0x47, 0x54, 0x50, 0x4c, 1, 0, 0, 0, 0])), 'template_code', 6,
      'template count runs past the end of the section (9 bytes)');
  });

  it('a kind past 4, at the entry', () => {
    expectRefusal(() => decodeOriginalTemplates(gtpl(1).u8(5).bytes()), 'template_code', 10, 'entry 0: kind 5 is not 0..4');
    const b = gtpl(2).u8(4).str('S').params([]).list([]).u8(0);
    const second = b.length;
    expectRefusal(() => decodeOriginalTemplates(b.u8(255).bytes()), 'template_code', second, 'entry 1: kind 255 is not 0..4');
  });

  it('a string cut short, by one byte, and a string that is not UTF-8', () => {
    const full = gtpl(1).u8(4).str('abc').bytes();
    expectRefusal(() => decodeOriginalTemplates(full.subarray(0, full.length - 1)), 'template_code', 15, 'name runs past the end of the section (17 bytes)');
    const bad = gtpl(1).u8(4).u32(2).u8(0xc3, 0x28).params([]).list([]).u8(0).bytes();
    expectRefusal(() => decodeOriginalTemplates(bad), 'template_code', 15, 'name is not UTF-8');
  });

  it('counts that cannot fit in what is left, with the exact edge', () => {
    // Two list entries need at least 8 bytes: with exactly 8 left the count passes, and what is
    // missing is the flag after them.
    const fits = gtpl(1).u8(4).str('S').params([]).u32(2).str('').str('');
    expectRefusal(() => decodeOriginalTemplates(fits.bytes()), 'template_code', 29, 'flag runs past the end of the section (29 bytes)');
    expect(decodeOriginalTemplates(fits.u8(0).bytes())[0].methods).toEqual(['', '']);
    const b = gtpl(1).u8(4).str('S').params([]).u32(3);
    const at = b.length;
    expectRefusal(() => decodeOriginalTemplates(b.str('').str('').u8(0).bytes()), 'template_code', at, 'methods: 3 entries cannot fit in the 9 bytes left');
    // Generic parameters: a u8 count, at least 4 bytes each.
    const p = gtpl(1).u8(4).str('S').u8(2);
    const pAt = p.length;
    expectRefusal(() => decodeOriginalTemplates(p.u32(0).u8(0, 0, 0).bytes()), 'template_code', pAt, 'generic parameters: 2 entries cannot fit in the 7 bytes left');
    // Type bindings: at least 8 bytes a pair.
    const d = gtpl(1).u8(1).str('P').params([]).list([]).u8(0).u8(0).u32(2);
    const dAt = d.length;
    expectRefusal(() => decodeOriginalTemplates(d.str('').str('').u8(0, 0, 0, 0, 0, 0, 0).bytes()), 'template_code', dAt,
      'type_bindings: 2 entries cannot fit in the 15 bytes left');
    const dFits = gtpl(1).u8(1).str('P').params([]).list([]).u8(0).u8(0).u32(1).str('').str('');
    expect(decodeOriginalTemplates(dFits.bytes())[0].typeBindings).toEqual({ '': '' });
  });

  it('an optional tag other than 0 or 1, at the tag', () => {
    const b = gtpl(1).u8(0).str('f').params([]).list([]);
    const at = b.length;
    expectRefusal(() => decodeOriginalTemplates(b.u8(2).bytes()), 'template_code', at, 'return type: optional tag 2 is neither 0 nor 1');
  });

  it('bytes after the last entry', () => {
    expectRefusal(() => decodeOriginalTemplates(gtpl(0).u8(9, 9, 9).bytes()), 'template_code', 10, '3 bytes after the last of 0 entries');
    const b = gtpl(1).u8(4).str('S').params([]).list([]).u8(0);
    const at = b.length;
    expectRefusal(() => decodeOriginalTemplates(b.u8(0).bytes()), 'template_code', at, '1 bytes after the last of 1 entries');
  });
});

describe('META', () => {
  it('decodes the counts and the entries, functions first', () => {
    const b = meta(2, 1, 0, 1).str('max').u32(3).str('min').u32(0).str('Pair').u32(1).str('Show').u32(4);
    expect(decodeOriginalTemplateMeta(b.bytes())).toEqual({
      counts: { functions: 2, structs: 1, enums: 0, traits: 1 },
      entries: [
        { kind: 'function', name: 'max', specializations: 3 },
        { kind: 'function', name: 'min', specializations: 0 },
        { kind: 'struct', name: 'Pair', specializations: 1 },
        { kind: 'trait', name: 'Show', specializations: 4 },
      ],
    });
    expect(decodeOriginalTemplateMeta(meta(0, 0, 0, 0).bytes())).toEqual({ counts: { functions: 0, structs: 0, enums: 0, traits: 0 }, entries: [] });
  });

  it('refuses a wrong magic, a count too large for what is left, a cut entry, and bytes after the last', () => {
    expectRefusal(() => decodeOriginalTemplateMeta(new Bytes().u8(0x47, 0x54, 0x50, 0x4c, 1, 0).u32(0).u32(0).u32(0).u32(0).bytes()), 'template_meta', 0, 'no META magic');
    expectRefusal(() => decodeOriginalTemplateMeta(meta(0, 0, 2, 0).str('').u32(0).u8(0, 0, 0, 0, 0, 0, 0).bytes()), 'template_meta', 22,
      'enum entries: 2 entries cannot fit in the 15 bytes left');
    expect(decodeOriginalTemplateMeta(meta(0, 0, 2, 0).str('').u32(0).str('').u32(0).bytes()).entries).toHaveLength(2);
    expectRefusal(() => decodeOriginalTemplateMeta(meta(1, 0, 0, 0).str('f').u8(0, 0, 0, 0).bytes().subarray(0, 30)), 'template_meta', 27,
      'specialization count runs past the end of the section (30 bytes)');
    expectRefusal(() => decodeOriginalTemplateMeta(meta(0, 0, 0, 0).u8(1, 2).bytes()), 'template_meta', 22, '2 bytes after the last entry');
    expectRefusal(() => decodeOriginalTemplateMeta(new Bytes().u8(0x4d, 0x45, 0x54, 0x41, 1, 0).u32(0).u32(0).u32(0).bytes()), 'template_meta', 18,
      'trait count runs past the end of the section (18 bytes)');
  });
});

describe('signatures', () => {
  it('one line per kind, with generics, return type and counts only when there are any', () => {
    const base: OriginalTemplate = {
      offset: 0, kind: 'function', name: 'f', genericParams: [], members: [], methods: [], returnType: null, body: [],
      isGenericTemplate: true, specializationOf: null, typeBindings: {},
    };
    expect(originalTemplateSignature({ ...base, name: 'max', genericParams: ['T'], members: ['a: T', 'b: T'], returnType: 'T', body: ['a'] }))
      .toBe('fn max<T>(a: T, b: T) -> T (1 statements)');
    expect(originalTemplateSignature(base)).toBe('fn f() (0 statements)');
    expect(originalTemplateSignature({ ...base, kind: 'enum', name: 'Opt', genericParams: ['T', 'U'], members: ['None', 'Some(T)'] }))
      .toBe('enum Opt<T, U> { None, Some(T) }');
    expect(originalTemplateSignature({ ...base, kind: 'trait', name: 'Show', methods: ['show', 'fmt'] })).toBe('trait Show (2 methods)');
    expect(originalTemplateSignature({ ...base, kind: 'struct', name: 'Pair', genericParams: ['A'], members: ['a: A', 'b: i64'] }))
      .toBe('struct Pair<A> { a: A, b: i64 }');
    expect(originalTemplateSignature({ ...base, kind: 'class', name: 'Box', members: ['v: i64'], methods: ['get'] })).toBe('class Box { v: i64 } (1 methods)');
  });
});
