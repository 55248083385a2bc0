/**
 * mergeLinkNote on hand-made notes and decisions: which earlier rows survive a link (deferred
 * rows decided again, usage hints used up or kept once), the rows each decision adds (its
 * location, file, status, `possible` row) and the dependency and cycle rows, each once.
 */
import { describe, expect, it } from 'vitest';
import type { DeferredInstance, LinkInstance } from '../../src/linker/instantiate.js';
import { mergeLinkNote, typeArgsCell } from '../../src/linker/merge-note.js';
import { emptyNote } from '../../src/sdn/index.js';
import type { InstantiationRow, NoteSdn, TypeInferenceRow } from '../../src/sdn/index.js';
import { parseType } from '../../src/types/index.js';

const i64 = parseType('i64');
const text = parseType('text');

const compiled = (symbol: string, template: string, at: string | undefined, requires: string[] = []): LinkInstance =>
  ({ symbol, template, args: [i64], site: { module: 'app', at }, requires, wasm: undefined }) as unknown as LinkInstance;
const deferred = (symbol: string, template: string, at?: string, module = 'app'): DeferredInstance => ({ symbol, template, args: [text], site: { module, at } });
const inst = (mangledName: string, status: InstantiationRow['status']): InstantiationRow => ({ template: 'f', typeArgs: 'x', mangledName, fromFile: 'a', fromLoc: 'a:1:1', toObj: 'a.smf', status });
const hint = (expr: string, fromLoc = 'app.spl:9:9'): TypeInferenceRow => ({ inferredType: 'i64', expr, context: 'call', fromFile: 'app.spl', fromLoc });

function merge(notes: NoteSdn[], c: LinkInstance[], d: DeferredInstance[], hints = new Map<TypeInferenceRow, string>(), circular: NoteSdn['circularErrors'] = []): NoteSdn {
  return mergeLinkNote(notes, 'out.smf', c, d, circular, hints, (module) => `${module}.spl`);
}

describe('rows of the inputs', () => {
  it('a deferred row of an earlier link is dropped when this link decides its instance; other rows stay', () => {
    const note: NoteSdn = { ...emptyNote(), instantiations: [inst('f$i64', 'deferred'), inst('f$u8', 'deferred'), inst('f$i32', 'jit_compiled'), inst('f$i64', 'jit_compiled')] };
    const out = merge([note], [compiled('f$i64', 'f', 'app.spl:1:2')], []);
    expect(out.instantiations.map((r) => `${r.mangledName} ${r.status}`)).toEqual(['f$u8 deferred', 'f$i32 jit_compiled', 'f$i64 compiled']);
  });

  it('hints: used up by a compiled instance, kept once for a deferred one, kept when undecided', () => {
    const [a, b, c, d, e] = [hint('f<a>(…)', 'x:1:1'), hint('f<b>(…)', 'x:2:2'), hint('g<c>(…)', 'x:3:3'), hint('g<d>(…)', 'x:4:4'), hint('h<e>(…)', 'x:5:5')];
    const note: NoteSdn = { ...emptyNote(), typeInferences: [a, b, c, d, e] };
    const hints = new Map([
      [a, 'f$i64'],
      [b, 'f$i64'],
      [c, 'g$text'],
      [d, 'g$text'],
    ]);
    const out = merge([note], [compiled('f$i64', 'f', 'x:1:1')], [deferred('g$text', 'g', 'x:3:3')], hints);
    expect(out.typeInferences.map((r) => r.fromLoc)).toEqual(['x:3:3', 'x:5:5']);
  });

  it('with no input notes, the note starts empty', () => {
    const out = merge([], [], [deferred('g$text', 'g')]);
    expect(out.instantiations).toHaveLength(1);
    expect(out.possible).toHaveLength(1);
  });
});

describe('rows of the decisions', () => {
  it('a compiled instance: its row at the use site, or at its module\'s file when the site is unknown', () => {
    const out = merge([emptyNote()], [compiled('f$i64', 'f', 'dir/app.spl:4:11'), compiled('g$i64', 'g', undefined)], []);
    expect(out.instantiations).toEqual([
      { template: 'f', typeArgs: 'i64', mangledName: 'f$i64', fromFile: 'dir/app.spl', fromLoc: 'dir/app.spl:4:11', toObj: 'out.smf', status: 'compiled' },
      { template: 'g', typeArgs: 'i64', mangledName: 'g$i64', fromFile: 'app.spl', fromLoc: 'app.spl:0:0', toObj: 'out.smf', status: 'compiled' },
    ]);
  });

  it('the file of a location: before its line and column, a JIT mark included; a bare name is its own file', () => {
    const out = merge([emptyNote()], [], [deferred('a$text', 'a', 'x.spl:1:2:jit'), deferred('b$text', 'b', 'nowhere'), deferred('c$text', 'c', 'p:q.spl:3:4')]);
    expect(out.instantiations.map((r) => r.fromFile)).toEqual(['x.spl', 'nowhere', 'p:q.spl']);
  });

  it('a deferred instance: its row, and a possible row unless one is there already', () => {
    const note: NoteSdn = { ...emptyNote(), possible: [{ template: 'g', typeArgs: 'text', mangledName: 'g$text', requiredBy: 'lib', canDefer: false }] };
    const out = merge([note], [], [deferred('g$text', 'g', 'a:1:1'), deferred('h$text', 'h', undefined, 'other'), deferred('h$text', 'h', undefined, 'third')]);
    expect(out.possible).toEqual([
      { template: 'g', typeArgs: 'text', mangledName: 'g$text', requiredBy: 'lib', canDefer: false },
      { template: 'h', typeArgs: 'text', mangledName: 'h$text', requiredBy: 'other', canDefer: true },
    ]);
    expect(out.instantiations.map((r) => `${r.mangledName} ${r.status} ${r.fromLoc}`)).toEqual(['g$text deferred a:1:1', 'h$text deferred other.spl:0:0', 'h$text deferred third.spl:0:0']);
  });

  it('a possible row of an instance now compiled is dropped', () => {
    const note: NoteSdn = { ...emptyNote(), possible: [{ template: 'f', typeArgs: 'i64', mangledName: 'f$i64', requiredBy: 'app', canDefer: true }] };
    expect(merge([note], [compiled('f$i64', 'f', 'a:1:1')], []).possible).toEqual([]);
  });

  it('dependencies: each type argument and each required instance, once, after those the inputs had', () => {
    const note: NoteSdn = { ...emptyNote(), dependencies: [{ fromInst: 'f$i64', toInst: 'g$i64', depKind: 'method_dep' }] };
    const out = merge([note], [compiled('f$i64', 'f', 'a:1:1', ['g$i64', 'h$i64', 'h$i64']), compiled('g$i64', 'g', 'a:1:1')], []);
    expect(out.dependencies).toEqual([
      { fromInst: 'f$i64', toInst: 'g$i64', depKind: 'method_dep' },
      { fromInst: 'f$i64', toInst: 'i64', depKind: 'type_param' },
      { fromInst: 'f$i64', toInst: 'h$i64', depKind: 'method_dep' },
      { fromInst: 'g$i64', toInst: 'i64', depKind: 'type_param' },
    ]);
  });

  it('cycle rows: the link\'s, after the inputs\', each once', () => {
    const note: NoteSdn = { ...emptyNote(), circularErrors: [{ cyclePath: 'a->a', errorCode: 'E0420' }] };
    const out = merge([note], [], [], new Map(), [
      { cyclePath: 'a->a', errorCode: 'E0420' },
      { cyclePath: 'a->a', errorCode: 'E0421' },
      { cyclePath: 'b->b', errorCode: 'E0420' },
    ]);
    expect(out.circularErrors).toEqual([
      { cyclePath: 'a->a', errorCode: 'E0420' },
      { cyclePath: 'a->a', errorCode: 'E0421' },
      { cyclePath: 'b->b', errorCode: 'E0420' },
    ]);
  });

  it('typeArgsCell joins readable types with a comma and a space', () => {
    expect(typeArgsCell([i64, parseType('[text]'), parseType('(i64, bool)')])).toBe('i64, [text], (i64, bool)');
    expect(typeArgsCell([])).toBe('');
  });
});
