import { describe, expect, it } from 'vitest';
import {
  NoteSdnTerminatorError,
  SdnError,
  SdnSerializeError,
  fitNoteInPlace,
  formatSdnInline,
  parseSdn,
} from '../../src/sdn/index.js';

// The exact text and codes of the SDN error classes, written where mutation testing
// (docs/testing.md) found the suite silent.

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('error messages and codes', () => {
  it('starts a syntax error with line:column, and the file only when there is one', () => {
    const e = thrown(() => parseSdn('a: @'));
    expect(e).toBeInstanceOf(SdnError);
    expect(e.message).toBe("1:4: expected a value, found '@'");
    expect(thrown(() => parseSdn('a: @', { file: 'x.sdn' })).message).toBe("x.sdn:1:4: expected a value, found '@'");
  });

  it('says when bytes are not UTF-8', () => {
    expect(thrown(() => parseSdn(new Uint8Array([0x61, 0x3a, 0x20, 0xc3]))).message).toBe('1:1: input is not valid UTF-8');
  });

  it('names the input limit in full', () => {
    expect(thrown(() => parseSdn('a: 1', { maxInputBytes: 3 })).message).toBe('1:1: input too large (limit maxInputBytes = 3)');
  });

  it('gives the writer and the note fitter their codes', () => {
    const w = thrown(() => formatSdnInline(NaN)) as SdnSerializeError;
    expect([w.code, w.path, w.reason]).toEqual(['SDN_UNSERIALIZABLE', '', 'NaN has no SDN spelling']);
    const t = thrown(() => fitNoteInPlace('\n# END_NOTE\nx\n# END_NOTE\n', 100)) as NoteSdnTerminatorError;
    expect(t).toBeInstanceOf(NoteSdnTerminatorError);
    expect([t.code, t.foundAt]).toEqual(['NOTE_SDN_TERMINATOR', 0]);
    expect(t.message).toBe('note.sdn text contains the "# END_NOTE" terminator before its end (at index 0)');
  });
});
