import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIRCULAR_ERROR_CODES,
  DEP_KINDS,
  INSTANTIATION_STATUSES,
  NOTE_SDN_TERMINATOR,
  fitNoteInPlace,
  parseNoteSdn,
  serializeNoteSdn,
} from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';
import { sdnString } from './arbitraries.js';

const s = sdnString;
const rows = <T>(row: fc.Arbitrary<T>) => fc.array(row, { maxLength: 5 });

const note: fc.Arbitrary<NoteSdn> = fc.record({
  instantiations: rows(
    fc.record({
      template: s,
      typeArgs: s,
      mangledName: s,
      fromFile: s,
      fromLoc: s,
      toObj: s,
      status: fc.constantFrom(...INSTANTIATION_STATUSES),
    }),
  ),
  possible: rows(fc.record({ template: s, typeArgs: s, mangledName: s, requiredBy: s, canDefer: fc.boolean() })),
  typeInferences: rows(fc.record({ inferredType: s, expr: s, context: s, fromFile: s, fromLoc: s })),
  dependencies: rows(fc.record({ fromInst: s, toInst: s, depKind: fc.constantFrom(...DEP_KINDS) })),
  circularWarnings: rows(fc.record({ cyclePath: s, severity: s })),
  circularErrors: rows(fc.record({ cyclePath: s, errorCode: fc.constantFrom(...CIRCULAR_ERROR_CODES) })),
});

describe('note.sdn round trip', () => {
  it('parseNoteSdn(serializeNoteSdn(n)) deep-equals n, and the text ends with the terminator only', () => {
    fc.assert(
      fc.property(note, (n) => {
        const text = serializeNoteSdn(n);
        expect(text.indexOf(NOTE_SDN_TERMINATOR)).toBe(text.length - NOTE_SDN_TERMINATOR.length);
        expect(parseNoteSdn(text)).toEqual(n);
        expect(serializeNoteSdn(parseNoteSdn(text))).toBe(text);
        expect(fitNoteInPlace(text, 1 << 20).kind).toBe('fits');
      }),
      { numRuns: 300 },
    );
  });
});
