import { decodeSectionEntry, SectionField } from './entries.js';
import { acceptLayout } from './fast-layout.js';
import { hex, SmfFormatError, type SmfErrorCode } from './errors.js';
import {
  Compression,
  HEADER_SIZE,
  HeaderFlags,
  MAX_ALIGNMENT,
  NOTE_SECTION_NAME,
  NOTE_SECTION_TYPE,
  SECTION_ENTRY_SIZE,
  SECTION_NAME_SIZE,
  SMF_VERSION_MAJOR,
  SMF_VERSION_MINOR,
  SYMBOL_ENTRY_SIZE,
  SectionFlags,
} from './format.js';
import { computeModuleHash } from './hash.js';
import { findHeader, locationOf } from './fast-layout.js';
import { decodeHeader, HeaderField } from './header.js';

/*
 * Open-time structural validation. Everything here is O(section count) (plus a sort) and
 * allocates nothing proportional to a count until that count has been shown to fit in the file.
 * Sixty-four-bit fields are compared as bigint before they become numbers, so an absurd offset
 * is reported rather than silently rounded.
 */

export interface SmfReaderLimits {
  /** Largest inflated size of one compressed section (default 1 GiB). */
  maxDecompressedSize?: number;
  /** Default 1 Mi; the file size bounds the count anyway. */
  maxSectionCount?: number;
  /** Default 16 Mi; the file size bounds the count anyway. */
  maxSymbolCount?: number;
}

export const DEFAULT_LIMITS: Readonly<Required<SmfReaderLimits>> = Object.freeze({
  maxDecompressedSize: 1024 * 1024 * 1024,
  maxSectionCount: 1 << 20,
  maxSymbolCount: 1 << 24,
});

export type HeaderLocation = 'trailer' | 'start';

export interface SmfSection {
  index: number;
  /** A {@link SectionType} value; unknown non-zero types are kept. */
  type: number;
  name: string;
  flags: number;
  /** Offset relative to the SMF data start, as stored. */
  offset: number;
  /** Absolute offset in the file. */
  fileOffset: number;
  /** Stored bytes. */
  size: number;
  /** In-memory size; for a compressed section, the inflated size. */
  virtualSize: number;
  alignment: number;
  /** COMPRESSED bit set and the header names an algorithm (the bit alone is ignored). */
  compressed: boolean;
}

export interface Layout {
  file: string;
  /** A view of the whole file. */
  view: DataView;
  headerLocation: HeaderLocation;
  /** Absolute offset of the header. */
  headerAt: number;
  /** Absolute offset that relative offsets count from (`smf_data_offset`). */
  base: number;
  /** The header's compression algorithm. */
  compression: number;
  /** Absolute offset of the section table, and its entry count. */
  sectionTableAt: number;
  sectionCount: number;
  /**
   * The sections, when the careful path decoded them; null when the file passed the fast path
   * (they are decoded on first use by `decodeSections`, and the reader of a small module that
   * never asks keeps no object per section).
   */
  sections: SmfSection[] | null;
  symbolCount: number;
  /** Absolute offsets. */
  symbolTableAt: number;
  stringTableAt: number;
  stringTableSize: number;
  noteIndex: number | undefined;
  /** Bytes from the note's start to the next occupied byte (section, table or header). */
  noteCapacity: number;
}

export interface LayoutOptions {
  file: string;
  verifyHash: boolean;
  limits: Required<SmfReaderLimits>;
}

/** An occupied byte range; `owner` is a section index, or one of the tables below. */
interface Region {
  start: number;
  end: number;
  owner: number;
}
const SECTION_TABLE = -1;
const SYMBOL_TABLE = -2;
const STRING_TABLE = -3;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The layout of `bytes`: by the fast path (fast-layout.ts) when it takes the file, else by the careful one. */
export function parseLayout(bytes: Uint8Array, opts: LayoutOptions): Layout {
  return acceptLayout(bytes, opts) ?? carefulLayout(bytes, opts);
}

/** Checks a file that the fast path refused, field by field, and names what is wrong and where. */
export function carefulLayout(bytes: Uint8Array, opts: LayoutOptions): Layout {
  const { file } = opts;
  const fail = (code: SmfErrorCode, field: string, at: number, detail: string, plain?: string): never => {
    throw new SmfFormatError(code, file, field, at, detail, plain);
  };
  const size = bytes.length;
  // A file with no SMF header at all is most likely some other file: said in plain words.
  if (size < HEADER_SIZE) {
    const detail = `file is ${size} bytes, shorter than the ${HEADER_SIZE}-byte header`;
    fail('SMF_TRUNCATED', 'header', 0, detail, `not an SMF file (it is ${size} bytes, shorter than an SMF header, ${HEADER_SIZE} bytes)`);
  }
  const headerAt = findHeader(bytes);
  if (headerAt < 0) {
    const detail = 'no SMF\\0 magic at EOF-128 or at 0 (not an SMF file, or truncated)';
    return fail('SMF_BAD_MAGIC', 'header.magic', size - HEADER_SIZE, detail, 'not an SMF file (no SMF header at its end or start; a module cut short looks the same)');
  }
  const headerLocation = locationOf(headerAt, size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = decodeHeader(view, headerAt);
  const at = (f: keyof typeof HeaderField) => headerAt + HeaderField[f];

  if (header.versionMajor !== SMF_VERSION_MAJOR) {
    fail('SMF_BAD_VERSION', 'header.version_major', at('version_major'), `version ${header.versionMajor}.${header.versionMinor} is not supported (1.0 and 1.1 are)`);
  }
  if (header.versionMinor > SMF_VERSION_MINOR) {
    fail('SMF_BAD_VERSION', 'header.version_minor', at('version_minor'), `version ${header.versionMajor}.${header.versionMinor} is not supported (1.0 and 1.1 are)`);
  }
  if (header.compression > Compression.Lz4) {
    fail('SMF_BAD_FIELD', 'header.compression', at('compression'), `unknown compression algorithm ${header.compression}`);
  }

  // Where relative offsets start, and the relative range payloads and tables may occupy.
  const hasStub = (header.flags & HeaderFlags.HAS_STUB) !== 0;
  if (hasStub ? header.stubSize !== header.smfDataOffset : header.stubSize !== 0 || header.smfDataOffset !== 0) {
    fail('SMF_BAD_FIELD', 'header.smf_data_offset', at('smf_data_offset'),
      `stub_size ${header.stubSize} and smf_data_offset ${header.smfDataOffset} disagree with HAS_STUB ${hasStub ? 'set' : 'clear'}`);
  }
  const base = header.smfDataOffset;
  if (headerLocation === 'start' && base !== 0) {
    fail('SMF_BAD_FIELD', 'header.smf_data_offset', at('smf_data_offset'), 'a header at offset 0 leaves no room for a stub');
  }
  if (base > headerAt) {
    fail('SMF_OUT_OF_BOUNDS', 'header.smf_data_offset', at('smf_data_offset'), `${hex(base)} is past the header at ${hex(headerAt)}`);
  }
  const dataStart = headerLocation === 'start' ? HEADER_SIZE : 0;
  const dataEnd = headerLocation === 'start' ? size : headerAt - base;

  if (opts.verifyHash && header.moduleHash !== 0n) {
    const computed = computeModuleHash(bytes, base, at('module_hash'));
    if (computed !== header.moduleHash) {
      fail('SMF_HASH_MISMATCH', 'header.module_hash', at('module_hash'),
        `stored ${hex(header.moduleHash)} but the contents hash to ${hex(computed)}`);
    }
  }

  /** Checks that a relative range lies in the data area; returns its start as a number. */
  const checkRange = (field: string, fieldAt: number, start: bigint, length: bigint | number, what: () => string): number => {
    // Exact whenever it accepts: a value past 2^53 rounds, but then it is far past dataEnd too.
    const fastStart = Number(start);
    if (fastStart >= dataStart && fastStart + Number(length) <= dataEnd) return fastStart;
    const end = start + BigInt(length);
    if (start < BigInt(dataStart)) {
      fail('SMF_OUT_OF_BOUNDS', field, fieldAt, `${what()} at ${hex(start)} starts before the data area (${hex(dataStart)})`);
    }
    if (end > BigInt(dataEnd)) {
      // With the header at the start, data runs to EOF, so running past it means a cut file.
      const cut = headerLocation === 'start' && start <= BigInt(size);
      fail(cut ? 'SMF_TRUNCATED' : 'SMF_OUT_OF_BOUNDS', field, fieldAt,
        `${what()} ${hex(start)}..${hex(end)} is past the end of the data area (${hex(dataEnd)}; file size ${hex(size)})`);
    }
    return Number(start);
  };
  const room = Math.max(0, dataEnd - dataStart);
  const checkCount = (field: keyof typeof HeaderField, count: number, entry: number, limit: number, what: string) => {
    // count < 2^32 and entry <= 64: the product is exact in a double, no BigInt needed.
    if (count > limit || count * entry > room) {
      fail('SMF_TOO_MANY', `header.${field}`, at(field),
        `${count} ${what} of ${entry} bytes cannot fit in ${room} bytes of data (limit ${limit})`);
    }
  };

  checkCount('section_count', header.sectionCount, SECTION_ENTRY_SIZE, opts.limits.maxSectionCount, 'sections');
  checkCount('symbol_count', header.symbolCount, SYMBOL_ENTRY_SIZE, opts.limits.maxSymbolCount, 'symbols');
  const sectionTableLen = header.sectionCount * SECTION_ENTRY_SIZE;
  const symbolTableLen = header.symbolCount * SYMBOL_ENTRY_SIZE;
  const regions: Region[] = [];
  let sectionTableRel = 0;
  if (header.sectionCount > 0) {
    sectionTableRel = checkRange('header.section_table_offset', at('section_table_offset'), header.sectionTableOffset, sectionTableLen, () => 'section table');
    regions.push({ start: sectionTableRel, end: sectionTableRel + sectionTableLen, owner: SECTION_TABLE });
  }
  // The string table has no header field: it runs from the end of the symbol table to the
  // end of the data area (the header, or EOF for a header at offset 0).
  let symbolTableRel = dataEnd;
  let stringTableRel = dataEnd;
  if (header.symbolCount > 0) {
    symbolTableRel = checkRange('header.symbol_table_offset', at('symbol_table_offset'), header.symbolTableOffset, symbolTableLen, () => 'symbol table');
    stringTableRel = symbolTableRel + symbolTableLen;
    regions.push({ start: symbolTableRel, end: stringTableRel, owner: SYMBOL_TABLE });
    if (stringTableRel < dataEnd) {
      regions.push({ start: stringTableRel, end: dataEnd, owner: STRING_TABLE });
    }
  }

  const layout = (sections: SmfSection[], noteIndex: number | undefined, noteCapacity: number): Layout => ({
    file,
    view,
    headerLocation,
    headerAt,
    base,
    compression: header.compression,
    sectionTableAt: base + sectionTableRel,
    sectionCount: header.sectionCount,
    sections,
    symbolCount: header.symbolCount,
    symbolTableAt: base + symbolTableRel,
    stringTableAt: base + stringTableRel,
    stringTableSize: dataEnd - stringTableRel,
    noteIndex,
    noteCapacity,
  });

  const sections: SmfSection[] = [];
  const empty: SmfSection[] = [];
  let noteIndex: number | undefined;
  for (let i = 0; i < header.sectionCount; i++) {
    const entryAt = base + sectionTableRel + i * SECTION_ENTRY_SIZE;
    const f = (name: keyof typeof SectionField) => [`section[${i}].${name}`, entryAt + SectionField[name]] as const;
    const e = decodeSectionEntry(view, entryAt);
    if (e.type === 0) fail('SMF_BAD_FIELD', ...f('section_type'), 'section type 0 is not a section');
    const name = decodeSectionName(e.name, file, i, entryAt + SectionField.name);
    let alignment = e.alignment;
    if (alignment === 0) alignment = 1;
    if (alignment > MAX_ALIGNMENT || (alignment & (alignment - 1)) !== 0) {
      fail('SMF_BAD_FIELD', ...f('alignment'), `${e.alignment} is not a power of two up to ${MAX_ALIGNMENT}`);
    }
    if (Number(e.offset) < dataStart) {
      fail('SMF_OUT_OF_BOUNDS', ...f('offset'), `${hex(e.offset)} is inside the header`);
    }
    if (e.offset > BigInt(dataEnd)) {
      fail('SMF_OUT_OF_BOUNDS', ...f('offset'), `${hex(e.offset)} is past the end of the data area (${hex(dataEnd)}; file size ${hex(size)})`);
    }
    const offset = checkRange(`section[${i}].size`, entryAt + SectionField.size, e.offset, e.size, () => `section ${JSON.stringify(name)}`);
    if (e.virtualSize > MAX_SAFE) {
      fail('SMF_BAD_FIELD', ...f('virtual_size'), `${hex(e.virtualSize)} is beyond any addressable size`);
    }
    const compressed = (e.flags & SectionFlags.COMPRESSED) !== 0 && header.compression !== Compression.None;
    const section: SmfSection = {
      index: i,
      type: e.type,
      name,
      flags: e.flags,
      offset,
      fileOffset: base + offset,
      size: Number(e.size),
      virtualSize: Number(e.virtualSize),
      alignment,
      compressed,
    };
    if (e.type === NOTE_SECTION_TYPE && name === NOTE_SECTION_NAME && noteIndex === undefined) {
      if (section.size !== 0) fail('SMF_BAD_FIELD', ...f('size'), 'note.sdn must have size 0 (its text ends at the terminator)');
      if (compressed) fail('SMF_BAD_FIELD', ...f('flags'), 'note.sdn cannot be compressed');
      noteIndex = i;
    }
    sections.push(section);
    if (section.size > 0) {
      regions.push({ start: offset, end: offset + section.size, owner: i });
    } else {
      empty.push(section);
    }
  }

  regions.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let k = 1; k < regions.length; k++) {
    const prev = regions[k - 1];
    const cur = regions[k];
    if (cur.start < prev.end) {
      const [field, fieldAt] = regionField(cur, base + sectionTableRel, headerAt);
      fail('SMF_OVERLAP', field, fieldAt,
        `${regionLabel(cur)} (${hex(cur.start)}..${hex(cur.end)}) overlaps ${regionLabel(prev)} (${hex(prev.start)}..${hex(prev.end)})`);
    }
  }
  // An empty section (the note above all) must sit in a gap; its text or growth may use it.
  for (const s of empty) {
    const k = firstRegionEndingAfter(regions, s.offset);
    const r = regions[k];
    if (r !== undefined && r.start < s.offset) {
      fail('SMF_OVERLAP', `section[${s.index}].offset`, base + sectionTableRel + s.index * SECTION_ENTRY_SIZE + SectionField.offset,
        `empty section at ${hex(s.offset)} lies inside ${regionLabel(r)} (${hex(r.start)}..${hex(r.end)})`);
    }
  }
  let noteCapacity = 0;
  if (noteIndex !== undefined) {
    const noteAt = sections[noteIndex].offset;
    const next = regions[firstRegionEndingAfter(regions, noteAt)];
    noteCapacity = (next === undefined ? dataEnd : next.start) - noteAt;
  }

  return layout(sections, noteIndex, noteCapacity);
}

const TWO_32 = 2 ** 32;

/**
 * A little-endian u64 as a number. Past 2^53 it rounds, but it is then far past any file's end
 * and rejected anyway. The usual small value stays a small integer, which V8 stores in an
 * object without boxing it.
 */
export function u64(view: DataView, at: number): number {
  const hi = view.getUint32(at + 4, true);
  const lo = view.getUint32(at, true);
  return hi === 0 ? lo : hi * TWO_32 + lo;
}

/** The sections of a file whose layout was accepted (so nothing here can fail). */
export function decodeSections(layout: Layout, bytes: Uint8Array): SmfSection[] {
  const { view, base, sectionTableAt, sectionCount, compression } = layout;
  const sections: SmfSection[] = [];
  for (let i = 0; i < sectionCount; i++) {
    const at = sectionTableAt + i * SECTION_ENTRY_SIZE;
    const offset = u64(view, at + SectionField.offset);
    const flags = view.getUint32(at + SectionField.flags, true);
    sections.push({
      index: i,
      type: bytes[at + SectionField.section_type],
      name: asciiName(bytes, at + SectionField.name) ?? decodeSectionName(bytes.subarray(at + SectionField.name, at + SectionField.name + SECTION_NAME_SIZE), layout.file, i, at + SectionField.name),
      flags,
      offset,
      fileOffset: base + offset,
      size: u64(view, at + SectionField.size),
      virtualSize: u64(view, at + SectionField.virtual_size),
      alignment: view.getUint32(at + SectionField.alignment, true) || 1,
      compressed: (flags & SectionFlags.COMPRESSED) !== 0 && compression !== Compression.None,
    });
  }
  return sections;
}

/** Regions are sorted and disjoint, so their ends are sorted too: binary search. */
function firstRegionEndingAfter(regions: Region[], offset: number): number {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (regions[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The field that placed a region, and where it is. */
function regionField(r: Region, sectionTableAt: number, headerAt: number): readonly [string, number] {
  if (r.owner >= 0) return [`section[${r.owner}].offset`, sectionTableAt + r.owner * SECTION_ENTRY_SIZE + SectionField.offset];
  return r.owner === SECTION_TABLE ? ['header.section_table_offset', headerAt + HeaderField.section_table_offset] : ['header.symbol_table_offset', headerAt + HeaderField.symbol_table_offset];
}

/** Section names this toolchain writes, shared instead of decoded for every file. */
const KNOWN_NAMES = ['code', 'type_info', 'load_index', 'template_code', 'note.sdn', 'jit_cache', 'reloc'].map((name) => ({
  name,
  bytes: Uint8Array.from(name, (c) => c.charCodeAt(0)),
}));

/** A NUL-padded ASCII section name; null when it is not plain ASCII (the careful path decodes it). */
function asciiName(bytes: Uint8Array, at: number): string | null {
  known: for (const k of KNOWN_NAMES) {
    const b = k.bytes;
    if (b.length < SECTION_NAME_SIZE && bytes[at + b.length] !== 0) continue;
    for (let i = 0; i < b.length; i++) if (bytes[at + i] !== b[i]) continue known;
    return k.name;
  }
  let end = at;
  while (end < at + SECTION_NAME_SIZE && bytes[end] !== 0) {
    if (bytes[end] >= 0x80) return null;
    end++;
  }
  return String.fromCharCode.apply(null, bytes.subarray(at, end) as unknown as number[]);
}

function regionLabel(r: Region): string {
  if (r.owner >= 0) return `section[${r.owner}]`;
  return r.owner === SECTION_TABLE ? 'the section table' : r.owner === SYMBOL_TABLE ? 'the symbol table' : 'the string table';
}

function decodeSectionName(raw: Uint8Array, file: string, index: number, fieldAt: number): string {
  // Names are short and almost always ASCII: built directly, TextDecoder only for the rest.
  let ascii = '';
  let i = 0;
  for (; i < SECTION_NAME_SIZE; i++) {
    const b = raw[i];
    if (b === 0 || b >= 0x80) break;
    ascii += String.fromCharCode(b);
  }
  if (i === SECTION_NAME_SIZE || raw[i] === 0) return ascii;
  let len = raw.indexOf(0);
  if (len < 0) len = SECTION_NAME_SIZE;
  try {
    return utf8.decode(raw.subarray(0, len));
  } catch {
    throw new SmfFormatError('SMF_BAD_STRING', file, `section[${index}].name`, fieldAt, 'section name is not valid UTF-8');
  }
}
