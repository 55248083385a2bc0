import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { expectMatchesSpec, moduleSpec, touchEverything } from './fixtures.js';

describe('writer → reader round trip', () => {
  it('reads back every random module exactly', () => {
    fc.assert(
      fc.property(moduleSpec, fc.boolean(), (spec, hash) => {
        const bytes = writeSmf(spec, { hash });
        const r = SmfReader.fromBytes(bytes);
        expect(r.header.moduleHash === 0n).toBe(!hash);
        expectMatchesSpec(r, spec);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same module gives the same bytes', () => {
    fc.assert(
      fc.property(moduleSpec, (spec) => {
        const a = writeSmf(spec);
        const b = writeSmf(structuredClone(spec));
        expect(Buffer.compare(a, b)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('reads modules without a note, symbols or sections', () => {
    const r = SmfReader.fromBytes(writeSmf({ sections: [] }));
    expect(r.sections).toHaveLength(0);
    expect(r.symbolCount).toBe(0);
    expect(r.noteSdnText()).toBeUndefined();
    expect(r.noteCapacity()).toBeUndefined();
    expect(r.relocations()).toEqual([]);
    expect(r.lookup('main')).toBeUndefined();
    touchEverything(r);
  });
});
