import { SECTION_NAME_SIZE } from './format.js';

/** Byte offsets inside a 64-byte section entry (also used to name fields in errors). */
export const SectionField = {
  section_type: 0,
  flags: 4,
  offset: 8,
  size: 16,
  virtual_size: 24,
  alignment: 32,
  name: 36,
} as const;

/** Byte offsets inside a 56-byte symbol entry. */
export const SymbolField = {
  name_offset: 0,
  name_hash: 4,
  sym_type: 8,
  binding: 9,
  visibility: 10,
  flags: 11,
  value: 16,
  size: 24,
  type_id: 32,
  version: 36,
  template_param_count: 40,
  /** u16 in the first two reserved bytes, as the original Rust writer stores it. */
  section_index: 41,
  template_offset: 48,
} as const;

/** Byte offsets inside a 24-byte relocation entry. */
export const RelocField = {
  offset: 0,
  symbol_index: 8,
  reloc_type: 12,
  addend: 16,
} as const;

/** A section entry as stored (the note's text is not part of `size`: see the format doc). */
export interface SectionEntryFields {
  type: number;
  flags: number;
  offset: bigint;
  size: bigint;
  virtualSize: bigint;
  alignment: number;
  /** Raw 16 name bytes, NUL-padded. */
  name: Uint8Array;
}

export interface SymbolEntryFields {
  nameOffset: number;
  nameHash: number;
  type: number;
  binding: number;
  visibility: number;
  flags: number;
  value: bigint;
  size: bigint;
  typeId: number;
  version: number;
  templateParamCount: number;
  sectionIndex: number;
  templateOffset: bigint;
}

export interface SmfRelocation {
  /** Patch position inside the target section. */
  offset: bigint;
  symbolIndex: number;
  /** A {@link RelocType} value; unknown values are carried through unchanged. */
  type: number;
  addend: bigint;
}

export function encodeSectionEntry(view: DataView, at: number, e: SectionEntryFields): void {
  const F = SectionField;
  view.setUint8(at + F.section_type, e.type);
  view.setUint32(at + F.flags, e.flags, true);
  view.setBigUint64(at + F.offset, e.offset, true);
  view.setBigUint64(at + F.size, e.size, true);
  view.setBigUint64(at + F.virtual_size, e.virtualSize, true);
  view.setUint32(at + F.alignment, e.alignment, true);
  new Uint8Array(view.buffer, view.byteOffset + at + F.name, SECTION_NAME_SIZE).set(e.name);
}

export function decodeSectionEntry(view: DataView, at: number): SectionEntryFields {
  const F = SectionField;
  return {
    type: view.getUint8(at + F.section_type),
    flags: view.getUint32(at + F.flags, true),
    offset: view.getBigUint64(at + F.offset, true),
    size: view.getBigUint64(at + F.size, true),
    virtualSize: view.getBigUint64(at + F.virtual_size, true),
    alignment: view.getUint32(at + F.alignment, true),
    name: new Uint8Array(view.buffer, view.byteOffset + at + F.name, SECTION_NAME_SIZE),
  };
}

export function encodeSymbolEntry(view: DataView, at: number, s: SymbolEntryFields): void {
  const F = SymbolField;
  view.setUint32(at + F.name_offset, s.nameOffset, true);
  view.setUint32(at + F.name_hash, s.nameHash, true);
  view.setUint8(at + F.sym_type, s.type);
  view.setUint8(at + F.binding, s.binding);
  view.setUint8(at + F.visibility, s.visibility);
  view.setUint8(at + F.flags, s.flags);
  view.setBigUint64(at + F.value, s.value, true);
  view.setBigUint64(at + F.size, s.size, true);
  view.setUint32(at + F.type_id, s.typeId, true);
  view.setUint32(at + F.version, s.version, true);
  view.setUint8(at + F.template_param_count, s.templateParamCount);
  view.setUint16(at + F.section_index, s.sectionIndex, true);
  view.setBigUint64(at + F.template_offset, s.templateOffset, true);
}

export function decodeSymbolEntry(view: DataView, at: number): SymbolEntryFields {
  const F = SymbolField;
  return {
    nameOffset: view.getUint32(at + F.name_offset, true),
    nameHash: view.getUint32(at + F.name_hash, true),
    type: view.getUint8(at + F.sym_type),
    binding: view.getUint8(at + F.binding),
    visibility: view.getUint8(at + F.visibility),
    flags: view.getUint8(at + F.flags),
    value: view.getBigUint64(at + F.value, true),
    size: view.getBigUint64(at + F.size, true),
    typeId: view.getUint32(at + F.type_id, true),
    version: view.getUint32(at + F.version, true),
    templateParamCount: view.getUint8(at + F.template_param_count),
    sectionIndex: view.getUint16(at + F.section_index, true),
    templateOffset: view.getBigUint64(at + F.template_offset, true),
  };
}

export function encodeReloc(view: DataView, at: number, r: SmfRelocation): void {
  const F = RelocField;
  view.setBigUint64(at + F.offset, r.offset, true);
  view.setUint32(at + F.symbol_index, r.symbolIndex, true);
  view.setUint8(at + F.reloc_type, r.type);
  view.setBigInt64(at + F.addend, r.addend, true);
}

export function decodeReloc(view: DataView, at: number): SmfRelocation {
  const F = RelocField;
  return {
    offset: view.getBigUint64(at + F.offset, true),
    symbolIndex: view.getUint32(at + F.symbol_index, true),
    type: view.getUint8(at + F.reloc_type),
    addend: view.getBigInt64(at + F.addend, true),
  };
}
