import { describe, expect, it } from 'vitest';
import {
  NoteSdnError,
  NoteSdnTerminatorError,
  emptyNote,
  fitNoteInPlace,
  mergeNotes,
  parseNoteSdn,
  serializeNoteSdn,
} from '../../src/sdn/index.js';
import { refusal } from './failure.js';

// note.sdn reading, writing and fitting at their edges: exact messages, the terminator line, the
// exact capacity, written where mutation testing (docs/testing.md) found the suite silent.

function noteFailure(text: string): { reason: string; line: number; column: number } {
  try {
    parseNoteSdn(text);
  } catch (e) {
    if (e instanceof NoteSdnError) return { reason: e.reason, line: e.line, column: e.column };
    throw e;
  }
  throw new Error('expected a NoteSdnError');
}

const DEPS = 'dependencies |from_inst, to_inst, dep_kind|\n';

describe('the terminator line', () => {
  it('ends the note with trailing blanks or a CR, and only as a whole line', () => {
    const row = '    "a", "b", "type_param"\n';
    expect(parseNoteSdn(`${DEPS}${row}# END_NOTE  \t\n    junk junk\n`).dependencies).toHaveLength(1);
    expect(parseNoteSdn(`${DEPS}${row}# END_NOTE\r\n{{{\n`).dependencies).toHaveLength(1);
    expect(parseNoteSdn(`${DEPS}${row}# END_NOTE`).dependencies).toHaveLength(1);
    // Not the terminator: a comment that goes on, or one indented.
    expect(parseNoteSdn(`${DEPS}${row}# END_NOTEs\n${row}`).dependencies).toHaveLength(2);
    expect(parseNoteSdn(`${DEPS}${row}  # END_NOTE\n${row}`).dependencies).toHaveLength(2);
  });
});

describe('cells', () => {
  it('describes the value found for each kind of cell', () => {
    const cell = (v: string) => noteFailure(`${DEPS}    ${v}, "b", "type_param"\n`).reason;
    const base = "table 'dependencies', row 0, column 'from_inst': expected a string, found";
    expect(cell('7')).toBe(`${base} 7`);
    expect(cell('9223372036854775807')).toBe(`${base} 9223372036854775807`);
    expect(cell('null')).toBe(`${base} null`);
    expect(cell('true')).toBe(`${base} true`);
    expect(cell('[1]')).toBe(`${base} a list`);
    expect(cell('{}')).toBe(`${base} a dict`);
  });

  it('takes ids that are non-negative safe integers only', () => {
    const id = (v: string) => noteFailure(`circular_warnings |id, cycle_path, severity|\n    ${v}, "p", "warning"\n`);
    const base = "table 'circular_warnings', row 0, column 'id': expected a non-negative integer id, found";
    expect(id('-1')).toEqual({ reason: `${base} -1`, line: 2, column: 5 });
    expect(id('1.5').reason).toBe(`${base} 1.5`);
    expect(id('9007199254740992').reason).toBe(`${base} 9007199254740992`);
    expect(id('"0"').reason).toBe(`${base} "0"`);
    expect(parseNoteSdn('circular_warnings |id, cycle_path, severity|\n    0, "p", "warning"\n    0, "q", "w"\n').circularWarnings).toEqual([
      { cyclePath: 'p', severity: 'warning' },
      { cyclePath: 'q', severity: 'w' },
    ]);
  });

  it('takes booleans bare or quoted, nothing else', () => {
    const row = (v: string) => `possible |id, template, type_args, mangled_name, required_by, can_defer|\n    0, "a", "b", "c", "d", ${v}\n`;
    expect(parseNoteSdn(row('"true"')).possible[0].canDefer).toBe(true);
    expect(parseNoteSdn(row('"false"')).possible[0].canDefer).toBe(false);
    expect(parseNoteSdn(row('false')).possible[0].canDefer).toBe(false);
    expect(noteFailure(row('"yes"')).reason).toBe(
      `table 'possible', row 0, column 'can_defer': expected true or false, found "yes"`,
    );
  });

  it('points at the table when a known name holds no table', () => {
    expect(noteFailure('x: 1\ncircular_errors = [1]\n')).toEqual({
      reason: "table 'circular_errors': expected a table, found a list",
      line: 2,
      column: 1,
    });
    expect(noteFailure('possible:\n    a: 1\n').reason).toBe("table 'possible': expected a table, found a dict");
    expect(noteFailure('possible: "x"\n').reason).toBe(`table 'possible': expected a table, found "x"`);
  });

  it('refuses a table with the right columns in another order, or one column short', () => {
    expect(noteFailure('dependencies |to_inst, from_inst, dep_kind|\n').reason).toBe(
      "table 'dependencies': expected columns |from_inst, to_inst, dep_kind| but found |to_inst, from_inst, dep_kind|",
    );
    expect(noteFailure('dependencies |from_inst, to_inst|\n').reason).toBe(
      "table 'dependencies': expected columns |from_inst, to_inst, dep_kind| but found |from_inst, to_inst|",
    );
  });
});

describe('serializeNoteSdn', () => {

  it('names the row and property of a bad cell', () => {
    const n = emptyNote();
    n.possible.push({ template: 'a', typeArgs: 'b', mangledName: 'c', requiredBy: 'd', canDefer: 'no' as unknown as boolean });
    expect(refusal(() => serializeNoteSdn(n))).toEqual({ path: 'possible[0].canDefer', reason: 'expected a boolean' });
    const m = emptyNote();
    m.dependencies.push({ fromInst: 'a', toInst: 'b', depKind: 'type_param' }, { fromInst: 'a', toInst: 'b', depKind: 'x' as never });
    expect(refusal(() => serializeNoteSdn(m))).toEqual({
      path: 'dependencies[1].depKind',
      reason: 'expected one of type_param, field_type, inner_type, method_dep, found "x"',
    });
    const k = emptyNote();
    k.circularErrors.push({ cyclePath: 3 as unknown as string, errorCode: 'E0420' });
    expect(refusal(() => serializeNoteSdn(k))).toEqual({ path: 'circular_errors[0].cyclePath', reason: 'expected a string' });
  });

  it('refuses an extra entry named like a note table, and writes none when extra is empty', () => {
    const n = emptyNote();
    n.extra = new Map([['possible', 1]]);
    expect(refusal(() => serializeNoteSdn(n))).toEqual({ path: 'extra.possible', reason: "extra entry 'possible' clashes with a note table" });
    const e = emptyNote();
    e.extra = new Map();
    expect(serializeNoteSdn(e)).toBe(serializeNoteSdn(emptyNote()));
    expect(serializeNoteSdn(e).endsWith('circular_errors |id, cycle_path, error_code|\n\n# END_NOTE\n')).toBe(true);
  });
});

describe('fitNoteInPlace', () => {
  const text = serializeNoteSdn(emptyNote());
  const size = new TextEncoder().encode(text).length;

  it('fits at exactly the capacity and not one byte below', () => {
    expect(fitNoteInPlace(text, size).kind).toBe('fits');
    expect(fitNoteInPlace(text, size - 1)).toEqual({ kind: 'needs_rebuild', required: size, available: size - 1 });
  });

  it('takes capacities that are non-negative safe integers only', () => {
    expect(() => fitNoteInPlace(text, 1.5)).toThrow('capacityBytes must be a non-negative integer, got 1.5');
    expect(() => fitNoteInPlace(text, -1)).toThrow('capacityBytes must be a non-negative integer, got -1');
    expect(fitNoteInPlace(text, 0)).toEqual({ kind: 'needs_rebuild', required: size, available: 0 });
  });

  it('says where a terminator that is not at the end sits', () => {
    const early = `a: 1\n# END_NOTE\nb: 2\n# END_NOTE\n`;
    expect(() => fitNoteInPlace(early, 1000)).toThrow(
      'note.sdn text contains the "# END_NOTE" terminator before its end (at index 4)',
    );
    expect(() => fitNoteInPlace('a: 1\n# END_NOTE', 1000)).toThrow(NoteSdnTerminatorError);
    expect(() => fitNoteInPlace('a: 1\n# END_NOTE', 1000)).toThrow('note.sdn text does not end with the "# END_NOTE" terminator');
  });
});

describe('mergeNotes', () => {
  it('keeps rows that differ in any field, and drops exact repeats whatever their key order', () => {
    const a = emptyNote();
    const b = emptyNote();
    a.typeInferences.push({ inferredType: 'i64', expr: '1', context: 'literal', fromFile: 'a', fromLoc: 'a:1:1' });
    b.typeInferences.push(
      { fromLoc: 'a:1:1', fromFile: 'a', context: 'literal', expr: '1', inferredType: 'i64' },
      { inferredType: 'i64', expr: '1', context: 'literal', fromFile: 'a', fromLoc: 'a:1:2' },
    );
    a.circularErrors.push({ cyclePath: 'N->N', errorCode: 'E0420' });
    b.circularErrors.push({ cyclePath: 'N->N', errorCode: 'E0421' });
    const m = mergeNotes([a, b], { toObj: 'o' });
    expect(m.typeInferences.map((r) => r.fromLoc)).toEqual(['a:1:1', 'a:1:2']);
    expect(m.circularErrors.map((r) => r.errorCode)).toEqual(['E0420', 'E0421']);
    expect(m.typeInferences[0]).not.toBe(a.typeInferences[0]);
  });
});
