/**
 * Writes a compiled module as an SMF file: its WebAssembly code, its interface, its templates,
 * its symbols and its note.sdn (see docs/smf-format.md, "What the compiler writes").
 */
import { isGeneric, allTypeParams } from '../program.js';
import type { StructDef } from '../program.js';
import { typeDependencies } from './type-deps.js';
import { named } from '../../types/type.js';
import type { CompiledModule, InstanceUse } from './compile-module.js';
import { buildInterface } from '../interface/module-interface.js';
import { buildLoadIndex, LOAD_INDEX_SECTION, serializeLoadIndex } from '../interface/load-index.js';
import { writeInterface } from '../interface/interface-directory.js';
import { CODE_SECTION, TEMPLATE_SECTION, TYPE_INFO_SECTION } from '../interface/smf-module.js';
import { encodeTemplateSection, fnTemplate } from '../interface/templates.js';
import type { TemplatePayload } from '../interface/templates.js';
import { emptyNote, recordCycles, serializeNoteSdn } from '../../sdn/index.js';
import type { NoteSdn } from '../../sdn/index.js';
import { Binding, entryPointOf, HeaderFlags, SectionType, SymbolFlags, SymbolType, prefetchHintFor, writeSmf } from '../../smf/index.js';
import type { CompressionName, SmfSectionSpec, SmfSymbolSpec } from '../../smf/index.js';
import { typeToString } from '../../types/index.js';

export interface EmitOptions {
  readonly compression?: CompressionName;
  /** Start the file with a stub so it can be run directly: `#!/usr/bin/env smf` (true), or these bytes. */
  readonly stub?: boolean | Uint8Array;
}


export function emitSmf(compiled: CompiledModule, options: EmitOptions = {}): Uint8Array {
  const { declared, unit } = compiled;
  const smfName = `${declared.name}.smf`;

  // Templates: generic functions and methods, then generic structs.
  const payloads: TemplatePayload[] = [];
  const templateSymbols: string[] = [];
  for (const fn of declared.fns) {
    if (!isGeneric(fn) || !fn.body) continue;
    payloads.push(fnTemplate(fn.symbol, fn.body.decl, declared.source));
    templateSymbols.push(fn.symbol);
  }
  for (const s of declared.structs) {
    if (s.typeParams.length === 0) continue;
    payloads.push({ kind: 'struct', name: s.name });
    templateSymbols.push(s.name);
  }
  const templates = encodeTemplateSection(payloads);
  const templateOffsets = new Map(templateSymbols.map((s, i) => [s, templates.offsets[i]]));

  const uses = compiled.external.map((u) => ({ symbol: u.symbol, at: location(u) }));
  const iface = buildInterface(declared, templateOffsets, unit.dataSize, uses, { exports: [...unit.exports], calls: [...unit.imports.got] });

  const typeInfo = writeInterface(iface);
  const sections: SmfSectionSpec[] = [
    { type: SectionType.Code, name: CODE_SECTION, data: unit.wasm },
    { type: SectionType.TypeInfo, name: TYPE_INFO_SECTION, data: typeInfo.bytes },
  ];
  if (payloads.length > 0) sections.push({ type: SectionType.TemplateCode, name: TEMPLATE_SECTION, data: templates.bytes });
  const templateSection = payloads.length > 0 ? 2 : undefined;

  const symbols: SmfSymbolSpec[] = [];
  const specialized = new Map(compiled.specializations.map((s) => [s.symbol, s.fn]));
  const fnBySymbol = new Map(declared.fns.map((f) => [f.symbol, f]));
  const isLocal = (symbol: string): boolean => {
    const base = specialized.get(symbol) ?? fnBySymbol.get(symbol);
    return base !== undefined && !base.exported;
  };
  const index = buildLoadIndex(iface, unit.exports.filter(isLocal), typeInfo.directory);
  if (index) sections.push({ type: SectionType.TypeInfo, name: LOAD_INDEX_SECTION, data: new TextEncoder().encode(serializeLoadIndex(index)) });
  unit.exports.forEach((symbol, ordinal) => {
    symbols.push({
      name: symbol,
      type: SymbolType.Function,
      binding: isLocal(symbol) ? Binding.Local : Binding.Global,
      flags: specialized.has(symbol) ? SymbolFlags.SPECIALIZED : 0,
      value: ordinal,
      size: 0,
      sectionIndex: 0,
    });
  });
  for (const fn of declared.fns) {
    const offset = templateOffsets.get(fn.symbol);
    if (offset === undefined) continue;
    symbols.push({
      name: fn.symbol,
      type: SymbolType.Function,
      binding: fn.exported ? Binding.Global : Binding.Local,
      flags: SymbolFlags.GENERIC_TEMPLATE,
      value: 0,
      size: 0,
      templateParamCount: allTypeParams(fn).length,
      templateOffset: offset,
      sectionIndex: templateSection,
    });
  }
  for (const s of declared.structs) {
    const offset = templateOffsets.get(s.name);
    symbols.push({
      name: s.name,
      type: SymbolType.Type,
      binding: s.exported ? Binding.Global : Binding.Local,
      flags: offset === undefined ? 0 : SymbolFlags.GENERIC_TEMPLATE,
      value: 0,
      size: 0,
      templateParamCount: s.typeParams.length,
      templateOffset: offset ?? 0,
      sectionIndex: offset === undefined ? undefined : templateSection,
    });
  }
  // What the code needs from elsewhere: undefined symbols, as in an object file.
  for (const u of compiled.external) {
    symbols.push({ name: u.symbol, type: SymbolType.Function, binding: Binding.Global, value: 0, size: 0 });
  }

  const hasMain = declared.fns.some((f) => f.symbol === 'main' && f.owner === null);
  return writeSmf({
    flags: (hasMain ? HeaderFlags.EXECUTABLE : 0) | HeaderFlags.RELOADABLE,
    entryPoint: hasMain ? entryPointOf(unit.exports) : 0,
    // A module importing others asks the loader to read them ahead (import-prefetch.ts).
    ...prefetchHintFor(declared.imports.length),
    sections,
    symbols,
    note: serializeNoteSdn(buildNote(compiled, smfName)),
    compression: options.compression ?? 'none',
    stub: options.stub ?? false,
  });
}

function location(u: InstanceUse): string {
  const { line, col } = u.site.source.lineCol(u.site.span.start);
  return `${u.site.source.path}:${line}:${col}`;
}

/** The note.sdn rows the compiler knows: what it compiled in, and what it leaves to others. */
export function buildNote(compiled: CompiledModule, smfName: string): NoteSdn {
  const note = emptyNote();
  const args = (u: InstanceUse): string => u.typeArgs.map((t) => typeToString(t)).join(', ');
  const deps = (u: InstanceUse): void => {
    for (const t of u.typeArgs) note.dependencies.push({ fromInst: u.symbol, toInst: typeToString(t), depKind: 'type_param' });
  };
  for (const u of compiled.specializations) {
    note.instantiations.push({
      template: u.fn.symbol,
      typeArgs: args(u),
      mangledName: u.symbol,
      fromFile: u.site.source.path,
      fromLoc: location(u),
      toObj: smfName,
      status: 'compiled',
    });
    deps(u);
  }
  for (const u of compiled.external) {
    if (u.typeArgs.length === 0) continue;
    note.possible.push({
      template: u.fn.symbol,
      typeArgs: args(u),
      mangledName: u.symbol,
      requiredBy: compiled.declared.name,
      canDefer: true,
    });
    note.typeInferences.push({
      inferredType: args(u),
      expr: `${u.fn.symbol}<${args(u)}>(…)`,
      context: 'call',
      fromFile: u.site.source.path,
      fromLoc: location(u),
    });
    deps(u);
  }
  // What the types are made of (field_type, inner_type), from the instances' type arguments and
  // the module's own concrete structs; then the cycles among them (sdn/cycles.ts).
  const structs = new Map<string, StructDef>(compiled.declared.structs.map((d) => [d.name, d]));
  for (const [, def] of compiled.declared.scope.entries()) if (def.kind === 'struct' && !structs.has(def.name)) structs.set(def.name, def);
  const roots = [
    ...[...compiled.specializations, ...compiled.external].flatMap((u) => u.typeArgs),
    ...compiled.declared.structs.filter((d) => d.typeParams.length === 0).map((d) => named(d.name)),
  ];
  note.dependencies.push(...typeDependencies(roots, (name) => structs.get(name)));
  recordCycles(note);
  return note;
}
