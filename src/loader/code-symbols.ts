import { SectionType, SymbolFlags, SymbolType } from '../smf/index.js';
import type { SmfReader } from '../smf/index.js';

/**
 * The functions an SMF's code defines and the ones it calls, from its symbol table: defined
 * Function symbols in the code section, and undefined Function symbols. Null when the file has
 * no symbols to tell (the code must then be compiled to find out).
 */
export function codeSymbols(reader: SmfReader): { exports: string[]; got: string[] } | null {
  const code = reader.findSection(SectionType.Code, 'code');
  if (!code || reader.symbolCount === 0) return null;
  const exports: string[] = [];
  const got: string[] = [];
  for (const sym of reader.symbols()) {
    if (sym.type !== SymbolType.Function || (sym.flags & SymbolFlags.GENERIC_TEMPLATE) !== 0) continue;
    if (sym.sectionIndex === code.index) exports.push(sym.name);
    else if (sym.sectionIndex === undefined) got.push(sym.name);
  }
  return { exports, got };
}
