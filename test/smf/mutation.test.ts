import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmfFormatError, SmfWriteError } from '../../src/smf/errors.js';
import { replaceNote } from '../../src/smf/note-rewrite.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { carefulLayout, decodeSections, DEFAULT_LIMITS } from '../../src/smf/layout.js';
import { acceptLayout } from '../../src/smf/fast-layout.js';
import { moduleSpec, sampleModule, touchEverything } from './fixtures.js';

/*
 * Random damage to valid files must only ever produce a SmfFormatError or a module that reads
 * in full. Anything else (RangeError from a DataView, a native crash, a hang, a huge
 * allocation) fails the property.
 */

const seeds: Uint8Array[] = [];
for (const compression of ['none', 'zstd', 'lz4'] as const) {
  for (const stub of [false, true]) {
    for (const hash of [false, true]) seeds.push(writeSmf(sampleModule({ compression, stub }), { hash }));
  }
}
seeds.push(writeSmf({ sections: [] }, { hash: false }));
seeds.push(...fc.sample(moduleSpec, { numRuns: 12, seed: 42 }).map((m) => writeSmf(m, { hash: false })));

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'word'; at: number; value: bigint; width: 4 | 8 }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; extra: Uint8Array };

/** Positions are fractions of the file length; the tail (tables, header) gets extra weight. */
const position = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.6, max: 1, noNaN: true }));

const interesting = fc.constantFrom(0n, 1n, 7n, 0x7fn, 0xffn, 0x80000000n, 0xffffffffn, 0xffffffffffffffffn, 0x10000n, 128n, 64n);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position.map((p) => p), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: position, value: fc.oneof(interesting, fc.bigInt({ min: 0n, max: 0xfffffn })), width: fc.constantFrom(4 as const, 8 as const) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
).map((m) => m as Mutation);

function apply(bytes: Uint8Array, muts: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of muts) {
    const at = 'at' in m ? Math.min(out.length - 1, Math.floor(m.at * out.length)) : 0;
    if (out.length === 0) break;
    switch (m.kind) {
      case 'flip':
        out[at] ^= 1 << m.bit;
        break;
      case 'set':
        out[at] = m.value;
        break;
      case 'word': {
        const start = Math.max(0, Math.min(at, out.length - m.width));
        if (out.length < m.width) break;
        const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
        if (m.width === 4) view.setUint32(start, Number(m.value & 0xffffffffn), true);
        else view.setBigUint64(start, m.value, true);
        break;
      }
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'extend': {
        const grown = new Uint8Array(out.length + m.extra.length);
        grown.set(out);
        grown.set(m.extra, out.length);
        out = grown;
        break;
      }
    }
  }
  return out;
}

function exercise(bytes: Uint8Array, verifyHash: boolean): 'ok' | 'rejected' {
  try {
    const r = SmfReader.fromBytes(bytes, { verifyHash, limits: { maxDecompressedSize: 64 * 1024 * 1024 } });
    touchEverything(r);
  } catch (e) {
    if (e instanceof SmfFormatError) return 'rejected';
    throw e;
  }
  // A file that reads in full can also have its note replaced, and the result reads back.
  try {
    const out = replaceNote(bytes, 'possible |id|\n', { verifyHash });
    expect(SmfReader.fromBytes(out, { verifyHash }).noteSdnText()).toBe('possible |id|\n\n# END_NOTE\n');
  } catch (e) {
    if (!(e instanceof SmfFormatError || e instanceof SmfWriteError)) throw e;
  }
  return 'ok';
}

describe('the two layout paths', () => {
  // The fast path may refuse what is valid (the careful path then accepts it), but whatever it
  // accepts the careful path must accept too, with the same layout.
  it('agree on every damaged file the fast path accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 0, maxLength: 3 }), fc.boolean(), (seed, muts, verifyHash) => {
        const bytes = apply(seeds[seed], muts);
        const opts = { file: 'f.smf', verifyHash, limits: DEFAULT_LIMITS };
        const fast = acceptLayout(bytes, opts);
        if (fast === null) return;
        accepted++;
        const careful = carefulLayout(bytes, opts);
        const { sections, view: _v1, ...fastFields } = fast;
        const { sections: carefulSections, view: _v2, ...carefulFields } = careful;
        expect(sections).toBeNull();
        expect(fastFields).toEqual(carefulFields);
        expect(decodeSections(fast, bytes)).toEqual(carefulSections);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('random damage to valid files', () => {
  // A hang would stop this test at its timeout; per-case deadlines are test/fuzz's job (a
  // worker with a deadline), not a wall-clock assertion here.
  it('gives a typed error or a valid module', () => {
    const outcomes = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (seed, muts, verifyHash) => {
          const damaged = apply(seeds[seed], muts);
          outcomes[exercise(damaged, verifyHash)]++;
        },
      ),
      { numRuns: 4000 },
    );
    // Both outcomes must occur, or the mutations are not reaching the parser.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(50);
  });

  it('every single-byte overwrite of the header and tables of one file', () => {
    const bytes = writeSmf(sampleModule({ compression: 'zstd', stub: true }), { hash: false });
    const r = SmfReader.fromBytes(bytes);
    const tablesStart = r.dataOffset + Number(r.header.sectionTableOffset);
    for (let at = tablesStart; at < bytes.length; at++) {
      for (const value of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        const damaged = bytes.slice();
        damaged[at] = value;
        exercise(damaged, false);
      }
    }
  });
});
