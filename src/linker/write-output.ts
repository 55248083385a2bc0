/**
 * Pass 4 — the linked SMF: one `code` section (the merged WebAssembly module), the merged
 * interface (`type_info`, with every input module as a member), the merged TemplateCode, the
 * symbol table, the note and, by default, the `#!/usr/bin/env smf` stub. Section layout and
 * symbol conventions are the compiler's (emit-smf.ts), so the loader reads a linked SMF the way
 * it reads a compiled one.
 */
import { INTERFACE_FORMAT } from '../compiler/interface/module-interface.js';
import type { ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import { packMembers } from '../compiler/interface/packed-members.js';
import { CODE_SECTION, TEMPLATE_SECTION, TYPE_INFO_SECTION } from '../compiler/interface/smf-module.js';
import { allTypeParams } from '../compiler/program.js';
import { serializeNoteSdn } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import { Binding, entryPointOf, HeaderFlags, SectionType, SymbolFlags, SymbolType, prefetchHintFor, writeSmf } from '../smf/index.js';
import type { CompressionName, SmfSectionSpec, SmfSymbolSpec } from '../smf/index.js';
import type { MergedCode } from './merge-code.js';
import type { MergedTemplates } from './merge-templates.js';
import type { ObjModule } from './obj-module.js';
import type { SymbolTable } from './symbols.js';

export interface OutputParts {
  readonly name: string;
  readonly modules: readonly ObjModule[];
  readonly table: SymbolTable;
  readonly merged: MergedCode;
  readonly templates: MergedTemplates;
  /** Symbols compiled at link time (SPECIALIZED in the symbol table). */
  readonly instances: ReadonlySet<string>;
  /** Where the output still uses each symbol the loader must provide. */
  readonly uses: ModuleInterfaceJson['uses'];
  readonly note: NoteSdn;
  readonly stub: boolean | Uint8Array;
  readonly compression: CompressionName;
}

export function writeLinkedSmf(p: OutputParts): Uint8Array {
  const memberNames = new Set(p.templates.members.map((m) => m.module));
  const imports: string[] = [];
  const importPaths: string[] = [];
  for (const m of p.templates.members) {
    m.imports.forEach((i, k) => {
      if (memberNames.has(i) || imports.includes(i)) return;
      imports.push(i);
      importPaths.push(m.importPaths?.[k] ?? i);
    });
  }
  const exported = new Set(p.merged.exports);
  const iface: ModuleInterfaceJson = {
    format: INTERFACE_FORMAT,
    module: p.name,
    imports,
    importPaths,
    structs: [],
    functions: [],
    scope: [],
    dataSize: p.merged.dataSize,
    uses: [...p.uses],
    // What the merged code defines and still calls, so a loader registers it without reading
    // every symbol (as it does for a single module).
    code: { exports: [...p.merged.exports], calls: p.merged.got.filter((s) => !exported.has(s)) },
    members: [],
  };
  // Packed (packed-members.ts): written plainly, member interfaces are most of a linked file.
  const json = JSON.stringify({ ...iface, members: packMembers(p.templates.members) });

  const sections: SmfSectionSpec[] = [
    { type: SectionType.Code, name: CODE_SECTION, data: p.merged.wasm },
    { type: SectionType.TypeInfo, name: TYPE_INFO_SECTION, data: new TextEncoder().encode(json) },
  ];
  const templateSection = p.templates.bytes ? 2 : undefined;
  if (p.templates.bytes) sections.push({ type: SectionType.TemplateCode, name: TEMPLATE_SECTION, data: p.templates.bytes });

  const symbols: SmfSymbolSpec[] = [];
  p.merged.exports.forEach((name, ordinal) => {
    const def = p.table.functions.get(name);
    // The interface lists every function the code defines (`code.exports`, the members): a
    // symbol is written only for what it cannot tell — a Weak binding, which a later link of
    // this file needs — and for the entry point.
    if (!def?.weak && name !== 'main') return;
    symbols.push({
      name,
      type: SymbolType.Function,
      binding: def?.weak ? Binding.Weak : Binding.Global,
      flags: p.instances.has(name) || def?.specialized ? SymbolFlags.SPECIALIZED : 0,
      value: ordinal,
      size: 0,
      sectionIndex: 0,
    });
  });
  for (const member of p.templates.members) {
    for (const f of member.functions) {
      if (f.template === null) continue;
      const t = p.table.templates.get(f.symbol);
      symbols.push({
        name: f.symbol,
        type: SymbolType.Function,
        binding: f.exported ? Binding.Global : Binding.Local,
        flags: SymbolFlags.GENERIC_TEMPLATE,
        value: 0,
        size: 0,
        templateParamCount: t ? allTypeParams(t.fn).length : f.typeParams.length,
        templateOffset: f.template,
        sectionIndex: templateSection,
      });
    }
  }
  const structsDone = new Set<string>();
  p.modules.forEach((m, input) => {
    for (const member of m.members) {
      for (const st of member.iface.structs) {
        const s = m.symbol(st.name);
        if (structsDone.has(st.name) || !s || s.type !== SymbolType.Type) continue;
        structsDone.add(st.name);
        const generic = (s.flags & SymbolFlags.GENERIC_TEMPLATE) !== 0;
        const offset = generic ? p.templates.offsets[input].get(Number(s.templateOffset)) : undefined;
        symbols.push({
          name: s.name,
          type: SymbolType.Type,
          binding: s.binding,
          flags: offset === undefined ? 0 : SymbolFlags.GENERIC_TEMPLATE,
          value: 0,
          size: 0,
          templateParamCount: s.templateParamCount,
          templateOffset: offset ?? 0,
          sectionIndex: offset === undefined ? undefined : templateSection,
        });
      }
    }
  });
  // What the code still needs from the loader: undefined symbols, as in an object file.
  for (const s of p.merged.got) {
    if (!exported.has(s)) symbols.push({ name: s, type: SymbolType.Function, binding: Binding.Global, value: 0, size: 0 });
  }

  return writeSmf({
    flags: (exported.has('main') ? HeaderFlags.EXECUTABLE : 0) | HeaderFlags.RELOADABLE,
    entryPoint: entryPointOf(p.merged.exports),
    // The modules it still imports (those not linked in) are read ahead by the loader.
    ...prefetchHintFor(imports.length),
    sections,
    symbols,
    note: serializeNoteSdn(p.note),
    compression: p.compression,
    stub: p.stub,
  });
}
