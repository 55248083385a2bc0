/** SDN's maxValues at its exact edge (its other limits have theirs in test/sdn/limits.test.ts). */
import { describe, expect, it } from 'vitest';
import { parseSdn, SdnLimitError } from '../../src/sdn/index.js';

describe('maxValues', () => {
  // Every scalar, every container and the document itself is a value: `a: [1, …, 1]` with n
  // elements holds n + 2.
  it('a document of exactly maxValues values parses; one value more is refused', () => {
    const n = 100;
    const doc = `a: [${Array.from({ length: n }, () => '1').join(', ')}]\n`;
    expect((parseSdn(doc, { maxValues: n + 2 }).get('a') as unknown[]).length).toBe(n);
    expect(() => parseSdn(doc, { maxValues: n + 1 })).toThrow(SdnLimitError);
    expect(() => parseSdn(doc, { maxValues: n + 1 })).toThrow(`too many values (limit maxValues = ${n + 1})`);
  });
});
