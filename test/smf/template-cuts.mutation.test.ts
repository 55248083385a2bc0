import { describe, expect, it } from 'vitest';
import { OriginalTemplateError, decodeOriginalTemplateMeta, decodeOriginalTemplates } from '../../src/smf/original-templates.js';
import { thrown } from '../thrown.js';

// The original writer's GTPL and META sections cut at every byte: the refusal must name the field
// the cut falls in (or the count that can no longer fit) and where it starts. The expected text
// comes from a model of the layout written here, field by field, apart from the decoder's code;
// mutation testing (docs/testing.md) found most field names in those messages untested.

type Step =
  | { op: 'field'; name: string; bytes: number[] }
  | { op: 'count'; what: string; n: number; size: number };

/** The layout as a list of named fields and the count checks between them, in reading order. */
class Layout {
  readonly steps: Step[] = [];
  field(name: string, bytes: number[]): this {
    this.steps.push({ op: 'field', name, bytes });
    return this;
  }
  u8(name: string, v: number): this {
    return this.field(name, [v]);
  }
  u32(name: string, v: number): this {
    return this.field(name, [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
  }
  str(what: string, s: string): this {
    const e = [...new TextEncoder().encode(s)];
    return this.u32(`${what} length`, e.length).field(what, e);
  }
  count(what: string, n: number, size: number): this {
    this.steps.push({ op: 'count', what, n, size });
    return this;
  }
  list(what: string, xs: string[]): this {
    this.u32(`${what} count`, xs.length).count(what, xs.length, 4);
    for (const x of xs) this.str(what, x);
    return this;
  }
  params(xs: string[]): this {
    this.u8('generic parameter count', xs.length).count('generic parameters', xs.length, 4);
    for (const x of xs) this.str('generic parameter', x);
    return this;
  }
  optional(what: string, s: string | null): this {
    return s === null ? this.u8(what, 0) : this.u8(what, 1).str(what, s);
  }
  dict(what: string, pairs: [string, string][]): this {
    this.u32(`${what} count`, pairs.length).count(what, pairs.length, 8);
    for (const [k, v] of pairs) this.str(`${what} key`, k).str(`${what} value`, v);
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.steps.flatMap((s) => (s.op === 'field' ? s.bytes : [])));
  }

  /** What the decoder must say of the first `length` bytes: the first field or count that does not fit. */
  refusalAt(length: number): { offset: number; detail: string } {
    let at = 0;
    for (const s of this.steps) {
      if (s.op === 'count') {
        if (s.n * s.size > length - at) return { offset: at, detail: `${s.what}: ${s.n} entries cannot fit in the ${length - at} bytes left` };
        continue;
      }
      if (at + s.bytes.length > length) return { offset: at, detail: `${s.name} runs past the end of the section (${length} bytes)` };
      at += s.bytes.length;
    }
    throw new Error(`the whole layout fits in ${length} bytes`);
  }
}

function expectEveryCut(layout: Layout, section: string, decode: (b: Uint8Array) => unknown): void {
  const full = layout.bytes();
  expect(() => decode(full)).not.toThrow();
  for (let length = 0; length < full.length; length++) {
    const err = thrown(() => decode(full.subarray(0, length)), OriginalTemplateError);
    const { offset, detail } = layout.refusalAt(length);
    expect(`${length}: ${err.message}`).toBe(`${length}: ${section}: ${detail} at section offset 0x${offset.toString(16)}`);
  }
}

describe('a GTPL section cut at every byte', () => {
  it('names the field or count the cut falls in, for every kind', () => {
    const g = new Layout().field('header', [0x47, 0x54, 0x50, 0x4c, 1, 0]).u32('template count', 5);
    g.u8('kind', 0).str('name', 'max').params(['T']).list('parameters', ['a: T', 'b']).optional('return type', 'T').list('body', ['a'])
      .u8('flag', 1).optional('specialization_of', 'm').dict('type_bindings', [['LongKeyName', 'i64']]);
    g.u8('kind', 1).str('name', 'P').params(['A', 'B']).list('fields', ['a: A']).u8('flag', 0).optional('specialization_of', null).dict('type_bindings', []);
    g.u8('kind', 2).str('name', 'C').params([]).list('fields', ['v']).list('methods', ['get']).u8('flag', 0).optional('specialization_of', 'D')
      .dict('type_bindings', [['K', 'k'], ['V', 'v']]);
    g.u8('kind', 3).str('name', 'E').params(['T']).list('variants', ['N', 'S']).u8('flag', 1).optional('specialization_of', null).dict('type_bindings', []);
    g.u8('kind', 4).str('name', 'Tr').params([]).list('methods', ['show', 'eq']).u8('flag', 0);
    expectEveryCut(g, 'template_code', decodeOriginalTemplates);
    expect(decodeOriginalTemplates(g.bytes()).map((t) => t.kind)).toEqual(['function', 'struct', 'class', 'enum', 'trait']);
  });
});

describe('a META section cut at every byte', () => {
  it('names the count or the entry field the cut falls in', () => {
    const m = new Layout().field('header', [0x4d, 0x45, 0x54, 0x41, 1, 0])
      .u32('function count', 2).u32('struct count', 1).u32('enum count', 1).u32('trait count', 1);
    m.count('function entries', 2, 8).str('function name', 'max').u32('specialization count', 3).str('function name', 'min').u32('specialization count', 0);
    m.count('struct entries', 1, 8).str('struct name', 'Pair').u32('specialization count', 1);
    m.count('enum entries', 1, 8).str('enum name', 'Opt').u32('specialization count', 2);
    m.count('trait entries', 1, 8).str('trait name', 'Show').u32('specialization count', 4);
    expectEveryCut(m, 'template_meta', decodeOriginalTemplateMeta);
    expect(decodeOriginalTemplateMeta(m.bytes()).entries.map((e) => `${e.kind} ${e.name} ${e.specializations}`))
      .toEqual(['function max 3', 'function min 0', 'struct Pair 1', 'enum Opt 2', 'trait Show 4']);
  });
});
