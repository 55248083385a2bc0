import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SdnError, parseSdn, stringifySdn } from '../../src/sdn/index.js';
import type { SdnValue } from '../../src/sdn/index.js';
import { sdnDocument } from './arbitraries.js';

/** toEqual ignores Map order, so compare key order separately. */
function keyOrder(v: SdnValue): unknown {
  if (v instanceof Map) return [...v].map(([k, x]) => [k, keyOrder(x)]);
  if (Array.isArray(v)) return v.map(keyOrder);
  if (v !== null && typeof v === 'object') return v.rows.map((r) => r.map(keyOrder));
  return null;
}

describe('stringifySdn ∘ parseSdn', () => {
  it('round-trips random documents', () => {
    fc.assert(
      fc.property(sdnDocument, (doc) => {
        const text = stringifySdn(doc);
        const back = parseSdn(text, { maxDepth: 200 });
        expect(back).toEqual(doc);
        expect(keyOrder(back)).toEqual(keyOrder(doc));
        expect(stringifySdn(back)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });
});

const soupToken = fc.constantFrom(
  'a', 'key', ':', ': ', ' ', '  ', '\n', '\n    ', '\n  ', '|', ',', '[', ']', '{', '}', '(', ')', '"', '\\', '#', '-',
  '- ', '1', '0x', '.', 'e', '=', 'table{', 'table', '\t', 'true', '\r', '_', '"x"', '\\u{', '1_0', '9999999999999999999999',
  'é', '😀', '\ud800',
);

function onlySdnErrors(text: string): void {
  try {
    parseSdn(text);
  } catch (e) {
    if (!(e instanceof SdnError)) throw e;
  }
}

describe('parser robustness', () => {
  it('throws nothing but SdnError on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlySdnErrors), { numRuns: 2000 });
  });

  it('throws nothing but SdnError on random token soup', () => {
    fc.assert(
      fc.property(fc.array(soupToken, { maxLength: 80 }).map((t) => t.join('')), onlySdnErrors),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but SdnError on mutated valid documents', () => {
    const mutated = fc
      .tuple(sdnDocument.map(stringifySdn), fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 }))
      .map(([text, at, cut, insert]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + insert + text.slice(i + cut);
      });
    fc.assert(fc.property(mutated, onlySdnErrors), { numRuns: 1000 });
  });
});
