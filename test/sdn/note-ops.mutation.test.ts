import { describe, expect, it } from 'vitest';
import {
  addCircularError,
  emptyNote,
  findInstantiation,
  fitNoteInPlace,
  formatSdnInline,
  markJitCompiled,
  mergeNotes,
  NOTE_SDN_TERMINATOR,
  NoteSdnTerminatorError,
  SdnSerializeError,
  stringifySdn,
} from '../../src/sdn/index.js';
import type { InstantiationRow, SdnValue } from '../../src/sdn/index.js';

// note.sdn operations, the in-place fit and the writer's refusals where mutation testing
// (docs/testing.md) found the suite silent.

const inst = (mangledName: string, status: InstantiationRow['status']): InstantiationRow => ({
  template: 'f',
  typeArgs: 'Int',
  mangledName,
  fromFile: 'a.spl',
  fromLoc: 'a.spl:1:1',
  toObj: 'a.o',
  status,
});

describe('note rows', () => {
  it('adds a cycle row again when only its error code differs', () => {
    const note = emptyNote();
    expect(addCircularError(note, { cyclePath: 'a->a', errorCode: 'E0420' })).toBe(true);
    expect(addCircularError(note, { cyclePath: 'a->a', errorCode: 'E0421' })).toBe(true);
    expect(addCircularError(note, { cyclePath: 'a->a', errorCode: 'E0421' })).toBe(false);
    expect(note.circularErrors.map((r) => r.errorCode)).toEqual(['E0420', 'E0421']);
  });

  it('finds an instantiation by its mangled name only', () => {
    const note = emptyNote();
    note.instantiations = [inst('f$Int', 'compiled'), inst('f$Str', 'compiled')];
    expect(findInstantiation(note, 'f$Str')).toBe(note.instantiations[1]);
    expect(findInstantiation(note, 'f$Bool')).toBeUndefined();
  });

  it('turns only the deferred row of the same instance into the jit row', () => {
    const note = emptyNote();
    note.instantiations = [inst('f$Int', 'compiled'), inst('g$Int', 'deferred'), inst('f$Int', 'deferred')];
    note.possible = [{ template: 'f', typeArgs: 'Int', mangledName: 'f$Int', requiredBy: 'main', canDefer: true }];
    expect(markJitCompiled(note, 'f$Int', { smfPath: 'app.smf' })).toBe(true);
    const jit = { ...inst('f$Int', 'jit_compiled'), fromFile: 'app.smf', fromLoc: 'app.smf:0:0:jit', toObj: 'jit_memory' };
    expect(note.instantiations).toEqual([inst('f$Int', 'compiled'), inst('g$Int', 'deferred'), jit]);
  });

  it('appends the jit row when no row of the instance is deferred, even if another one is', () => {
    const note = emptyNote();
    note.instantiations = [inst('f$Int', 'compiled'), inst('g$Int', 'deferred')];
    note.possible = [{ template: 'f', typeArgs: 'Int', mangledName: 'f$Int', requiredBy: 'main', canDefer: true }];
    markJitCompiled(note, 'f$Int', { smfPath: 'app.smf' });
    expect(note.instantiations.map((r) => [r.mangledName, r.status])).toEqual([
      ['f$Int', 'compiled'],
      ['g$Int', 'deferred'],
      ['f$Int', 'jit_compiled'],
    ]);
  });

  it('merges rows that are equal field by field, whatever order their fields were set in', () => {
    const a = emptyNote();
    a.dependencies = [{ fromInst: 'x', toInst: 'y', depKind: 'field_type' }];
    a.circularWarnings = [{ cyclePath: 'x->x', severity: 'warning' }];
    const b = emptyNote();
    b.dependencies = [{ depKind: 'field_type', toInst: 'y', fromInst: 'x' }];
    b.circularWarnings = [{ severity: 'warning', cyclePath: 'x->x' }];
    const merged = mergeNotes([a, b], { toObj: 'out' });
    expect(merged.dependencies).toEqual([{ fromInst: 'x', toInst: 'y', depKind: 'field_type' }]);
    expect(merged.circularWarnings).toEqual([{ cyclePath: 'x->x', severity: 'warning' }]);
  });
});

describe('fitNoteInPlace', () => {
  it('accepts the terminator alone, and refuses text one character short of its length', () => {
    expect(fitNoteInPlace(NOTE_SDN_TERMINATOR, NOTE_SDN_TERMINATOR.length)).toEqual({
      kind: 'fits',
      bytes: new TextEncoder().encode(NOTE_SDN_TERMINATOR),
    });
    const short = 'x'.repeat(NOTE_SDN_TERMINATOR.length - 1);
    expect(() => fitNoteInPlace(short, 100)).toThrow(NoteSdnTerminatorError);
    expect(() => fitNoteInPlace(short, 100)).toThrow('note.sdn text does not end with the "# END_NOTE" terminator');
  });

  it('leaves current out of the rebuild answer unless it was given', () => {
    const text = `a |b|${NOTE_SDN_TERMINATOR}`;
    const answer = fitNoteInPlace(text, 3);
    expect(answer).toStrictEqual({ kind: 'needs_rebuild', required: text.length, available: 3 });
    expect('current' in answer).toBe(false);
    expect(fitNoteInPlace(text, 3, { currentBytes: 7 })).toStrictEqual({ kind: 'needs_rebuild', current: 7, required: text.length, available: 3 });
  });
});

describe('writer refusals', () => {
  const table = { fields: ['c'], rows: [[1]] } as unknown as SdnValue;
  const refusal = (f: () => unknown): { path: string; reason: string } => {
    try {
      f();
    } catch (e) {
      if (e instanceof SdnSerializeError) return { path: e.path, reason: e.reason };
      throw e;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a table inside a row or as an inline value', () => {
    const reason = 'a table can only be the value of a dict entry';
    expect(refusal(() => stringifySdn(new Map([['t', { fields: ['c'], rows: [[table]] }]])))).toEqual({ path: 't.rows[0][0]', reason });
    expect(refusal(() => formatSdnInline(table))).toEqual({ path: '', reason });
  });

  it('refuses a table without columns', () => {
    expect(refusal(() => stringifySdn(new Map([['t', { fields: [], rows: [] }]])))).toEqual({ path: 't', reason: 'a table needs at least one column' });
  });
});
