/**
 * What `codeSymbols` (src/loader/code-symbols.ts) reads from files made by hand: symbols of every
 * kind, in the code section, elsewhere and undefined, and files with no symbols or no code.
 */
import { describe, expect, it } from 'vitest';
import { codeSymbols } from '../../src/loader/code-symbols.js';
import { Binding, SectionType, SmfReader, SymbolFlags, SymbolType, writeSmf } from '../../src/smf/index.js';
import type { SmfModuleSpec, SmfSymbolSpec } from '../../src/smf/index.js';

const sections = [
  { type: SectionType.Code, name: 'code', data: Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0]) },
  { type: SectionType.Data, name: 'data', data: new Uint8Array(8) },
];
const fn = (name: string, extra: Partial<SmfSymbolSpec> = {}): SmfSymbolSpec => ({ name, type: SymbolType.Function, binding: Binding.Global, value: 0, size: 0, ...extra });
const read = (spec: SmfModuleSpec) => codeSymbols(SmfReader.fromBytes(writeSmf(spec), { file: 'hand.smf' }));

describe('codeSymbols of files made by hand', () => {
  it('lists only Function symbols that are not templates: defined in the code section, or undefined', () => {
    const symbols: SmfSymbolSpec[] = [
      fn('defined', { sectionIndex: 0 }),
      fn('called'),
      fn('in_data', { sectionIndex: 1 }),
      fn('template_here', { sectionIndex: 0, flags: SymbolFlags.GENERIC_TEMPLATE }),
      fn('template_elsewhere', { flags: SymbolFlags.GENERIC_TEMPLATE }),
      fn('a_type', { type: SymbolType.Type }),
      fn('a_type_here', { type: SymbolType.Type, sectionIndex: 0 }),
      fn('a_constant', { type: SymbolType.Constant }),
    ];
    expect(read({ sections, symbols })).toEqual({ exports: ['defined'], got: ['called'] });
  });

  it('is null for a file without symbols, or without code', () => {
    expect(read({ sections })).toBeNull();
    expect(read({ sections: [sections[1]], symbols: [fn('called')] })).toBeNull();
  });
});
