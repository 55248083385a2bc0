/**
 * The fast path of the open-time layout check: a file laid out as this toolchain's writer lays
 * one out, checked without closures, BigInt, error text, objects per section or a decoded header
 * (what opening a small module mostly costs). Anything else gives null, and the careful path
 * (layout.ts) checks the file again, accepts any valid order and names what is wrong.
 */
import { SectionField } from './entries.js';
import {
  Compression,
  HEADER_SIZE,
  HeaderFlags,
  MAX_ALIGNMENT,
  NOTE_SECTION_NAME,
  NOTE_SECTION_TYPE,
  SECTION_ENTRY_SIZE,
  SMF_VERSION_MAJOR,
  SMF_VERSION_MINOR,
  SYMBOL_ENTRY_SIZE,
  SectionFlags,
} from './format.js';
import { moduleHashMatches } from './hash.js';
import { hasMagicAt, HeaderField } from './header.js';
import type { HeaderLocation, Layout, LayoutOptions, SmfReaderLimits } from './layout.js';
import { nameWords } from './section-names.js';

/**
 * The layout of a plainly well-formed file, checked without closures, BigInt, error text or a
 * decoded header: most of what opening a small module costs, so kept lean. Anything unusual or
 * wrong gives null, and `carefulLayout` then checks the file again and says what is wrong.
 *
 * In steps of a few hundred bytes of bytecode each rather than one function: V8 optimizes a
 * function once it has run enough of its own bytecode, and a cold process that opens a thousand
 * modules paid more for compiling one large function, late, than the compiled code gave back.
 */
export function acceptLayout(bytes: Uint8Array, opts: LayoutOptions): Layout | null {
  const headerAt = findHeader(bytes);
  if (headerAt < 0) return null;
  const layout = acceptHeader(bytes, headerAt, opts.file);
  if (layout === null || !acceptTables(layout, opts.limits)) return null;
  if (opts.verifyHash && !acceptHash(bytes, layout)) return null;
  return acceptSections(layout) ? layout : null;
}

/** The header's own fields (version, compression, stub and data offset); the tables still to be placed. */
function acceptHeader(bytes: Uint8Array, headerAt: number, file: string): Layout | null {
  const F = HeaderField;
  if (bytes[headerAt + F.version_major] !== SMF_VERSION_MAJOR || bytes[headerAt + F.version_minor] > SMF_VERSION_MINOR) return null;
  const compression = bytes[headerAt + F.compression];
  if (compression > Compression.Lz4) return null;
  const headerLocation = locationOf(headerAt, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hasStub = (view.getUint32(headerAt + F.flags, true) & HeaderFlags.HAS_STUB) !== 0;
  const stubSize = view.getUint32(headerAt + F.stub_size, true);
  const base = view.getUint32(headerAt + F.smf_data_offset, true);
  if (hasStub ? stubSize !== base : stubSize !== 0 || base !== 0) return null;
  // (A header at 0 leaves no room for a stub: base > headerAt says so too.)
  if (base > headerAt) return null;
  return {
    file,
    view,
    headerLocation,
    headerAt,
    base,
    compression,
    sectionTableAt: base,
    sectionCount: view.getUint32(headerAt + F.section_count, true),
    sections: null,
    symbolCount: view.getUint32(headerAt + F.symbol_count, true),
    symbolTableAt: 0,
    stringTableAt: 0,
    stringTableSize: 0,
    noteIndex: undefined,
    noteCapacity: 0,
  };
}

/** Where the data area starts and ends, relative to the stub's end. */
const dataStartOf = (l: Layout): number => (l.headerLocation === 'start' ? HEADER_SIZE : 0);
const dataEndOf = (l: Layout): number => (l.headerLocation === 'start' ? l.view.byteLength : l.headerAt - l.base);

/**
 * The counts, and the tables placed as this toolchain's writer places them: the section table,
 * then the symbol table, then the strings to the end of the data area.
 */
function acceptTables(layout: Layout, limits: Required<SmfReaderLimits>): boolean {
  const { view, headerAt, base, sectionCount, symbolCount } = layout;
  const dataStart = dataStartOf(layout);
  const dataEnd = dataEndOf(layout);
  // That each table fits in the data area is checked with its place below.
  if (sectionCount > limits.maxSectionCount || symbolCount > limits.maxSymbolCount) return false;
  // Table offsets past 4 GiB (a high word) are left to the careful path, which says where they point.
  const F = HeaderField;
  if ((view.getUint32(headerAt + F.section_table_offset + 4, true) | view.getUint32(headerAt + F.symbol_table_offset + 4, true)) !== 0) return false;
  let sectionTableEnd = 0;
  if (sectionCount > 0) {
    const at = view.getUint32(headerAt + F.section_table_offset, true);
    sectionTableEnd = at + sectionCount * SECTION_ENTRY_SIZE;
    if (at < dataStart || sectionTableEnd > dataEnd) return false;
    layout.sectionTableAt = base + at;
  }
  let symbolTable = dataEnd;
  let strings = dataEnd;
  if (symbolCount > 0) {
    symbolTable = view.getUint32(headerAt + F.symbol_table_offset, true);
    strings = symbolTable + symbolCount * SYMBOL_ENTRY_SIZE;
    if (symbolTable < dataStart || strings > dataEnd || sectionTableEnd > symbolTable) return false;
  }
  layout.symbolTableAt = base + symbolTable;
  layout.stringTableAt = base + strings;
  layout.stringTableSize = dataEnd - strings;
  return true;
}

/** A zero module hash is no hash; any other must be the file's. */
function acceptHash(bytes: Uint8Array, layout: Layout): boolean {
  const at = layout.headerAt + HeaderField.module_hash;
  if ((layout.view.getUint32(at, true) | layout.view.getUint32(at + 4, true)) === 0) return true;
  return moduleHashMatches(bytes, layout.base, at);
}

/**
 * The section table of a file laid out as this toolchain writes it, checked in one pass without
 * BigInt, closures, objects per section or error text: sections in ascending order of offset,
 * none overlapping the one before, all ending where the tables begin, names plain ASCII. Then no
 * section overlaps another or a table, and no empty one lies inside either, with no sort. Any
 * other file — however valid — is left to the careful path, which accepts any order and names
 * what is wrong. Sets the note's index and room.
 */
function acceptSections(layout: Layout): boolean {
  const { view, base, sectionCount: count } = layout;
  if (count === 0) return true;
  const tableAt = layout.sectionTableAt;
  const compression = layout.compression !== Compression.None;
  // The section table comes first of the tables (acceptTables): the sections end where it starts.
  const tablesStart = tableAt - base;
  let noteIndex: number | undefined;
  let noteAt = 0;
  let noteEnd = -1;
  /** Where the next section may start: the end of the one before. */
  let cursor = dataStartOf(layout);
  for (let i = 0; i < count; i++) {
    const at = tableAt + i * SECTION_ENTRY_SIZE;
    const head = view.getUint32(at, true);
    // Offsets and sizes past 4 GiB (their high words) are past any file read whole.
    if ((head & 0xff) === 0 || (view.getUint32(at + SectionField.offset + 4, true) | view.getUint32(at + SectionField.size + 4, true)) !== 0) return false;
    const offset = view.getUint32(at + SectionField.offset, true);
    const size = view.getUint32(at + SectionField.size, true);
    if (offset < cursor || offset + size > tablesStart) return false;
    cursor = offset + size;
    if (view.getUint32(at + SectionField.virtual_size + 4, true) > MAX_SAFE_HIGH_WORD) return false;
    const alignment = view.getUint32(at + SectionField.alignment, true);
    if (alignment > MAX_ALIGNMENT || (alignment & (alignment - 1)) !== 0) return false;
    const n = at + SectionField.name;
    const w0 = view.getUint32(n, true);
    const w1 = view.getUint32(n + 4, true);
    const w2 = view.getUint32(n + 8, true);
    if (((w0 | w1 | w2 | view.getUint32(n + 12, true)) & 0x80808080) !== 0) return false;
    if (noteEnd < 0 && noteIndex !== undefined && size > 0) noteEnd = offset;
    if ((head & 0xff) === NOTE_SECTION_TYPE && noteIndex === undefined && w0 === NOTE_WORD_0 && w1 === NOTE_WORD_1 && (w2 & 0xff) === 0) {
      const compressed = (view.getUint32(at + SectionField.flags, true) & SectionFlags.COMPRESSED) !== 0 && compression;
      if (size !== 0 || compressed) return false;
      noteIndex = i;
      noteAt = offset;
    }
  }
  // The note's room runs to the next section with bytes, else to the section table.
  if (noteIndex !== undefined) {
    layout.noteIndex = noteIndex;
    layout.noteCapacity = (noteEnd < 0 ? tablesStart : noteEnd) - noteAt;
  }
  return true;
}

/** Where the header is: at EOF-128 (v1.1, looked for first), at 0 (v1.0), or -1. */
export function findHeader(bytes: Uint8Array): number {
  if (bytes.length < HEADER_SIZE) return -1;
  if (hasMagicAt(bytes, bytes.length - HEADER_SIZE)) return bytes.length - HEADER_SIZE;
  return hasMagicAt(bytes, 0) ? 0 : -1;
}

export function locationOf(headerAt: number, size: number): HeaderLocation {
  return headerAt === size - HEADER_SIZE ? 'trailer' : 'start';
}

/** "note.sdn" as the first two words of a name field (little-endian). */
const NOTE_WORD_0 = nameWords(NOTE_SECTION_NAME).words[0];
const NOTE_WORD_1 = nameWords(NOTE_SECTION_NAME).words[1];
/** The high word of a u64 at most 2^53 - 1. */
const MAX_SAFE_HIGH_WORD = 0x1fffff;
