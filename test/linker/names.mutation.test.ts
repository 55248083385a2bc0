/**
 * qualifyMember (private-names.ts): which functions of a member interface get a qualified name,
 * and which scope rows follow them — only a member's own functions, never a struct or another
 * module's function of the same name.
 */
import { describe, expect, it } from 'vitest';
import type { ModuleInterfaceJson } from '../../src/compiler/interface/module-interface.js';
import { qualifyMember } from '../../src/linker/private-names.js';

type Fn = ModuleInterfaceJson['functions'][number];
const fn = (symbol: string, exported: boolean): Fn => ({ symbol, name: symbol, owner: null, receiver: 'none', typeParams: [], params: [], ret: 'i64', extern: false, exported, template: null });
const member = (functions: Fn[], scope: ModuleInterfaceJson['scope']): ModuleInterfaceJson => ({
  format: 1,
  module: 'my-lib',
  imports: [],
  importPaths: [],
  structs: [],
  functions,
  scope,
  dataSize: 0,
  uses: [],
});

describe('qualifyMember', () => {
  it('qualifies and exports the private functions, and renames the scope rows of its own functions only', () => {
    const iface = member(
      [fn('_h', false), fn('pub', true), fn('_g..other', false)],
      [
        ['_h', 'fn', 'my-lib', '_h'],
        ['_h', 'fn', 'other', '_h'],
        ['_h', 'struct', 'my-lib', '_h'],
        ['pub', 'fn', 'my-lib', 'pub'],
      ],
    );
    const q = qualifyMember(iface);
    expect([...q.renamed]).toEqual([['_h', '_h..my_lib']]);
    expect(q.iface.functions.map((f) => [f.symbol, f.exported])).toEqual([
      ['_h..my_lib', true],
      ['pub', true],
      ['_g..other', false],
    ]);
    expect(q.iface.scope).toEqual([
      ['_h', 'fn', 'my-lib', '_h..my_lib'],
      ['_h', 'fn', 'other', '_h'],
      ['_h', 'struct', 'my-lib', '_h'],
      ['pub', 'fn', 'my-lib', 'pub'],
    ]);
    // The interface it was given is not changed.
    expect(iface.functions[0]).toEqual(fn('_h', false));
    expect(iface.scope[0]).toEqual(['_h', 'fn', 'my-lib', '_h']);
  });

  it('an interface with nothing to qualify comes back as it is, with an empty map', () => {
    const iface = member([fn('pub', true), fn('_h..lib', true)], [['pub', 'fn', 'my-lib', 'pub']]);
    const q = qualifyMember(iface);
    expect(q.iface).toBe(iface);
    expect(q.renamed.size).toBe(0);
  });
});
