/**
 * The parts of an input the linker reads (code, interface), found without what it never uses:
 * `readSmfModule` also parses the load index — a loader's shortcut the linker has no use for,
 * and a tenth of reading a small module. Templates and the load index, when something asks, come
 * from the compiler's own reader of the file, made then.
 */
import { checkDataSize, CODE_SECTION, readSmfModule, TYPE_INFO_SECTION } from '../compiler/interface/smf-module.js';
import type { SmfModuleParts } from '../compiler/interface/smf-module.js';
import { parseInterface } from '../compiler/interface/module-interface.js';
import type { ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import type { LoadIndexJson } from '../compiler/interface/load-index.js';
import type { InterfaceRecords } from '../compiler/interface/interface-directory.js';
import type { FnTemplatePayload } from '../compiler/interface/templates.js';
import { requireWasm32 } from '../smf/arch.js';
import { SectionType } from '../smf/index.js';
import type { SmfReader } from '../smf/index.js';

const utf8 = new TextDecoder();

export function readLinkParts(reader: SmfReader): SmfModuleParts {
  requireWasm32(reader);
  const code = reader.findSectionIndex(SectionType.Code, CODE_SECTION);
  const info = reader.findSectionIndex(SectionType.TypeInfo, TYPE_INFO_SECTION);
  // A file without them: the compiler's reader says what is missing.
  return code < 0 || info < 0 ? readSmfModule(reader) : new LinkParts(reader, code, info);
}

class LinkParts implements SmfModuleParts {
  private parsed: ModuleInterfaceJson | undefined;
  private codeBytes: Uint8Array | undefined;
  private full: SmfModuleParts | undefined;

  constructor(
    readonly reader: SmfReader,
    private readonly codeIndex: number,
    private readonly infoIndex: number,
  ) {}

  get iface(): ModuleInterfaceJson {
    if (this.parsed) return this.parsed;
    const iface = parseInterface(utf8.decode(this.reader.sectionData(this.infoIndex)), this.reader.file);
    // The static data is part of the code: a larger dataSize is refused as the compiler's reader refuses it.
    checkDataSize(this.reader, iface.dataSize, TYPE_INFO_SECTION, this.infoIndex, this.codeIndex);
    return (this.parsed = iface);
  }

  get code(): Uint8Array {
    return (this.codeBytes ??= this.reader.sectionData(this.codeIndex));
  }

  get loadIndex(): LoadIndexJson | null {
    return this.compilerParts().loadIndex;
  }

  get records(): InterfaceRecords | null {
    return this.compilerParts().records;
  }

  template(offset: number): FnTemplatePayload {
    return this.compilerParts().template(offset);
  }

  private compilerParts(): SmfModuleParts {
    return (this.full ??= readSmfModule(this.reader));
  }
}
