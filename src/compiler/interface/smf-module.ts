/**
 * Reading a compiled module back: the pieces of an SMF file the compiler wrote, found by section
 * type and name, with the interface parsed and templates decoded on demand.
 */
import { SectionType } from '../../smf/index.js';
import { requireWasm32 } from '../../smf/arch.js';
import { decodeOriginalTemplates } from '../../smf/original-templates.js';
import type { SmfReader } from '../../smf/index.js';
import { TemplateCodecError } from '../template/codec.js';
import { InterfaceError, parseInterface } from './module-interface.js';
import type { ModuleInterfaceJson } from './module-interface.js';
import { checkTemplateSection, decodeTemplateEntry } from './templates.js';
import { LOAD_INDEX_SECTION, parseLoadIndex } from './load-index.js';
import type { LoadIndexJson } from './load-index.js';
import type { FnTemplatePayload } from './templates.js';
import { InterfaceRecords } from './interface-directory.js';

export const CODE_SECTION = 'code';
export const TYPE_INFO_SECTION = 'type_info';
export const TEMPLATE_SECTION = 'template_code';

export interface SmfModuleParts {
  readonly reader: SmfReader;
  /** The interface, parsed on first use. */
  readonly iface: ModuleInterfaceJson;
  /** The load index, when the file has one (parsed when the parts are read). */
  readonly loadIndex: LoadIndexJson | null;
  /** The interface's records one at a time, when the load index has their directory. */
  readonly records: InterfaceRecords | null;
  /** The WebAssembly module bytes (a view into the file, or the inflated section). */
  readonly code: Uint8Array;
  /** Decodes the function template whose entry starts at `offset` in the TemplateCode section. */
  template(offset: number): FnTemplatePayload;
}

const utf8 = new TextDecoder();

export function readSmfModule(reader: SmfReader): SmfModuleParts {
  return new FileParts(reader);
}

class FileParts implements SmfModuleParts {
  readonly loadIndex: LoadIndexJson | null;
  private readonly infoIndex: number;
  private readonly codeIndex: number;
  private parsed: ModuleInterfaceJson | undefined;
  private infoBytes: Uint8Array | undefined;
  private recordsOf: InterfaceRecords | null | undefined;
  private templates: Uint8Array | undefined;
  private codeBytes: Uint8Array | undefined;

  constructor(readonly reader: SmfReader) {
    // Before anything else: a native module from the original toolchain has none of our sections.
    requireWasm32(reader);
    const code = reader.findSectionIndex(SectionType.Code, CODE_SECTION);
    const info = reader.findSectionIndex(SectionType.TypeInfo, TYPE_INFO_SECTION);
    const index = reader.findSectionIndex(SectionType.TypeInfo, LOAD_INDEX_SECTION);
    if (code < 0 || info < 0) {
      throw new InterfaceError(reader.file, `not a module written by this compiler (no '${CODE_SECTION}' or '${TYPE_INFO_SECTION}' section)`);
    }
    this.codeIndex = code;
    this.infoIndex = info;
    this.loadIndex = index < 0 ? null : parseLoadIndex(utf8.decode(reader.sectionData(index)), reader.file);
    if (this.loadIndex) this.checkDataSize(this.loadIndex.dataSize, LOAD_INDEX_SECTION, index);
  }

  get records(): InterfaceRecords | null {
    if (this.recordsOf !== undefined) return this.recordsOf;
    const index = this.loadIndex;
    return (this.recordsOf = index?.directory ? new InterfaceRecords(() => this.typeInfo, index.directory, index.structs, this.reader.file) : null);
  }

  private get typeInfo(): Uint8Array {
    return (this.infoBytes ??= this.reader.sectionData(this.infoIndex));
  }

  get iface(): ModuleInterfaceJson {
    if (this.parsed) return this.parsed;
    const iface = parseInterface(utf8.decode(this.typeInfo), this.reader.file);
    this.checkDataSize(iface.dataSize, TYPE_INFO_SECTION, this.infoIndex);
    return (this.parsed = iface);
  }

  private checkDataSize(dataSize: number, section: string, sectionIndex: number): void {
    checkDataSize(this.reader, dataSize, section, sectionIndex, this.codeIndex);
  }

  get code(): Uint8Array {
    return (this.codeBytes ??= this.reader.sectionData(this.codeIndex));
  }

  template(offset: number): FnTemplatePayload {
    if (!this.templates) {
      // By index, read off the section table: decoding every section's entry costs more than the template.
      const index = this.reader.findSectionIndex(SectionType.TemplateCode, TEMPLATE_SECTION);
      if (index < 0) throw new InterfaceError(this.reader.file, 'a template is referenced but there is no TemplateCode section');
      const data = this.reader.sectionData(index);
      checkTemplateSection(data);
      this.templates = data;
    }
    if (offset < 10 || offset >= this.templates.length) {
      throw new TemplateCodecError(`template offset ${offset} is outside the TemplateCode section`, offset);
    }
    let payload;
    try {
      payload = decodeTemplateEntry(this.templates.subarray(offset), offset);
    } catch (e) {
      throw (e instanceof TemplateCodecError && originalLayoutError(this.reader.file, this.templates, offset)) || e;
    }
    if (payload.kind !== 'fn') throw new TemplateCodecError(`the template at ${offset} is not a function`, offset);
    return payload;
  }
}

/**
 * The static data is one data segment inside the code: a `dataSize` (of the interface or the load
 * index, in section `sectionIndex`) larger than the code section is a lie, refused before anyone
 * allocates that much.
 */
export function checkDataSize(reader: SmfReader, dataSize: number, section: string, sectionIndex: number, codeIndex: number): void {
  const codeSize = reader.sectionDataSize(codeIndex);
  if (dataSize <= codeSize) return;
  const at = reader.sections[sectionIndex].fileOffset;
  throw new InterfaceError(
    reader.file,
    `dataSize (section[${sectionIndex}] at byte 0x${at.toString(16)}): ${dataSize} bytes of static data, ` +
      `but the code section (section[${codeIndex}]) holds only ${codeSize} bytes, and the data is part of it`,
    section,
  );
}

/** When a section our decoder fails on is in the original Simple writer's layout: the error that says so. */
function originalLayoutError(file: string, data: Uint8Array, offset: number): TemplateCodecError | undefined {
  let entries;
  try {
    entries = decodeOriginalTemplates(data);
  } catch {
    return undefined;
  }
  return new TemplateCodecError(
    `${file}: the TemplateCode section is in the original Simple writer's layout (${entries.length} entries of source text, not syntax trees), which cannot be instantiated here; compile the module again with 'smf compile'`,
    offset,
  );
}
