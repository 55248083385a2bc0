import { MAX_SMF_FILE_SIZE, readRegularFile } from '../read-file.js';
import { readSmfFileSync } from './read-input.js';
import { DecompressFailure, decompressPayload, maxInflatedSize } from './compression.js';
import { natives } from '../platform/index.js';
import { decodeReloc, decodeSymbolEntry, RelocField, SectionField, SymbolField, type SmfRelocation, type SymbolEntryFields } from './entries.js';
import { hex, MEMORY_FILE, SmfFormatError, type SmfErrorCode } from './errors.js';
import {
  Compression,
  MAX_NOTE_SIZE,
  NO_SECTION,
  SECTION_ENTRY_SIZE,
  SectionFlags,
  NOTE_TERMINATOR,
  RELOC_ENTRY_SIZE,
  SectionType,
  SYMBOL_ENTRY_SIZE,
  fnv1a32,
} from './format.js';
import { decodeHeader, type SmfHeader } from './header.js';
import { findSectionIndex, sectionNameWords } from './section-names.js';
import { DEFAULT_LIMITS, decodeSections, parseLayout, u64, type HeaderLocation, type Layout, type SmfReaderLimits, type SmfSection } from './layout.js';
import { sectionLimit, SMALLEST_SECTION_LIMIT } from './section-limits.js';
import { NOTE_TERMINATOR_BYTES } from './note.js';

export interface SmfReaderOptions {
  /** Name used in errors; defaults to the path, or `<memory>`. */
  file?: string;
  /** Check a non-zero `module_hash` at open (default true). */
  verifyHash?: boolean;
  limits?: SmfReaderLimits;
}

/** A decoded symbol entry: the raw fields, with its name and index resolved. */
export interface SmfSymbol extends Omit<SymbolEntryFields, 'nameOffset' | 'sectionIndex'> {
  index: number;
  name: string;
  /** Undefined when the entry is not tied to a section. */
  sectionIndex: number | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Read access to one SMF file held in a single buffer. The structure is validated when the
 * reader is created; section payloads are views into the buffer, and names, compressed
 * payloads and the note are decoded only when asked for (then cached).
 *
 * The buffer is not copied: callers must not modify it while the reader is in use.
 */
let construct: (bytes: Uint8Array, layout: Layout, limits: Required<SmfReaderLimits>) => SmfReader;

function readerFromBytes(bytes: Uint8Array, opts: SmfReaderOptions): SmfReader {
  let limits: Required<SmfReaderLimits> = DEFAULT_LIMITS;
  if (opts.limits) {
    limits = { ...DEFAULT_LIMITS };
    for (const [k, v] of Object.entries(opts.limits) as [keyof SmfReaderLimits, number | undefined][]) {
      if (v !== undefined) limits[k] = v;
    }
  }
  const layout = parseLayout(bytes, {
    file: opts.file ?? MEMORY_FILE,
    verifyHash: opts.verifyHash ?? true,
    limits,
  });
  return construct(bytes, layout, limits);
}

export class SmfReader {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly headerLocation: HeaderLocation;

  private readonly layout: Layout;
  private readonly view: DataView;
  private readonly limits: Required<SmfReaderLimits>;
  // Created on first use: most readers of small modules never need them.
  private names: Map<number, string> | undefined;
  private inflated: Map<number, Uint8Array> | undefined;
  private hashIndex: Map<number, number[]> | undefined;
  private note: string | undefined;
  // Decoded on first use: registering a small module needs neither as objects.
  private decodedHeader: SmfHeader | undefined;
  private sectionList: SmfSection[] | null;

  private constructor(bytes: Uint8Array, layout: Layout, limits: Required<SmfReaderLimits>) {
    this.bytes = bytes;
    this.layout = layout;
    this.limits = limits;
    this.file = layout.file;
    this.headerLocation = layout.headerLocation;
    this.sectionList = layout.sections;
    this.view = layout.view;
  }

  /** The header as stored (not frozen: freezing costs more than validating a small file). */
  get header(): Readonly<SmfHeader> {
    return (this.decodedHeader ??= decodeHeader(this.view, this.layout.headerAt));
  }

  get sections(): readonly Readonly<SmfSection>[] {
    return (this.sectionList ??= decodeSections(this.layout, this.bytes));
  }

  get sectionCount(): number {
    return this.layout.sectionCount;
  }

  // The class names itself nowhere in its body: a bundler renames a class that does
  // (`_SmfReader` in stack traces).
  static {
    construct = (bytes, layout, limits) => new this(bytes, layout, limits);
  }

  static fromBytes(bytes: Uint8Array, opts: SmfReaderOptions = {}): SmfReader {
    return readerFromBytes(bytes, opts);
  }

  static async open(path: string, opts: SmfReaderOptions = {}): Promise<SmfReader> {
    const bytes = await readRegularFile(path, MAX_SMF_FILE_SIZE);
    return readerFromBytes(bytes, { ...opts, file: opts.file ?? path });
  }

  static openSync(path: string, opts: SmfReaderOptions = {}): SmfReader {
    const bytes = readSmfFileSync(path);
    return readerFromBytes(bytes, { ...opts, file: opts.file ?? path });
  }

  get size(): number {
    return this.bytes.length;
  }

  /** Absolute offset of the SMF data (the stub length). */
  get dataOffset(): number {
    return this.layout.base;
  }

  /** Absolute offset of the header (EOF-128, or 0 for a v1.0 file). */
  get headerOffset(): number {
    return this.layout.headerAt;
  }

  get symbolCount(): number {
    return this.layout.symbolCount;
  }

  /** Absolute offset of the symbol table (entries of SYMBOL_ENTRY_SIZE bytes), without decoding the header. */
  get symbolTableAt(): number {
    return this.layout.symbolTableAt;
  }

  /** The payload: a view into the file, or for a compressed section its inflated bytes. */
  sectionData(index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.sectionCount) {
      throw new RangeError(`section index ${index} is not in 0..${this.layout.sectionCount - 1}`);
    }
    // Read from the table itself: the common, uncompressed case needs no section object.
    const at = this.layout.sectionTableAt + index * SECTION_ENTRY_SIZE;
    const compressed = this.layout.compression !== Compression.None && (this.view.getUint32(at + SectionField.flags, true) & SectionFlags.COMPRESSED) !== 0;
    if (!compressed) {
      // An accepted layout has every section inside the file: offset and size are low words.
      const start = this.layout.base + this.view.getUint32(at + SectionField.offset, true);
      const size = this.view.getUint32(at + SectionField.size, true);
      // Only a large section is worth looking up its kind's limit.
      if (size > SMALLEST_SECTION_LIMIT) {
        const s = this.sectionAt(index);
        const kind = sectionLimit(s.type, s.name);
        if (kind !== undefined && size > kind.max) {
          this.fail('SMF_BAD_FIELD', `section[${index}].size`, at + SectionField.size, `${size} bytes exceed the limit of ${kind.max} bytes for a ${kind.kind} section`);
        }
      }
      return this.bytes.subarray(start, start + size);
    }
    const s = this.sectionAt(index);
    const stored = this.bytes.subarray(s.fileOffset, s.fileOffset + s.size);
    const cached = this.inflated?.get(index);
    if (cached !== undefined) return cached;
    const fail = (detail: string) => this.fail('SMF_DECOMPRESS', `section[${index}]`, s.fileOffset, detail);
    if (s.virtualSize > this.limits.maxDecompressedSize) {
      fail(`inflated size ${s.virtualSize} exceeds the limit of ${this.limits.maxDecompressedSize} bytes`);
    }
    const kind = sectionLimit(s.type, s.name);
    if (kind !== undefined && s.virtualSize > kind.max) {
      fail(`inflated size ${s.virtualSize} exceeds the limit of ${kind.max} bytes for a ${kind.kind} section`);
    }
    if (s.virtualSize > maxInflatedSize(this.layout.compression, s.size)) {
      fail(`${s.size} compressed bytes cannot inflate to the stated ${s.virtualSize}`);
    }
    let data: Uint8Array;
    try {
      data = decompressPayload(this.layout.compression, stored, s.virtualSize);
    } catch (e) {
      if (e instanceof DecompressFailure) return fail(e.message);
      throw e;
    }
    (this.inflated ??= new Map()).set(index, data);
    return data;
  }

  /**
   * The length {@link sectionData} returns, without inflating: the stored size, or for a
   * compressed section the stated inflated size.
   */
  sectionDataSize(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.sectionCount) return this.sectionAt(index).size;
    // From the table itself, as sectionData reads it: every module's open asks this, and no other field.
    const at = this.layout.sectionTableAt + index * SECTION_ENTRY_SIZE;
    const compressed = this.layout.compression !== Compression.None && (this.view.getUint32(at + SectionField.flags, true) & SectionFlags.COMPRESSED) !== 0;
    return compressed ? u64(this.view, at + SectionField.virtual_size) : this.view.getUint32(at + SectionField.size, true);
  }

  findSection(type: number, name?: string): Readonly<SmfSection> | undefined {
    return this.sections.find((s) => s.type === type && (name === undefined || s.name === name));
  }

  /** The index of the first section of `type` named `name`, or -1; decodes no section objects for an ASCII name. */
  findSectionIndex(type: number, name: string): number {
    const words = sectionNameWords(name);
    if (words) return findSectionIndex(this.layout, this.bytes, type, words);
    return this.sections.findIndex((s) => s.type === type && s.name === name);
  }

  symbolName(index: number): string {
    this.checkSymbolIndex(index);
    const cached = this.names?.get(index);
    if (cached !== undefined) return cached;
    const entryAt = this.symbolEntryAt(index);
    const nameOffset = this.view.getUint32(entryAt + SymbolField.name_offset, true);
    const field = `symbol[${index}].name_offset`;
    const { stringTableAt, stringTableSize } = this.layout;
    if (nameOffset >= stringTableSize) {
      this.fail('SMF_OUT_OF_BOUNDS', field, entryAt + SymbolField.name_offset,
        `${hex(nameOffset)} is past the end of the string table (${hex(stringTableSize)} bytes)`);
    }
    const start = stringTableAt + nameOffset;
    const len = this.bytes.subarray(start, stringTableAt + stringTableSize).indexOf(0);
    if (len < 0) this.fail('SMF_BAD_STRING', field, start, 'name has no NUL before the end of the string table');
    let name: string;
    try {
      name = utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      return this.fail('SMF_BAD_STRING', field, start, 'name is not valid UTF-8');
    }
    (this.names ??= new Map()).set(index, name);
    return name;
  }

  symbol(index: number): SmfSymbol {
    const name = this.symbolName(index);
    const entryAt = this.symbolEntryAt(index);
    const e = decodeSymbolEntry(this.view, entryAt);
    if (fnv1a32(name) !== e.nameHash) {
      this.fail('SMF_BAD_FIELD', `symbol[${index}].name_hash`, entryAt + SymbolField.name_hash,
        `${hex(e.nameHash)} is not the FNV-1a hash of ${JSON.stringify(name)}`);
    }
    if (e.sectionIndex !== NO_SECTION && e.sectionIndex >= this.layout.sectionCount) {
      this.fail('SMF_OUT_OF_BOUNDS', `symbol[${index}].section_index`, entryAt + SymbolField.section_index,
        `${e.sectionIndex} is not below the section count ${this.layout.sectionCount}`);
    }
    return {
      index,
      name,
      nameHash: e.nameHash,
      type: e.type,
      binding: e.binding,
      visibility: e.visibility,
      flags: e.flags,
      value: e.value,
      size: e.size,
      typeId: e.typeId,
      version: e.version,
      templateParamCount: e.templateParamCount,
      sectionIndex: e.sectionIndex === NO_SECTION ? undefined : e.sectionIndex,
      templateOffset: e.templateOffset,
    };
  }

  *symbols(): IterableIterator<SmfSymbol> {
    for (let i = 0; i < this.layout.symbolCount; i++) yield this.symbol(i);
  }

  /**
   * The first symbol (in table order) with this name. The index maps stored name hashes to
   * entries, so building it decodes no names; only the candidates for a query are decoded.
   */
  lookup(name: string): SmfSymbol | undefined {
    const index = (this.hashIndex ??= this.buildHashIndex());
    const candidates = index.get(fnv1a32(name));
    if (candidates === undefined) return undefined;
    for (const i of candidates) if (this.symbolName(i) === name) return this.symbol(i);
    return undefined;
  }

  /** Entries of a relocation section (by default the first section of type Reloc). */
  relocations(sectionIndex?: number): SmfRelocation[] {
    const s = sectionIndex === undefined ? this.findSection(SectionType.Reloc) : this.sectionAt(sectionIndex);
    if (s === undefined) return [];
    const data = this.sectionData(s.index);
    if (data.length % RELOC_ENTRY_SIZE !== 0) {
      this.fail('SMF_BAD_FIELD', `section[${s.index}].size`, s.fileOffset,
        `relocation data of ${data.length} bytes is not a multiple of ${RELOC_ENTRY_SIZE}`);
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const out: SmfRelocation[] = [];
    for (let at = 0; at < data.length; at += RELOC_ENTRY_SIZE) {
      const r = decodeReloc(view, at);
      if (r.symbolIndex >= this.layout.symbolCount) {
        const j = at / RELOC_ENTRY_SIZE;
        this.fail('SMF_OUT_OF_BOUNDS', `section[${s.index}].reloc[${j}].symbol_index`,
          s.compressed ? s.fileOffset : s.fileOffset + at + RelocField.symbol_index,
          `${r.symbolIndex} is not below the symbol count ${this.layout.symbolCount}`);
      }
      out.push(r);
    }
    return out;
  }

  noteSection(): Readonly<SmfSection> | undefined {
    return this.layout.noteIndex === undefined ? undefined : this.sections[this.layout.noteIndex];
  }

  /** Absolute offset of the note's text, from its table entry (no section objects); undefined when there is no note. */
  noteFileOffset(): number | undefined {
    const i = this.layout.noteIndex;
    return i === undefined ? undefined : this.layout.base + u64(this.view, this.layout.sectionTableAt + i * SECTION_ENTRY_SIZE + SectionField.offset);
  }

  /** Bytes available to the note in place (from its start to the next occupied byte). */
  noteCapacity(): number | undefined {
    return this.layout.noteIndex === undefined ? undefined : this.layout.noteCapacity;
  }

  /** The note's SDN text including its terminator, or undefined when there is no note. */
  noteSdnText(): string | undefined {
    if (this.note !== undefined) return this.note;
    const s = this.noteSection();
    if (s === undefined) return undefined;
    const capacity = this.layout.noteCapacity;
    const window = this.bytes.subarray(s.fileOffset, s.fileOffset + Math.min(capacity, MAX_NOTE_SIZE));
    const end = natives.indexOfBytes(window, NOTE_TERMINATOR_BYTES);
    if (end < 0) {
      if (capacity > MAX_NOTE_SIZE) {
        this.fail('SMF_NOTE_TOO_LARGE', 'note.sdn', s.fileOffset, `no terminator within the first ${MAX_NOTE_SIZE} bytes`);
      }
      this.fail('SMF_NOTE_UNTERMINATED', 'note.sdn', s.fileOffset,
        `no ${JSON.stringify(NOTE_TERMINATOR)} in the ${capacity} bytes before the next section`);
    }
    try {
      this.note = utf8.decode(window.subarray(0, end + NOTE_TERMINATOR_BYTES.length));
    } catch {
      return this.fail('SMF_BAD_STRING', 'note.sdn', s.fileOffset, 'note is not valid UTF-8');
    }
    return this.note;
  }

  /**
   * The TemplateCode bytes from a symbol's `template_offset` to the section end. The section is
   * the symbol's own when that is a TemplateCode section, else the first TemplateCode section.
   */
  templateBytes(sym: SmfSymbol | number): Uint8Array {
    const symbol = typeof sym === 'number' ? this.symbol(sym) : sym;
    const field = `symbol[${symbol.index}].template_offset`;
    const fieldAt = this.symbolEntryAt(symbol.index) + SymbolField.template_offset;
    const own = symbol.sectionIndex === undefined ? undefined : this.sections[symbol.sectionIndex];
    const section = own?.type === SectionType.TemplateCode ? own : this.findSection(SectionType.TemplateCode);
    if (section === undefined) return this.fail('SMF_MISSING_SECTION', field, fieldAt, 'the module has no TemplateCode section');
    const data = this.sectionData(section.index);
    if (symbol.templateOffset > BigInt(data.length)) {
      this.fail('SMF_OUT_OF_BOUNDS', field, fieldAt,
        `${hex(symbol.templateOffset)} is past the end of section[${section.index}] (${hex(data.length)} bytes)`);
    }
    return data.subarray(Number(symbol.templateOffset));
  }

  private buildHashIndex(): Map<number, number[]> {
    const index = new Map<number, number[]>();
    for (let i = 0; i < this.layout.symbolCount; i++) {
      const h = this.view.getUint32(this.symbolEntryAt(i) + SymbolField.name_hash, true);
      const list = index.get(h);
      if (list === undefined) index.set(h, [i]);
      else list.push(i);
    }
    return index;
  }

  private symbolEntryAt(index: number): number {
    return this.layout.symbolTableAt + index * SYMBOL_ENTRY_SIZE;
  }

  private checkSymbolIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.symbolCount) {
      throw new RangeError(`symbol index ${index} is not in 0..${this.layout.symbolCount - 1}`);
    }
  }

  private sectionAt(index: number): Readonly<SmfSection> {
    const s = this.sections[index];
    if (s === undefined || !Number.isInteger(index)) {
      throw new RangeError(`section index ${index} is not in 0..${this.sections.length - 1}`);
    }
    return s;
  }

  private fail(code: SmfErrorCode, field: string, offset: number, detail: string): never {
    throw new SmfFormatError(code, this.file, field, offset, detail);
  }
}
