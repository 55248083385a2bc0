import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeTree, encodeTree, TemplateCodecError } from '../../../src/compiler/template/codec.js';

const tree = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('kind', 'span', 'name', 'args', 'x'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

describe('template tree codec', () => {
  it('round-trips arbitrary trees', () => {
    fc.assert(
      fc.property(tree, (v) => {
        expect(decodeTree(encodeTree(v))).toStrictEqual(v);
      }),
    );
  });

  it('writes each repeated string and shape once', () => {
    const node = { kind: 'call', name: 'println', args: [] as unknown[] };
    const one = encodeTree([node]).length;
    const many = encodeTree(Array.from({ length: 100 }, () => node)).length;
    // Each further node costs its tags and indices only: a handful of bytes.
    expect(many - one).toBeLessThanOrEqual(99 * 8);
  });

  it('keeps -0, NaN and large integers exact', () => {
    const v = [-0, NaN, 2 ** 60, -(2 ** 53) + 1, 123456789012345678901234567890n];
    expect(decodeTree(encodeTree(v))).toStrictEqual(v);
  });

  it('rejects damaged input with a typed error and never anything else', () => {
    const base = encodeTree({ kind: 'fn', body: [{ kind: 'int', value: 42n }, 'text', 3.5] });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, cut) => {
        const bad = cut ? base.slice(0, at) : Uint8Array.from(base, (b, i) => (i === at ? byte : b));
        try {
          decodeTree(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(TemplateCodecError);
        }
      }),
    );
  });

  it('refuses a count larger than the data and deep nesting', () => {
    expect(() => decodeTree(Uint8Array.of(0xff, 0xff, 0xff, 0x0f))).toThrow(TemplateCodecError);
    const deep = new Uint8Array(2 + 2 * 1000);
    deep.fill(0, 0, 2);
    for (let i = 0; i < 1000; i++) deep.set([7, 1], 2 + i * 2);
    expect(() => decodeTree(deep)).toThrow(/nests too deeply/);
  });

  it('decodes a table of ASCII strings, and one with a string that is not, to the same strings', () => {
    const ascii = { kind: 'fn', name: 'max', args: ['a', 'b', '', 'x'.repeat(200)] };
    expect(decodeTree(encodeTree(ascii))).toStrictEqual(ascii);
    const mixed = { kind: 'fn', name: 'größer', args: ['a', '→', 'x'.repeat(200)] };
    expect(decodeTree(encodeTree(mixed))).toStrictEqual(mixed);
  });

  it('names the offset of a string that is not UTF-8', () => {
    // strings: 2 — 'ab', then 0xff 0xfe (not UTF-8); no shapes; the value: string 0.
    const bad = Uint8Array.of(2, 2, 0x61, 0x62, 2, 0xff, 0xfe, 0, 6, 0);
    expect(() => decodeTree(bad, 100)).toThrow(new TemplateCodecError('string is not valid UTF-8', 105));
  });
});
