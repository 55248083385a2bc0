import { compressPayload } from './compression.js';
import {
  encodeReloc,
  encodeSectionEntry,
  encodeSymbolEntry,
  type SectionEntryFields,
} from './entries.js';
import { SmfWriteError } from './errors.js';
import {
  Arch,
  Binding,
  Compression,
  DEFAULT_STUB,
  HEADER_SIZE,
  HeaderFlags,
  MAX_ALIGNMENT,
  NO_SECTION,
  NOTE_SECTION_NAME,
  NOTE_SECTION_TYPE,
  Platform,
  RELOC_ENTRY_SIZE,
  RELOC_SECTION_NAME,
  SECTION_ENTRY_SIZE,
  SECTION_NAME_SIZE,
  SMF_VERSION_MAJOR,
  SMF_VERSION_MINOR,
  SYMBOL_ENTRY_SIZE,
  SectionFlags,
  SectionType,
  fnv1a32,
} from './format.js';
import { computeModuleHash } from './hash.js';
import { HeaderField, encodeHeader } from './header.js';
import { defaultNoteReserve, encodeNote } from './note.js';

export interface SmfSectionSpec {
  /** A {@link SectionType} value (any u8 but 0 is written as is). */
  type: number;
  /** At most 16 UTF-8 bytes, no NUL. */
  name: string;
  /** {@link SectionFlags}; defaults by type. The COMPRESSED bit is decided by the writer. */
  flags?: number;
  /** Power of two, 1..65536; payload offsets are aligned relative to the SMF data start. */
  alignment?: number;
  data: Uint8Array;
  /** Default true when the module has a compression algorithm; Code sections never are. */
  compress?: boolean;
  /** In-memory size when larger than `data` (e.g. Bss); such sections are not compressed. */
  virtualSize?: bigint | number;
}

export interface SmfSymbolSpec {
  name: string;
  type: number;
  binding: number;
  visibility?: number;
  flags?: number;
  value: bigint | number;
  size: bigint | number;
  typeId?: number;
  version?: number;
  templateParamCount?: number;
  templateOffset?: bigint | number;
  /** Index into the final section table (user sections first, then `rela`, then `note.sdn`). */
  sectionIndex?: number;
}

export interface SmfRelocationSpec {
  offset: bigint | number;
  symbolIndex: number;
  type: number;
  addend: bigint | number;
}

export type CompressionName = 'none' | 'zstd' | 'lz4';

export interface SmfModuleSpec {
  platform?: number;
  arch?: number;
  /** {@link HeaderFlags}; HAS_STUB is set from `stub`, whatever is passed here. */
  flags?: number;
  entryPoint?: bigint | number;
  appType?: number;
  windowWidth?: number;
  windowHeight?: number;
  prefetchHint?: number;
  prefetchFileCount?: number;
  sourceHash?: bigint;
  sections: SmfSectionSpec[];
  symbols?: SmfSymbolSpec[];
  /** Written as a type-5 section named `rela` after the given sections. */
  relocations?: SmfRelocationSpec[];
  /** SDN text; the terminator is appended when missing. */
  note?: string;
  /** Zero bytes kept after the note for in-place rewrites; default max(256, 10% of the note). */
  noteReserve?: number;
  compression?: CompressionName;
  /** zstd level 1..22 (0 = library default); ignored for lz4, whose binding has no levels. */
  compressionLevel?: number;
  /** true: `#!/usr/bin/env smf\n`; bytes: a custom stub (kept by note rebuilds). */
  stub?: boolean | Uint8Array;
}

export interface WriteSmfOptions {
  /** Fill `module_hash` (default true). When false the field is 0, meaning "not hashed". */
  hash?: boolean;
}

interface PlannedSection {
  entry: SectionEntryFields;
  /** Bytes placed at the section offset; longer than `entry.size` only for the note. */
  payload: Uint8Array;
  /** Zero bytes that follow the payload before the next item (the note reserve). */
  tail: number;
}

const utf8 = new TextEncoder();
const COMPRESSION_IDS: Record<CompressionName, Compression> = {
  none: Compression.None,
  zstd: Compression.Zstd,
  lz4: Compression.Lz4,
};
const TABLE_ALIGNMENT = 8;

/**
 * Serialises a module to SMF v1.1 bytes:
 * `[stub][payloads][section table][symbol table][string table][128-byte header]`.
 * The output depends only on `module` and `options`, so equal modules give equal bytes.
 */
export function writeSmf(module: SmfModuleSpec, options: WriteSmfOptions = {}): Uint8Array<ArrayBuffer> {
  const algoName = module.compression ?? 'none';
  const algo = COMPRESSION_IDS[algoName];
  if (algo === undefined) throw new SmfWriteError('compression', `unknown algorithm ${String(algoName)}`);
  const level = algo === Compression.Zstd ? checkUint('compressionLevel', module.compressionLevel ?? 0, 22) : 0;
  const stub = stubBytes(module.stub);
  const symbols = module.symbols ?? [];

  const planned = module.sections.map((s, i) => planSection(s, `sections[${i}]`, algo, level));
  if (module.relocations !== undefined && module.relocations.length > 0) {
    if (module.sections.some((s) => s.type === SectionType.Reloc)) {
      throw new SmfWriteError('relocations', 'given together with a section of type Reloc');
    }
    const rela = encodeRelocations(module.relocations, symbols.length);
    planned.push(
      planSection({ type: SectionType.Reloc, name: RELOC_SECTION_NAME, alignment: 8, data: rela }, 'relocations', algo, level),
    );
  }
  if (module.note !== undefined) planned.push(planNote(module.note, module.noteReserve));

  const sectionCount = planned.length;
  const strings = buildStringTable(symbols);
  let exported = 0;
  for (const s of symbols) if (s.binding === Binding.Global || s.binding === Binding.Weak) exported++;

  // Offsets below are relative to the SMF data start (just after the stub).
  let cursor = 0;
  for (const p of planned) {
    cursor = alignUp(cursor, p.entry.alignment);
    p.entry.offset = BigInt(cursor);
    cursor += p.payload.length + p.tail;
  }
  const sectionTableOffset = alignUp(cursor, TABLE_ALIGNMENT);
  const symbolTableOffset = sectionTableOffset + sectionCount * SECTION_ENTRY_SIZE;
  const stringTableOffset = symbolTableOffset + symbols.length * SYMBOL_ENTRY_SIZE;
  const headerOffset = stringTableOffset + strings.bytes.length;
  const base = stub.length;

  const out = new Uint8Array(base + headerOffset + HEADER_SIZE);
  const view = new DataView(out.buffer);
  out.set(stub, 0);
  planned.forEach((p, i) => {
    out.set(p.payload, base + Number(p.entry.offset));
    encodeSectionEntry(view, base + sectionTableOffset + i * SECTION_ENTRY_SIZE, p.entry);
  });
  symbols.forEach((s, i) => {
    encodeSymbolEntry(view, base + symbolTableOffset + i * SYMBOL_ENTRY_SIZE, {
      nameOffset: strings.offsets[i],
      nameHash: fnv1a32(s.name),
      type: checkUint(`symbols[${i}].type`, s.type, 0xff),
      binding: checkUint(`symbols[${i}].binding`, s.binding, 0xff),
      visibility: checkUint(`symbols[${i}].visibility`, s.visibility ?? 0, 0xff),
      flags: checkUint(`symbols[${i}].flags`, s.flags ?? 0, 0xff),
      value: checkU64(`symbols[${i}].value`, s.value),
      size: checkU64(`symbols[${i}].size`, s.size),
      typeId: checkUint(`symbols[${i}].typeId`, s.typeId ?? 0, 0xffffffff),
      version: checkUint(`symbols[${i}].version`, s.version ?? 0, 0xffffffff),
      templateParamCount: checkUint(`symbols[${i}].templateParamCount`, s.templateParamCount ?? 0, 0xff),
      sectionIndex: s.sectionIndex === undefined ? NO_SECTION : checkUint(`symbols[${i}].sectionIndex`, s.sectionIndex, sectionCount - 1),
      templateOffset: checkU64(`symbols[${i}].templateOffset`, s.templateOffset ?? 0),
    });
  });
  out.set(strings.bytes, base + stringTableOffset);

  const headerAt = base + headerOffset;
  const header = encodeHeader({
    versionMajor: SMF_VERSION_MAJOR,
    versionMinor: SMF_VERSION_MINOR,
    platform: checkUint('platform', module.platform ?? Platform.Any, 0xff),
    arch: checkUint('arch', module.arch ?? Arch.Wasm32, 0xff),
    flags: (checkUint('flags', module.flags ?? 0, 0xffffffff) & ~HeaderFlags.HAS_STUB) | (base > 0 ? HeaderFlags.HAS_STUB : 0),
    compression: algo,
    compressionLevel: level,
    sectionCount,
    sectionTableOffset: BigInt(sectionTableOffset),
    symbolTableOffset: BigInt(symbolTableOffset),
    symbolCount: symbols.length,
    exportedCount: exported,
    entryPoint: checkU64('entryPoint', module.entryPoint ?? 0),
    stubSize: base,
    smfDataOffset: base,
    moduleHash: 0n,
    sourceHash: checkU64('sourceHash', module.sourceHash ?? 0n),
    appType: checkUint('appType', module.appType ?? 0, 0xff),
    windowWidth: checkUint('windowWidth', module.windowWidth ?? 1280, 0xffff),
    windowHeight: checkUint('windowHeight', module.windowHeight ?? 720, 0xffff),
    prefetchHint: checkUint('prefetchHint', module.prefetchHint ?? 0, 0xff),
    prefetchFileCount: checkUint('prefetchFileCount', module.prefetchFileCount ?? 0, 0xff),
  });
  out.set(header, headerAt);
  if (options.hash ?? true) {
    view.setBigUint64(headerAt + HeaderField.module_hash, computeModuleHash(out, base, headerAt + HeaderField.module_hash), true);
  }
  return out;
}

function planSection(s: SmfSectionSpec, field: string, algo: Compression, level: number): PlannedSection {
  const type = checkUint(`${field}.type`, s.type, 0xff);
  if (type === 0) throw new SmfWriteError(`${field}.type`, 'section type 0 is not a section');
  const name = sectionName(s.name, `${field}.name`);
  if (type === NOTE_SECTION_TYPE && s.name === NOTE_SECTION_NAME) {
    throw new SmfWriteError(`${field}.name`, 'note.sdn is written from the `note` field, not as a section');
  }
  const alignment = s.alignment ?? (type === SectionType.Code ? 16 : 8);
  if (!Number.isInteger(alignment) || alignment < 1 || alignment > MAX_ALIGNMENT || (alignment & (alignment - 1)) !== 0) {
    throw new SmfWriteError(`${field}.alignment`, `${alignment} is not a power of two in 1..${MAX_ALIGNMENT}`);
  }
  const flags = checkUint(`${field}.flags`, s.flags ?? defaultFlags(type), 0xffffffff) & ~SectionFlags.COMPRESSED;
  const virtualSize = checkU64(`${field}.virtualSize`, s.virtualSize ?? s.data.length);
  if (virtualSize < BigInt(s.data.length)) {
    throw new SmfWriteError(`${field}.virtualSize`, `${virtualSize} is smaller than the data (${s.data.length} bytes)`);
  }
  const compressible =
    algo !== Compression.None &&
    (s.compress ?? true) &&
    type !== SectionType.Code &&
    s.data.length > 0 &&
    virtualSize === BigInt(s.data.length);
  if (compressible) {
    const stored = compressPayload(algo, s.data, level);
    if (stored.length < s.data.length) {
      return {
        entry: { type, flags: flags | SectionFlags.COMPRESSED, offset: 0n, size: BigInt(stored.length), virtualSize, alignment, name },
        payload: stored,
        tail: 0,
      };
    }
  }
  return {
    entry: { type, flags, offset: 0n, size: BigInt(s.data.length), virtualSize, alignment, name },
    payload: s.data,
    tail: 0,
  };
}

/** The note section keeps size 0: its text is found by the terminator, so it can grow in place. */
function planNote(text: string, reserve: number | undefined): PlannedSection {
  const bytes = encodeNote(text);
  const tail = reserve ?? defaultNoteReserve(bytes.length);
  if (!Number.isSafeInteger(tail) || tail < 0) throw new SmfWriteError('noteReserve', `${tail} is not a byte count`);
  return {
    entry: {
      type: NOTE_SECTION_TYPE,
      flags: SectionFlags.READ,
      offset: 0n,
      size: 0n,
      virtualSize: 0n,
      alignment: 1,
      name: sectionName(NOTE_SECTION_NAME, 'note'),
    },
    payload: bytes,
    tail,
  };
}

function encodeRelocations(relocs: SmfRelocationSpec[], symbolCount: number): Uint8Array {
  const out = new Uint8Array(relocs.length * RELOC_ENTRY_SIZE);
  const view = new DataView(out.buffer);
  relocs.forEach((r, i) => {
    const f = `relocations[${i}]`;
    if (symbolCount === 0) throw new SmfWriteError(`${f}.symbolIndex`, 'the module has no symbols');
    encodeReloc(view, i * RELOC_ENTRY_SIZE, {
      offset: checkU64(`${f}.offset`, r.offset),
      symbolIndex: checkUint(`${f}.symbolIndex`, r.symbolIndex, symbolCount - 1),
      type: checkUint(`${f}.type`, r.type, 0xff),
      addend: checkI64(`${f}.addend`, r.addend),
    });
  });
  return out;
}

/** Names in first-use order after a leading NUL; equal names share one entry. */
function buildStringTable(symbols: SmfSymbolSpec[]): { bytes: Uint8Array; offsets: number[] } {
  const chunks: Uint8Array[] = [new Uint8Array(1)];
  const seen = new Map<string, number>([['', 0]]);
  let size = 1;
  const offsets = symbols.map((s, i) => {
    if (typeof s.name !== 'string' || s.name.includes('\0')) {
      throw new SmfWriteError(`symbols[${i}].name`, 'must be a string without NUL');
    }
    const known = seen.get(s.name);
    if (known !== undefined) return known;
    const encoded = utf8.encode(s.name);
    const at = size;
    chunks.push(encoded, new Uint8Array(1));
    size += encoded.length + 1;
    if (size > 0xffffffff) throw new SmfWriteError(`symbols[${i}].name`, 'string table exceeds 4 GiB');
    seen.set(s.name, at);
    return at;
  });
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, offsets };
}

function sectionName(name: string, field: string): Uint8Array {
  if (typeof name !== 'string' || name.includes('\0')) throw new SmfWriteError(field, 'must be a string without NUL');
  const encoded = utf8.encode(name);
  // Truncating (as the original does) could split a UTF-8 sequence and break round trips.
  if (encoded.length > SECTION_NAME_SIZE) {
    throw new SmfWriteError(field, `${JSON.stringify(name)} is ${encoded.length} bytes, the limit is ${SECTION_NAME_SIZE}`);
  }
  const out = new Uint8Array(SECTION_NAME_SIZE);
  out.set(encoded);
  return out;
}

function stubBytes(stub: SmfModuleSpec['stub']): Uint8Array {
  if (stub === undefined || stub === false) return new Uint8Array(0);
  if (stub === true) return utf8.encode(DEFAULT_STUB);
  if (stub.length > 0xffffffff) throw new SmfWriteError('stub', 'longer than a u32 can describe');
  return stub;
}

function defaultFlags(type: number): number {
  if (type === SectionType.Code) return SectionFlags.READ | SectionFlags.EXEC;
  if (type === SectionType.Data || type === SectionType.Bss) return SectionFlags.READ | SectionFlags.WRITE;
  return SectionFlags.READ;
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function checkUint(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new SmfWriteError(field, `${value} is not an integer in 0..${max}`);
  }
  return value;
}

function checkU64(field: string, value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SmfWriteError(field, `${value} is not an exact integer; pass a bigint`);
  }
  const v = BigInt(value);
  if (v < 0n || v > 0xffffffffffffffffn) throw new SmfWriteError(field, `${v} does not fit in a u64`);
  return v;
}

function checkI64(field: string, value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SmfWriteError(field, `${value} is not an exact integer; pass a bigint`);
  }
  const v = BigInt(value);
  if (v < -(1n << 63n) || v >= 1n << 63n) throw new SmfWriteError(field, `${v} does not fit in an i64`);
  return v;
}
