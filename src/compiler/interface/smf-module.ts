/**
 * Reading a compiled module back: the pieces of an SMF file the compiler wrote, found by section
 * type and name, with the interface parsed and templates decoded on demand.
 */
import { SectionType } from '../../smf/index.js';
import type { SmfReader } from '../../smf/index.js';
import { TemplateCodecError } from '../template/codec.js';
import { InterfaceError, parseInterface } from './module-interface.js';
import type { ModuleInterfaceJson } from './module-interface.js';
import { checkTemplateSection, decodeTemplateEntry } from './templates.js';
import type { FnTemplatePayload } from './templates.js';

export const CODE_SECTION = 'code';
export const TYPE_INFO_SECTION = 'type_info';
export const TEMPLATE_SECTION = 'template_code';

export interface SmfModuleParts {
  readonly reader: SmfReader;
  readonly iface: ModuleInterfaceJson;
  /** The WebAssembly module bytes (a view into the file, or the inflated section). */
  readonly code: Uint8Array;
  /** Decodes the function template whose entry starts at `offset` in the TemplateCode section. */
  template(offset: number): FnTemplatePayload;
}

export function readSmfModule(reader: SmfReader): SmfModuleParts {
  const file = reader.file;
  const codeSection = reader.findSection(SectionType.Code, CODE_SECTION);
  const infoSection = reader.findSection(SectionType.TypeInfo, TYPE_INFO_SECTION);
  if (!codeSection || !infoSection) {
    throw new InterfaceError(file, `not a module written by this compiler (no '${CODE_SECTION}' or '${TYPE_INFO_SECTION}' section)`);
  }
  const iface = parseInterface(new TextDecoder().decode(reader.sectionData(infoSection.index)), file);
  const code = reader.sectionData(codeSection.index);
  let templates: Uint8Array | null = null;
  return {
    reader,
    iface,
    code,
    template(offset: number): FnTemplatePayload {
      if (!templates) {
        const section = reader.findSection(SectionType.TemplateCode, TEMPLATE_SECTION);
        if (!section) throw new InterfaceError(file, 'a template is referenced but there is no TemplateCode section');
        templates = reader.sectionData(section.index);
        checkTemplateSection(templates);
      }
      if (offset < 10 || offset >= templates.length) {
        throw new TemplateCodecError(`template offset ${offset} is outside the TemplateCode section`, offset);
      }
      const payload = decodeTemplateEntry(templates.subarray(offset), offset);
      if (payload.kind !== 'fn') throw new TemplateCodecError(`the template at ${offset} is not a function`, offset);
      return payload;
    },
  };
}
