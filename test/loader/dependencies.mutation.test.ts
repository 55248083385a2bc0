/**
 * The `dependencies` rows the loader adds for an instance it compiled
 * (src/loader/instance-dependencies.ts): only the missing ones, each once, with the cycles they
 * close, and a note whose rows changed behind its back read again.
 */
import { describe, expect, it } from 'vitest';
import type { StructDef } from '../../src/compiler/program.js';
import { recordInstanceDependencies } from '../../src/loader/instance-dependencies.js';
import { emptyNote } from '../../src/sdn/index.js';
import { parseType } from '../../src/types/index.js';

function structs(defs: Record<string, Record<string, string>>): (name: string) => StructDef | undefined {
  return (name) => {
    const fields = defs[name];
    return fields && ({ name, module: 'm', typeParams: [], fields: Object.entries(fields).map(([n, t]) => ({ name: n, type: parseType(t) })) } as unknown as StructDef);
  };
}

const rows = (note: ReturnType<typeof emptyNote>) => note.dependencies.map((r) => `${r.fromInst}>${r.toInst}:${r.depKind}`);

describe('recordInstanceDependencies', () => {
  it('adds each missing row once, and none that the note has', () => {
    const note = emptyNote();
    const structOf = structs({ P: { q: 'Q' }, Q: { v: 'i64' } });
    const first = recordInstanceDependencies(note, 'pick$P', [parseType('P')], structOf);
    expect(first).toEqual({ errors: [], warnings: [] });
    expect(rows(note)).toEqual(['pick$P>P:type_param', 'P>Q:field_type', 'Q>i64:field_type']);
    recordInstanceDependencies(note, 'pick$P', [parseType('P')], structOf);
    expect(note.dependencies).toHaveLength(3);
    // Another instance over the same struct adds only its own type_param row.
    recordInstanceDependencies(note, 'other$P', [parseType('P')], structOf);
    expect(rows(note)).toEqual(['pick$P>P:type_param', 'P>Q:field_type', 'Q>i64:field_type', 'other$P>P:type_param']);
  });

  it('reads the note again when its rows changed behind its back', () => {
    const note = emptyNote();
    const structOf = structs({ P: { v: 'i64' } });
    recordInstanceDependencies(note, 'pick$P', [parseType('P')], structOf);
    expect(note.dependencies).toHaveLength(2);
    note.dependencies.splice(0, 1);
    recordInstanceDependencies(note, 'pick$P', [parseType('P')], structOf);
    expect(rows(note)).toEqual(['P>i64:field_type', 'pick$P>P:type_param']);
    // The same length, other rows: not noticed (the set is kept for speed), so nothing is added.
    note.dependencies.splice(0, 1, { fromInst: 'x', toInst: 'y', depKind: 'field_type' } as (typeof note.dependencies)[number]);
    recordInstanceDependencies(note, 'pick$P', [parseType('P')], structOf);
    expect(note.dependencies).toHaveLength(2);
  });

  it('answers the cycles its rows close: a hard one through fields, a soft one through an array', () => {
    const hard = emptyNote();
    const r = recordInstanceDependencies(hard, 'f$A', [parseType('A')], structs({ A: { b: 'B' }, B: { a: 'A' } }));
    expect(r.errors).toHaveLength(1);
    expect(r.warnings).toEqual([]);
    expect(hard.circularErrors).toHaveLength(1);
    const soft = emptyNote();
    const s = recordInstanceDependencies(soft, 'f$N', [parseType('N')], structs({ N: { next: '[N]' } }));
    expect(s.errors).toEqual([]);
    expect(s.warnings).toHaveLength(1);
  });
});
