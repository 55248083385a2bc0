import type { Command } from 'commander';
import { parseNoteSdn } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import {
  Arch,
  Binding,
  Compression,
  HeaderFlags,
  Platform,
  SectionFlags,
  SectionType,
  SmfReader,
  SymbolFlags,
  SymbolType,
} from '../smf/index.js';
import type { SmfReader as Reader } from '../smf/index.js';
import { checkTemplateSection, decodeTemplateEntry } from '../compiler/interface/templates.js';
import { LOAD_INDEX_SECTION, parseLoadIndex } from '../compiler/interface/load-index.js';
import type { LoadIndexJson } from '../compiler/interface/load-index.js';
import { RelocKind } from '../compiler/lower/unit.js';
import { readWasmModule } from '../compiler/wasm/reader.js';
import { ExternalKind } from '../compiler/wasm/index.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { describeCode, isWasmBinary } from '../smf/arch.js';
import { decodeOriginalTemplateMeta, decodeOriginalTemplates, originalTemplateSignature } from '../smf/original-templates.js';
import type { OriginalTemplateMeta } from '../smf/original-templates.js';

export function registerInspect(program: Command, ctx: CommandContext): void {
  program
    .command('inspect')
    .description('print the header, sections, symbols, relocations, templates and note.sdn of an SMF file')
    .argument('<file>', '.smf file')
    .option('--json', 'print the same as JSON')
    .option('--no-verify', 'do not check the module hash')
    .action((file: string, opts: { json?: boolean; verify: boolean }) => {
      try {
        const reader = SmfReader.openSync(file, { verifyHash: opts.verify });
        const report = inspectSmf(reader);
        ctx.io.stdout(opts.json ? JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n' : formatReport(report));
      } catch (e) {
        ctx.exit(reportError(e, ctx.io));
      }
    });
}

export interface InspectReport {
  file: string;
  size: number;
  header: Record<string, unknown>;
  sections: Array<{ index: number; type: string; name: string; flags: string; offset: number; size: number; virtualSize: number; alignment: number }>;
  symbols: Array<{ index: number; name: string; type: string; binding: string; flags: string; value: bigint; size: bigint; templateParams: number; templateOffset: bigint; section: number | null; version: number }>;
  relocations: Array<{ offset: bigint; symbol: string; type: number; addend: bigint }>;
  /** Every Code section, said in words: "WebAssembly module, 2048 bytes", "x86_64 machine code, 16 bytes". */
  codeSections: Array<{ index: number; name: string; description: string }>;
  /** The code's own relocations (`reloc.CODE` in the WebAssembly module): what the linker rewrites. */
  code: { imports: Array<{ module: string; name: string; kind: string }>; exports: string[]; relocations: Array<{ offset: number; kind: string; value: number; target: string }> } | null;
  templates: Array<{ offset: number; kind: string; symbol: string; source: string }>;
  /** Whose entry layout the TemplateCode section has ('original': the original Simple writer's), or why it could not be decoded. */
  templateLayout: 'smf' | 'original' | { error: string } | null;
  /** The `load_index` section, decoded, or the reason it could not be. */
  loadIndex: LoadIndexJson | { error: string } | null;
  note: NoteSdn | null;
  /** The original writer's `template_meta` section, decoded, or why it could not be. */
  templateMeta: OriginalTemplateMeta | { error: string } | null;
  /** Why note.sdn could not be read or parsed (the rest of the report stands). */
  noteError?: string;
  /** Symbols or relocations that could not be read (left out of their tables). */
  problems?: string[];
}

const nameOf = (table: Record<string, number>, v: number): string => Object.keys(table).find((k) => table[k] === v) ?? String(v);
const flagsOf = (table: Record<string, number>, v: number): string => {
  const names = Object.keys(table).filter((k) => table[k] !== 0 && (v & table[k]) === table[k]);
  return names.length ? names.join('|') : '-';
};

export function inspectSmf(reader: Reader): InspectReport {
  const h = reader.header;
  const header = {
    version: `${h.versionMajor}.${h.versionMinor}`,
    platform: nameOf(Platform, h.platform),
    arch: nameOf(Arch, h.arch),
    flags: flagsOf(HeaderFlags, h.flags),
    compression: nameOf(Compression, h.compression),
    compressionLevel: h.compressionLevel,
    sectionCount: h.sectionCount,
    symbolCount: h.symbolCount,
    exportedCount: h.exportedCount,
    entryPoint: h.entryPoint,
    stubSize: h.stubSize,
    prefetchHint: h.prefetchHint,
    prefetchFileCount: h.prefetchFileCount,
    moduleHash: `0x${h.moduleHash.toString(16).padStart(16, '0')}`,
  };
  const sections = reader.sections.map((s) => ({
    index: s.index,
    type: nameOf(SectionType, s.type),
    name: s.name,
    flags: flagsOf(SectionFlags, s.flags),
    offset: s.offset,
    size: s.size,
    virtualSize: s.virtualSize,
    alignment: s.alignment,
  }));
  // A defect in one table is reported with the rest of the file, not instead of it.
  const problems: string[] = [];
  const readable = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      problems.push(messageOf(e));
      return undefined;
    }
  };
  const entries = Array.from({ length: reader.symbolCount }, (_, i) => readable(() => reader.symbol(i))).filter((s) => s !== undefined);
  const symbols = entries.map((s) => ({
    index: s.index,
    name: s.name,
    type: nameOf(SymbolType, s.type),
    binding: nameOf(Binding, s.binding),
    flags: flagsOf({ GENERIC_TEMPLATE: SymbolFlags.GENERIC_TEMPLATE, SPECIALIZED: SymbolFlags.SPECIALIZED }, s.flags),
    value: s.value,
    size: s.size,
    templateParams: s.templateParamCount,
    templateOffset: s.templateOffset,
    section: s.sectionIndex ?? null,
    version: s.version,
  }));
  const relocations = (readable(() => reader.relocations()) ?? []).map((r) => ({
    offset: r.offset,
    symbol: (r.symbolIndex < reader.symbolCount && readable(() => reader.symbolName(r.symbolIndex))) || `#${r.symbolIndex}`,
    type: r.type,
    addend: r.addend,
  }));
  const { templates, templateLayout } = templateReport(reader);
  const { note, noteError } = noteReport(reader);
  return {
    codeSections: reader.sections
      .filter((s) => s.type === SectionType.Code)
      .map((s) => ({ index: s.index, name: s.name, description: describeSection(reader, s.index) })),
    code: codeReport(reader),
    loadIndex: loadIndexReport(reader),
    file: reader.file,
    size: reader.size,
    header,
    sections,
    symbols,
    relocations,
    templates,
    templateLayout,
    templateMeta: templateMetaReport(reader),
    note,
    ...(noteError === undefined ? {} : { noteError }),
    ...(problems.length === 0 ? {} : { problems }),
  };
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function describeSection(reader: Reader, index: number): string {
  try {
    return describeCode(reader.header.arch, reader.sectionData(index));
  } catch (e) {
    return `not readable: ${messageOf(e)}`;
  }
}

/**
 * The templates, from this toolchain's entries (length-prefixed payloads at each template
 * symbol's offset) or else the original Simple writer's (kind-tagged entries back to back).
 */
function templateReport(reader: Reader): Pick<InspectReport, 'templates' | 'templateLayout'> {
  const tsec = reader.findSection(SectionType.TemplateCode);
  if (!tsec) return { templates: [], templateLayout: null };
  let data: Uint8Array;
  try {
    data = reader.sectionData(tsec.index);
  } catch (e) {
    return { templates: [], templateLayout: { error: messageOf(e) } };
  }
  let ours: unknown;
  try {
    checkTemplateSection(data);
    const templates: InspectReport['templates'] = [];
    for (const s of reader.symbols()) {
      if ((s.flags & SymbolFlags.GENERIC_TEMPLATE) === 0) continue;
      const offset = Number(s.templateOffset);
      const t = decodeTemplateEntry(data.subarray(offset), offset);
      templates.push({
        offset,
        kind: t.kind,
        symbol: t.kind === 'fn' ? t.symbol : t.name,
        source: t.kind === 'fn' ? `${t.file}:${t.lineOffset + 1}` : '',
      });
    }
    return { templates, templateLayout: 'smf' };
  } catch (e) {
    ours = e;
  }
  try {
    const templates = decodeOriginalTemplates(data).map((t) => ({ offset: t.offset, kind: t.kind, symbol: t.name, source: originalTemplateSignature(t) }));
    return { templates, templateLayout: 'original' };
  } catch (e) {
    return {
      templates: [],
      templateLayout: { error: `${data.length} bytes in neither entry layout (this toolchain's: ${messageOf(ours)}; the original writer's: ${messageOf(e)})` },
    };
  }
}

function templateMetaReport(reader: Reader): InspectReport['templateMeta'] {
  const at = reader.findSectionIndex(SectionType.TemplateMeta, 'template_meta');
  if (at < 0) return null;
  try {
    return decodeOriginalTemplateMeta(reader.sectionData(at));
  } catch (e) {
    return { error: messageOf(e) };
  }
}

function noteReport(reader: Reader): { note: NoteSdn | null; noteError?: string } {
  try {
    const text = reader.noteSdnText();
    return { note: text === undefined ? null : parseNoteSdn(text, { file: reader.file }) };
  } catch (e) {
    return { note: null, noteError: messageOf(e) };
  }
}

function loadIndexReport(reader: Reader): InspectReport['loadIndex'] {
  const at = reader.findSectionIndex(SectionType.TypeInfo, LOAD_INDEX_SECTION);
  if (at < 0) return null;
  try {
    return parseLoadIndex(new TextDecoder().decode(reader.sectionData(at)), reader.file);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const RELOC_KINDS = ['function', 'type', 'global', 'data'];

/** The WebAssembly side of the code section: imports, exports and relocations with their targets. */
function codeReport(reader: Reader): InspectReport['code'] {
  const section = reader.findSection(SectionType.Code, 'code');
  if (!section || reader.header.arch !== Arch.Wasm32) return null;
  let wasm: ReturnType<typeof readWasmModule>;
  try {
    const bytes = reader.sectionData(section.index);
    if (!isWasmBinary(bytes)) return null;
    wasm = readWasmModule(bytes, `${reader.file}: code`);
  } catch {
    return null; // said in codeSections
  }
  const funcImports = wasm.imports.filter((i) => i.kind === 'func');
  const globalImports = wasm.imports.filter((i) => i.kind === 'global');
  const target = (kind: number, value: number): string => {
    if (kind === RelocKind.function) {
      if (value < funcImports.length) return `${funcImports[value].module}.${funcImports[value].field}`;
      return wasm.exports.find((e) => e.kind === ExternalKind.func && e.index === value)?.name ?? `function ${value}`;
    }
    if (kind === RelocKind.global) return globalImports[value] ? `${globalImports[value].module}.${globalImports[value].field}` : `global ${value}`;
    if (kind === RelocKind.data) return `data + ${value}`;
    return `type ${value}`;
  };
  return {
    imports: wasm.imports.map((i) => ({ module: i.module, name: i.field, kind: i.kind })),
    exports: wasm.exports.filter((e) => e.kind === ExternalKind.func).map((e) => e.name),
    relocations: (wasm.relocs ?? []).map((r) => ({ offset: r.offset, kind: RELOC_KINDS[r.kind] ?? String(r.kind), value: r.value, target: target(r.kind, r.value) })),
  };
}

function table(headers: string[], rows: Array<Array<string | number | bigint | null>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]): string => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

export function formatReport(r: InspectReport): string {
  const out: string[] = [];
  out.push(`File: ${r.file} (${r.size} bytes)`, '', 'SMF header:');
  for (const [k, v] of Object.entries(r.header)) out.push(`  ${k.padEnd(18)}${String(v)}`);
  out.push('', `Sections (${r.sections.length}):`);
  out.push(table(['#', 'type', 'name', 'flags', 'offset', 'size', 'vsize', 'align'], r.sections.map((s) => [s.index, s.type, s.name, s.flags, `0x${s.offset.toString(16)}`, s.size, s.virtualSize, s.alignment])));
  out.push('', `Symbols (${r.symbols.length}):`);
  out.push(table(['#', 'name', 'type', 'bind', 'flags', 'value', 'tparams', 'tmpl_off', 'sec'], r.symbols.map((s) => [s.index, s.name, s.type, s.binding, s.flags, s.value, s.templateParams, s.templateOffset, s.section])));
  out.push('', `Relocations (${r.relocations.length}):`);
  if (r.relocations.length) out.push(table(['offset', 'symbol', 'type', 'addend'], r.relocations.map((x) => [x.offset, x.symbol, x.type, x.addend])));
  if (r.problems) out.push('', `Problems (${r.problems.length}):`, ...r.problems.map((p) => `  ${p}`));
  for (const c of r.codeSections) out.push('', `Code section ${c.index} (${c.name}): ${c.description}`);
  if (r.code) {
    out.push('', `Code (WebAssembly): ${r.code.imports.length} imports, ${r.code.exports.length} exports, ${r.code.relocations.length} relocations (reloc.CODE):`);
    if (r.code.imports.length) out.push(table(['import', 'kind'], r.code.imports.map((i) => [`${i.module}.${i.name}`, i.kind])));
    if (r.code.relocations.length) out.push(table(['offset', 'kind', 'value', 'target'], r.code.relocations.map((x) => [`0x${x.offset.toString(16)}`, x.kind, x.value, x.target])));
  }
  if (r.loadIndex) {
    const li = r.loadIndex;
    if ('error' in li) out.push('', `Load index: ${li.error}`);
    else {
      out.push('', `Load index (module ${li.module}):`);
      const rows: Array<[string, string]> = [
        ['imports', li.imports.join(', ')],
        ['exports', li.exports.join(', ')],
        ['local', li.local.join(', ')],
        ['calls', li.calls.join(', ')],
        ['externs', li.externs.join(', ')],
        ['structs', li.structs.join(', ')],
        ['fns', li.fns.join(', ')],
        ['dataSize', String(li.dataSize)],
      ];
      for (const [k, v] of rows) out.push(`  ${k.padEnd(10)}${v || '-'}`);
    }
  }
  const layout = r.templateLayout;
  out.push('', `Templates (${r.templates.length})${layout === 'original' ? ", in the original Simple writer's layout" : ''}:`);
  if (layout !== null && typeof layout === 'object') out.push(`  ${layout.error}`);
  if (r.templates.length) out.push(table(['offset', 'kind', 'symbol', 'source'], r.templates.map((t) => [t.offset, t.kind, t.symbol, t.source])));
  if (r.templateMeta) {
    const m = r.templateMeta;
    if ('error' in m) out.push('', `Template meta: ${m.error}`);
    else {
      const c = m.counts;
      out.push('', `Template meta (${c.functions} functions, ${c.structs} structs, ${c.enums} enums, ${c.traits} traits):`);
      if (m.entries.length) out.push(table(['kind', 'name', 'specializations'], m.entries.map((x) => [x.kind, x.name, x.specializations])));
    }
  }
  out.push('', 'note.sdn:');
  if (r.noteError !== undefined) out.push(`  not readable: ${r.noteError}`);
  else if (!r.note) out.push('  (none)');
  else {
    const n = r.note;
    const section = (name: string, headers: string[], rows: Array<Array<string | number | boolean>>): void => {
      out.push(`  ${name} (${rows.length})`);
      if (rows.length) out.push(table(headers, rows.map((row) => row.map(String))).replace(/^/gm, '  '));
    };
    section('instantiations', ['template', 'type_args', 'mangled_name', 'from_loc', 'to_obj', 'status'], n.instantiations.map((x) => [x.template, x.typeArgs, x.mangledName, x.fromLoc, x.toObj, x.status]));
    section('possible', ['template', 'type_args', 'mangled_name', 'required_by', 'can_defer'], n.possible.map((x) => [x.template, x.typeArgs, x.mangledName, x.requiredBy, x.canDefer]));
    section('type_inferences', ['inferred_type', 'expr', 'context', 'from_loc'], n.typeInferences.map((x) => [x.inferredType, x.expr, x.context, x.fromLoc]));
    section('dependencies', ['from_inst', 'to_inst', 'dep_kind'], n.dependencies.map((x) => [x.fromInst, x.toInst, x.depKind]));
    section('circular_warnings', ['cycle_path', 'severity'], n.circularWarnings.map((x) => [x.cyclePath, x.severity]));
    section('circular_errors', ['cycle_path', 'error_code'], n.circularErrors.map((x) => [x.cyclePath, x.errorCode]));
  }
  return out.join('\n') + '\n';
}
