import { describe, expect, it } from 'vitest';
import {
  NOTE_SDN_TERMINATOR,
  NoteSdnError,
  NoteSdnTerminatorError,
  SdnError,
  addInstantiation,
  addPossible,
  emptyNote,
  findInstantiation,
  findPossible,
  fitNoteInPlace,
  markJitCompiled,
  mergeNotes,
  parseNoteSdn,
  serializeNoteSdn,
} from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';

/** The example of the reference notes, §2.2. */
const EXAMPLE = `# Instantiation To/From Metadata
# Format version: 1.0

# Template instantiations (what was compiled)
instantiations |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status|
    0, "List", "Int", "List$Int", "app.spl", "app.spl:10:5", "app.o", "compiled"

# Possible instantiations (can be lazily generated)
possible |id, template, type_args, mangled_name, required_by, can_defer|
    0, "List", "Float", "List$Float", "math_module", true

# Type inference instantiations
type_inferences |id, inferred_type, expr, context, from_file, from_loc|
    0, "Int", "42", "literal", "app.spl", "app.spl:5:10"

# Instantiation graph (to/from relationships)
dependencies |from_inst, to_inst, dep_kind|
    "List$Int", "Int", "type_param"

# Circular dependency detection results
circular_warnings |id, cycle_path, severity|
    0, "Node$T->Option$Node$T->Node$T", "warning"

circular_errors |id, cycle_path, error_code|

# END_NOTE
`;

const EXAMPLE_NOTE: NoteSdn = {
  instantiations: [
    {
      template: 'List',
      typeArgs: 'Int',
      mangledName: 'List$Int',
      fromFile: 'app.spl',
      fromLoc: 'app.spl:10:5',
      toObj: 'app.o',
      status: 'compiled',
    },
  ],
  possible: [{ template: 'List', typeArgs: 'Float', mangledName: 'List$Float', requiredBy: 'math_module', canDefer: true }],
  typeInferences: [{ inferredType: 'Int', expr: '42', context: 'literal', fromFile: 'app.spl', fromLoc: 'app.spl:5:10' }],
  dependencies: [{ fromInst: 'List$Int', toInst: 'Int', depKind: 'type_param' }],
  circularWarnings: [{ cyclePath: 'Node$T->Option$Node$T->Node$T', severity: 'warning' }],
  circularErrors: [],
};

function noteFailure(text: string): NoteSdnError {
  try {
    parseNoteSdn(text, { file: 'm.smf' });
  } catch (e) {
    if (e instanceof NoteSdnError) return e;
    throw e;
  }
  throw new Error('expected a NoteSdnError');
}

describe('parseNoteSdn', () => {
  it('reads the reference example', () => {
    expect(parseNoteSdn(EXAMPLE)).toEqual(EXAMPLE_NOTE);
  });

  it('writes the reference example byte for byte', () => {
    expect(serializeNoteSdn(EXAMPLE_NOTE)).toBe(EXAMPLE);
    expect(EXAMPLE.endsWith(NOTE_SDN_TERMINATOR)).toBe(true);
  });

  it('reads missing tables as empty', () => {
    expect(parseNoteSdn('')).toEqual(emptyNote());
    expect(parseNoteSdn('dependencies |from_inst, to_inst, dep_kind|\n  a, b, method_dep\n').dependencies).toEqual([
      { fromInst: 'a', toInst: 'b', depKind: 'method_dep' },
    ]);
  });

  it('ignores whatever follows the terminator', () => {
    const stale = `${EXAMPLE}garbage |from, an, older|\n    "longer note`;
    expect(parseNoteSdn(stale)).toEqual(EXAMPLE_NOTE);
  });

  it('keeps unknown entries in extra and writes them back', () => {
    const text = EXAMPLE.replace('# END_NOTE\n', 'build:\n    target: wasm32\n    features = [simd]\n\n# END_NOTE\n');
    const note = parseNoteSdn(text);
    expect(note.extra).toEqual(new Map([['build', new Map<string, unknown>([['target', 'wasm32'], ['features', ['simd']]])]]));
    expect(serializeNoteSdn(note)).toBe(text);
  });

  it('accepts bare strings and quoted booleans', () => {
    const n = parseNoteSdn('possible |id, template, type_args, mangled_name, required_by, can_defer|\n  7, L, T, "L$T", m, "false"\n');
    expect(n.possible[0].canDefer).toBe(false);
  });

  it('names table, row, column and line for a bad enum value', () => {
    const e = noteFailure(EXAMPLE.replace('"type_param"', '"type_parm"'));
    expect(e.code).toBe('NOTE_SDN_INVALID');
    expect([e.table, e.row, e.columnName, e.line, e.column]).toEqual(['dependencies', 0, 'dep_kind', 18, 24]);
    expect(e.message).toBe(
      "m.smf:18:24: table 'dependencies', row 0, column 'dep_kind': expected one of type_param, field_type, inner_type, method_dep, found \"type_parm\"",
    );
  });

  it('rejects a bad status, a non-boolean can_defer, a non-string cell and a bad id', () => {
    const status = noteFailure(EXAMPLE.replace('"compiled"', '"done"'));
    expect([status.table, status.columnName, status.line]).toEqual(['instantiations', 'status', 6]);
    const defer = noteFailure(EXAMPLE.replace('"math_module", true', '"math_module", 1'));
    expect([defer.table, defer.columnName, defer.reason.endsWith('expected true or false, found 1')]).toEqual([
      'possible',
      'can_defer',
      true,
    ]);
    const str = noteFailure(EXAMPLE.replace('"Int", "42"', '"Int", 42'));
    expect([str.table, str.columnName, str.line, str.column]).toEqual(['type_inferences', 'expr', 14, 15]);
    const id = noteFailure(EXAMPLE.replace('    0, "Node', '    -1, "Node'));
    expect([id.table, id.row, id.columnName]).toEqual(['circular_warnings', 0, 'id']);
    const code = noteFailure(EXAMPLE.replace('error_code|\n', 'error_code|\n    0, "a->a", "E0999"\n'));
    expect([code.table, code.columnName]).toEqual(['circular_errors', 'error_code']);
  });

  it('rejects wrong columns, naming the table and its header line', () => {
    const e = noteFailure(EXAMPLE.replace('to_obj, status', 'output_file, status'));
    expect([e.table, e.line, e.column]).toEqual(['instantiations', 5, 1]);
    expect(e.reason).toBe(
      "table 'instantiations': expected columns |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status| but found |id, template, type_args, mangled_name, from_file, from_loc, output_file, status|",
    );
    expect(noteFailure('possible: 3\n').reason).toBe("table 'possible': expected a table, found 3");
  });

  it('reports rows of the wrong width as SDN errors with their line', () => {
    let err: unknown;
    try {
      parseNoteSdn(EXAMPLE.replace('"math_module", true', '"math_module"'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SdnError);
    expect((err as SdnError).line).toBe(10);
  });
});

describe('note operations', () => {
  const possible = (name: string) => ({
    template: 'List',
    typeArgs: name,
    mangledName: `List$${name}`,
    requiredBy: 'main',
    canDefer: false,
  });

  it('adds rows and returns their ids', () => {
    const n = emptyNote();
    expect(addPossible(n, possible('A'))).toBe(0);
    expect(addPossible(n, possible('B'))).toBe(1);
    expect(addInstantiation(n, { ...EXAMPLE_NOTE.instantiations[0] })).toBe(0);
    expect(findPossible(n, 'List$B')?.typeArgs).toBe('B');
    expect(findPossible(n, 'List$C')).toBeUndefined();
    expect(findInstantiation(n, 'List$Int')?.toObj).toBe('app.o');
  });

  it('markJitCompiled moves the row from possible to instantiations and renumbers ids', () => {
    const n = parseNoteSdn(EXAMPLE);
    addPossible(n, possible('Pair<i64, text>, i64'));
    addPossible(n, possible('Str'));
    expect(markJitCompiled(n, 'List$Float', { smfPath: 'lib/math.smf' })).toBe(true);
    expect(n.possible.map((p) => p.mangledName)).toEqual(['List$Pair<i64, text>, i64', 'List$Str']);
    expect(n.instantiations[1]).toEqual({
      template: 'List',
      typeArgs: 'Float',
      mangledName: 'List$Float',
      fromFile: 'lib/math.smf',
      fromLoc: 'lib/math.smf:0:0:jit',
      toObj: 'jit_memory',
      status: 'jit_compiled',
    });
    const text = serializeNoteSdn(n);
    expect(text).toContain(
      '    1, "List", "Float", "List$Float", "lib/math.smf", "lib/math.smf:0:0:jit", "jit_memory", "jit_compiled"\n',
    );
    expect(text).toContain('    0, "List", "Pair<i64, text>, i64", "List$Pair<i64, text>, i64", "main", false\n');
    expect(text).toContain('    1, "List", "Str", "List$Str", "main", false\n');
    expect(parseNoteSdn(text)).toEqual(n);
    expect(markJitCompiled(n, 'List$Float', { smfPath: 'x' })).toBe(false);
    expect(n.instantiations).toHaveLength(2);
  });

  it('mergeNotes renumbers, sets to_obj and keeps one row per instance', () => {
    const a = parseNoteSdn(EXAMPLE);
    const b = parseNoteSdn(EXAMPLE);
    b.instantiations.push({ ...b.instantiations[0], mangledName: 'List$Bool', typeArgs: 'Bool', toObj: 'b.o' });
    b.possible.push(possible('Int'), possible('Str'));
    const m = mergeNotes([a, b], { toObj: 'out.smf' });
    expect(m.instantiations.map((r) => [r.mangledName, r.toObj])).toEqual([
      ['List$Int', 'out.smf'],
      ['List$Bool', 'out.smf'],
    ]);
    expect(m.possible.map((p) => p.mangledName)).toEqual(['List$Float', 'List$Str']);
    expect(m.dependencies).toEqual(EXAMPLE_NOTE.dependencies);
    expect(m.typeInferences).toEqual(EXAMPLE_NOTE.typeInferences);
    expect(m.circularWarnings).toEqual(EXAMPLE_NOTE.circularWarnings);
    expect(a).toEqual(EXAMPLE_NOTE);
    expect(serializeNoteSdn(m)).toContain('    1, "List", "Bool", "List$Bool", "app.spl", "app.spl:10:5", "out.smf", "compiled"\n');
  });
});

describe('fitNoteInPlace', () => {
  const text = serializeNoteSdn(EXAMPLE_NOTE);
  const size = new TextEncoder().encode(text).length;

  it('returns the bytes when they fit', () => {
    const r = fitNoteInPlace(text, size);
    expect(r.kind).toBe('fits');
    if (r.kind === 'fits') expect(new TextDecoder().decode(r.bytes)).toBe(text);
  });

  it('asks for a rebuild when they do not, counting UTF-8 bytes', () => {
    expect(fitNoteInPlace(text, size - 1, { currentBytes: 400 })).toEqual({
      kind: 'needs_rebuild',
      current: 400,
      required: size,
      available: size - 1,
    });
    const wide = serializeNoteSdn({ ...EXAMPLE_NOTE, circularWarnings: [{ cyclePath: 'é', severity: 'warning' }] });
    const chars = wide.length;
    expect(fitNoteInPlace(wide, chars)).toEqual({ kind: 'needs_rebuild', required: chars + 1, available: chars });
  });

  it('refuses text a reader would cut short', () => {
    expect(() => fitNoteInPlace('a: 1\n', 100)).toThrow(NoteSdnTerminatorError);
    expect(() => fitNoteInPlace(`${NOTE_SDN_TERMINATOR}x${NOTE_SDN_TERMINATOR}`, 100)).toThrow(NoteSdnTerminatorError);
    expect(() => fitNoteInPlace(text, -1)).toThrow(RangeError);
  });
});

describe('markJitCompiled after a link', () => {
  it("turns the linker's deferred row into the jit_compiled one instead of adding a second", async () => {
    const { emptyNote, markJitCompiled } = await import('../../src/sdn/index.js');
    const note = emptyNote();
    note.instantiations.push({ template: 'max', typeArgs: 'i64', mangledName: 'max$i64', fromFile: 'app.spl', fromLoc: 'app.spl:5:5', toObj: 'app.smf', status: 'deferred' });
    note.possible.push({ template: 'max', typeArgs: 'i64', mangledName: 'max$i64', requiredBy: 'app', canDefer: true });
    expect(markJitCompiled(note, 'max$i64', { smfPath: 'app.smf' })).toBe(true);
    expect(note.possible).toEqual([]);
    expect(note.instantiations).toEqual([
      { template: 'max', typeArgs: 'i64', mangledName: 'max$i64', fromFile: 'app.smf', fromLoc: 'app.smf:0:0:jit', toObj: 'jit_memory', status: 'jit_compiled' },
    ]);
  });
});
